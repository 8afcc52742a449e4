"""A worker killed by signal N reaches its client as -N, so the client can say so (and still exits 128+N)."""

from __future__ import annotations

import os
import signal
import socket
import time

from billing_tui.server import protocol
from billing_tui.server.sessions import Sessions


def test_the_server_tells_the_client_of_a_death_by_signal_as_minus_n() -> None:
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:  # a worker the memory killer ends
        os.kill(os.getpid(), signal.SIGKILL)
        os._exit(0)
    sessions = Sessions(other_child=lambda _pid: None)
    sessions.add(pid, ours)
    deadline = time.monotonic() + 30
    while len(sessions):
        assert time.monotonic() < deadline, "the killed child was never reaped"
        sessions.reap()
        time.sleep(0.01)
    assert protocol.receive_exit_code(theirs) == -signal.SIGKILL
    theirs.close()


def test_a_workers_own_exit_code_is_sent_as_it_is() -> None:
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        os._exit(130)
    sessions = Sessions(other_child=lambda _pid: None)
    sessions.add(pid, ours)
    deadline = time.monotonic() + 30
    while len(sessions):
        assert time.monotonic() < deadline, "the child was never reaped"
        sessions.reap()
        time.sleep(0.01)
    assert protocol.receive_exit_code(theirs) == 130
    theirs.close()
