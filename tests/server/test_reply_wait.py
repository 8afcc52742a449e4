"""A launch gives up on a server that is stopped or idle after ATTACH_TIMEOUT, but waits for one that is at work.

The servers here are stand-ins in a process of their own, listening on a real Unix socket: one that never
answers and sleeps, one that is stopped (SIGSTOP), and one that keeps a core busy for longer than
ATTACH_TIMEOUT before it answers, as a server working through a queue of logins on a loaded host does. Before
billing_tui/server/reply_wait.py, the last made every launch behind the queue start cold (38 of 50 logins at once).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from billing_tui.server import client, reply_wait

STAND_IN = textwrap.dedent(
    """
    import socket, sys, time
    from billing_tui.server import protocol

    path, behaviour = sys.argv[1], sys.argv[2]
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(8)
    print("listening", flush=True)
    if behaviour == "busy":
        conn, _ = listener.accept()
        conn.recv(1 << 16)  # the hello
        busy_until = time.monotonic() + float(sys.argv[3])
        while time.monotonic() < busy_until:
            pass  # other logins' work, as far as the client can see
        protocol.send(conn, {"status": "attached", "pid": 4242})
    time.sleep(60)
    """
)


@pytest.fixture
def stand_in(tmp_path: Path) -> Iterator[tuple[Path, list[subprocess.Popen[str]]]]:
    """Where a stand-in server listens, and the processes started; each is killed afterwards."""
    started: list[subprocess.Popen[str]] = []
    yield tmp_path / "s.sock", started
    for process in started:
        process.kill()
        process.wait()


def start(where: tuple[Path, list[subprocess.Popen[str]]], *args: str) -> subprocess.Popen[str]:
    """Start a stand-in server and wait until it listens."""
    path, started = where
    process = subprocess.Popen([sys.executable, "-c", STAND_IN, str(path), *args], stdout=subprocess.PIPE, text=True)
    started.append(process)
    assert process.stdout is not None and process.stdout.readline().strip() == "listening"
    return process


def timed_request(path: Path) -> tuple[float, dict[str, object] | None]:
    """How long client.request took, and its reply (None when it gave up)."""
    began = time.monotonic()
    try:
        sock, reply = client.request(str(path), client.hello("attach", [], None), None)
    except OSError:
        return time.monotonic() - began, None
    sock.close()
    return time.monotonic() - began, reply


@pytest.mark.parametrize("stopped", [False, True], ids=["asleep", "stopped"])
def test_a_server_that_shows_no_work_is_given_up_on_after_the_attach_timeout(
    stand_in: tuple[Path, list[subprocess.Popen[str]]], stopped: bool
) -> None:
    """One that sleeps instead of answering, and one stopped with SIGSTOP."""
    server = start(stand_in, "idle")
    if stopped:
        server.send_signal(signal.SIGSTOP)
    took, reply = timed_request(stand_in[0])
    assert reply is None
    assert reply_wait.ATTACH_TIMEOUT <= took < reply_wait.BUSY_LIMIT


def test_a_server_at_work_is_waited_for_past_the_attach_timeout(
    stand_in: tuple[Path, list[subprocess.Popen[str]]],
) -> None:
    busy_for = 3 * reply_wait.ATTACH_TIMEOUT
    start(stand_in, "busy", str(busy_for))
    took, reply = timed_request(stand_in[0])
    assert reply == {"status": "attached", "pid": 4242}
    assert took >= busy_for


def test_a_server_busy_past_the_limit_is_given_up_on(
    stand_in: tuple[Path, list[subprocess.Popen[str]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reply_wait, "BUSY_LIMIT", 2 * reply_wait.ATTACH_TIMEOUT)
    start(stand_in, "busy", "30")
    took, reply = timed_request(stand_in[0])
    assert reply is None
    assert took < 30


def test_work_is_cpu_used_since_the_last_look_or_being_runnable_now() -> None:
    assert reply_wait.is_working(("S", 10), ("S", 11))
    assert reply_wait.is_working(("S", 10), ("R", 10))
    assert not reply_wait.is_working(("S", 10), ("S", 10))
    assert not reply_wait.is_working(("S", 10), ("T", 10))  # stopped
    assert not reply_wait.is_working(("S", 10), None)  # gone
    assert not reply_wait.is_working(None, ("R", 10))
