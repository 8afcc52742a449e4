"""The server's socket file and its peers: clearing a stale socket, refusing a live one, the peer's uid."""

from __future__ import annotations

import os
import socket
import stat

from billing_tui.server import paths, protocol


class AlreadyServing(Exception):
    """Another server answers on the socket path."""


def peer_uid(conn: socket.socket) -> int:
    """The uid of the process on the other end (SO_PEERCRED)."""
    return protocol.peer_credentials(conn)[1]


def clear_stale(path: str) -> None:
    """Remove a socket nobody answers on; refuse when a server answers or the path is not a socket."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISSOCK(info.st_mode):
        raise paths.InsecureSocketDir(f"{path} exists and is not a socket")
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(1.0)
    try:
        probe.connect(path)
    except OSError:
        os.unlink(path)
        return
    finally:
        probe.close()
    raise AlreadyServing(f"a server is already listening on {path}")
