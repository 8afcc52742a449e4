"""Pay once, in the server, for what every cold start would redo: imports, content, stylesheets and caches."""

from __future__ import annotations

import asyncio
import gc
import threading

from billing_tui import commands
from billing_tui.flow import Content
from billing_tui.server.options import ServerOptions

# Keys of the warm-up walk: home → the first flow's first question → its first answer (a verdict).
WARM_KEYS = ("1", "1")


async def _walk(content: Content, lang: str, theme: str | None) -> None:
    """One headless session through public API: compose, style and render home, a question and a verdict."""
    from billing_tui.ui.app import create_app

    app = create_app(lang, content=content, theme=theme)
    # Tooltips and notifications on, as in a real session: their widgets' CSS is parsed here too.
    async with app.run_test(size=(80, 24), tooltips=True, notifications=True) as pilot:
        for key in WARM_KEYS:
            await pilot.press(key)
            await pilot.pause()


def warm_up(options: ServerOptions) -> None:
    """Import the UI, load and validate the content for every language, and run a warm-up session in each."""
    import textual.drivers.linux_driver  # the driver a worker uses, imported lazily by App
    import textual.drivers.web_driver  # noqa: F401  (a browser tab's worker: billing_tui.server.webtab)

    import billing_tui.plain
    import billing_tui.ui.launch  # the module a worker's launch imports
    import billing_tui.web.session  # noqa: F401  (a browser tab's session, without textual-serve)
    from billing_tui.server.css_cache import share_parsed_css

    share_parsed_css()  # the walks below parse every stylesheet once, for all workers
    content = commands.preload(options.content)
    for lang in content.langs:
        asyncio.run(_walk(content, lang, options.theme))
    gc.collect()
    gc.freeze()  # the imported objects' pages stay shared with every worker: no collection writes their headers


def assert_forkable() -> None:
    """Forking is safe only with no other thread alive and no event loop running in this one."""
    if threading.active_count() != 1:
        raise RuntimeError(f"{threading.active_count()} threads alive at fork")
    if asyncio.events._get_running_loop() is not None:
        raise RuntimeError("an event loop is running at fork")
