"""After the server's warm-up, a worker's new app parses no CSS: every stylesheet was parsed once, before the fork.

Each check runs in a subprocess: the shared cache is process-wide, as it is in the server.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

# Warm up as `billing-tui serve` does (or not), then count the CSS parses of one more headless session.
SCRIPT = textwrap.dedent(
    """
    import asyncio, json, sys
    import textual.css.stylesheet as stylesheet_module
    from billing_tui import commands
    from billing_tui.server import warm
    from billing_tui.server.options import ServerOptions
    from billing_tui.ui.app import create_app

    warmed, theme = sys.argv[1] == "warm", sys.argv[2] or None
    content = commands.preload(None)
    if warmed:
        warm.warm_up(ServerOptions())
    parses = []
    original = stylesheet_module.parse
    def counting_parse(*args, **kwargs):
        parses.append(args[2])  # read_from: which file or widget the CSS came from
        return original(*args, **kwargs)
    stylesheet_module.parse = counting_parse

    async def session():
        app = create_app("en", content=content, theme=theme)
        async with app.run_test(size=(80, 24), tooltips=True, notifications=True) as pilot:
            await pilot.press("1")
            await pilot.pause()
            return app.screen.query_one("#choices").has_focus

    focused = asyncio.run(session())
    print(json.dumps({"parsed": [str(where) for where in parses], "focused": focused}))
    """
)


def _session(mode: str, theme: str = "") -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode, theme], capture_output=True, text=True, timeout=120, check=True
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_after_warm_up_a_new_app_parses_no_css() -> None:
    warmed = _session("warm")
    assert warmed["parsed"] == []
    assert warmed["focused"] is True  # the styled session still works: the question's choices have the focus


def test_without_warm_up_the_same_session_parses_every_stylesheet() -> None:
    """The control: a cold start parses Textual's and billing-tui's CSS itself (the cache is the server's only)."""
    cold = _session("cold")
    parsed = cold["parsed"]
    assert isinstance(parsed, list) and any("app.tcss" in where for where in parsed), parsed


def test_another_theme_gets_its_own_parse_with_its_own_colours() -> None:
    """Rules are keyed by the CSS variables too: a theme the warm-up did not use is parsed, never served stale."""
    themed = _session("warm", "high-contrast")
    parsed = themed["parsed"]
    assert isinstance(parsed, list) and any("app.tcss" in where for where in parsed), parsed
