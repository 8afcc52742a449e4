"""Signals and terminal state: SIGTERM, SIGHUP and SIGINT end the app cleanly, and a closed terminal ends it too.

The app runs in a real terminal (a tmux pane) under /bin/sh, which is dash here: unlike bash,
dash does not repair the terminal's modes after a job dies, so `stty -a` shows what the app left.
Textual 8.2.8 restores the terminal only on a normal exit: before billing_tui/ui/launch.py turned
these signals into app.exit(), SIGTERM and SIGHUP killed the process inside the alternate screen
with -echo -icanon -isig -icrnl, and SIGINT exited with 0 instead of the documented 130.
"""

from __future__ import annotations

import os
import shlex
import signal
import sys
from pathlib import Path

import pytest
from robust_helpers import REPO
from tmux_term import Tmux, argv, descendants, is_alive, poll, tmux_session

pytestmark = pytest.mark.terminal

APP = [sys.executable, "-m", "billing_tui", "--lang", "en"]
SHELL = "env PS1='PROMPT$ ' LANG=C.UTF-8 TERM=xterm-256color /bin/sh"
STATES = {
    "home": ((), "How do you want to check?"),
    "mid-flow": (("1", "2"), "What does the My Account page show?"),
    "verdict": (("1", "1"), "You are the billing admin"),
}
SIGNALS = {"SIGTERM": signal.SIGTERM, "SIGHUP": signal.SIGHUP, "SIGINT": signal.SIGINT}


def start_app(term: Tmux, state: str) -> int:
    """Launch billing-tui from the pane's shell, bring it to a state and return its PID."""
    term.wait_text("PROMPT$")
    term.type(f"cd {shlex.quote(str(REPO))} && {shlex.join(APP)}\n")
    found: list[int] = []

    def app_started() -> bool:
        found[:] = [pid for pid in descendants(term.pane_pid) if argv(pid)[: len(APP)] == APP]
        return len(found) == 1

    assert poll(app_started, 60), "billing-tui did not start"
    keys, shown = STATES[state]
    term.wait_text("How do you want to check?")
    for key in keys:
        term.key(key)
    term.wait_text(shown)
    assert term.alternate_screen()
    return found[0]


def terminal_modes(term: Tmux, folder: Path) -> list[str]:
    """Run `stty -a` in the pane (after the app) and return its words."""
    out = folder / "stty.txt"
    term.type(f"stty -a > {shlex.quote(str(out))}\n")
    assert poll(lambda: out.exists() and "echo" in out.read_text(), 30), term.screen()
    return out.read_text().split()


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("name", list(SIGNALS))
def test_a_signal_ends_the_app_and_restores_the_terminal(tmp_path: Path, name: str, state: str) -> None:
    signum = SIGNALS[name]
    with tmux_session(SHELL) as term:
        pid = start_app(term, state)
        os.kill(pid, signum)
        assert poll(lambda: not is_alive(pid), 30), f"billing-tui is still running after {name}"
        assert poll(lambda: not term.alternate_screen(), 30), f"left in the alternate screen:\n{term.screen()}"
        term.wait_text("PROMPT$")
        term.type("echo rc=$?\n")
        term.wait_text(f"rc={128 + signum}")
        modes = terminal_modes(term, tmp_path)
        for mode in ("echo", "icanon", "isig", "icrnl"):
            assert mode in modes and f"-{mode}" not in modes, (mode, modes)
        assert "Verdict:" not in term.screen()  # no exit summary after a signal (the terminal may be gone)


@pytest.mark.parametrize("state", ["home", "verdict"])
def test_a_closed_terminal_ends_the_app(state: str) -> None:
    """Killing the pane closes the pty (SIGHUP, then EIO): the app and its shell end; nothing lingers."""
    with tmux_session(SHELL) as term:
        shell = term.pane_pid
        pid = start_app(term, state)
        term.kill_pane()
        assert poll(lambda: not is_alive(pid) and not is_alive(shell), 30), "billing-tui outlived its terminal"
        assert descendants(shell) == []


def test_quitting_normally_still_prints_the_summary(tmp_path: Path) -> None:
    """The signal handling leaves the normal exit alone: q at a verdict leaves the summary and exit code 0."""
    with tmux_session(SHELL) as term:
        pid = start_app(term, "verdict")
        term.key("q")
        assert poll(lambda: not is_alive(pid), 30)
        term.wait_text("Verdict:")
        term.type("echo rc=$?\n")
        term.wait_text("rc=0")
        assert not term.alternate_screen()
        modes = terminal_modes(term, tmp_path)
        assert "echo" in modes and "icanon" in modes
