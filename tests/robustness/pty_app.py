"""Run billing-tui in a real pseudo-terminal: every byte it writes is kept, and a pyte screen shows what a user sees."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyte

from benchmarks.screen_rows import screen_lines

# Generous: Python and Textual start up, and each screen draws, on a machine that may be busy.
WAIT_TIMEOUT = 30.0


class PtyApp:
    """A child process on its own pty, with the raw output and an emulated screen."""

    def __init__(
        self,
        args: Sequence[str],
        env: Mapping[str, str],
        cols: int = 100,
        rows: int = 30,
        cwd: str | None = None,
        command: Sequence[str] | None = None,
    ) -> None:
        """Start `python -m billing_tui ARGS` (or `command` + ARGS, for a script that wraps it)."""
        self.raw = bytearray()
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        argv = [*(command or (sys.executable, "-m", "billing_tui")), *args]
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal before the app asks for it, then become billing-tui
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                if cwd:
                    os.chdir(cwd)
                os.execve(argv[0], argv, dict(env))
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.status: int | None = None

    def pump(self, timeout: float = 0.05) -> bool:
        """Read whatever the app wrote within timeout; False once the pty is closed."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        if not data:
            return False
        self.raw += data
        self.stream.feed(data)
        return True

    def text(self) -> str:
        """The screen as the user sees it, one line per row."""
        return "\n".join(screen_lines(self.screen))

    def wait_for(self, predicate: Callable[[str], bool], timeout: float = WAIT_TIMEOUT) -> str:
        """Read until the screen satisfies predicate, or fail with what it shows."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self.text()):
                return self.text()
            if not self.pump():
                break
        raise AssertionError(f"screen never matched; it shows:\n{self.text()}")

    def wait_text(self, text: str, timeout: float = WAIT_TIMEOUT) -> str:
        return self.wait_for(lambda screen: text in screen, timeout)

    def send(self, data: str | bytes) -> None:
        os.write(self.fd, data.encode() if isinstance(data, str) else data)

    def wait_exit(self, timeout: float = WAIT_TIMEOUT) -> int | None:
        """Drain the output until the child exits; its wait status, or None if it is still running."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.02)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
                while self.pump(0.02):
                    pass
                return status
        return None

    def close(self) -> None:
        """Kill the child if it is still running, reap it and close the pty."""
        if self.status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                _, self.status = os.waitpid(self.pid, 0)
        with contextlib.suppress(OSError):
            os.close(self.fd)


def walk_wrapped(
    tmp_path: Path, wrapper: str, args: Sequence[str], env: Mapping[str, str]
) -> tuple[int | None, dict[str, Any], bytes]:
    """Walk to a verdict and quit under a wrapper script that writes a JSON report to its first argument.

    The walk takes the Billing Center's first outcome; returned: the wait status, the report and every byte written.
    """
    script, report = tmp_path / "wrapper.py", tmp_path / "report.json"
    script.write_text(wrapper, encoding="utf-8")
    argv = [str(report), "--lang", "en", "--flow", "billing-center", "--no-server", *args]
    app = PtyApp(argv, env, cols=100, rows=30, cwd=str(tmp_path), command=[sys.executable, str(script)])
    try:
        app.wait_text("What happened?")
        app.send("1")
        app.wait_text("You are the billing admin")
        app.send("q")
        status = app.wait_exit()
    finally:
        app.close()
    return status, json.loads(report.read_text(encoding="utf-8")), bytes(app.raw)
