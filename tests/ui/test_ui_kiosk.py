"""Kiosk mode (create_app(kiosk=True)): s, the palette and the verdict's button copy and show the transcript."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from test_ui_app import found_in_palette
from textual.command import CommandPalette
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import TextArea
from ui_helpers import LANGS, Recorder, screen_text, settle, squash, widget_text

from billing_tui.flow import Content
from billing_tui.flow.transcript import to_markdown
from billing_tui.ui.app import BillingApp, create_app
from billing_tui.ui.screens.flow import FlowScreen
from billing_tui.ui.screens.help import HelpScreen
from billing_tui.ui.screens.save import SaveDialog
from billing_tui.ui.screens.transcript import TranscriptScreen
from billing_tui.ui.widgets.state_list import StateList

langs = pytest.mark.parametrize("lang", LANGS)


@pytest.fixture(autouse=True)
def in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test runs in an empty working directory, so a file written by mistake shows up."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def files_under(folder: Path) -> list[str]:
    """Every file and folder below folder, as relative paths."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def kiosk_app(content: Content, lang: str, flow: str = "billing-center") -> BillingApp:
    return create_app(lang=lang, content=content, flow=flow, kiosk=True)


async def open_view(pilot: Pilot[Any], *keys: str) -> TranscriptScreen:
    """Press keys (s by default) and wait for the transcript view, with its text focused."""
    await pilot.press(*(keys or ("s",)))
    await settle(pilot, "#transcript-text")
    screen = pilot.app.screen
    assert isinstance(screen, TranscriptScreen)
    return screen


def notes(recorder: Recorder) -> list[str]:
    return [m.notification.message for m in recorder.of(Notify)]


@langs
async def test_s_copies_the_transcript_and_shows_it_whole(content: Content, lang: str, in_empty_folder: Path) -> None:
    """At a verdict, s opens no save dialog: the Markdown goes out as OSC 52, with a notice, and is shown to select."""
    recorder = Recorder()
    guide = content.guide(lang)
    app = kiosk_app(content, lang)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await pilot.press("2", "2", "1")
        await settle(pilot)
        markdown = to_markdown(app.wizard)
        view = await open_view(pilot)
        assert not any(isinstance(screen, SaveDialog) for screen in app.screen_stack)
        assert app.clipboard == markdown
        assert notes(recorder) == [guide.text("kiosk_copied")]
        assert view.query_one("#transcript-text", TextArea).text == markdown
        assert guide.text("kiosk_title") in screen_text(app)
        assert squash(widget_text(app, view.query_one("#transcript-intro"))) == squash(guide.text("kiosk_intro"))
        assert markdown.splitlines()[0] in widget_text(app, view.query_one("#transcript-text"))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FlowScreen)
    assert files_under(in_empty_folder) == []


async def test_the_view_scrolls_to_the_end_and_a_selection_can_be_copied(content: Content) -> None:
    """Keyboard only: PgDn reaches the transcript's last line, Shift+Up selects, Ctrl+C copies just that."""
    app = kiosk_app(content, "en", flow="admin-center")
    async with app.run_test(size=(80, 16)) as pilot:
        await pilot.press("2", "2")
        await settle(pilot)
        view = await open_view(pilot)
        text = view.query_one("#transcript-text", TextArea)
        lines = text.text.rstrip("\n").splitlines()
        assert len(lines) > text.size.height, "the transcript should be longer than the view for this test"
        assert lines[-1][-30:] not in screen_text(app)
        await pilot.press(*["pagedown"] * (len(lines) // text.size.height + 1))
        await pilot.pause()
        assert text.scroll_y == text.max_scroll_y > 0
        assert lines[-1][-30:] in widget_text(app, text)  # the end of the (wrapped) last line
        await pilot.press("home", "shift+up")
        await pilot.pause()
        assert text.selected_text != ""
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.clipboard == text.selected_text
        assert isinstance(app.screen, TranscriptScreen)
        await pilot.press("c")  # c copies the whole transcript again
        await pilot.pause()
        assert app.clipboard == text.text


@langs
async def test_the_palette_and_the_verdict_action_open_the_same_view(content: Content, lang: str) -> None:
    """The palette's entry and the verdict's action are worded for the kiosk and lead to the view, not to a path."""
    guide = content.guide(lang)
    app = kiosk_app(content, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await settle(pilot)
        actions = app.screen.query_one(StateList)
        assert guide.text("kiosk_action_save") in str(actions.get_option("action-save").prompt)
        assert guide.text("kiosk_keys_save") in screen_text(app)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await settle(pilot, "Input")
        title = guide.text("kiosk_cmd_save")
        await pilot.press(*title[:12])
        await found_in_palette(pilot, title)
        await pilot.press("enter")
        await open_view(pilot, *())
        await pilot.press("q")  # q closes the view; it does not quit the kiosk session
        await settle(pilot)
        assert isinstance(app.screen, FlowScreen) and app.return_code is None
        actions.highlighted = actions.get_option_index("action-save")
        await pilot.press("enter")
        await settle(pilot, "#transcript-text")
        assert isinstance(app.screen, TranscriptScreen)
        await pilot.click("#transcript-close")
        await settle(pilot)
        assert isinstance(app.screen, FlowScreen)


@langs
async def test_help_says_kiosk_mode_is_on(content: Content, lang: str) -> None:
    guide = content.guide(lang)
    for kiosk in (True, False):
        app = create_app(lang=lang, content=content, kiosk=kiosk)
        async with app.run_test(size=(80, 40)) as pilot:
            await pilot.press("question_mark")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            shown = squash(widget_text(app, app.screen.query_one(".dialog-body Static")))
            assert (squash(guide.text("help_kiosk")) in shown) is kiosk
            assert (guide.text("kiosk_help_save") in shown) is kiosk
            assert (guide.text("help_save") in shown) is not kiosk


async def test_at_home_s_says_nothing_yet(content: Content) -> None:
    recorder = Recorder()
    app = create_app(lang="en", content=content, kiosk=True)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert not isinstance(app.screen, TranscriptScreen)
        assert notes(recorder) == [content.guide("en").text("nothing_yet")]
        assert app.clipboard == ""


async def test_a_save_dialog_in_a_kiosk_app_writes_nothing(content: Content, in_empty_folder: Path) -> None:
    """The second lock: even a SaveDialog pushed by other code in a kiosk app closes without writing."""
    app = kiosk_app(content, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await settle(pilot)
        app.push_screen(SaveDialog(app.wizard.guide, "./leak.md", to_markdown(app.wizard)))
        await settle(pilot, "#path")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FlowScreen)
    assert not os.path.exists(in_empty_folder / "leak.md")
    assert files_under(in_empty_folder) == []


async def test_outside_kiosk_mode_s_still_asks_for_a_path(content: Content) -> None:
    app = create_app(lang="en", content=content, flow="billing-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot, "#path")
        assert isinstance(app.screen, SaveDialog)


@langs
async def test_the_palette_offers_nothing_that_writes_a_file(content: Content, lang: str) -> None:
    """Textual's own palette entries (a screenshot saves an SVG in the working directory) are never offered."""
    guide = content.guide(lang)
    app = kiosk_app(content, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert guide.text("kiosk_cmd_save") in titles and guide.text("cmd_save") not in titles
        assert not any("screenshot" in title.lower() for title in titles)
        # Only ours: a start per flow, a jump back per answer, and back, restart, language, theme, copy, save, quit.
        assert len(titles) == len(app.wizard.guide.flows) + len(app.wizard.steps) + 7


async def test_at_40x12_the_view_keeps_its_text_and_buttons(content: Content) -> None:
    """A short terminal leaves the intro out (the notice already said it) so the transcript and buttons still fit."""
    guide = content.guide("en")
    app = kiosk_app(content, "en")
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("1")
        await settle(pilot)
        view = await open_view(pilot)
        shown = screen_text(app)
        assert guide.text("kiosk_copy_again") in shown and guide.text("close_button") in shown
        assert not view.query_one("#transcript-intro").display
        assert view.query_one("#transcript-text", TextArea).size.height >= 3
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert view.query_one("#transcript-intro").display
