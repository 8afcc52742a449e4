"""A `billing-tui serve` for one benchmark run, on its own socket, started and warmed outside every timed region."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks import procstat
from benchmarks.childenv import clean_env
from benchmarks.pty_session import HarnessError
from benchmarks.targets import REPO

START_TIMEOUT = 120.0


@dataclass(frozen=True)
class WarmServer:
    """The running server: its pid and socket; its children are the live workers and its spares."""

    pid: int
    socket: str
    spares: int = 0

    def children(self) -> list[int]:
        """Every live child: session workers and spares (memory counts both)."""
        return procstat.children(self.pid)

    def workers(self) -> list[int]:
        """The live session workers (one per attached session): children in a process group of their own."""
        return [pid for pid in self.children() if _own_group(pid)]

    def spare_cpu(self) -> dict[int, float]:
        """Each spare's CPU so far (what it spent building its session before any client connected)."""
        found = {}
        for pid in self.children():
            if not _own_group(pid):
                with contextlib.suppress(OSError):
                    found[pid] = procstat.cpu_seconds(pid)
        return found

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Wait (bounded) until the previous session's worker has gone and, with spares, one is ready again."""
        deadline = time.monotonic() + timeout
        while self.workers() and time.monotonic() < deadline:
            time.sleep(0.01)
        while self.spares and self._ready_spares() < self.spares and time.monotonic() < deadline:
            time.sleep(0.01)

    def _ready_spares(self) -> int:
        """How many spares have painted their first frame (the server's probe reply says)."""
        from billing_tui.server import client

        try:
            sock, reply = client.request(self.socket, client.hello("probe", [], None), None)
        except OSError:
            return 0
        sock.close()
        ready = reply.get("spares")
        return ready if isinstance(ready, int) else 0


def _own_group(pid: int) -> bool:
    """Whether a process leads its own process group (a session worker; a spare stays in the server's)."""
    try:
        return os.getpgid(pid) == pid
    except OSError:
        return False


@contextlib.contextmanager
def running(max_sessions: int = 200, spares: int = 1) -> Iterator[WarmServer]:
    """Start the server in the benchmarks' clean environment, wait until it listens, and stop it afterwards.

    With spares, the first session teaches the server the launch to build spares for (the warm-up round).
    """
    directory = Path(tempfile.mkdtemp(prefix="btb-", dir="/tmp"))
    socket_path = str(directory / "s.sock")
    log_path = directory / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "billing_tui",
                "serve",
                "--max-sessions",
                str(max_sessions),
                "--grace",
                "5",
                "--spares",
                str(spares),
            ],
            env={**clean_env(), "BILLING_TUI_SOCKET": socket_path},
            cwd=str(REPO),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while "listening on" not in log_path.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise HarnessError(f"the session server did not start: {log_path.read_text(errors='replace')}")
            time.sleep(0.05)
        yield WarmServer(process.pid, socket_path, spares)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        shutil.rmtree(directory, ignore_errors=True)
