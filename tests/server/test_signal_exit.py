"""A worker killed by signal N reaches its client as -N, so the client can say so (and still exits 128+N)."""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Callable

from billing_tui.server import protocol
from billing_tui.server.sessions import Sessions


def code_sent_for(child_ends: Callable[[], None]) -> int:
    """The exit code the server sends a client whose forked worker ends by child_ends."""
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        child_ends()
        os._exit(0)
    sessions = Sessions(other_child=lambda _pid: None)
    sessions.add(pid, ours)
    deadline = time.monotonic() + 30
    while len(sessions):
        assert time.monotonic() < deadline, "the child was never reaped"
        sessions.reap()
        time.sleep(0.01)
    try:
        return protocol.receive_exit_code(theirs)
    finally:
        theirs.close()


def test_the_server_tells_the_client_of_a_death_by_signal_as_minus_n() -> None:
    """A worker the memory killer ends (SIGKILL) is reported as -9."""
    assert code_sent_for(lambda: os.kill(os.getpid(), signal.SIGKILL)) == -signal.SIGKILL


def test_a_workers_own_exit_code_is_sent_as_it_is() -> None:
    """A worker that exits 130 by its own choice is reported as 130: no signal line on the client."""
    assert code_sent_for(lambda: os._exit(130)) == 130
