"""A `billing-tui serve` for one benchmark run, on its own socket, started and warmed outside every timed region."""

from __future__ import annotations

import contextlib
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
    """The running server: its pid and socket; its children are the live workers."""

    pid: int
    socket: str

    def workers(self) -> list[int]:
        """The live workers (one per attached session)."""
        return procstat.children(self.pid)

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Wait (bounded) until the previous session's worker has gone, so the next one is found unambiguously."""
        deadline = time.monotonic() + timeout
        while self.workers() and time.monotonic() < deadline:
            time.sleep(0.01)


@contextlib.contextmanager
def running(max_sessions: int = 200) -> Iterator[WarmServer]:
    """Start the server in the benchmarks' clean environment, wait until it listens, and stop it afterwards."""
    directory = Path(tempfile.mkdtemp(prefix="btb-", dir="/tmp"))
    socket_path = str(directory / "s.sock")
    log_path = directory / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "billing_tui", "serve", "--max-sessions", str(max_sessions), "--grace", "5"],
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
        yield WarmServer(process.pid, socket_path)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        shutil.rmtree(directory, ignore_errors=True)
