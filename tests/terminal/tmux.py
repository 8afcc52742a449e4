"""A detached tmux session on its own socket, driven like a user: send keys, read the screen, wait for text.

Every wait is a bounded poll of `capture-pane` (never a fixed sleep). The command runs
under `sh -c 'COMMAND; echo $? > STATUS'` so its exit status can be read after it ends;
the pane stays on screen after the exit (remain-on-exit) so the last screen can be read too.
`kill()` ends the tmux server (and so everything in its panes).
"""

from __future__ import annotations

import itertools
import os
import shlex
import shutil
import subprocess
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import procs

DEFAULT_TIMEOUT = 30.0
POLL_INTERVAL = 0.03
_counter = itertools.count()


def tmux_missing() -> bool:
    """Whether tmux is not installed."""
    return shutil.which("tmux") is None


def shows_text(screen: str, text: str) -> bool:
    """Whether the screen shows text, as is or with its lines broken (or joined) at spaces."""
    return text in screen or " ".join(text.split()) in " ".join(screen.split())


class TmuxSession:
    """One tmux server (socket `-L NAME`) with one session `main` of a fixed size and no status line."""

    def __init__(self, workdir: Path, width: int = 80, height: int = 24) -> None:
        self.workdir = workdir
        self.width = width
        self.height = height
        self.socket_name = f"bt-{os.getpid()}-{next(_counter)}"
        self.status_file = workdir / f"{self.socket_name}.status"
        self.raw_file = workdir / f"{self.socket_name}.raw"

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run one tmux command against this session's server."""
        return subprocess.run(
            ["tmux", "-u", "-L", self.socket_name, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=15,
            check=check,
        )

    def start(self, command: str, env: Mapping[str, str] | None = None, record_status: bool = True) -> None:
        """Start the server and run a shell command in the pane (its exit status goes to status_file)."""
        script = f"{command}; echo $? > {shlex.quote(str(self.status_file))}" if record_status else command
        env_args = [arg for name, value in (env or {}).items() for arg in ("-e", f"{name}={value}")]
        self.tmux(
            "start-server", ";",
            "set", "-g", "status", "off", ";",
            "set", "-g", "remain-on-exit", "on", ";",
            "set", "-g", "history-limit", "5000", ";",
            "new-session", "-d", "-x", str(self.width), "-y", str(self.height), "-s", "main", *env_args, script,
        )  # fmt: skip

    def record_raw(self) -> None:
        """Copy everything the pane's program writes, escape sequences included, to raw_file."""
        self.tmux("pipe-pane", "-o", "-t", "main", f"cat >> {shlex.quote(str(self.raw_file))}")

    def raw(self) -> bytes:
        """What the pane's program wrote since record_raw()."""
        return self.raw_file.read_bytes() if self.raw_file.exists() else b""

    def send_keys(self, *keys: str) -> None:
        """Press tmux key names (Enter, Escape, C-c, ...)."""
        self.tmux("send-keys", "-t", "main", *keys)

    def type(self, text: str, enter: bool = True) -> None:
        """Type text literally, then press Enter."""
        self.tmux("send-keys", "-t", "main", "-l", text)
        if enter:
            self.send_keys("Enter")

    def screen(self, history: bool = False) -> str:
        """The pane as text: the visible screen, or with history=True everything since the start."""
        args = ["capture-pane", "-p", "-J", "-t", "main"]
        return self.tmux(*args, *(["-S", "-"] if history else [])).stdout

    def wait_for(
        self, expected: str | Callable[[str], bool], timeout: float = DEFAULT_TIMEOUT, history: bool = True
    ) -> str:
        """Poll the pane until it shows the text (or the predicate holds); return the screen, or fail showing it.

        A text counts wherever its lines break at spaces: billing-tui wraps long paragraphs to the terminal's width.
        """
        check = expected if callable(expected) else (lambda screen: shows_text(screen, expected))
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen(history)
            if check(screen):
                return screen
            time.sleep(POLL_INTERVAL)
        raise AssertionError(f"{expected!r} not on screen after {timeout}s; screen:\n{screen}")

    def wait_exit(self, timeout: float = DEFAULT_TIMEOUT) -> int:
        """Poll until the command has ended and return its exit status."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.status_file.exists():
                text = self.status_file.read_text().strip()
                if text:
                    return int(text)
            time.sleep(POLL_INTERVAL)
        raise AssertionError(f"the command did not exit within {timeout}s; screen:\n{self.screen(True)}")

    def pane_pid(self) -> int:
        """The PID of the pane's process (the shell running the command)."""
        return int(self.tmux("display-message", "-p", "-t", "main", "#{pane_pid}").stdout.strip())

    def _format(self, variable: str) -> str | None:
        """One tmux format variable of the running server, or None when it is not running."""
        done = self.tmux("display-message", "-p", variable, check=False)
        return done.stdout.strip() or None if done.returncode == 0 else None

    def kill(self) -> None:
        """End the tmux server, and with it the pane's processes; make sure of it by PID, then remove the socket."""
        pid, socket_path = self._format("#{pid}"), self._format("#{socket_path}")
        self.tmux("kill-server", check=False)
        if pid is not None and pid.isdecimal():
            procs.end(procs.wait_gone([int(pid)], 5))
        if socket_path is not None:
            Path(socket_path).unlink(missing_ok=True)
