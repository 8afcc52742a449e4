"""The client side of a launch: hand this terminal (or a browser tab's pipes) to a warm worker, exit with its code.

Standard library only, and nothing heavy: it runs before anything of Textual, Rich or attrs is imported (a
test checks sys.modules), so a launch that finds no server starts cold at no extra cost.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import stat
import sys
import termios
import time
from collections.abc import Sequence
from typing import Any

from billing_tui.server import identity, paths, protocol, reply_wait
from billing_tui.server.reply_wait import ATTACH_TIMEOUT

# What a worker that died in full-screen mode leaves switched on: alternate screen, hidden cursor, mouse
# reporting, bracketed paste, focus events, in-band resize, kitty keyboard flags.
RESET = (
    "\x1b[?1049l\x1b[?25h\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l"
    "\x1b[?2004l\x1b[?1004l\x1b[?2048l\x1b[<u\r\n"
)


def available_socket() -> str | None:
    """The socket path when a socket of ours is there in a trusted directory (one lstat in the usual case)."""
    path = paths.socket_path(os.environ)
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISSOCK(info.st_mode) or info.st_uid != os.getuid():
        return None
    try:
        paths.check_dir(os.path.dirname(path))
    except paths.InsecureSocketDir:
        return None
    return path


def _stream_spec(stream: Any) -> dict[str, str]:
    return {"encoding": getattr(stream, "encoding", None) or "utf-8", "errors": getattr(stream, "errors", None) or ""}


def hello(kind: str, argv: Sequence[str], content: str | None) -> dict[str, Any]:
    """What a worker needs to be this process: build, environment, directory, umask, options, stream encodings."""
    umask = os.umask(0o022)
    os.umask(umask)
    try:
        cwd = os.getcwd()
    except OSError:
        cwd = "/"
    return {
        "kind": kind,
        "build": identity.build_id(),
        "env": dict(os.environ),
        "cwd": cwd,
        "umask": umask,
        "argv0": sys.argv[0] if sys.argv else "billing-tui",
        "argv": list(argv),
        "content": content,
        "streams": {name: _stream_spec(getattr(sys, name)) for name in ("stdin", "stdout", "stderr")},
        "ignored": _ignored_signals(),
    }


def _ignored_signals() -> list[int]:
    """The signals this process ignores (inherited from nohup or a shell's background job, or Python's own)."""
    ignored = []
    for signum in signal.valid_signals():
        try:
            if signal.getsignal(signum) is signal.SIG_IGN:
                ignored.append(int(signum))
        except (OSError, ValueError):
            continue
    return ignored


def request(path: str, message: dict[str, Any], fds: list[int] | None) -> tuple[socket.socket, dict[str, Any]]:
    """Connect, send the message (with fds), and read the reply; raise OSError if the server does not answer in time.

    In time: within ATTACH_TIMEOUT, or up to BUSY_LIMIT while the server is seen at work (server.reply_wait).
    """
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
    started = time.monotonic()
    try:
        sock.settimeout(ATTACH_TIMEOUT)
        sock.connect(path)
        protocol.send(sock, message, fds)
        reply_wait.wait_for_reply(sock, started)
        sock.settimeout(ATTACH_TIMEOUT)  # the reply is one small frame, sent at once
        reply, extra = protocol.receive(sock)
        protocol.close_all(extra)
    except (OSError, protocol.ProtocolError) as exc:
        sock.close()
        raise OSError(str(exc)) from None
    return sock, reply


def _attached_worker(kind: str, argv: Sequence[str], content: str | None) -> tuple[socket.socket, int] | None:
    """Hand fds 0-2 to the server as a `kind` session: the connection and the worker's pid, or None to start cold."""
    path = available_socket()
    if path is None:
        return None
    try:
        sock, reply = request(path, hello(kind, argv, content), [0, 1, 2])
    except OSError:
        return None
    pid = reply.get("pid")
    if reply.get("status") != "attached" or not isinstance(pid, int) or pid <= 1:
        sock.close()
        return None
    return sock, pid


def attach(argv: Sequence[str], content: str | None) -> int | None:
    """Run this launch in a warm worker and return its exit code, or None to start cold (no server, or it said so)."""
    attached = _attached_worker("attach", argv, content)
    if attached is None:
        return None
    sock, pid = attached
    return _relay(sock, pid)


def attach_web(argv: Sequence[str], content: str | None) -> int | None:
    """Run this browser tab's session in a warm worker and return its exit code, or None to start cold.

    fds 0-2 are textual-serve's pipes: no terminal to save or restore, and nothing is written to stdout (it
    carries the web driver's protocol). Signals asking this process to end are passed on; when it is killed
    (the tab closed), its connection closes and the worker's watcher ends the worker.
    """
    attached = _attached_worker("web", argv, content)
    if attached is None:
        return None
    sock, pid = attached

    def to_worker(signum: int, frame: object) -> None:
        _kill(pid, signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, to_worker)
    code = _go_and_wait(sock)
    if code is None:
        print("billing-tui: the web session ended without an exit code", file=sys.stderr)
        return 1
    return code


def _go_and_wait(sock: socket.socket) -> int | None:
    """Tell the worker to start, then wait for its exit code (None if the connection ends without one)."""
    try:
        sock.settimeout(None)
        sock.sendall(protocol.GO)
    except OSError:
        pass
    code = protocol.receive_exit_code(sock)
    sock.close()
    return code


def _relay(sock: socket.socket, pid: int) -> int:
    """Pass signals to the worker until it reports its exit code; restore the terminal if it never does."""
    saved = _termios()
    terms: list[int] = []

    def to_worker(signum: int, frame: object) -> None:
        _kill(pid, signum)

    def to_group(signum: int, frame: object) -> None:
        _kill(-pid, signum)

    def on_term(signum: int, frame: object) -> None:
        terms.append(signum)
        if len(terms) > 1:  # asked twice: the worker does not answer; give the terminal back and leave
            _restore(saved)
            os._exit(128 + signum)
        _kill(pid, signum)

    for signum in (signal.SIGWINCH, signal.SIGCONT):
        signal.signal(signum, to_worker)
    for signum in (signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, to_group)
    signal.signal(signal.SIGTERM, on_term)
    code = _go_and_wait(sock)
    if code is None:
        _restore(saved)
        print("billing-tui: the session ended without an exit code (terminal restored)", file=sys.stderr)
        return 1
    if saved is not None and _termios() != saved:  # the worker died by a signal, in raw mode: undo it
        _restore(saved)
    return code


def _kill(pid: int, signum: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signum)


def _termios() -> list[Any] | None:
    """This terminal's settings before the worker changes them, to put back if it dies."""
    try:
        return termios.tcgetattr(0)
    except (termios.error, OSError):
        return None


def _restore(saved: list[Any] | None) -> None:
    """Put the saved terminal settings back and switch off what a full-screen app switches on."""
    if saved is not None:
        with contextlib.suppress(termios.error, OSError):
            termios.tcsetattr(0, termios.TCSAFLUSH, saved)
    with contextlib.suppress(OSError):
        os.write(1, RESET.encode())
