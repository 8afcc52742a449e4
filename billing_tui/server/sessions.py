"""The session server's live sessions: who they are, reaping them, and the one log line each leaves."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from billing_tui.server import protocol

LEFTOVER_WAIT = 3.0  # after the grace period, how long signalled workers get to restore their terminals


def log(message: str) -> None:
    """One line on stderr: the server's whole log."""
    print(f"billing-tui serve: {message}", file=sys.stderr, flush=True)


@dataclass
class Session:
    """A live worker: the connection to its client (kept to report a death by signal) and when it started."""

    conn: socket.socket
    kind: str = "attach"
    started: float = field(default_factory=time.monotonic)


class Sessions:
    """The live workers by pid; a reaped child that is no session (a spare) goes to `other_child`."""

    def __init__(self, other_child: Callable[[int], None]) -> None:
        self._live: dict[int, Session] = {}
        self._other_child = other_child
        self.stopped: set[int] = set()  # workers stopped by job control: their own watch of the client cannot run

    def __len__(self) -> int:
        return len(self._live)

    def add(self, pid: int, conn: socket.socket, kind: str = "attach") -> None:
        self._live[pid] = Session(conn, kind)

    def connections(self) -> list[socket.socket]:
        """Every live session's connection (a forked child closes them all)."""
        return [session.conn for session in self._live.values()]

    def reap(self) -> None:
        """Collect ended children: tell a client whose worker died by a signal, and log each session."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG | os.WUNTRACED | os.WCONTINUED)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if os.WIFSTOPPED(status) or os.WIFCONTINUED(status):  # job control, not an end
                if pid in self._live:
                    (self.stopped.add if os.WIFSTOPPED(status) else self.stopped.discard)(pid)
                continue
            self.stopped.discard(pid)
            session = self._live.pop(pid, None)
            if session is None:
                self._other_child(pid)
                continue
            said = os.waitstatus_to_exitcode(status)  # -N when killed by signal N: the client then says so
            code = 128 - said if said < 0 else said
            protocol.send_exit_code(session.conn, said)  # harmless when the worker already said its code
            session.conn.close()
            kind = "web session" if session.kind == "web" else "session"
            log(f"{kind} pid={pid} duration={time.monotonic() - session.started:.1f}s exit={code}")

    def hang_up_orphans(self) -> None:
        """A stopped worker whose client is gone (killed while stopped, an SSH drop) is hung up and continued.

        A running worker notices its client's connection closing by itself; a stopped one cannot run to notice
        it, and without this it would wait stopped forever, holding one of the server's sessions.
        """
        for pid in list(self.stopped):
            session = self._live.get(pid)
            if session is None or not _peer_gone(session.conn):
                continue
            self.stopped.discard(pid)
            for signum in (signal.SIGHUP, signal.SIGCONT):  # the hang-up is handled once it runs again: exit 129
                with contextlib.suppress(OSError):
                    os.kill(pid, signum)

    def end_leftovers(self) -> None:
        """The grace is over: hang up the remaining sessions (each restores its terminal) and wait a little."""
        log(f"grace over: ending {len(self._live)} sessions")
        for pid in list(self._live):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + LEFTOVER_WAIT
        while self._live and time.monotonic() < deadline:
            time.sleep(0.02)
            self.reap()


def _peer_gone(conn: socket.socket) -> bool:
    """Whether the client's end of the connection is closed (it sends nothing once its worker runs)."""
    try:
        readable, _, _ = select.select([conn], [], [], 0)
        return bool(readable) and conn.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except (OSError, ValueError):
        return True
