"""A session whose terminal disappears without a hang-up signal ends at once instead of spinning for ever.

When a pty's other side closes, the kernel sends SIGHUP only to the processes of the session that has it as its
controlling terminal. A launcher that runs billing-tui in a session of its own (setsid, a supervisor, the
benchmarks' harness) or that ignores SIGHUP leaves it with a terminal that reads end-of-file (or EIO) for ever:
Textual 8.2.8's input thread then polled and read again in a loop, at 100% of a core, and the app never ended
(70 such leftovers once filled this 2-core machine). Now the input thread takes the end of its terminal as a
hang-up: the session ends with the shell's code for SIGHUP (129), cold or attached to the session server.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Mapping, Sequence

import pyte
import pytest
from serving import WarmServer

from benchmarks.screen_rows import screen_lines

pytestmark = pytest.mark.terminal

HOME_TEXT = "How do you want to check?"
# Generous: a busy machine may take seconds to start Python and Textual, and a few more to end.
START_TIMEOUT = 60.0
END_TIMEOUT = 15.0
IGNORING_SIGHUP = (
    "import runpy, signal, sys\n"
    "signal.signal(signal.SIGHUP, signal.SIG_IGN)\n"
    "sys.argv = ['billing-tui', *sys.argv[1:]]\n"
    "runpy.run_module('billing_tui', run_name='__main__')\n"
)


def start_without_controlling_terminal(
    argv: Sequence[str], env: Mapping[str, str]
) -> tuple[subprocess.Popen[bytes], int]:
    """Run argv on a new 80x24 pty in a session of its own, so closing the pty sends it no SIGHUP."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(
        list(argv), stdin=slave, stdout=slave, stderr=slave, env=dict(env), start_new_session=True
    )
    os.close(slave)
    return process, master


def wait_for_home(master: int) -> None:
    """Read the pty until the home screen is drawn (or fail showing what is there)."""
    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if select.select([master], [], [], 0.1)[0]:
            stream.feed(os.read(master, 65536))
            if HOME_TEXT in "\n".join(screen_lines(screen)):
                return
    pytest.fail("the home screen was not drawn:\n" + "\n".join(screen_lines(screen)))


def code_after_the_terminal_goes(process: subprocess.Popen[bytes], master: int) -> int | None:
    """Close the pty's other side (a dropped connection) and return the app's exit code, or None if it lingers."""
    wait_for_home(master)
    os.close(master)
    try:
        return process.wait(END_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def child_env() -> dict[str, str]:
    """A UTF-8 terminal environment with no session server to attach to."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "BILLING_TUI"))}
    return {**env, "LANG": "C.UTF-8", "TERM": "xterm-256color"}


@pytest.mark.parametrize(
    "launch",
    [
        pytest.param([sys.executable, "-m", "billing_tui"], id="cold"),
        pytest.param([sys.executable, "-c", IGNORING_SIGHUP], id="cold-ignoring-sighup"),
    ],
)
def test_a_cold_session_ends_when_its_terminal_goes(launch: list[str]) -> None:
    process, master = start_without_controlling_terminal([*launch, "--no-server", "--lang", "en"], child_env())
    assert code_after_the_terminal_goes(process, master) == 128 + signal.SIGHUP


def test_an_attached_session_and_its_worker_end_when_the_terminal_goes(warm_server: WarmServer) -> None:
    process, master = start_without_controlling_terminal(
        [sys.executable, "-m", "billing_tui", "--lang", "en"], {**warm_server.env(), "TERM": "xterm-256color"}
    )
    assert code_after_the_terminal_goes(process, master) == 128 + signal.SIGHUP
    warm_server.wait_log("exit=129")  # the worker's own line: it ended too, with the same code
    assert warm_server.workers() == []
