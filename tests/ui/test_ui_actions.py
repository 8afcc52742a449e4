"""The verdict's actions: copy the summary, save the Markdown transcript, and the e-mail draft form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.content import Content as TextualContent
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.style import Style
from textual.widgets import Input, Static
from ui_helpers import LANGS, Recorder, highlighted_id, screen_text, settle, squash, widget_text

from billing_tui.flow import Content
from billing_tui.flow.transcript import to_markdown
from billing_tui.ui.app import create_app
from billing_tui.ui.screens.email import EmailScreen
from billing_tui.ui.screens.flow import AdminCenterScreen, BillingCenterScreen
from billing_tui.ui.screens.save import SaveDialog
from billing_tui.ui.widgets.state_list import StateList

langs = pytest.mark.parametrize("lang", LANGS)


def notes(recorder: Recorder) -> list[str]:
    """The notifications the app raised, in order."""
    return [m.notification.message for m in recorder.of(Notify)]


# -- copy ---------------------------------------------------------------------------------------


@langs
async def test_copy_puts_the_summary_in_the_clipboard(content: Content, lang: str) -> None:
    """c at a verdict copies the verdict title, the answered path and the links, and says so."""
    recorder = Recorder()
    app = create_app(lang=lang, content=content, flow="admin-center")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await pilot.press("3", "1", "c")
        guide = content.guide(lang)
        copied = app.clipboard
        assert guide.verdict("corporate-billing-admin").title in copied
        for step in app.wizard.steps:
            assert step.choice.label in copied and f"[{step.question.id}: {step.choice.id}]" in copied
        assert "https://link.logmeininc.com/corp-billing" in copied
        assert notes(recorder) == [guide.text("copied")]


async def test_copy_action_does_what_c_does(content: Content) -> None:
    """The highlighted Copy action (the verdict's first) copies on Enter."""
    app = create_app(lang="en", content=content, flow="billing-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        assert highlighted_id(await settle(pilot)) == "action-copy"
        await pilot.press("enter")
        assert content.guide("en").verdict("billing-admin").title in app.clipboard


@langs
async def test_copy_at_a_question_says_there_is_nothing_yet(content: Content, lang: str) -> None:
    """c before a verdict copies nothing and says why."""
    recorder = Recorder()
    app = create_app(lang=lang, content=content, flow="billing-center")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await pilot.press("c")
        assert app.clipboard == ""
        assert notes(recorder) == [content.guide(lang).text("nothing_yet")]


# -- save ---------------------------------------------------------------------------------------


async def open_save_dialog(pilot: Pilot[Any], name: str) -> SaveDialog:
    """Press s, clear the suggested name and type name into #path (the test runs in tmp_path)."""
    app = pilot.app
    await pilot.press("s")
    assert isinstance(app.screen, SaveDialog)
    path = await settle(pilot, "#path")
    assert isinstance(path, Input) and path.value.startswith("./billing-contact-")
    await pilot.press("ctrl+u", *name)
    return app.screen


def save_message(dialog: SaveDialog) -> str:
    """The text of the dialog's message line."""
    return str(dialog.query_one("#save-message", Static).visual)


@langs
async def test_save_writes_the_markdown_transcript(
    content: Content, lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """s, a file name and Enter write the transcript (Markdown) and close the dialog."""
    monkeypatch.chdir(tmp_path)
    recorder = Recorder()
    app = create_app(lang=lang, content=content, flow="billing-center")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await pilot.press("2", "1")
        await open_save_dialog(pilot, "t.md")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BillingCenterScreen)
        written = (tmp_path / "t.md").read_text(encoding="utf-8")
        assert written == to_markdown(app.wizard)
        assert written.startswith("# ") and "(`standard-account`)" in written
        assert content.guide(lang).verdict("standard-account").title in written
        assert notes(recorder) == [content.guide(lang).text("saved", path="t.md")]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["t.md"]


async def test_save_refuses_to_overwrite_silently(
    content: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An existing file is kept and the dialog says so; a second Enter replaces it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.md").write_text("keep me\n", encoding="utf-8")
    app = create_app(lang="en", content=content, flow="admin-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        dialog = await open_save_dialog(pilot, "t.md")
        await pilot.press("enter")
        assert app.screen is dialog
        assert save_message(dialog) == content.guide("en").text("save_exists", path="t.md")
        assert (tmp_path / "t.md").read_text(encoding="utf-8") == "keep me\n"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AdminCenterScreen)
        assert (tmp_path / "t.md").read_text(encoding="utf-8") == to_markdown(app.wizard)


async def test_editing_the_name_cancels_the_overwrite_confirmation(
    content: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the warning, changing the name and coming back to it asks again instead of replacing."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.md").write_text("keep me\n", encoding="utf-8")
    app = create_app(lang="en", content=content, flow="admin-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        dialog = await open_save_dialog(pilot, "t.md")
        await pilot.press("enter", "backspace", "d", "enter")
        assert app.screen is dialog
        assert (tmp_path / "t.md").read_text(encoding="utf-8") == "keep me\n"


@pytest.mark.parametrize(
    "name, reason",
    [("no/t.md", "the folder does not exist"), ("d", "that path is a folder")],
    ids=["missing-folder", "a-folder"],
)
async def test_save_to_an_unwritable_path_says_why(
    content: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, reason: str
) -> None:
    """A path in a missing folder or a path that is a folder: a message, no crash, no file left behind."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d").mkdir()
    app = create_app(lang="en", content=content, flow="billing-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        dialog = await open_save_dialog(pilot, name)
        await pilot.press("enter")
        assert app.screen is dialog and app.is_running
        assert save_message(dialog) == content.guide("en").text("save_failed", path=name, reason=reason)
        assert sorted(p.name for p in tmp_path.rglob("*")) == ["d"]
        await pilot.press("escape")
        assert isinstance(app.screen, BillingCenterScreen)


@langs
async def test_save_with_no_file_name_asks_for_one(
    content: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """Enter on an empty name asks for a name, with no empty slot where the path goes ("Could not save to : ...")."""
    monkeypatch.chdir(tmp_path)
    app = create_app(lang=lang, content=content, flow="billing-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        dialog = await open_save_dialog(pilot, "")
        await pilot.press("enter")
        assert app.screen is dialog
        assert save_message(dialog) == content.guide(lang).text("save_empty")
        assert list(tmp_path.iterdir()) == []


async def test_save_at_a_question_saves_the_progress_and_at_home_says_nothing_yet(
    content: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before a verdict the transcript lists the open question; on home there is nothing to save."""
    monkeypatch.chdir(tmp_path)
    recorder = Recorder()
    app = create_app(lang="en", content=content)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await pilot.press("s")
        assert notes(recorder) == [content.guide("en").text("nothing_yet")]
        await pilot.press("1")
        await open_save_dialog(pilot, "q.md")
        await pilot.press("enter")
        assert "(`invalid-page`)" in (tmp_path / "q.md").read_text(encoding="utf-8")


# -- e-mail -------------------------------------------------------------------------------------


@langs
async def test_email_rejects_a_bad_address_then_builds_the_draft(content: Content, lang: str) -> None:
    """e on contact-billing-admin: a bad address is refused with a message; a good one gives the draft."""
    guide = content.guide(lang)
    app = create_app(lang=lang, content=content, flow="admin-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "e")
        assert isinstance(app.screen, EmailScreen)
        form = app.screen
        await settle(pilot, "#name")
        await pilot.press("A", "n", "a", "enter", "b", "enter", "x", "enter")
        message = form.query_one("#email-message", Static)
        assert str(message.visual) == guide.text("email_invalid_address", address="b")
        assert app.clipboard == ""
        await pilot.press("shift+tab", *"a@b.co", "enter", "enter")  # focusing selects "b": typing replaces it
        await pilot.pause()
        assert message.has_class("-empty")
        subject = guide.text("email_subject")
        assert app.clipboard.startswith(f"{guide.text('email_to_label')}: Ana <a@b.co>\n")
        assert f"{guide.text('email_subject_label')}: {subject}" in app.clipboard
        assert guide.text("email_body", name="Ana", request="x") in app.clipboard
        draft = form.query_one("#draft", Static)
        shown = squash(widget_text(app, draft))
        assert guide.text("email_draft_title") in shown and subject in shown
        assert guide.text("email_mailto_label") in shown
        assert isinstance(draft.visual, TextualContent)
        links = [span.style.link for span in draft.visual.spans if isinstance(span.style, Style) and span.style.link]
        assert len(links) == 1 and str(links[0]).startswith("mailto:a@b.co?subject=")
        await pilot.press("escape")
        assert isinstance(app.screen, AdminCenterScreen)


async def test_email_asks_for_a_name_first(content: Content) -> None:
    """Create draft with empty fields names the first thing to fix."""
    app = create_app(lang="en", content=content, flow="admin-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "e")
        await settle(pilot, "#name")
        await pilot.press("enter", "enter", "enter")
        assert content.guide("en").text("email_missing_name") in squash(screen_text(app))


async def test_email_is_only_offered_by_its_verdict(content: Content) -> None:
    """e at a question or at another verdict opens nothing."""
    app = create_app(lang="en", content=content, flow="admin-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, AdminCenterScreen)
        await pilot.press("1", "e")
        assert isinstance(app.screen, AdminCenterScreen)
        assert "action-email" not in app.screen.query_one(StateList).choice_ids  # not offered by this verdict


@langs
async def test_save_over_a_symbolic_link_is_refused_in_the_users_language(
    content: Content, lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """t.md -> elsewhere: the dialog names the link's target in the current language; Enter again changes nothing."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "elsewhere").write_text("precious", encoding="utf-8")
    (tmp_path / "t.md").symlink_to("elsewhere")
    guide = content.guide(lang)
    app = create_app(lang=lang, content=content, flow="billing-center")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        dialog = await open_save_dialog(pilot, "t.md")
        await pilot.press("enter", "enter")
        reason = guide.text("save_reason_symlink", target="elsewhere")
        assert save_message(dialog) == guide.text("save_failed", path="t.md", reason=reason)
        assert app.screen is dialog
    assert (tmp_path / "t.md").is_symlink() and (tmp_path / "elsewhere").read_text(encoding="utf-8") == "precious"
