"""The wire format between client, server and worker (stdlib only).

Client → server: one frame (4-byte big-endian length, then a UTF-8 JSON object), with the client's
fds 0, 1 and 2 attached by SCM_RIGHTS to its first bytes when it asks to attach. Its "kind" is "attach" (a
full-screen terminal launch), "web" (a browser tab's session: fds 0-2 are textual-serve's pipes, argv the tab's
options of billing_tui.web.session) or "probe" (no fds: would the server take a launch?).
Server → client: one reply frame ({"status": "attached", "pid": N} or {"status": "cold", "reason": ...}; a probe's
also says how many sessions live and how many spares are ready).
Client → worker: one byte, "go", once the client has read the reply and relays signals.
Worker (or server, when the worker died without saying) → client: the exit code, 4 bytes, signed big-endian;
-N (from the server) when the worker was killed by signal N, which the client turns into 128+N and one line.
"""

from __future__ import annotations

import array
import contextlib
import json
import os
import socket
import struct
import time
from typing import Any

MAX_FRAME = 1 << 20  # an environment and a build description fit easily; anything larger is refused
HEADER = struct.Struct(">I")
EXIT_CODE = struct.Struct(">i")
FD_COUNT = 3
GO = b"g"
KINDS = ("attach", "web", "probe")
WITH_FDS = ("attach", "web")


class ProtocolError(Exception):
    """A peer sent something that is not a valid message; the connection is closed."""


def encode(message: dict[str, Any]) -> bytes:
    """One frame: length, then the JSON body."""
    body = json.dumps(message, separators=(",", ":")).encode("utf-8")
    if len(body) > MAX_FRAME:
        raise ProtocolError(f"message of {len(body)} bytes is over the {MAX_FRAME}-byte limit")
    return HEADER.pack(len(body)) + body


def peer_credentials(sock: socket.socket) -> tuple[int, int, int]:
    """The pid, uid and gid of the process on the other end of a connected Unix socket (SO_PEERCRED)."""
    pid, uid, gid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))
    return int(pid), int(uid), int(gid)


def send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    """Send a frame, with fds attached to its first byte when given."""
    data = encode(message)
    if fds:
        sent = sock.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))])
        data = data[sent:]
    if data:
        sock.sendall(data)


def _recv_exact(sock: socket.socket, size: int, into: bytearray, deadline: float | None = None) -> None:
    """Read until `into` holds `size` bytes, or fail on end of stream (or, with a deadline, once it has passed)."""
    while len(into) < size:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ProtocolError("the message did not arrive in time")
            sock.settimeout(left)
        chunk = sock.recv(min(65536, size - len(into)))
        if not chunk:
            raise ProtocolError("the connection closed mid-message")
        into += chunk


def receive(
    sock: socket.socket, want_fds: bool = False, max_fds: int = FD_COUNT, deadline: float | None = None
) -> tuple[dict[str, Any], list[int]]:
    """Read one frame and up to max_fds fds sent with it (received close-on-exec); the caller owns the fds.

    With a deadline (time.monotonic()), the whole message must have arrived by then, however it trickles in.
    """
    cmsg_space = socket.CMSG_SPACE(max_fds * array.array("i").itemsize) if want_fds else 0
    flags = getattr(socket, "MSG_CMSG_CLOEXEC", 0)
    data, ancillary, msg_flags, _ = sock.recvmsg(HEADER.size, cmsg_space, flags)
    fds = _fds(ancillary)
    try:
        if msg_flags & getattr(socket, "MSG_CTRUNC", 0):
            raise ProtocolError("too many file descriptors")
        if not data:
            raise ProtocolError("the connection closed before a message")
        buffer = bytearray(data)
        _recv_exact(sock, HEADER.size, buffer, deadline)
        (length,) = HEADER.unpack(bytes(buffer))
        if length > MAX_FRAME:
            raise ProtocolError(f"message of {length} bytes is over the {MAX_FRAME}-byte limit")
        body = bytearray()
        _recv_exact(sock, length, body, deadline)
        try:
            message = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ProtocolError("the message is not UTF-8 JSON") from None
        if not isinstance(message, dict):
            raise ProtocolError("the message is not a JSON object")
    except BaseException:
        close_all(fds)
        raise
    return message, fds


def _fds(ancillary: list[tuple[int, int, bytes]]) -> list[int]:
    """The fds carried by SCM_RIGHTS control messages."""
    fds = array.array("i")
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
    return list(fds)


def close_all(fds: list[int]) -> None:
    """Close fds, ignoring ones already closed, and empty the list: a second call cannot close a reused number."""
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)
    fds.clear()


def send_exit_code(sock: socket.socket, code: int) -> None:
    """Tell the client its exit code; a client already gone is not an error."""
    with contextlib.suppress(OSError):
        sock.sendall(EXIT_CODE.pack(code))


def receive_exit_code(sock: socket.socket) -> int | None:
    """The exit code, or None when the connection ended without one."""
    buffer = bytearray()
    try:
        _recv_exact(sock, EXIT_CODE.size, buffer)
    except (ProtocolError, OSError):
        return None
    (code,) = EXIT_CODE.unpack(bytes(buffer))
    return int(code)
