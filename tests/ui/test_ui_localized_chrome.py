"""Textual's own words on screen speak the wizard's language: the palette's prompt and "no matches", Ctrl+C's hint.

Textual 8.2.8 writes them in English (and draws the palette's search icon as an emoji even where the app draws
ASCII); a Portuguese user saw `Search for commands…`, `No matches found` and `Do you want to quit?`.
"""

from __future__ import annotations

from time import monotonic

import pytest
from rich.segment import Segment
from rich.text import Text
from textual.color import Color
from textual.command import CommandInput, CommandList, CommandPalette
from textual.notifications import Notify
from ui_helpers import LANGS, Recorder, screen_text, settle

from billing_tui.flow import Content
from billing_tui.ui.app import create_app
from billing_tui.ui.filters import AsciiGlyphs

ENGLISH = ("Search for commands", "No matches found", "Do you want to quit?", "to quit the app")


@pytest.mark.parametrize("lang", LANGS)
async def test_the_palette_prompts_and_finds_nothing_in_the_wizards_language(content: Content, lang: str) -> None:
    """Ctrl+P shows the prompt in the wizard's language; a search with no result says so in that language too."""
    guide = content.guide(lang)
    app = create_app(lang=lang, content=content, flow="billing-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot, "CommandInput")
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(CommandInput).placeholder == guide.text("palette_placeholder")
        assert guide.text("palette_placeholder") in screen_text(app)
        await pilot.press(*"xyzzy")
        deadline = monotonic() + 30
        while not app.screen.query(CommandList).first().option_count and monotonic() < deadline:
            await pilot.pause(0.05)
        await pilot.pause()
        shown = screen_text(app)
        assert guide.text("palette_no_matches") in shown
        if lang != "en":
            assert not any(english in shown for english in ENGLISH)


@pytest.mark.parametrize("lang", LANGS)
async def test_ctrl_c_says_in_the_wizards_language_that_ctrl_q_quits(content: Content, lang: str) -> None:
    """Ctrl+C, which quits many programs, does not quit here: its notice names Ctrl+Q in the wizard's language."""
    guide = content.guide(lang)
    recorder = Recorder()
    app = create_app(lang=lang, content=content, flow="admin-center")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        [notice] = [m.notification for m in recorder.of(Notify)]
        assert (notice.title, notice.message) == (guide.text("quit_hint_title"), guide.text("quit_hint"))
        assert "Ctrl+Q" in notice.message
        assert app.is_running  # it only tells


def test_ascii_terminals_get_an_ascii_search_icon_of_the_same_width() -> None:
    """The palette's 🔎 (two cells) becomes two ASCII cells where the app draws ASCII only."""
    [segment] = AsciiGlyphs().apply([Segment("🔎")], Color(0, 0, 0))
    assert segment.text.isascii() and Text(segment.text).cell_len == Text("🔎").cell_len == 2
