"""The forked worker: become the client's process in every way that matters, then run the ordinary cold start."""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import io
import os
import random
import signal
import socket
import sys
import threading
import traceback
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from billing_tui.server import protocol

# How long a worker waits for the client's go-ahead before it gives up without touching the terminal.
GO_TIMEOUT = 5.0
# After the client's connection closes, how long the app may take to restore the terminal and leave.
ORPHAN_GRACE = 1.5


def _adopt_fds(fds: Sequence[int], keep: int) -> None:
    """The client's terminal fds become 0, 1 and 2; every other fd but the connection is closed."""
    moved = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in fds]  # out of 0-2 first: no dup2 clobbers one
    for target, fd in enumerate(moved):
        os.dup2(fd, target, inheritable=True)
    for fd in _open_fds():
        if fd > 2 and fd != keep:
            with contextlib.suppress(OSError):
                os.close(fd)


def _open_fds() -> list[int]:
    """The fds open in this process."""
    return [int(name) for name in os.listdir("/proc/self/fd") if name.isdecimal()]


def _stream(fd: int, mode: str, encoding: str, errors: str, line_buffering: bool) -> io.TextIOWrapper:
    """A text stream on fd like the one Python would have made at start-up (the fd is not closed with it)."""
    raw = io.FileIO(fd, mode, closefd=False)
    buffered: io.BufferedReader | io.BufferedWriter = io.BufferedReader(raw) if mode == "r" else io.BufferedWriter(raw)
    return io.TextIOWrapper(buffered, encoding=encoding, errors=errors, line_buffering=line_buffering)


# The server's own stdio objects own fds 0-2 (closefd=True): were they collected after the rebind, they would
# close the client's terminal. They are kept here for the worker's whole life (it leaves with os._exit).
_SERVER_STDIO: list[object] = []


def rebind_stdio(streams: Mapping[str, Any]) -> None:
    """sys.std* and sys.__std*__ on the new fds 0-2, with the client's encodings; line-buffered on a terminal."""
    _SERVER_STDIO.extend((sys.stdin, sys.stdout, sys.stderr, sys.__stdin__, sys.__stdout__, sys.__stderr__))
    made = []
    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        spec = streams.get(name) or {}
        encoding = str(spec.get("encoding") or "utf-8")
        errors = str(spec.get("errors") or ("backslashreplace" if name == "stderr" else "strict"))
        line_buffering = name == "stderr" or os.isatty(fd)
        made.append(_stream(fd, mode, encoding, errors, line_buffering))
    sys.stdin, sys.stdout, sys.stderr = made
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = made  # type: ignore[misc]  # Textual's driver uses these


def _replace_environ(env: Mapping[str, str]) -> None:
    """os.environ becomes the client's, in libc's environ too: each removal and addition goes through putenv."""
    for name in list(os.environ):
        del os.environ[name]  # os.environ's __delitem__ calls unsetenv, so libc's copy loses it as well
    for name, value in env.items():
        if name and "=" not in name and "\0" not in name and "\0" not in value:
            os.environ[name] = value


def reset_signals(ignored: Sequence[int]) -> None:
    """Signal dispositions as the client's own interpreter has them: what it ignores stays ignored (nohup, a
    background job, Python's own SIGPIPE), SIGINT raises KeyboardInterrupt, every other signal its default."""
    signal.set_wakeup_fd(-1)
    skip = {signal.SIGKILL, signal.SIGSTOP}
    for signum in signal.valid_signals() - skip:
        if signum in ignored:
            handler: Any = signal.SIG_IGN
        elif signum == signal.SIGINT:
            handler = signal.default_int_handler
        else:
            handler = signal.SIG_DFL
        with contextlib.suppress(OSError, ValueError):
            signal.signal(signum, handler)
    signal.pthread_sigmask(signal.SIG_SETMASK, set())


def _forget_atexit() -> None:
    """Drop the server's atexit handlers, so nothing registered in the server runs when a worker ends.

    atexit has no public call for this; atexit._clear() is CPython's own (used by its tests and by
    forking servers), and the worker leaves with os._exit anyway, so this is a second line of defence.
    """
    atexit._clear()


def watch_client(conn: socket.socket, finished: threading.Event) -> None:
    """When the client's connection closes (ssh drop, client killed), hang up the app, and leave if it lingers."""

    def watch() -> None:
        with contextlib.suppress(OSError):
            while conn.recv(64):
                pass  # the client sends nothing after its go-ahead; anything else is ignored
        if finished.is_set():
            return
        with contextlib.suppress(OSError):
            os.kill(os.getpid(), signal.SIGHUP)
        if not finished.wait(ORPHAN_GRACE):
            os._exit(128 + signal.SIGHUP)

    threading.Thread(target=watch, name="client-watch", daemon=True).start()


def _is_controlling_terminal(fd: int) -> bool:
    """Whether fd is this process's controlling terminal (then, in a background group, reads would stop it)."""
    try:
        os.tcgetpgrp(fd)
    except OSError:
        return False
    return True


def _become_process(fds: Sequence[int]) -> None:
    """The client's process in the kernel's eyes and the server's leftovers dropped: group, atexit, random, buffers."""
    if _is_controlling_terminal(fds[0]):
        os.setsid()  # the client's terminal is the server's own (started from it): leave that session, take no ctty
    else:
        os.setpgid(0, 0)  # its own group for the client's signal relay; no setsid and no controlling terminal
    _forget_atexit()
    random.seed()
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):  # nothing earlier reaches the client
        with contextlib.suppress(Exception):
            stream.flush()  # type: ignore[union-attr]


def take_context(hello: Mapping[str, Any], env: Mapping[str, str]) -> None:
    """The client's directory, umask, environment and argv[0]."""
    try:
        os.chdir(str(hello.get("cwd") or "/"))
    except OSError:
        os.chdir("/")
    os.umask(int(hello.get("umask", 0o022)) & 0o777)
    _replace_environ(env)
    sys.argv = [str(hello.get("argv0") or "billing-tui")]


def become_client(conn: socket.socket, fds: Sequence[int], hello: Mapping[str, Any]) -> None:
    """Everything the worker does before it runs the app: process group, fds, stdio, directory, environment, state."""
    _become_process(fds)
    _adopt_fds(fds, conn.fileno())
    rebind_stdio(hello.get("streams") or {})
    take_context(hello, {str(k): str(v) for k, v in dict(hello.get("env") or {}).items()})


def become_client_in_place(fds: Sequence[int], hello: Mapping[str, Any], env: Mapping[str, str]) -> None:
    """A spare's become_client: the client's fds replace 0-2 under the live stdio objects (same encodings, by the
    spare's match rule), the received copies are closed, and the rest is become_client's."""
    _become_process(fds)
    for target, fd in enumerate(fds):
        os.dup2(fd, target, inheritable=True)
    protocol.close_all(list(fds))
    take_context(hello, env)


def run(conn: socket.socket, argv: list[str], entry: Callable[[list[str]], int]) -> int:
    """Wait for the client's go-ahead, run the cold start's entry point, report its exit code as soon as it returns."""
    conn.settimeout(GO_TIMEOUT)
    try:
        go = conn.recv(1)
    except OSError:
        go = b""
    if go != protocol.GO:
        return 1  # the client gave up: it starts on its own, and this worker must not touch its terminal
    conn.settimeout(None)
    finished = threading.Event()
    watch_client(conn, finished)
    code = 1
    try:
        code = entry(argv)
    except SystemExit as exc:  # argparse's own exits, as a cold start would have them
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # a crash: the traceback a cold start would print, and its exit code
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        finished.set()
        protocol.send_exit_code(conn, code)
    return code


def entry(kind: str) -> Callable[[list[str]], int]:
    """What a worker runs with its argv: the CLI for a terminal launch, the cold tab's session for a web one."""
    if kind == "web":
        from billing_tui.server.webtab import run_tab

        return run_tab
    from billing_tui.cli import run

    return run
