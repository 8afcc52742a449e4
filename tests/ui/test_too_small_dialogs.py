"""The too-small notice covers an open dialog too, and fits (with its way out) on the tiniest terminals.

Found by exploratory testing: with the help or the e-mail dialog open, shrinking the terminal to 30x10 left
the dialog squashed on screen (typing still went into it), with no notice, and Ctrl+Q then exited 0 with no
size line; at 20x5 the notice itself was cut before it named the minimum size and q.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input
from ui_helpers import LANGS, screen_text, settle, squash

from billing_tui.exit_codes import ExitCode
from billing_tui.flow import Content
from billing_tui.ui.app import create_app
from billing_tui.ui.screens.email import EmailScreen
from billing_tui.ui.screens.help import HelpScreen
from billing_tui.ui.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen, notice_text


async def open_dialog(pilot, dialog: str) -> type:  # type: ignore[no-untyped-def]
    """Open the help (?) or the e-mail dialog (Admin Center, answer 2, e); return the dialog's class."""
    await settle(pilot)
    if dialog == "help":
        await pilot.press("?")
        return HelpScreen
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot, "#name")
    return EmailScreen


@pytest.mark.parametrize("dialog", ["help", "email"])
async def test_a_dialog_is_covered_by_the_notice_and_back_as_it_was_when_the_terminal_grows(
    content: Content, dialog: str
) -> None:
    """Shrunk below the minimum, the notice covers the dialog and keys do not reach it; grown, the dialog is back."""
    guide = content.guide("en")
    app = create_app(lang="en", content=content, flow="admin-center")
    async with app.run_test(size=(80, 24)) as pilot:
        dialog_class = await open_dialog(pilot, dialog)
        assert isinstance(app.screen, dialog_class)
        under = app.screen
        if dialog == "email":
            await pilot.press(*"Ana")
        await pilot.resize_terminal(30, 10)
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert squash(notice_text(guide, 30, 10)) in squash(screen_text(app))
        await pilot.press(*"xyz")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert app.screen is under
        if dialog == "email":
            assert under.query_one("#name", Input).value == "Ana"


async def test_quitting_from_the_notice_over_a_dialog_exits_5(content: Content) -> None:
    """q on the notice (over a dialog) ends with 5, as from a wizard screen's notice: the app could not be shown."""
    app = create_app(lang="en", content=content, flow="admin-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(pilot, "help")
        await pilot.resize_terminal(30, 10)
        await pilot.pause()
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == ExitCode.TERMINAL


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", [(20, 5), (12, 4), (39, 11), (30, 8)], ids=str)
async def test_the_notice_always_names_the_minimum_and_q(content: Content, lang: str, size: tuple[int, int]) -> None:
    """Even at 20x5 the notice shows the minimum size and how to quit, in the wizard's language."""
    guide = content.guide(lang)
    app = create_app(lang=lang, content=content, flow="billing-center")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        while not app.screen.has_class("-too-small"):  # the notice replaces the layout: nothing takes the focus
            await pilot.pause(0.02)
        await pilot.pause()
        shown = squash(screen_text(app))
        assert squash(notice_text(guide, *size)) in shown
        assert f"{MIN_WIDTH}×{MIN_HEIGHT}" in shown and "q" in shown
