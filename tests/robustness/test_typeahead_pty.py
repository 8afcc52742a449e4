"""Typed-ahead keys through a real pseudo-terminal: a whole burst in ONE write, as one read over a laggy SSH link.

Each test waits (bounded) for a screen, writes every key of a burst with a single `os.write`,
then checks what the user sees and what the app did: the e-mail draft's fields, the saved
file's content, the wizard's path. Textual alone put the burst's text into one field, lost
the keys after a screen switch and submitted the save dialog before its path arrived.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pty_app import PtyApp
from test_hostile_content import clean_env

from billing_tui.flow import Content, Wizard, load_content
from billing_tui.flow.transcript import to_markdown

CONTENT: Content = load_content()
EN, PT = CONTENT.guide("en"), CONTENT.guide("pt-BR")
DOWN, CTRL_U, CTRL_P = "\x1b[B", "\x15", "\x10"


def flat(screen: str) -> str:
    """The screen's text with runs of spaces and the frame's borders squeezed out, for phrases that wrap."""
    return re.sub(r"[\s│┃|]+", " ", screen)


def shows(app: PtyApp, *texts: str) -> str:
    """Wait until every text shows on the screen (lines joined, so a wrapped phrase still matches)."""
    return app.wait_for(lambda screen: all(text in flat(screen) for text in texts))


@pytest.fixture
def run(tmp_path: Path) -> Iterator[list[PtyApp]]:
    """Started apps, killed and reaped after the test."""
    apps: list[PtyApp] = []
    yield apps
    for app in apps:
        app.close()


def start(run: list[PtyApp], cwd: Path, flow: str | None = None) -> PtyApp:
    """billing-tui in English in a 100x30 pty, waiting for its first screen."""
    args = ["--lang", "en", *(["--flow", flow] if flow else [])]
    app = PtyApp(args, clean_env(), cols=100, rows=30, cwd=str(cwd))
    run.append(app)
    wizard = Wizard(EN).start(flow) if flow else Wizard(EN)
    shows(app, wizard.question.title if wizard.question else EN.home.title)
    return app


def at_the_save_dialog(run: list[PtyApp], tmp_path: Path) -> tuple[PtyApp, Wizard]:
    """billing-tui on the Billing Center's Subscriptions verdict with its save dialog open, and that verdict."""
    app = start(run, tmp_path, "billing-center")
    app.send("1")
    wizard = Wizard(EN).start("billing-center").choose("subscriptions")
    assert wizard.verdict is not None
    shows(app, wizard.verdict.title)
    app.send("s")
    shows(app, EN.text("save_title"))
    return app, wizard


def quits(app: PtyApp) -> None:
    """q leaves with status 0."""
    app.send("q")
    status = app.wait_exit()
    assert status is not None and status == 0, status


def test_one_write_fills_each_email_field_and_builds_the_draft(run: list[PtyApp], tmp_path: Path) -> None:
    """Name Tab address Tab request Enter in one write: the draft is to Maria Silva <maria@example.com>."""
    app = start(run, tmp_path, "admin-center")
    app.send("2")
    verdict = Wizard(EN).start("admin-center").choose("contact-billing-admin").verdict
    assert verdict is not None
    shows(app, verdict.title)
    app.send("e")
    shows(app, EN.text("email_title"))
    app.send("Maria Silva\tmaria@example.com\tAdd 3 licenses\r")
    # Wait for the whole draft, not its title alone: a frame can reach the pty in several reads.
    to_line = f"{EN.text('email_to_label')}: Maria Silva <maria@example.com>"
    body = EN.text("email_body", name="Maria Silva", request="Add 3 licenses").split("\n")[0]
    screen = shows(app, EN.text("email_draft_title"), to_line, body)
    assert to_line in screen


def test_one_write_of_a_digit_down_and_enter_answers_the_new_screen(run: list[PtyApp], tmp_path: Path) -> None:
    """2 Down Enter on home in one write: Admin Center starts and its second choice is answered."""
    app = start(run, tmp_path)
    app.send(f"2{DOWN}\r")
    wizard = Wizard(EN).start("admin-center")
    assert wizard.question is not None
    wizard = wizard.choose(wizard.question.choices[1].id)
    shown = wizard.question.title if wizard.question else wizard.verdict.title  # type: ignore[union-attr]
    shows(app, shown)
    quits(app)


def test_one_write_saves_the_whole_path(run: list[PtyApp], tmp_path: Path) -> None:
    """Ctrl+U ./burst.md Enter in one write: saved to burst.md with the transcript, not "no file name given"."""
    app, verdict = at_the_save_dialog(run, tmp_path)
    app.send(f"{CTRL_U}./burst.md\r")
    shows(app, EN.text("saved", path="burst.md").split("burst.md")[0].strip())
    assert (tmp_path / "burst.md").read_text(encoding="utf-8") == to_markdown(verdict)
    quits(app)


def test_one_write_through_question_history_help_palette_and_verdict(run: list[PtyApp], tmp_path: Path) -> None:
    """1 2 h Enter ? q 2 Ctrl+P language Enter 2 in one write: the wizard walks exactly as typed slowly."""
    app = start(run, tmp_path)
    # billing-center, invalid-page; history: back to question 1; help opened and closed; invalid-page again;
    # the palette switches to Portuguese; then the second choice of the next question.
    app.send(f"12h\r?q2{CTRL_P}language\r2")
    wizard = Wizard(PT).start("billing-center").choose("invalid-page")
    assert wizard.question is not None
    wizard = wizard.choose(wizard.question.choices[1].id)
    expected = wizard.question.title if wizard.question else wizard.verdict.title  # type: ignore[union-attr]
    screen = shows(app, expected, PT.text("app_title"))
    assert EN.text("help_title") not in flat(screen)
    quits(app)


ESC = "\x1b"


def test_escape_and_a_digit_in_one_write_close_the_help_then_answer(run: list[PtyApp], tmp_path: Path) -> None:
    """? then Escape 2 in one write: the help closes and 2 opens the Admin Center (Textual read ESC 2 as ™)."""
    app = start(run, tmp_path)
    app.send("?")
    shows(app, EN.text("help_title"))
    app.send(f"{ESC}2")
    wizard = Wizard(EN).start("admin-center")
    assert wizard.question is not None
    title, help_title = wizard.question.title, EN.text("help_title")
    # Both at once, not the title alone: a frame can reach the pty in several reads, the help's rows last.
    app.wait_for(lambda screen: title in flat(screen) and help_title not in flat(screen))
    quits(app)


def test_escape_and_b_in_one_write_close_the_help_then_go_back(run: list[PtyApp], tmp_path: Path) -> None:
    """A question, the help, then Escape b in one write: back home (Textual read ESC b as Ctrl+Left)."""
    app = start(run, tmp_path)
    app.send("1")
    first = Wizard(EN).start("billing-center").question
    assert first is not None
    shows(app, first.title)
    app.send("?")
    shows(app, EN.text("help_title"))
    app.send(f"{ESC}b")
    # Home, its own key hints drawn too (no ⌫: there is no step to go back from).
    help_title = EN.text("help_title")
    app.wait_for(lambda screen: EN.home.title in flat(screen) and "⌫" not in screen and help_title not in flat(screen))
    quits(app)


def test_escape_and_a_digit_in_one_write_leave_the_palettes_field_then_answer(
    run: list[PtyApp], tmp_path: Path
) -> None:
    """Ctrl+P, then Escape 2 in one write while the palette's search field has the keyboard: the palette
    closes and 2 opens the Admin Center (no `™` typed into the field: only word-editing pairs stay one key)."""
    app = start(run, tmp_path)
    app.send(CTRL_P)
    app.wait_for(lambda screen: "Search for commands" in screen)  # Textual's placeholder: the field is up
    app.send(f"{ESC}2")
    wizard = Wizard(EN).start("admin-center")
    assert wizard.question is not None
    title = wizard.question.title
    app.wait_for(lambda screen: title in flat(screen) and "™" not in screen)
    quits(app)


def test_alt_backspace_in_the_save_field_deletes_a_word(run: list[PtyApp], tmp_path: Path) -> None:
    """In a text field Alt+Backspace (ESC DEL) still deletes the word before the cursor: one write of
    Ctrl+U, `./one two`, Alt+Backspace, `three.md`, Enter saves to `one three.md`."""
    app, wizard = at_the_save_dialog(run, tmp_path)
    app.send(f"{CTRL_U}./one two{ESC}\x7fthree.md\r")
    shows(app, EN.text("saved", path="one three.md").split("one three.md")[0].strip())
    assert (tmp_path / "one three.md").read_text(encoding="utf-8") == to_markdown(wizard)
    assert not (tmp_path / "one two").exists() and not (tmp_path / "one twothree.md").exists()
    quits(app)


def test_escape_and_enter_in_one_write_close_the_save_dialog_without_saving(run: list[PtyApp], tmp_path: Path) -> None:
    """Escape Enter in one write in the save dialog: it closes (Textual read ESC Enter as Enter: a save)."""
    app, wizard = at_the_save_dialog(run, tmp_path)
    app.send(f"{CTRL_U}./kept-out.md{ESC}\r")
    assert wizard.verdict is not None
    title, save_title = wizard.verdict.title, EN.text("save_title")
    app.wait_for(lambda screen: save_title not in flat(screen) and title in flat(screen))
    app.send("q")
    assert app.wait_exit() == 0
    assert not (tmp_path / "kept-out.md").exists()


def test_a_paste_with_colour_codes_types_no_key(run: list[PtyApp], tmp_path: Path) -> None:
    """Bracketed pastes of text with ESC codes in it (copied with its colours) act as no key: Textual typed what
    followed each ESC, so `x` ESC[0m `q` quit the app and `hello` ESC[0m `2` opened the Admin Center."""
    app = start(run, tmp_path)
    app.send(f"{ESC}[200~x{ESC}[0mq{ESC}[201~{ESC}[200~hello{ESC}[0m2{ESC}[201~")
    app.send("1")  # still on home, still running: 1 starts the Billing Center (not 1 on the Admin Center's question)
    shows(app, "https://billing.logmeininc.com")
    assert app.wait_exit(timeout=0.3) is None
    quits(app)
