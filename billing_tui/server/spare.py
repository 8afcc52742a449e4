"""A spare worker: a session started before its client, up to its first frame, on a private pseudo-terminal.

The server forks a spare with a predicted launch (the last client's hello and argv). The spare runs the
ordinary cold-start path (`billing_tui.cli.run`) on a pty of its own whose size is the last client's, so
everything before the first frame (argument parsing, content, `create_app`, compose, mount, styles,
layout, the first paint) is done before anyone connects; nothing reaches a real terminal. It then waits.
When a client whose launch matches the prediction exactly (`prediction_key`) connects, the server passes
the client's fds and its connection over the spare's socketpair: the spare suspends Textual's driver,
puts the client's terminal on fds 0-2 (every stream object stays valid), becomes the client's process
(`worker.become_client_in_place`), waits for the go-ahead, resumes the driver on the real terminal and
repaints the screen whole. A spare never forks; the server forks every spare and every worker itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import socket
import struct
import sys
import termios
import threading
import time
import traceback
from collections.abc import Mapping, Sequence
from typing import Any

from billing_tui import kiosk
from billing_tui.server import protocol, worker

# Per-login variables that nothing in billing-tui, Textual or Rich reads: they may differ from the prediction.
SESSION_VARIABLES = frozenset(
    {"SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "SSH_AUTH_SOCK", "XDG_SESSION_ID", "TMUX_PANE", "OLDPWD", "_"}
)
READY = b"r"  # spare → server: the first frame is painted on the private pty
HANDOFF_FDS = 4  # the client's fds 0, 1, 2 and its connection
QUIET = 0.03  # the first frame is out once the private pty has been quiet this long after the screen showed


def prediction_key(hello: Mapping[str, Any], argv: Sequence[str], ttys: Sequence[bool]) -> str:
    """Everything of a launch a spare's pre-built app may have captured; equal keys mean a spare may serve it.

    The worker's argv, the whole environment the app starts with (after kiosk mode's reduction, less the
    per-login SESSION_VARIABLES), the directory, argv[0], the stream encodings, the ignored signals and
    which of fds 0-2 are terminals. Stricter than what is read: when in doubt, the spare is not used.
    """
    env = {str(k): str(v) for k, v in dict(hello.get("env") or {}).items()}
    if "--kiosk" in argv:
        env = kiosk.session_env(env)
    described = {
        "argv": list(argv),
        "env": sorted((k, v) for k, v in env.items() if k not in SESSION_VARIABLES),
        "cwd": hello.get("cwd"),
        "argv0": hello.get("argv0"),
        "streams": hello.get("streams"),
        "ignored": sorted(int(n) for n in hello.get("ignored") or [] if isinstance(n, int)),
        "ttys": list(ttys),
    }
    return json.dumps(described, sort_keys=True)


def terminal_size(fd: int) -> tuple[int, int] | None:
    """(columns, lines) of the terminal on fd, or None."""
    try:
        lines, columns, _, _ = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8))
    except OSError:
        return None
    return (columns, lines) if columns and lines else None


def send_handoff(sock: socket.socket, hello: Mapping[str, Any], fds: Sequence[int]) -> None:
    """Server → spare: the client's hello, with its three fds and its connection's fd."""
    protocol.send(sock, {"hello": dict(hello)}, list(fds))


def receive_handoff(sock: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """The spare's side of send_handoff: the hello and the four fds (received close-on-exec)."""
    message, fds = protocol.receive(sock, want_fds=True, max_fds=HANDOFF_FDS)
    if len(fds) != HANDOFF_FDS or not isinstance(message.get("hello"), dict):
        protocol.close_all(fds)
        raise protocol.ProtocolError("no handoff")
    return dict(message["hello"]), fds


class Spare:
    """The spare's side: its private pty, its link to the server and, once handed off, its client's connection."""

    def __init__(self, link: socket.socket, size: tuple[int, int], kiosk_mode: bool) -> None:
        self.link = link
        self.size = size
        self.kiosk = kiosk_mode
        self.master = -1
        self.conn: socket.socket | None = None
        self.finished = threading.Event()
        self.last_output = 0.0
        self.started = False
        self.task: asyncio.Task[None] | None = None

    def open_private_terminal(self, streams: Mapping[str, Any]) -> None:
        """fds 0-2 become a pty of the spare's own at the predicted size, with stdio on them as in the client."""
        master, slave = os.openpty()
        columns, lines = self.size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        for target in (0, 1, 2):
            os.dup2(slave, target, inheritable=True)
        os.close(slave)
        os.set_blocking(master, False)
        os.set_inheritable(master, False)
        self.master = master
        worker.rebind_stdio(streams)

    def _drain(self) -> None:
        """What the app writes to the private pty is read and dropped (the pty's buffer would fill and block it)."""
        with contextlib.suppress(OSError):
            while os.read(self.master, 65536):
                self.last_output = time.monotonic()

    def driver_started(self, driver: Any) -> None:
        """Called by the driver each time application mode starts; the first time, wait for a client."""
        if self.started:
            return
        self.started = True
        loop = asyncio.get_running_loop()
        loop.add_reader(self.master, self._drain)
        self.task = loop.create_task(self._serve(driver))

    async def _serve(self, driver: Any) -> None:
        """Tell the server once the first frame is out, then wait for the handoff and become that client."""
        from billing_tui.ui.screens.base import WizardScreen

        app = driver._app
        while not (isinstance(app.screen, WizardScreen) and app.screen.shown is not None):
            await asyncio.sleep(0.005)
        while self.last_output == 0.0 or time.monotonic() - self.last_output < QUIET:
            await asyncio.sleep(QUIET / 3)
        loop = asyncio.get_running_loop()
        handed: asyncio.Future[None] = loop.create_future()

        def readable() -> None:
            if not handed.done():
                handed.set_result(None)

        try:
            loop.add_reader(self.link.fileno(), readable)
            self.link.sendall(READY)
            await handed
            loop.remove_reader(self.link.fileno())
            hello, fds = receive_handoff(self.link)
        except (OSError, ValueError, KeyError, protocol.ProtocolError):
            os._exit(0)  # the server let this spare go (replaced, gone or leaving): no client's terminal was touched
        try:
            self._take_over(driver, hello, fds)
        except Exception:  # a hello it cannot apply: no exit code, so the client restores its terminal and says so
            traceback.print_exc()
            os._exit(1)

    def _take_over(self, driver: Any, hello: Mapping[str, Any], fds: list[int]) -> None:
        """Suspend the driver, become the client's process on its terminal, wait for go, resume and repaint."""
        loop = asyncio.get_running_loop()
        driver.suspend_application_mode()  # input and output threads stopped: nothing is in flight
        loop.remove_reader(self.master)
        self.link.close()
        conn = socket.socket(fileno=fds[3])
        env = {str(k): str(v) for k, v in dict(hello.get("env") or {}).items()}
        worker.become_client_in_place(fds[:3], hello, kiosk.session_env(env) if self.kiosk else env)
        os.close(self.master)  # after the client's terminal is on fds 0-2: the private pty is gone
        conn.settimeout(worker.GO_TIMEOUT)
        try:
            go = conn.recv(1)
        except OSError:
            go = b""
        if go != protocol.GO:
            os._exit(1)  # the client gave up and starts on its own: its terminal was never touched
        conn.settimeout(None)
        self.conn = conn
        worker.watch_client(conn, self.finished)
        driver.resume_application_mode()  # on the client's terminal: raw mode, alternate screen, a Resize
        from billing_tui.ui.driver import repaint_whole

        repaint_whole(driver._app)  # the client's alternate screen is blank: every row must be sent


def run_spare(link: socket.socket, hello: Mapping[str, Any], argv: list[str], size: tuple[int, int]) -> int:
    """The spare's whole life after the fork: the ordinary cold start on a private pty, served once handed off."""
    from billing_tui.cli import run
    from billing_tui.ui import driver as ui_driver

    spare = Spare(link, size, "--kiosk" in argv)
    spare.open_private_terminal(hello.get("streams") or {})
    env = {str(k): str(v) for k, v in dict(hello.get("env") or {}).items()}
    worker.take_context(hello, env)
    ui_driver.on_application_mode = spare.driver_started
    code = 1
    try:
        code = run(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        spare.finished.set()
        if spare.conn is not None:
            protocol.send_exit_code(spare.conn, code)
    return code if spare.conn is not None else 1
