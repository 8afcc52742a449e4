"""Regenerate screenshots/web-*.png with the browser tests' headless Chromium: `python scripts/web_screenshot.py`.

It starts `billing-tui web` on a free 127.0.0.1 port, walks to a verdict by keyboard in each language and saves
what the browser shows (needs chromium, chromium-driver, selenium and textual-serve, as the browser tests do).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests"), str(REPO / "tests" / "web"), str(REPO / "tests" / "terminal")]

from browser import Tab, TabTerm, WebServer, chrome  # noqa: E402
from tui import Tui  # noqa: E402

from billing_tui.flow import load_content  # noqa: E402

SHOTS = {"en": ("admin-center", ("subscriptions",)), "pt-BR": ("billing-center", ("invalid-page",))}


def main() -> int:
    content = load_content()
    with tempfile.TemporaryDirectory(prefix="bt-web-shot-") as name:
        tmp = Path(name)
        for lang, (flow_id, answers) in SHOTS.items():
            server = WebServer.start(tmp, "--lang", lang)
            driver = chrome(tmp, 1000, 640)
            try:
                driver.get(server.url)
                tui = Tui(TabTerm(Tab(driver)), content.guide(lang))
                tui.wait_home()
                wizard = tui.start_flow(flow_id)
                for choice in answers:
                    wizard = tui.answer(wizard, choice)
                out = REPO / "screenshots" / f"web-{lang}-{flow_id}.png"
                driver.save_screenshot(str(out))
                print(out.relative_to(REPO))
            finally:
                driver.quit()
                server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
