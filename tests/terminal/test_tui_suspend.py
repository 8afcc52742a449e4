"""Stopped (SIGTSTP) and brought back with `fg` in a real shell: the wizard comes back whole, where it was left.

(In the app's raw mode Ctrl+Z is a key, not a signal: a job-control stop comes from outside, e.g. `kill -TSTP`.)

While the app is stopped the terminal is the shell's, so on SIGCONT every row must be sent again, even the ones
billing-tui last wrote: ui/row_cache.py leaves out rows the terminal already shows (and a full repaint that would
change nothing), and ui/driver.py makes it forget what it wrote whenever application mode starts again.
"""

from __future__ import annotations

import os
import shlex
import signal
from collections.abc import Iterator
from pathlib import Path

import procs
import pytest
from tmux import TmuxSession
from tui import launcher_argv, write_launcher

pytestmark = pytest.mark.terminal

QUESTION = "What does the My Account page show?"


@pytest.fixture
def launcher(tmux_session: TmuxSession) -> Iterator[Path]:
    """This checkout's billing-tui; any process still running from it is ended afterwards."""
    path = write_launcher(tmux_session.workdir)
    yield path
    procs.end(procs.pids_with_argv_prefix(launcher_argv(path)))


def rows(screen: str) -> list[str]:
    """The pane's rows without trailing blanks (tmux pads a row it has not drawn to differently)."""
    return [row.rstrip() for row in screen.splitlines()]


def test_ctrl_z_then_fg_repaints_the_whole_wizard_where_it_was(tmux_session: TmuxSession, launcher: Path) -> None:
    env = [f"PATH={launcher.parent}:/usr/bin:/bin", f"HOME={launcher.parent.parent}", "TERM=xterm-256color"]
    shell = shlex.join(["env", "-i", *env, "LANG=C.UTF-8", "PS1=PROMPT$ ", "bash", "--norc", "--noprofile", "-i"])
    tmux_session.start(shell, record_status=False)
    tmux_session.wait_for("PROMPT$")
    tmux_session.type("billing-tui --lang en --flow billing-center --no-server")
    tmux_session.wait_for("What happened?", history=False)
    tmux_session.send_keys("2")
    before = tmux_session.wait_for(QUESTION, history=False)

    (app,) = procs.pids_with_argv_prefix(launcher_argv(launcher))
    os.kill(app, signal.SIGTSTP)  # Textual leaves application mode, then stops itself; the shell takes over
    tmux_session.wait_for(lambda screen: "Stopped" in screen and QUESTION not in screen, history=False)
    tmux_session.type("clear")  # the shell's screen, nothing of the app's left on it
    tmux_session.wait_for(lambda screen: QUESTION not in screen and "Stopped" not in screen, history=False)

    tmux_session.type("fg")
    after = tmux_session.wait_for(lambda screen: rows(screen) == rows(before), history=False)
    assert "Billing contact" in after  # the top bar too: every row came back, not only the changed ones
    tmux_session.send_keys("q")
    tmux_session.wait_for("PROMPT$", history=False)
