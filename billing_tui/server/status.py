"""What `billing-tui doctor` says about the session server: the socket, whether one runs, and whether this attaches."""

from __future__ import annotations

import argparse
import os
import stat
from collections.abc import Iterator, Mapping
from typing import TextIO

from billing_tui.server import paths


def rows(env: Mapping[str, str], out: TextIO, inp: TextIO, content: str | None) -> Iterator[tuple[str, str]]:
    """Label/value rows: socket path, server state, and what a full-screen launch here would do."""
    from billing_tui.mode import wants_plain

    path = paths.socket_path(env)
    yield "socket", path
    state, reason = _server_state(path, content)
    yield "server", state
    if reason is None:
        plain = wants_plain(argparse.Namespace(plain=False), env) or not (_tty(inp) and _tty(out))
        reason = "the plain line mode never attaches" if plain else None
    if reason is None:
        yield "this launch", "would attach to the server (billing-tui --no-server starts on its own)"
    else:
        yield "this launch", f"would start on its own: {reason}"


def _server_state(path: str, content: str | None) -> tuple[str, str | None]:
    """The server's state in words, and why a launch would not attach (None when it would)."""
    from billing_tui.server import client

    try:
        info = os.lstat(path)
    except OSError:
        return "not running (no socket)", "no server is running"
    try:
        paths.check_dir(os.path.dirname(path))
    except paths.InsecureSocketDir as exc:
        return f"not used: {exc}", "the socket directory is not safe"
    if not stat.S_ISSOCK(info.st_mode) or info.st_uid != os.getuid():
        return "not used: the path is not a socket of this user", "the socket is not this user's"
    try:
        sock, reply = client.request(path, client.hello("probe", [], content), None)
    except OSError as exc:
        return f"not answering ({exc or 'no reply'})", "the server does not answer"
    sock.close()
    sessions = reply.get("sessions")
    state = f"running (pid {reply.get('pid')}, {sessions} live sessions)"
    if reply.get("status") == "would-attach":
        return state, None
    return state, str(reply.get("reason"))


def _tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
