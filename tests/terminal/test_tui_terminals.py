"""Terminals that are not a modern xterm, judged by the BYTES billing-tui writes to a real tmux pane.

`tmux pipe-pane` records the pane from before the app starts (tui.start_recorded); each test walks
billing-center invalid-page corporate-portal logged-in (a long breadcrumb that Textual cuts with an
ellipsis), opens the help overlay (a bordered dialog), closes it, copies the summary (a notification
whose edge is a block element), quits, and then reads the bytes:

- TERM=dumb: the plain mode, not a single ESC byte;
- TERM=linux or vt100, LANG=C, LC_ALL=C: ASCII borders and glyphs, in the full-screen UI and in the exit summary;
- NO_COLOR=1: no colour SGR code at all, while bold and reverse still mark the verdict's kind;
- a modern terminal (TERM=xterm-256color, a UTF-8 LANG), the control: box drawing, symbols and colour
  codes are there, so the checks above can fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import procs
import pytest
from tmux import TmuxSession
from tui import (
    BLOCK_ELEMENTS,
    BOX_DRAWING,
    END_MARKER,
    EXIT_TIMEOUT,
    FILTERED,
    START_TIMEOUT,
    STEP_TIMEOUT,
    SYMBOLS,
    Tui,
    colour_codes,
    glyphs,
    launcher_argv,
    lines_of,
    marked,
    pane_command,
    sgr_attributes,
    split_summary,
    start_recorded,
    until_marker,
    wait_raw,
    write_launcher,
)

from billing_tui.flow import Content, Wizard
from billing_tui.flow.transcript import to_text

pytestmark = pytest.mark.terminal

FLOW, ANSWERS = "billing-center", ("invalid-page", "corporate-portal", "logged-in")
GLYPHS = BOX_DRAWING | BLOCK_ELEMENTS | SYMBOLS
MODERN = {"TERM": "xterm-256color", "LANG": "en_US.UTF-8"}


@pytest.fixture
def launcher(tmux_session: TmuxSession) -> Iterator[Path]:
    """This checkout's billing-tui in the test's own directory; any process still running from it is ended after."""
    path = write_launcher(tmux_session.workdir)
    yield path
    procs.end(procs.pids_with_argv_prefix(launcher_argv(path)))


@dataclass(frozen=True)
class Recording:
    """One session's bytes and what the screen showed at the verdict and with the help overlay open."""

    raw: bytes
    verdict_screen: str
    help_screen: str
    final: Wizard
    badge: str


def record_session(
    session: TmuxSession,
    launcher: Path,
    content: Content,
    env: Mapping[str, str],
    lang: str,
    ascii_only: bool,
    args: tuple[str, ...] = (),
) -> Recording:
    """Walk FLOW to its verdict, open and close the help overlay, copy (a toast), quit (exit 0, summary): the bytes."""
    start_recorded(session, marked(pane_command(launcher, env, args)))
    tui = Tui(session, content.guide(lang), ascii_only=ascii_only)
    final = tui.walk(FLOW, ANSWERS)
    verdict_screen = tui.screen()
    guide = tui.guide
    help_lines = [tui.shown(guide.text(key)) for key in ("help_title", "help_digits", "help_close")]
    session.send_keys("?")
    help_screen = tui.wait(lambda screen: all(line in screen for line in help_lines), "the help overlay")
    session.send_keys("Escape")
    tui.wait(lambda screen: help_lines[-1] not in screen and tui.verdict_shown(screen, final), "the help closed")
    session.send_keys("c")  # copy: a notification (a toast with a block-element edge) and an OSC 52 write
    copied = " ".join(tui.shown(guide.text("copied")).split()[:2])
    tui.wait(lambda screen: copied in screen, "the copied notification")
    assert tui.quit() == 0
    tui.assert_summary(until_marker(session), final)
    raw = wait_raw(session, lambda raw: END_MARKER.encode() in raw, "the end marker")
    return Recording(raw, verdict_screen, help_screen, final, tui.badge(final))


def border_lines(screen: str, corner: str, horizontal: str) -> list[str]:
    """The screen lines that are a dialog's top or bottom border drawn with these characters."""
    pattern = re.compile(rf"^\s*[{re.escape(corner)}]{re.escape(horizontal)}{{20,}}[{re.escape(corner)}]\s*$")
    return [line for line in lines_of(screen) if pattern.match(line)]


def test_term_dumb_gets_the_plain_mode_and_not_one_escape_byte(
    tmux_session: TmuxSession, launcher: Path, content: Content
) -> None:
    guide = content.guide("en")
    start_recorded(tmux_session, marked(pane_command(launcher, {"TERM": "dumb", "LANG": "en_US.UTF-8"})))
    tmux_session.wait_for(f"{guide.text('plain_prompt')}:", START_TIMEOUT)
    wizard = Wizard(guide).start(FLOW)
    tmux_session.type(str(guide.flow_ids.index(FLOW) + 1))
    for answer in ANSWERS:
        assert wizard.question is not None
        tmux_session.wait_for(wizard.question.choices[-1].label, STEP_TIMEOUT)
        tmux_session.type(str(wizard.question.choice_ids.index(answer) + 1))
        wizard = wizard.choose(answer)
    tmux_session.wait_for(to_text(wizard).splitlines()[0], STEP_TIMEOUT)
    tmux_session.type("q")
    assert tmux_session.wait_exit(EXIT_TIMEOUT) == 0
    raw = wait_raw(tmux_session, lambda raw: END_MARKER.encode() in raw, "the end marker")
    assert guide.home.title.encode() in raw
    assert b"\x1b" not in raw, raw[:500]


ASCII_CASES = {
    "TERM=linux": ({"TERM": "linux", "LANG": "en_US.UTF-8"}, (), "en"),
    "TERM=vt100": ({"TERM": "vt100", "LANG": "pt_BR.UTF-8"}, (), "pt-BR"),
    "LANG=C": ({"TERM": "xterm-256color", "LANG": "C"}, (), "pt-BR"),
    "LC_ALL=C": ({"TERM": "xterm-256color", "LC_ALL": "C", "LANG": "en_US.UTF-8"}, ("--lang", "en"), "en"),
}


@pytest.mark.parametrize("case", ASCII_CASES)
def test_limited_terminals_get_ascii_borders_and_glyphs(
    tmux_session: TmuxSession, launcher: Path, content: Content, case: str
) -> None:
    """Not one box-drawing, block or symbol glyph in the bytes; the help border is drawn with + - |.

    In the full-screen UI nothing the ASCII filter replaces may appear (typographic quotes and dashes
    included); in the exit summary (plain text after the alternate screen) no box, block or symbol.
    """
    env, args, lang = ASCII_CASES[case]
    recording = record_session(tmux_session, launcher, content, env, lang, ascii_only=True, args=args)
    ui, summary = split_summary(recording.raw)
    assert glyphs(ui, FILTERED | GLYPHS) == []
    assert glyphs(summary, GLYPHS) == []
    verdict = recording.final.verdict
    assert verdict is not None and recording.badge.startswith("[+] ")
    assert f"{recording.badge} - {verdict.title}" in summary
    assert " -> " in summary
    assert border_lines(recording.help_screen, "+", "-"), recording.help_screen
    assert lines_of(recording.verdict_screen)[1].endswith("~"), "the breadcrumb's ellipsis, in ASCII"


def test_a_modern_terminal_gets_box_drawing_symbols_and_colour(
    tmux_session: TmuxSession, launcher: Path, content: Content
) -> None:
    """The control for the tests above and below: the same walk with TERM=xterm-256color and a UTF-8 LANG."""
    recording = record_session(tmux_session, launcher, content, MODERN, "en", ascii_only=False)
    ui, summary = split_summary(recording.raw)
    assert {"╭", "─", "│", "╯"} <= set(glyphs(ui, BOX_DRAWING))
    assert {"✔", "→", "›", "⌫", "…"} <= set(glyphs(ui, SYMBOLS))
    assert glyphs(ui, BLOCK_ELEMENTS), "the notification's edge"
    assert {"✔", "→"} <= set(glyphs(summary, SYMBOLS))
    assert border_lines(recording.help_screen, "╭╮╰╯", "─")
    assert colour_codes(recording.raw)
    assert any(";5;" in code for code in colour_codes(recording.raw)), "256 colours for xterm-256color"


@pytest.mark.parametrize(
    ("term", "ascii_only"), [("xterm-256color", False), ("linux", True)], ids=["xterm-256color", "linux"]
)
def test_no_color_sends_no_colour_code_but_keeps_bold_and_reverse(
    tmux_session: TmuxSession, launcher: Path, content: Content, term: str, ascii_only: bool
) -> None:
    """NO_COLOR=1: no SGR colour parameter at all (30-39, 40-49, 90-97, 100-107, 38/48/58 in any form).

    39 and 49 (default foreground/background) set no colour, but the issue asks for no colour codes at
    all, so they count as colour codes here: the app must not send them either. It does not: Textual
    writes whole-state changes after an ESC[0m reset and, with every colour dropped by the app's
    StripColor filter, never needs a default-colour code. The badge is drawn in bold reverse, so the
    kind shows without colour, in words as well as in a symbol.
    """
    env = {"TERM": term, "LANG": "en_US.UTF-8", "NO_COLOR": "1"}
    recording = record_session(tmux_session, launcher, content, env, "en", ascii_only=ascii_only)
    assert colour_codes(recording.raw) == []
    assert {1, 7} <= sgr_attributes(recording.raw)
    badge = re.compile(rb"\x1b\[([0-9;:]*)m" + re.escape(f" {recording.badge} ".encode()))
    drawn = badge.findall(recording.raw)
    assert drawn, "the verdict badge is drawn right after an SGR sequence"
    for params in drawn:
        assert {1, 7} <= sgr_attributes(b"\x1b[" + params + b"m"), params
    assert any(f" {recording.badge}  " in line for line in lines_of(recording.verdict_screen))
    assert not re.search(rb"\x1b\](?:4|10|11|12);[^?]", recording.raw), "no palette or default colour is set by OSC"
