"""`billing-tui doctor`, run as a subprocess with a controlled environment (and in a pty and in tmux)."""

from __future__ import annotations

import fcntl
import os
import re
import shlex
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from tmux import TmuxSession

from billing_tui.terminal_info import textual_color_system

REPO = Path(__file__).resolve().parents[2]


def doctor_env(**env: str) -> dict[str, str]:
    """Only PATH and PYTHONPATH, plus what the test sets: nothing leaks in from the test runner's terminal."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(REPO), **env}


def doctor(*args: str, **env: str) -> str:
    """Run `billing-tui doctor` without a terminal and return its output (it must exit 0 and write no escapes)."""
    done = subprocess.run(
        [sys.executable, "-m", "billing_tui", "doctor", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=doctor_env(**env),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout
    return done.stdout


def row(output: str, label: str) -> str:
    """The value printed for one label."""
    match = re.search(rf"^  {re.escape(label)} +(.*)$", output, re.MULTILINE)
    assert match, f"no row {label!r} in:\n{output}"
    return match.group(1)


def test_report_without_a_terminal() -> None:
    out = doctor(TERM="xterm-256color", COLORTERM="truecolor", LANG="en_US.UTF-8")
    assert row(out, "TERM") == "xterm-256color"
    assert row(out, "COLORTERM") == "truecolor"
    assert row(out, "colour system").startswith("truecolor")
    assert row(out, "size") == "80x24 (fallback: no terminal)"
    assert row(out, "stdin is a TTY") == "no"
    assert row(out, "stdout is a TTY") == "no"
    assert row(out, "LANG") == "en_US.UTF-8"
    assert row(out, "LC_ALL") == "(not set)"
    assert row(out, "language") == "en (from the locale: LANG)"
    assert row(out, "stdout encoding").startswith("utf-8")
    assert (row(out, "SSH"), row(out, "tmux"), row(out, "GNU screen")) == ("no", "no", "no")
    assert "plain line mode (stdin is not a terminal, stdout is not a terminal)" in out


@pytest.mark.parametrize(
    "env",
    [
        {"TERM": "xterm-256color"},
        {"TERM": "xterm", "COLORTERM": "truecolor"},
        {"TERM": "xterm", "COLORTERM": " 24BIT "},
        {"TERM": "xterm-kitty"},
        {"TERM": "xterm-16color"},
        {"TERM": "linux"},
        {"TERM": "dumb", "COLORTERM": "truecolor"},
        {"TERM": "Unknown"},
        {},
        {"TERM": "screen.xterm-256color"},
        {"TERM": "xterm", "TEXTUAL_COLOR_SYSTEM": "256"},
        {"TERM": "dumb", "TEXTUAL_COLOR_SYSTEM": "truecolor"},
        {"TERM": "xterm-256color", "NO_COLOR": "1"},
    ],
    ids=repr,
)
def test_colour_system_matches_a_real_textual_app(env: dict[str, str]) -> None:
    probe = "from textual.app import App; print(App().console.color_system)"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=doctor_env(**env), timeout=60, check=True
    )
    textual_says = done.stdout.strip()
    ours = textual_color_system(env)
    assert str(ours.name) == textual_says
    assert row(doctor(**env), "colour system").startswith(ours.description)


def test_an_invalid_textual_color_system_is_reported_as_a_problem() -> None:
    out = doctor(TERM="xterm", TEXTUAL_COLOR_SYSTEM="bogus")
    assert "Problem: TEXTUAL_COLOR_SYSTEM='bogus'" in out
    assert "would fail to start" in out


def test_no_color_is_explained() -> None:
    assert row(doctor(TERM="xterm", NO_COLOR=""), "NO_COLOR") == "set: the full-screen UI draws no colour at all"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"TERM": "xterm-256color", "LANG": "en_US.UTF-8"}, "Unicode (box drawing and symbols)"),
        ({"TERM": "vt100", "LANG": "en_US.UTF-8"}, "ASCII look-alikes (TERM=vt100)"),
        ({"TERM": "xterm", "LC_ALL": "pt_BR.ISO-8859-1"}, "ASCII look-alikes (the locale is not UTF-8)"),
    ],
)
def test_glyphs_follow_the_ui_display_rules(env: dict[str, str], expected: str) -> None:
    assert row(doctor(**env), "glyphs") == expected


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"BILLING_TUI_LANG": "en", "LANG": "pt_BR.UTF-8"}, "en (from $BILLING_TUI_LANG)"),
        ({"LC_ALL": "pt_BR.UTF-8", "LANG": "en_US.UTF-8"}, "pt-BR (from the locale: LC_ALL)"),
        ({"LC_MESSAGES": "en_GB.UTF-8"}, "en (from the locale: LC_MESSAGES)"),
        ({"LANG": "C.UTF-8"}, "pt-BR (the default; "),
        ({}, "pt-BR (the default; "),
    ],
)
def test_language_and_where_it_came_from(env: dict[str, str], expected: str) -> None:
    assert row(doctor(**env), "language").startswith(expected)


def test_language_from_the_command_line() -> None:
    assert row(doctor("--lang", "en", LANG="pt_BR.UTF-8"), "language") == "en (from --lang)"


def test_columns_and_lines_are_the_fallback_size() -> None:
    assert row(doctor(COLUMNS="132", LINES="43"), "size") == "132x43 ($COLUMNS and $LINES)"


def test_ssh_without_and_with_a_pty() -> None:
    out = doctor(SSH_CONNECTION="192.0.2.7 50022 192.0.2.1 22", SSH_CLIENT="192.0.2.7 50022 22")
    assert row(out, "SSH") == "yes: from 192.0.2.7 port 50022, no pty (ssh -T or a piped command)"
    assert "Over SSH the escape travels to the terminal on your own computer" in out
    out = doctor(SSH_CONNECTION="192.0.2.7 50022 192.0.2.1 22", SSH_TTY="/dev/pts/4")
    assert row(out, "SSH") == "yes: from 192.0.2.7 port 50022, pty /dev/pts/4"


def test_tmux_outside_a_real_tmux_server() -> None:
    out = doctor(TMUX="/tmp/nowhere/default,1,0", TERM="tmux-256color")
    assert row(out, "tmux").startswith("yes: $TMUX is set")
    assert "`set -g set-clipboard on`" in out
    assert "`set -g allow-passthrough on`" in out
    assert "tmux 3.4 or later" in out


def test_gnu_screen_by_sty_and_by_term() -> None:
    out = doctor(STY="1234.pts-0.host", TERM="screen-256color")
    assert row(out, "GNU screen") == "yes: $STY is set"
    assert "GNU screen does not pass OSC 52" in out
    assert row(doctor(TERM="screen"), "GNU screen").startswith("yes: TERM=screen (GNU screen, or a tmux")
    assert row(doctor(TERM="screen", TMUX="/tmp/x,1,0"), "GNU screen") == "no"


def test_tmux_on_the_far_side_of_ssh_is_seen_through_term() -> None:
    out = doctor(TERM="tmux-256color", SSH_CONNECTION="192.0.2.7 1 192.0.2.1 22")
    assert row(out, "tmux") == "yes: TERM=tmux-256color"


def test_linux_console_has_no_links_and_no_clipboard() -> None:
    out = doctor(TERM="linux")
    assert row(out, "colour system").startswith("standard")
    assert "the Linux console has no clipboard escape" in out
    assert "the Linux console shows no links" in out


def test_term_dumb_means_plain_mode() -> None:
    out = doctor(TERM="dumb")
    assert row(out, "colour system").startswith("none")
    assert "plain line mode (TERM=dumb, " in out


def test_values_with_control_characters_are_printed_safely() -> None:
    out = doctor(TERM="xterm\x1b[31mred", LANG="en\x07")
    assert row(out, "TERM") == "xterm[31mred"


def test_in_a_pty_it_reports_the_size_and_the_full_screen_ui() -> None:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "billing_tui", "doctor"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=doctor_env(TERM="xterm-256color", LANG="en_US.UTF-8"),
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.wait(timeout=60) == 0
    out = b"".join(chunks).decode().replace("\r\n", "\n")
    assert row(out, "size") == "120x40 (the terminal on stdout)"
    assert row(out, "stdin is a TTY") == "yes"
    assert row(out, "stdout is a TTY") == "yes"
    assert "would start the full-screen UI" in out


@pytest.mark.terminal
def test_inside_tmux_it_reads_the_clipboard_options(tmux_session: TmuxSession) -> None:
    command = shlex.join(["env", f"PYTHONPATH={REPO}", sys.executable, "-m", "billing_tui", "doctor"])
    tmux_session.start(f"read go; {command}")
    tmux_session.tmux("set", "-g", "set-clipboard", "on")
    tmux_session.tmux("set", "-g", "allow-passthrough", "off")
    tmux_session.type("")
    assert tmux_session.wait_exit() == 0
    out = tmux_session.screen(history=True)
    version = subprocess.run(["tmux", "-V"], capture_output=True, text=True, check=True).stdout.strip()
    assert f"$TMUX is set; {version}" in out
    assert "(now: on)" in out
    assert "(now: off)" in out
    assert "size                   80x24 (the terminal on stdout)" in out
