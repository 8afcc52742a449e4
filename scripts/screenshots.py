"""Regenerate screenshots/*.svg from the app itself: `python scripts/screenshots.py` (after any UI change).

Each screenshot runs the real app (create_app, as the CLI does) headless at 80x24, presses the
keys a user would and exports the screen as SVG, so the images never drift from the code.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from billing_tui.flow import Content, load_content
from billing_tui.ui.app import BillingApp, create_app
from billing_tui.ui.screens.base import WizardScreen

REPO = Path(__file__).resolve().parent.parent
SIZE = (80, 24)
LANGS = ("pt-BR", "en")
EMAIL_FIELDS = {"name": "Ana Souza", "address": "ana.souza@example.com", "request": "Add two technician licenses."}


@dataclass(frozen=True)
class Shot:
    """One screenshot: the file name, where the app starts and the keys pressed before the picture."""

    name: str
    lang: str
    flow: str | None = None
    keys: tuple[str, ...] = ()
    theme: str | None = None
    email: bool = False


def shots() -> list[Shot]:
    """Every screenshot, in both languages, plus the high-contrast theme."""
    result: list[Shot] = []
    for lang in LANGS:
        result += [
            Shot(f"{lang}-home", lang),
            Shot(f"{lang}-help", lang, keys=("question_mark",)),
            Shot(f"{lang}-billing-center", lang, "billing-center"),
            Shot(f"{lang}-admin-center", lang, "admin-center"),
            Shot(f"{lang}-verdict-yes", lang, "billing-center", ("1",)),
            Shot(f"{lang}-verdict-no", lang, "billing-center", ("2", "2", "2")),
            Shot(f"{lang}-verdict-unsure", lang, "billing-center", ("3",)),
            Shot(f"{lang}-email-draft", lang, "admin-center", ("2", "e"), email=True),
        ]
    result.append(Shot("en-high-contrast", "en", "admin-center", ("3", "1"), theme="high-contrast"))
    return result


async def settle(pilot: Pilot[int], timeout: float = 10.0) -> None:
    """Wait until the state's list (or the open dialog) has the focus, so the picture shows it."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen, focused = app.screen, app.focused
        if isinstance(screen, WizardScreen):
            if focused is not None and focused.id == "choices":
                return
        elif focused is not None or not screen.focus_chain:
            return
        await pilot.pause(0.02)
    raise RuntimeError(f"the focus never settled (focused: {app.focused!r})")


async def fill_email(pilot: Pilot[int]) -> None:
    """Fill the e-mail form, build the draft with Enter and hide the toast that would cover its end."""
    screen = pilot.app.screen
    for field in screen.query(Input):
        field.cursor_blink = False  # a steady cursor, whatever the timing
    for field_id, value in EMAIL_FIELDS.items():
        screen.query_one(f"#{field_id}", Input).value = value
    screen.query_one("#request", Input).focus()
    await pilot.pause()
    await pilot.press("enter")
    if not screen.query_one("#email").has_class("-drafted"):
        raise RuntimeError("the e-mail draft was not built")
    pilot.app.clear_notifications()


async def take(shot: Shot, content: Content) -> str:
    """Run the app for one shot and return its SVG."""
    app: BillingApp = create_app(lang=shot.lang, flow=shot.flow, theme=shot.theme, content=content)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in shot.keys:
            await pilot.press(key)
            await settle(pilot)
        if shot.email:
            await fill_email(pilot)
        await pilot.pause()
        return app.export_screenshot()


def main(argv: Sequence[str] | None = None) -> int:
    """Write every screenshot to the output folder and remove SVGs that no shot produces any more."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "screenshots", help="output folder (default: screenshots/)")
    args = parser.parse_args(argv)
    os.environ.pop("NO_COLOR", None)  # Textual reads it when an app is created: pictures are always in colour
    content = load_content()
    args.out.mkdir(parents=True, exist_ok=True)
    wanted = shots()
    for shot in wanted:
        path = args.out / f"{shot.name}.svg"
        path.write_text(asyncio.run(take(shot, content)), encoding="utf-8")
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
    names = {f"{shot.name}.svg" for shot in wanted}
    for stale in sorted(args.out.glob("*.svg")):
        if stale.name not in names:
            stale.unlink()
            print(f"removed {stale.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
