"""Plain line mode: the wizard as numbered prompts on plain lines, for screen readers, dumb terminals and pipes.

It writes only printable text (never an escape sequence), flushes before every read and
never asks the terminal anything, so answers can be piped in: `ssh host billing-tui --plain < answers`.

Each line read is one answer: a number picks that choice (a flow, at home), a choice id or
flow id typed in full does the same, `b` goes back, `r` restarts and `q` quits; anything
else re-asks with a one-line hint.

Exit codes: 0 after `q` (anywhere), and when the input ends (EOF) at a verdict; 3 (incomplete)
when the input ends anywhere else, at home or at a question, after a line saying so. The output
always ends with a newline.
"""

from __future__ import annotations

from typing import TextIO

from billing_tui.display import stream_is_unicode
from billing_tui.exit_codes import ExitCode, write_out
from billing_tui.flow import Content, IllegalMove, Wizard
from billing_tui.flow.models import Guide, Question
from billing_tui.flow.transcript import to_text
from billing_tui.wrap import terminal_width, wrap_text

BACK = "b"
RESTART = "r"
QUIT = "q"


def run_plain(content: Content, lang: str, flow_id: str | None, inp: TextIO, out: TextIO) -> int:
    """Run the wizard on plain lines until `q` or the end of the input, and return the exit code."""
    wizard = Wizard(content.guide(lang))
    if flow_id is not None:
        wizard = wizard.start(flow_id)
    ascii_only = not stream_is_unicode(out)
    try:
        _write(out, render(wizard, ascii_only))
        while True:
            line = _read_line(inp)
            if line is None:
                return _end_of_input(wizard, out)
            key = line.strip().lower()
            if key == QUIT:
                _write(out, "\n")
                return ExitCode.OK
            moved = move(wizard, key)
            if moved is None:
                _write(out, invalid_hint(wizard) + "\n" + prompt(wizard.guide))
            else:
                wizard = moved
                _write(out, render(wizard, ascii_only))
    except KeyboardInterrupt:
        _write(out, "\n")
        raise


def move(wizard: Wizard, key: str) -> Wizard | None:
    """The state after one answer (a number, an id, b or r), or None when the answer means nothing here."""
    if key == RESTART:
        return wizard.restart()
    try:
        if key == BACK:
            return wizard.back()
        if key.isdecimal():
            return wizard.choose_nth(int(key))
        by_lower = {move_id.lower(): move_id for move_id in wizard.valid_moves}
        if key in by_lower:
            move_id = by_lower[key]
            return wizard.start(move_id) if wizard.at_home else wizard.choose(move_id)
    except (IllegalMove, ValueError):  # ValueError: a number too long for int()
        return None
    return None


def render(wizard: Wizard, ascii_only: bool = False) -> str:
    """The whole text for the current state: home, a question or the verdict summary, then the keys and the prompt."""
    guide = wizard.guide
    if wizard.at_home:
        body = _home(guide)
    elif wizard.question is not None:
        body = _question(guide, wizard.question, len(wizard.steps) + 1)
    else:
        body = to_text(wizard, ascii_only=ascii_only).rstrip("\n")
    return f"\n{body}\n{keys_hint(wizard)}\n{prompt(guide)}"


def _home(guide: Guide) -> str:
    """The home text: the article's title and first paragraph, who can see the contact, and the numbered flows."""
    home = guide.home
    lines = [home.title, "", home.intro, "", home.who_can_see, "", home.prompt]
    for number, flow in enumerate(guide.flows, 1):
        lines += [f"  {number}) {flow.label}", f"     {flow.audience}"]
    return "\n".join(lines)


def _question(guide: Guide, question: Question, number: int) -> str:
    """A question: its title, the article's numbered steps, the prompt and the numbered choices."""
    lines = [f"{guide.text('question_heading')} {number}: {question.title}"]
    lines += [f"{n}. {step}" for n, step in enumerate(question.steps, 1)]
    lines += ["", f"{question.prompt} {guide.text('choices_heading')}:"]
    lines += [f"  {n}) {choice.label}" for n, choice in enumerate(question.choices, 1)]
    return "\n".join(lines)


def keys_hint(wizard: Wizard) -> str:
    """The keys that work here: only quit at home, back, restart and quit elsewhere."""
    return wizard.guide.text("plain_keys_home" if wizard.at_home else "plain_keys")


def invalid_hint(wizard: Wizard) -> str:
    """One line telling what the answer may be, after one that meant nothing here."""
    guide = wizard.guide
    if not wizard.valid_moves:
        return guide.text("plain_invalid_verdict")
    count = str(len(wizard.valid_moves))
    return f"{guide.text('plain_invalid').replace('{count}', count)} ({keys_hint(wizard)})"


def prompt(guide: Guide) -> str:
    """The prompt written before each read, left open on its line."""
    return f"{guide.text('plain_prompt')}: "


def _end_of_input(wizard: Wizard, out: TextIO) -> int:
    """Finish when the input ends: 0 at a verdict, else 3 after saying the walk stopped early."""
    if wizard.verdict is not None:
        _write(out, "\n")
        return ExitCode.OK
    _write(out, f"\n{wizard.guide.text('plain_eof')}\n")
    return ExitCode.INCOMPLETE


def _read_line(inp: TextIO) -> str | None:
    """One line of input, or None at its end; undecodable bytes count as an answer that means nothing."""
    if inp is None:  # Python's sys.stdin when the process started with fd 0 closed: no input at all
        return None
    try:
        line = inp.readline()
    except UnicodeDecodeError:
        return "\ufffd"
    except OSError:
        return None
    return line if line else None


def _write(out: TextIO, text: str) -> None:
    """Write and flush at once, so a reader at the other end of a pipe or an SSH channel sees the prompt.

    On a terminal, long paragraphs are wrapped at words to its width (read at each write: it may be resized).
    A failed write (a full disk, a closed stdout) raises OutputError: exit code 4 with one line on stderr.
    """
    write_out(out, wrap_text(text, terminal_width(out)))  # a closed stdout (None) has no width: no wrapping
