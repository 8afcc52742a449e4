"""A real terminal for signal tests: a fixed-size, detached tmux session on its own socket, and /proc helpers.

Every wait is a bounded poll (never a fixed sleep), processes are found by an anchored argv match
among the pane's descendants (never a broad pkill), and the server and its socket are removed after.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from terminal.procs import cmdline as argv  # one set of /proc helpers for every real-terminal test
from terminal.procs import descendants, is_alive

__all__ = ["Tmux", "argv", "descendants", "is_alive", "poll", "tmux_session"]


def poll(condition: Callable[[], bool], timeout: float, interval: float = 0.02) -> bool:
    """Poll condition until it holds or timeout seconds pass; whether it held."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


class Tmux:
    """One detached tmux server and session on a private socket, sized cols x rows, with no status line."""

    def __init__(self, command: str, cols: int = 100, rows: int = 30) -> None:
        if shutil.which("tmux") is None:
            raise RuntimeError("tmux is not installed")
        self.socket = f"billing-rb-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.run("new-session", "-d", "-s", "main", "-n", "app", "-x", str(cols), "-y", str(rows), command)
        self.run("set", "-g", "status", "off")
        self.run("set", "-g", "remain-on-exit", "off")
        # A second window keeps the server alive when the test closes the app's pane.
        self.run("new-window", "-d", "-n", "keep", "sleep 600")
        self.pane_pid = int(self.run("display", "-p", "-t", "main:app", "#{pane_pid}").strip())

    def run(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True, timeout=20
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "main:app")

    def wait_text(self, text: str, timeout: float = 30.0) -> None:
        if not poll(lambda: text in self.screen(), timeout, 0.05):
            raise AssertionError(f"{text!r} never appeared; the pane shows:\n{self.screen()}")

    def type(self, text: str) -> None:
        """Type literal text into the pane."""
        self.run("send-keys", "-t", "main:app", "-l", text)

    def key(self, *names: str) -> None:
        self.run("send-keys", "-t", "main:app", *names)

    def alternate_screen(self) -> bool:
        """Whether the pane is showing the alternate screen (a full-screen app is, or left it behind)."""
        return self.run("display", "-p", "-t", "main:app", "#{alternate_on}").strip() == "1"

    def kill_pane(self) -> None:
        """Close the app's terminal, as closing a terminal window or losing an SSH connection does."""
        self.run("kill-pane", "-t", "main:app")

    def close(self) -> None:
        self.run("kill-server", check=False)
        with contextlib.suppress(OSError):
            (Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}" / self.socket).unlink()


@contextlib.contextmanager
def tmux_session(command: str, cols: int = 100, rows: int = 30) -> Iterator[Tmux]:
    session = Tmux(command, cols, rows)
    try:
        yield session
    finally:
        session.close()
