"""`billing-tui doctor`: what this terminal, locale and connection support, and what that means for the app.

Plain text only, and it never imports textual: the colour system is derived the way Textual
derives it (see billing_tui.terminal_info), so the report is the same whether or not the
full-screen UI could start.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from importlib import metadata
from typing import TextIO

from billing_tui import __version__, terminal_info
from billing_tui.display import ASCII_TERMS, detect_display, stream_is_unicode
from billing_tui.exit_codes import ExitCode, write_out
from billing_tui.flow.language import DEFAULT_LANG, ENV_VAR, locale_lang
from billing_tui.flow.sanitize import clean_line
from billing_tui.flow.transcript import KIND_SYMBOLS, KIND_SYMBOLS_ASCII
from billing_tui.server import status as server_status

LABEL_WIDTH = 22
FALLBACK_SIZE = (80, 24)


def run_doctor(
    lang: str,
    env: Mapping[str, str],
    out: TextIO,
    content: str | None = None,
    kiosk_dropped: Sequence[str] | None = None,
) -> int:
    """Print the report and return 0; the report explains problems, it does not fail on them.

    kiosk_dropped is None outside kiosk mode, else the variables billing_tui.kiosk removed from env.
    """
    lines = report_lines(lang, env, out, sys.stdin)
    lines += _section("Kiosk mode", _kiosk(kiosk_dropped))
    lines += _section("Session server", server_status.rows(env, out, sys.stdin, content))
    write_out(out, "\n".join(lines) + "\n")
    return ExitCode.OK


def report_lines(lang: str, env: Mapping[str, str], out: TextIO, inp: TextIO) -> list[str]:
    """Every line of the report, in sections."""
    lines = [f"billing-tui doctor: billing-tui {__version__}, Python {platform.python_version()}, {_textual()}"]
    lines += _section("Terminal", _terminal(env, out, inp))
    lines += _section("Locale and language", _locale(lang, env, out))
    lines += _section("Connection", _connection(env))
    lines += ["", "What this means"]
    lines += [f"  {line}" for line in _meaning(env, out, inp)]
    return lines


def _section(title: str, rows: Iterator[tuple[str, str]]) -> list[str]:
    """A blank line, a title, and label/value rows aligned in two columns."""
    return ["", title] + [f"  {label:<{LABEL_WIDTH}} {value}" for label, value in rows]


def _value(env: Mapping[str, str], name: str, unset: str = "(not set)") -> str:
    """An environment value made safe to print (no control characters), or a note that it is not set."""
    return clean_line(env[name]) if name in env else unset


def _terminal(env: Mapping[str, str], out: TextIO, inp: TextIO) -> Iterator[tuple[str, str]]:
    """TERM, COLORTERM, colour settings, the colour system Textual would use, the size and TTY-ness."""
    yield "TERM", _value(env, "TERM")
    yield "COLORTERM", _value(env, "COLORTERM")
    display = detect_display(env)
    yield "NO_COLOR", "set: the full-screen UI draws no colour at all" if display.no_color else "(not set)"
    yield "TEXTUAL_COLOR_SYSTEM", _value(env, "TEXTUAL_COLOR_SYSTEM", "(not set: auto)")
    colors = terminal_info.textual_color_system(env)
    yield "colour system", f"{colors.description} ({clean_line(colors.reason)})"
    yield "glyphs", _glyphs(env) if display.ascii_only else "Unicode (box drawing and symbols)"
    width, height, source = terminal_size(env, out, inp)
    yield "size", f"{width}x{height} ({source})"
    yield "stdin is a TTY", _yes(_isatty(inp))
    yield "stdout is a TTY", _yes(_isatty(out))


def _glyphs(env: Mapping[str, str]) -> str:
    """Why the full-screen UI draws ASCII look-alikes instead of box drawing and symbols."""
    term = env.get("TERM", "")
    why = f"TERM={clean_line(term)}" if term.lower() in ASCII_TERMS else "the locale is not UTF-8"
    return f"ASCII look-alikes ({why})"


def _locale(lang: str, env: Mapping[str, str], out: TextIO) -> Iterator[tuple[str, str]]:
    """The locale variables, the output encoding, and the language chosen with where it came from."""
    for name in (*terminal_info.LOCALE_VARIABLES, "LC_CTYPE"):
        yield name, _value(env, name)
    encoding = getattr(out, "encoding", None) or "(none)"
    symbols = KIND_SYMBOLS if stream_is_unicode(out) else KIND_SYMBOLS_ASCII
    yield "stdout encoding", f"{encoding} (verdicts marked {' '.join(symbols.values())})"
    yield "language", f"{lang} ({_lang_source(lang, env)})"


def _lang_source(lang: str, env: Mapping[str, str]) -> str:
    """Where the language came from, in the order billing_tui.flow.language.resolve_lang looks."""
    requested = env.get(ENV_VAR, "")
    if requested:
        return f"from ${ENV_VAR}" if requested.lower() == lang.lower() else "from --lang"
    from_locale = locale_lang(env)
    setting = terminal_info.locale_setting(env)
    if from_locale == lang and setting:
        return f"from the locale: {setting[0]}"
    if from_locale is None and lang == DEFAULT_LANG:
        return f"the default; choose with --lang, ${ENV_VAR} or LANG=en_US.UTF-8"
    return "from --lang"


def _kiosk(dropped: Sequence[str] | None) -> Iterator[tuple[str, str]]:
    """Whether kiosk mode is on (billing-tui --kiosk), and what it does to saving and to the environment."""
    if dropped is None:
        yield "kiosk mode", "off: s saves a file (billing-tui --kiosk for untrusted remote users)"
        return
    yield "kiosk mode", "on: no file is saved; s copies the transcript (OSC 52) and shows it"
    yield "environment", "only TERM, COLORTERM, NO_COLOR, LANG, LC_* and what sshd sets are read"
    yield "ignored variables", ", ".join(clean_line(name) for name in dropped) or "(none were set)"


def _connection(env: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """SSH, tmux and GNU screen, with the evidence for each."""
    yield "SSH", _value_or_no(terminal_info.ssh_evidence(env))
    tmux = terminal_info.tmux_evidence(env) or terminal_info.client_tmux_evidence(env)
    if terminal_info.tmux_evidence(env):
        version = _tmux(env, "-V")
        tmux = f"{tmux}; {version}" if version else tmux
    yield "tmux", _value_or_no(tmux)
    yield "GNU screen", _value_or_no(terminal_info.screen_evidence(env))


def _meaning(env: Mapping[str, str], out: TextIO, inp: TextIO) -> Iterator[str]:
    """Which interface would start, and what copy (OSC 52) and links (OSC 8) can do here."""
    from billing_tui.mode import wants_plain

    plain = wants_plain(argparse.Namespace(plain=False), env)
    why = [
        reason
        for reason, applies in (
            ("TERM=dumb", env.get("TERM", "") == "dumb"),
            ("stdin is not a terminal", not _isatty(inp)),
            ("stdout is not a terminal", not _isatty(out)),
        )
        if applies
    ]
    if plain:
        because = f" ({', '.join(why)})" if why else ""
        yield f"billing-tui would use the plain line mode{because}: numbered prompts, no escape sequences."
    else:
        yield "billing-tui would start the full-screen UI (billing-tui --plain forces the line mode)."
    colors = terminal_info.textual_color_system(env)
    if not colors.valid:
        yield f"Problem: {clean_line(colors.reason)}."
    yield from _copy_advice(env)
    yield from _link_advice(env)


def _copy_advice(env: Mapping[str, str]) -> Iterator[str]:
    """What the full-screen UI's copy command (an OSC 52 escape sequence) will do here."""
    if terminal_info.is_linux_console(env):
        yield "Copy (OSC 52): the Linux console has no clipboard escape; save the transcript instead."
    elif terminal_info.tmux_evidence(env):
        current = _tmux(env, "show-options", "-gv", "set-clipboard")
        passthrough = _tmux(env, "show-options", "-gv", "allow-passthrough")
        yield (
            "Copy (OSC 52): tmux passes it to your terminal only with `set -g set-clipboard on`"
            f" (now: {current or 'unknown'}); programs that wrap escapes for tmux also need"
            f" `set -g allow-passthrough on` (now: {passthrough or 'unknown'})."
        )
    elif terminal_info.screen_evidence(env):
        yield "Copy (OSC 52): GNU screen does not pass OSC 52 on; save the transcript instead, or run outside screen."
    else:
        yield "Copy (OSC 52): works when your terminal accepts clipboard writes (some ask first or need a setting)."
    if terminal_info.ssh_evidence(env):
        yield "Over SSH the escape travels to the terminal on your own computer: that is the one that must accept it."


def _link_advice(env: Mapping[str, str]) -> Iterator[str]:
    """What the full-screen UI's links (OSC 8 escape sequences) will look like here."""
    if terminal_info.is_linux_console(env):
        yield "Links (OSC 8): the Linux console shows no links; every URL is also printed as text."
    elif terminal_info.tmux_evidence(env) or terminal_info.client_tmux_evidence(env):
        yield (
            "Links (OSC 8): tmux 3.4 or later passes them with `set -as terminal-features 'xterm*:hyperlinks'`;"
            " older tmux shows the text only. Every URL is also printed as text."
        )
    elif terminal_info.screen_evidence(env):
        yield "Links (OSC 8): GNU screen may show the text only; every URL is also printed as text."
    else:
        yield "Links (OSC 8): clickable in terminals that support them; every URL is also printed as text."


def terminal_size(env: Mapping[str, str], out: TextIO, inp: TextIO) -> tuple[int, int, str]:
    """The terminal's columns and rows, and where they came from: the terminal, $COLUMNS/$LINES, or a fallback."""
    for name, stream in (("stdout", out), ("stdin", inp)):
        try:
            size = os.get_terminal_size(stream.fileno())
        except (AttributeError, OSError, ValueError):
            continue
        return size.columns, size.lines, f"the terminal on {name}"
    columns, lines = env.get("COLUMNS", ""), env.get("LINES", "")
    if columns.isdecimal() and lines.isdecimal():
        return int(columns), int(lines), "$COLUMNS and $LINES"
    return *FALLBACK_SIZE, "fallback: no terminal"


def _tmux(env: Mapping[str, str], *args: str) -> str | None:
    """One line of output from the tmux this runs inside ($TMUX), or None when it cannot be asked."""
    executable = shutil.which("tmux", path=env.get("PATH"))
    if executable is None:
        return None
    try:
        done = subprocess.run(
            [executable, *args], env=dict(env), capture_output=True, text=True, timeout=3, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    line = done.stdout.strip().splitlines()
    return clean_line(line[0]) if done.returncode == 0 and line else None


def _textual() -> str:
    """The installed Textual version, read from its metadata without importing it."""
    try:
        return f"Textual {metadata.version('textual')}"
    except metadata.PackageNotFoundError:
        return "Textual not installed"


def _isatty(stream: TextIO) -> bool:
    """Whether a stream is a terminal; a closed or fake stream is not."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _value_or_no(evidence: str | None) -> str:
    return f"yes: {clean_line(evidence)}" if evidence else "no"
