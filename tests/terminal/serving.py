"""A session server (`billing-tui serve`) of this checkout on its own short socket path, for one test.

`WarmServer(directory).start(*args)` runs the server in a clean environment with BILLING_TUI_SOCKET
in that directory and waits (bounded poll) for its "listening" log line; `env()` gives a client the
same variables; `workers()` are its live session workers, `spares()` its spares; `stop()` ends them all by PID.
Tests never attach to a server they did not start: the socket is always in the test's own directory.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import procs
from sshd import REPO

START_TIMEOUT = 60.0


class WarmServer:
    """One `billing-tui serve` process with its log file."""

    def __init__(
        self,
        directory: Path,
        extra_env: dict[str, str] | None = None,
        python: str | None = None,
        command: list[str] | None = None,
    ) -> None:
        self.directory = directory
        self.command = command or [python or sys.executable, "-m", "billing_tui"]
        self.socket = directory / "s.sock"
        self.log_file = directory / "serve.log"
        self.extra_env = dict(extra_env or {})
        self.process: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        """The variables server and clients share: a clean PATH and HOME, a UTF-8 locale, the socket."""
        return {
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "HOME": str(self.directory),
            "LANG": "C.UTF-8",
            "BILLING_TUI_SOCKET": str(self.socket),
        }

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, *args: str, wait: bool = True) -> WarmServer:
        """Start `billing-tui serve ARGS`; with wait, return once it listens (or fail showing its log)."""
        listening = self.log().count("listening on")  # a restart in the same directory appends to the same log
        log = self.log_file.open("ab")
        self.process = subprocess.Popen(
            [*self.command, "serve", *args],
            env={**self.env(), **self.extra_env},
            cwd=str(REPO),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
        log.close()
        if wait:
            self.wait_log("listening on", START_TIMEOUT, count=listening + 1)
        return self

    def log(self) -> str:
        return self.log_file.read_text(errors="replace") if self.log_file.exists() else ""

    def wait_log(self, text: str, timeout: float = 30.0, count: int = 1) -> str:
        """Poll the log until `text` appears `count` times; fail showing the log if the server exits first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            log = self.log()
            if log.count(text) >= count:
                return log
            if self.process is not None and self.process.poll() is not None and log.count(text) < count:
                raise AssertionError(f"the server exited ({self.process.returncode}) before {text!r}:\n{log}")
            time.sleep(0.03)
        raise AssertionError(f"{text!r} not in the server's log within {timeout:.0f}s:\n{self.log()}")

    def children(self) -> list[int]:
        """Every live child of the server: session workers and spares."""
        return procs.descendants(self.pid) if self.process is not None else []

    def workers(self) -> list[int]:
        """The server's live session workers: children in a process group of their own (a spare, not yet any
        client's, stays in the server's group; billing_tui/server/spare.py)."""
        return [pid for pid in self.children() if _own_group(pid)]

    def spares(self) -> list[int]:
        """The server's live spares: children still in its process group."""
        return [pid for pid in self.children() if not _own_group(pid)]

    def wait_spares(self, count: int, timeout: float = 30.0) -> list[int]:
        """Poll until exactly `count` spares are alive; return their PIDs."""
        deadline = time.monotonic() + timeout
        while len(found := self.spares()) != count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(found)} spares, not {count}:\n{self.log()}")
            time.sleep(0.03)
        return found

    def wait_workers(self, count: int, timeout: float = 30.0) -> list[int]:
        """Poll until exactly `count` workers are alive; return their PIDs."""
        deadline = time.monotonic() + timeout
        found = self.workers()
        while len(found) != count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(found)} workers, not {count}:\n{self.log()}")
            time.sleep(0.03)
            found = self.workers()
        return found

    def wait_ready_spares(self, count: int, timeout: float = 30.0) -> list[int]:
        """Poll (with the protocol's probe) until `count` spares have painted their first frame; return all spares."""
        from billing_tui.server import client

        deadline = time.monotonic() + timeout
        while True:
            sock, reply = client.request(str(self.socket), client.hello("probe", [], None), None)
            sock.close()
            if reply.get("spares") == count:
                return self.wait_spares(count)
            if time.monotonic() > deadline:
                raise AssertionError(f"{reply.get('spares')} spares ready, not {count}:\n{self.log()}")
            time.sleep(0.03)

    def signal(self, signum: int) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signum)

    def wait_exit(self, timeout: float = 30.0) -> int:
        assert self.process is not None
        return self.process.wait(timeout)

    def stop(self) -> None:
        """End the server and all its workers and spares, by PID."""
        if self.process is None:
            return
        workers = self.children()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
        procs.end(workers)


def _own_group(pid: int) -> bool:
    """Whether a process leads its own process group (a session worker does; a gone one counts as not)."""
    try:
        return os.getpgid(pid) == pid
    except OSError:
        return False
