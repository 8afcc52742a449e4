"""Drive billing-tui's full-screen UI in a tmux pane as a user does: keys in; screen text and raw bytes out.

- `write_launcher(directory)`: a `billing-tui` console script pinned to this checkout (the one the SSH
  server runs), so a pane that types `billing-tui` runs the code under test, never another install.
- `pane_command(launcher, env, args)`: the pane's shell command, `env -i` with only the variables the
  test chooses (PATH, HOME, then TERM, a locale, NO_COLOR...), so the caller's settings never leak in.
- `Tui(session, guide, ascii_only)`: bounded polls for the home screen, a question (title, prompt and
  breadcrumb), a verdict (kind symbol, kind word and title) and the exit summary; it chooses by digit, or
  moves the highlight with arrows or j/k (reading which row is bold) and presses Enter.
- Byte checks on what the app wrote (`tmux pipe-pane`): `colour_codes`, `sgr_attributes`, `glyphs`.

Every wait is a poll with a deadline, never a fixed sleep; deadlines are generous because these tests
share two cores with other test runs.
"""

from __future__ import annotations

import re
import shlex
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sshd import LAUNCHER, REPO
from tmux import POLL_INTERVAL, TmuxSession

from billing_tui.flow import Wizard
from billing_tui.flow.models import Guide
from billing_tui.flow.transcript import kind_badge, to_text
from billing_tui.ui.filters import ASCII_TABLE
from billing_tui.ui.screens.flow import breadcrumb_text
from billing_tui.wrap import wrap_text

START_TIMEOUT = 60.0  # the first screen: Python and Textual start up (over SSH, a login too) on a busy machine
STEP_TIMEOUT = 30.0  # one key press until the next screen shows
EXIT_TIMEOUT = 30.0  # q until the exit status is written
NUDGE_TIMEOUT = 5.0  # an arrow key until the highlight moves (then the key is sent again)

END_MARKER = "[bt-pane: the command ended]"
# What the alternate screen's end looks like: everything before it is the full-screen UI, after it the summary.
LEAVE_ALT_SCREEN = b"\x1b[?1049l"

BOX_DRAWING = frozenset(map(chr, range(0x2500, 0x2580)))
BLOCK_ELEMENTS = frozenset(map(chr, range(0x2580, 0x25A0)))
# Symbols the UI draws (kind marks, arrows, key caps, separators, ellipsis) that a console font may lack.
SYMBOLS = frozenset("✔✓✘✗→←↑↓›‹⌫…•·×▶◀▲▼⏎❯")
# Everything the ASCII filter replaces: the UI under TERM=linux or a non-UTF-8 locale must show none of it.
FILTERED = frozenset(map(chr, ASCII_TABLE))


def write_launcher(directory: Path) -> Path:
    """Write DIRECTORY/bin/billing-tui, this checkout's billing-tui for sys.executable, and return its path."""
    path = directory / "bin" / "billing-tui"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(LAUNCHER.format(python=sys.executable, repo=str(REPO)))
    path.chmod(0o755)
    return path


def launcher_argv(launcher: Path) -> list[str]:
    """The argv prefix of a billing-tui started through this launcher, for procs.pids_with_argv_prefix."""
    return [sys.executable, str(launcher)]


def pane_command(launcher: Path, env: Mapping[str, str], args: Sequence[str] = ()) -> str:
    """`env -i PATH=... HOME=... VARS billing-tui ARGS`: the launcher first on PATH, nothing else inherited."""
    base = [f"PATH={launcher.parent}:/usr/bin:/bin", f"HOME={launcher.parent.parent}"]
    return shlex.join(["env", "-i", *base, *(f"{name}={value}" for name, value in env.items()), "billing-tui", *args])


def marked(command: str) -> str:
    """The command, then END_MARKER printed to the pane once it has ended; the wrapper still records its exit status.

    Whatever the command wrote comes before the marker, so once the marker is on screen tmux has shown it all.
    """
    return f"{command}; rc=$?; echo {shlex.quote(END_MARKER)}; (exit $rc)"


def until_marker(session: TmuxSession, timeout: float = EXIT_TIMEOUT) -> list[str]:
    """Poll until END_MARKER is on the pane (scrollback included); return the lines before it."""
    screen = poll(lambda: session.screen(history=True), lambda s: END_MARKER in lines_of(s), END_MARKER, timeout)
    lines = lines_of(screen)
    return lines[: lines.index(END_MARKER)]


def start_recorded(session: TmuxSession, command: str) -> None:
    """Start the command with the pane's output already piped to session.raw_file, so no byte is missed.

    The pane first waits for a line (`read go`); pipe-pane starts; then Enter lets the command run.
    """
    session.start(f"read go; {command}")
    session.record_raw()
    session.type("")


def resize(session: TmuxSession, width: int, height: int) -> None:
    """Resize the detached session's window (tmux makes its size manual) and check the pane took the size."""
    session.tmux("resize-window", "-t", "main", "-x", str(width), "-y", str(height))
    size = session.tmux("display-message", "-p", "-t", "main", "#{pane_width}x#{pane_height}").stdout.strip()
    assert size == f"{width}x{height}", size


def poll(read: Callable[[], str], check: Callable[[str], bool], what: str, timeout: float) -> str:
    """Call read() until check(result) holds; return the result, or fail saying what was awaited and what was seen."""
    deadline = time.monotonic() + timeout
    seen = read()
    while not check(seen):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not seen within {timeout:.0f}s; last seen:\n{seen}")
        time.sleep(POLL_INTERVAL)
        seen = read()
    return seen


def wait_raw(session: TmuxSession, check: Callable[[bytes], bool], what: str, timeout: float = EXIT_TIMEOUT) -> bytes:
    """Poll the recorded bytes until check holds (pipe-pane's cat writes them asynchronously)."""
    deadline = time.monotonic() + timeout
    raw = session.raw()
    while not check(raw):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not in the recorded bytes within {timeout:.0f}s; they end: {raw[-800:]!r}")
        time.sleep(POLL_INTERVAL)
        raw = session.raw()
    return raw


def lines_of(screen: str) -> list[str]:
    """The screen's lines without trailing blanks."""
    return [line.rstrip() for line in screen.splitlines()]


def has_line(screen: str, text: str) -> bool:
    """Whether some line, stripped, is exactly this text (a substring elsewhere does not count)."""
    return any(line.strip() == text for line in screen.splitlines())


def flat(text: str) -> str:
    """The text with every run of whitespace as one space: wrapped and centred lines read as one sentence."""
    return " ".join(text.split())


def shows_truncated(line: str, expected: str, ellipses: str = "…~", at_least: int = 20) -> bool:
    """Whether a one-line widget shows this text, whole or cut with an ellipsis (…, or ~ in ASCII mode)."""
    shown = line.strip()
    if shown == expected:
        return True
    if not shown or shown[-1] not in ellipses:
        return False
    kept = shown[:-1].rstrip()
    return len(kept) >= min(at_least, len(expected)) and expected.startswith(kept)


# -- the screen with its attributes (capture-pane -e) ------------------------------------------------------

_SGR_OR_ESCAPE = re.compile(r"\x1b\[([0-9;:]*)m|\x1b\[[0-9;:?<=>]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def bold_map(line: str) -> tuple[str, list[bool]]:
    """A line of `capture-pane -e` as its plain text and, for each character, whether it is bold."""
    text: list[str] = []
    flags: list[bool] = []
    bold = False
    position = 0
    for match in _SGR_OR_ESCAPE.finditer(line):
        chunk = line[position : match.start()]
        text.append(chunk)
        flags += [bold] * len(chunk)
        position = match.end()
        if match.group(1) is not None:
            for code in _sgr_codes(match.group(1)):
                if code in (0, 22):
                    bold = False
                elif code == 1:
                    bold = True
    chunk = line[position:]
    text.append(chunk)
    flags += [bold] * len(chunk)
    return "".join(text), flags


def _sgr_codes(params: str) -> list[int]:
    """The attribute codes of one SGR parameter string, skipping the operands of 38/48/58 (5;N or 2;R;G;B)."""
    parts = params.split(";") if params else ["0"]
    codes: list[int] = []
    index = 0
    while index < len(parts):
        head = parts[index].split(":")[0]
        code = int(head) if head.isdecimal() else 0
        codes.append(code)
        index += 1
        if code in (38, 48, 58) and ":" not in parts[index - 1] and index < len(parts):
            index += 2 if parts[index] == "5" else 4 if parts[index] == "2" else 0
    return codes


# -- the app's bytes ---------------------------------------------------------------------------------------

_SGR_BYTES = re.compile(rb"\x1b\[([0-9;:]*)m")
COLOUR_CODES = frozenset([*range(30, 40), *range(40, 50), *range(90, 98), *range(100, 108), 58, 59])


def sgr_sequences(raw: bytes) -> list[str]:
    """The parameter strings of every SGR sequence (ESC [ ... m) in the bytes, in order."""
    return [match.group(1).decode() for match in _SGR_BYTES.finditer(raw)]


def colour_codes(raw: bytes) -> list[str]:
    """Every SGR sequence that sets or resets a colour: 30-37/90-97 and 40-47/100-107, 38/48/58 (256 or RGB), 39/49/59.

    The default-colour resets 39 and 49 set no colour, but they are colour codes all the same: a terminal
    without colour must not be sent them either, so they count.
    """
    return [f"ESC[{params}m" for params in sgr_sequences(raw) if COLOUR_CODES & set(_sgr_codes(params))]


def sgr_attributes(raw: bytes) -> set[int]:
    """Every SGR code used in the bytes (1 bold, 7 reverse, ...), operands of colour codes left out."""
    return {code for params in sgr_sequences(raw) for code in _sgr_codes(params)}


def glyphs(text: str, forbidden: Iterable[str]) -> list[str]:
    """The forbidden characters that occur in the text, each once, sorted."""
    return sorted(set(text) & set(forbidden))


def split_summary(raw: bytes) -> tuple[str, str]:
    """The app's bytes as (the full-screen UI, what was written after leaving the alternate screen)."""
    assert LEAVE_ALT_SCREEN in raw, f"the app never left the alternate screen; bytes end: {raw[-300:]!r}"
    ui, _, after = raw.rpartition(LEAVE_ALT_SCREEN)
    return ui.decode("utf-8"), after.decode("utf-8")


# -- the user ----------------------------------------------------------------------------------------------


@dataclass
class Tui:
    """The full-screen wizard in a tmux pane, as seen and typed at by a user; `ascii_only` as the app decides it."""

    session: TmuxSession
    guide: Guide
    ascii_only: bool = False

    def shown(self, text: str) -> str:
        """A text as the app draws it: through the ASCII filter when it is on."""
        return text.translate(ASCII_TABLE) if self.ascii_only else text

    def screen(self) -> str:
        """The visible screen (the alternate screen while the app runs)."""
        return self.session.screen(history=False)

    def wait(self, check: Callable[[str], bool], what: str, timeout: float = STEP_TIMEOUT) -> str:
        """Poll the visible screen until check holds."""
        return poll(self.screen, check, what, timeout)

    # -- what the screen shows ------------------------------------------------

    def home_shown(self, screen: str) -> bool:
        """The home screen: the article's title and the prompt above the two flows."""
        home = self.guide.home
        return has_line(screen, self.shown(home.title)) and has_line(screen, self.shown(home.prompt))

    def breadcrumb_shown(self, screen: str, wizard: Wizard) -> bool:
        """Line 2 shows the answers so far (joined by ›, each cut to its share of the width), or where they will."""
        labels = [step.choice.label for step in wizard.steps]
        lines = lines_of(screen)
        width = self.pane_width()
        crumbs = breadcrumb_text(labels, width - 2) if labels else self.guide.text("breadcrumb_empty")
        return len(lines) > 1 and shows_truncated(lines[1], self.shown(crumbs))

    def question_shown(self, screen: str, wizard: Wizard) -> bool:
        """This question: its title and prompt lines, and the breadcrumb of the answers that led to it."""
        question = wizard.question
        assert question is not None
        return (
            has_line(screen, self.shown(question.title))
            and has_line(screen, self.shown(question.prompt))
            and self.breadcrumb_shown(screen, wizard)
        )

    def badge(self, wizard: Wizard) -> str:
        """The verdict's kind as the panel draws it: a symbol (or its ASCII stand-in) and the kind word."""
        verdict = wizard.verdict
        assert verdict is not None
        return kind_badge(verdict.kind, verdict.kind_label, self.ascii_only)

    def verdict_shown(self, screen: str, wizard: Wizard) -> bool:
        """The verdict head: the kind symbol and word, then the title, on one line."""
        assert wizard.verdict is not None
        head = f"{self.badge(wizard)}  {self.shown(wizard.verdict.title)}"
        return any(head in line for line in screen.splitlines())

    def wait_home(self, timeout: float = START_TIMEOUT) -> str:
        return self.wait(self.home_shown, f"the home screen ({self.guide.lang})", timeout)

    def wait_question(self, wizard: Wizard, timeout: float = STEP_TIMEOUT) -> str:
        assert wizard.question is not None
        what = f"question {wizard.flow_id}/{wizard.question.id} ({self.guide.lang})"
        return self.wait(lambda screen: self.question_shown(screen, wizard), what, timeout)

    def wait_verdict(self, wizard: Wizard, timeout: float = STEP_TIMEOUT) -> str:
        assert wizard.verdict is not None
        what = f"verdict {wizard.verdict.id} ({self.guide.lang})"
        return self.wait(lambda screen: self.verdict_shown(screen, wizard), what, timeout)

    # -- what the user types --------------------------------------------------

    def highlighted(self, labels: Sequence[str]) -> int | None:
        """The number (1-based) of the option whose label is bold, i.e. highlighted, or None when none is shown."""
        styled = self.session.tmux("capture-pane", "-p", "-e", "-t", "main").stdout
        starts = {n: f"{n} {self.shown(label)[:30]}" for n, label in enumerate(labels, 1)}
        for line in styled.splitlines():
            text, bold = bold_map(line)
            for number, start in starts.items():
                column = text.find(start)
                if column >= 0 and not text[:column].strip():
                    label_column = column + len(f"{number} ")
                    if label_column < len(bold) and bold[label_column]:
                        return number
        return None

    def move_highlight(self, target: int, labels: Sequence[str], down: str = "Down", up: str = "Up") -> None:
        """Press down/up until option `target` is highlighted, reading the screen after each press.

        A press that shows no effect within NUDGE_TIMEOUT is sent again: that converges even if a key
        arrived before the list had the focus, and an overshoot is corrected with the other key.
        """
        deadline = time.monotonic() + STEP_TIMEOUT
        number = self.highlighted(labels)
        while number != target:
            if time.monotonic() > deadline:
                raise AssertionError(f"option {target} never got the highlight (it is on {number}):\n{self.screen()}")
            if number is None:  # no highlighted option on screen yet
                time.sleep(POLL_INTERVAL)
                number = self.highlighted(labels)
                continue
            self.session.send_keys(down if number < target else up)
            before, nudge = number, time.monotonic() + NUDGE_TIMEOUT
            while number == before and time.monotonic() < nudge:
                time.sleep(POLL_INTERVAL)
                number = self.highlighted(labels) or before

    def pick(self, number: int, labels: Sequence[str], by: str) -> None:
        """Choose option `number`: its digit (by="digits"), or arrows/j-k to it then Enter (by="arrows"/"jk")."""
        if by == "digits":
            self.session.send_keys(str(number))
        elif by in ("arrows", "jk"):
            down, up = ("Down", "Up") if by == "arrows" else ("j", "k")
            self.move_highlight(number, labels, down, up)
            self.session.send_keys("Enter")
        else:
            raise ValueError(by)

    def start_flow(self, flow_id: str, by: str = "digits") -> Wizard:
        """From the home screen, start a flow; return the state it leads to once its first question is shown."""
        labels = [flow.label for flow in self.guide.flows]
        self.pick(self.guide.flow_ids.index(flow_id) + 1, labels, by)
        wizard = Wizard(self.guide).start(flow_id)
        self.wait_question(wizard)
        return wizard

    def answer(self, wizard: Wizard, choice_id: str, by: str = "digits") -> Wizard:
        """At a shown question, choose an answer; return the next state once it is shown."""
        question = wizard.question
        assert question is not None
        self.pick(question.choice_ids.index(choice_id) + 1, [c.label for c in question.choices], by)
        following = wizard.choose(choice_id)
        if following.verdict is not None:
            self.wait_verdict(following)
        else:
            self.wait_question(following)
        return following

    def walk(self, flow_id: str, answers: Sequence[str], by: str = "digits") -> Wizard:
        """From the home screen to a verdict, checking every question on the way; return the final state."""
        self.wait_home()
        wizard = self.start_flow(flow_id, by)
        for choice_id in answers:
            wizard = self.answer(wizard, choice_id, by)
        assert wizard.verdict is not None, f"{flow_id} {answers} ends at a question"
        return wizard

    # -- leaving -----------------------------------------------------------------

    def quit(self, timeout: float = EXIT_TIMEOUT) -> int:
        """Press q and return the exit status of the pane's command."""
        self.session.send_keys("q")
        return self.session.wait_exit(timeout)

    def pane_width(self) -> int:
        """The pane's width in cells, as the app sees it."""
        return int(self.session.tmux("display-message", "-p", "-t", "main", "#{pane_width}").stdout.strip())

    def summary_lines(self, wizard: Wizard) -> list[str]:
        """The non-blank lines of the exit summary the app prints for this state, wrapped at words to the pane."""
        text = wrap_text(to_text(wizard, ascii_only=self.ascii_only), self.pane_width())
        return [line for line in text.splitlines() if line]

    def assert_summary(self, normal_screen: list[str], wizard: Wizard) -> None:
        """Each line of the summary (verdict line, body, answered steps, links) is on the normal screen, in order."""
        wanted, position = self.summary_lines(wizard), 0
        for line in wanted:
            assert line in normal_screen[position:], (
                f"summary line {line!r} missing (or out of order); the normal screen:\n" + "\n".join(normal_screen)
            )
            position = normal_screen.index(line, position) + 1
