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

# Everything Textual's LinuxDriver (8.2) switches on in application mode, undone much as its own
# stop_application_mode undoes it, for a worker that died without doing so. First a string terminator (a
# worker killed in the middle of an OSC, such as a link, leaves the terminal reading a string), then: the end of
# a synchronized update (2026, each frame is one), plain colours and attributes, bracketed paste (2004), in-band
# resize (2048), mouse reporting (1000, 1002, 1003, 1015, 1006 and pixels 1016), the kitty keyboard flags (a pop,
# before the alternate screen is left: each screen has its own stack), the alternate screen (1049), the cursor
# shown (25), focus events (1004), and line wrap back on (7, after leaving the alternate screen: Textual turns it
# off, and a shell's long lines would be cut at the window's edge).
RESET = (
    "\x1b\\\x1b[?2026l\x1b[0m\x1b[?2004l\x1b[?2048l"
    "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?1016l"
    "\x1b[<u\x1b[?1049l\x1b[?25h\x1b[?1004l\x1b[?7h\r\n"
)
# After a job-control stop is passed on, how long the client waits for its worker to give the terminal back
# (restore it and stop) before it stops itself anyway.
STOP_WAIT = 1.0


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
    return 128 - code if code < 0 else code  # -N: the worker was killed by signal N


def _go_and_wait(sock: socket.socket) -> int | None:
    """Tell the worker to start, then wait for its exit code (None if the connection ends without one).

    A negative code -N is the server's word that the worker was killed by signal N (protocol.py).
    """
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
    stopped: list[bool] = []  # set while this client is stopped by a job-control stop it passed on

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

    def on_stop(signum: int, frame: object) -> None:
        """A job-control stop (kill -TSTP): the worker gives the terminal back and stops, as a cold start does
        (Textual's own SIGTSTP handler), then this client stops, so the shell sees the job Stopped."""
        _kill(pid, signal.SIGTSTP)
        _wait_stopped(pid, STOP_WAIT)
        stopped.append(True)
        _stop_self()

    def on_cont(signum: int, frame: object) -> None:
        """Continued: the worker takes the terminal again and repaints (Textual's SIGCONT handler); after `bg`,
        where the terminal is the shell's, this client stops again instead, as a cold start does."""
        if stopped and _in_background():
            _stop_self()
            return
        stopped.clear()
        _kill(pid, signal.SIGCONT)

    signal.signal(signal.SIGWINCH, to_worker)
    signal.signal(signal.SIGCONT, on_cont)
    signal.signal(signal.SIGTSTP, on_stop)
    for signum in (signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, to_group)
    signal.signal(signal.SIGTERM, on_term)
    code = _go_and_wait(sock)
    if code is None:
        _restore(saved)
        print("billing-tui: the session ended without an exit code (terminal restored)", file=sys.stderr)
        return 1
    if code < 0:  # the worker was killed by a signal, perhaps in full-screen mode: undo all of it and say so
        _restore(saved)
        print(
            f"billing-tui: the session was ended by signal {_signal_name(-code)} (terminal restored)", file=sys.stderr
        )
        return 128 - code
    if saved is not None and _termios() != saved:  # left in raw mode all the same: undo it
        _restore(saved)
    return code


def _signal_name(signum: int) -> str:
    """SIGKILL for 9; the number for one Python does not know."""
    try:
        return signal.Signals(signum).name
    except ValueError:
        return str(signum)


def _wait_stopped(pid: int, timeout: float) -> None:
    """Poll until the worker is stopped (or gone), for at most timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _state(pid) not in ("T", "t", "Z", "X", ""):
        time.sleep(0.005)


def _state(pid: int) -> str:
    """The process's state letter in /proc/PID/stat (T: stopped), or "" when it is gone or cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat_file:
            raw = stat_file.read()
    except OSError:
        return ""
    fields = raw[raw.rfind(b")") + 2 :].split()
    return fields[0].decode("ascii", "replace") if fields else ""


def _stop_self() -> None:
    """Stop this process as the shell's job control expects (SIGSTOP cannot be caught, ignored or discarded)."""
    os.kill(os.getpid(), signal.SIGSTOP)


def _in_background() -> bool:
    """Whether this process's terminal is in another process group's hands (the job was continued with `bg`)."""
    try:
        return os.tcgetpgrp(0) != os.getpgrp()
    except OSError:  # not a terminal, or not this process's controlling one: nothing to tell
        return False


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
