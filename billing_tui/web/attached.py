"""A tab's session attached from the web server itself to the session server's warm worker: no Python child.

The web server makes the three pipes a tab's process would have had, hands their far ends to the session server
(the very message `billing-tui web`'s child sent, with textual-serve's environment) and speaks textual-serve's
protocol on the near ends. The worker (a child of the session server) stands in for the tab's process:
`WorkerProcess` gives AppService and web/pipe.py the little of asyncio's Process they use.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
from collections.abc import Sequence
from typing import Any

from billing_tui.server import protocol
from billing_tui.server.client import available_socket, hello, request

UTF8 = {"encoding": "utf-8", "errors": ""}  # what Python picks on textual-serve's pipes in a UTF-8 locale


class WorkerProcess:
    """A warm worker seen as the tab's process: its pid, its pipes, and its exit code read from the connection."""

    def __init__(
        self,
        pid: int,
        conn: socket.socket,
        stdin: asyncio.StreamWriter,
        stdout: asyncio.StreamReader,
        stderr: asyncio.StreamReader,
    ) -> None:
        self.pid = pid
        self.conn = conn
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self.returncode: int | None = None
        # The worker is the session server's child, not ours: once it ends and is reaped its pid may be reused, so
        # it is signalled through a pidfd, which can only ever reach this very process.
        self._pidfd: int | None = None
        with contextlib.suppress(OSError):
            self._pidfd = os.pidfd_open(pid)
        self._ended = asyncio.get_running_loop().create_task(self._exit_code())

    async def _exit_code(self) -> None:
        """Wait for the worker's exit code on the connection (1 if it closes without one); then it is gone."""
        loop = asyncio.get_running_loop()
        data = b""
        with contextlib.suppress(OSError):
            while len(data) < protocol.EXIT_CODE.size:
                chunk = await loop.sock_recv(self.conn, protocol.EXIT_CODE.size - len(data))
                if not chunk:
                    break
                data += chunk
        self.returncode = protocol.EXIT_CODE.unpack(data)[0] if len(data) == protocol.EXIT_CODE.size else 1
        self.conn.close()
        self._close_pidfd()
        with contextlib.suppress(Exception):
            self.stdin.close()

    async def wait(self) -> int:
        await asyncio.shield(self._ended)
        assert self.returncode is not None
        return self.returncode

    def kill(self) -> None:
        """End the worker now: SIGKILL through its pidfd while it has not reported, and the connection closed.

        Without a pidfd only the connection closes: the worker's own watcher then hangs it up within 1.5 s.
        """
        if self.returncode is None and self._pidfd is not None:
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.conn.shutdown(socket.SHUT_RDWR)

    def _close_pidfd(self) -> None:
        pidfd, self._pidfd = self._pidfd, None
        if pidfd is not None:
            with contextlib.suppress(OSError):
                os.close(pidfd)


def _message(argv: Sequence[str], content: str | None, env: dict[str, str]) -> dict[str, Any]:
    """The session server's `web` hello, as the tab's own process would have sent it under textual-serve."""
    message = hello("web", argv, content)
    message.update(env=env, argv0="billing-tui", streams={name: UTF8 for name in ("stdin", "stdout", "stderr")})
    return message


async def attach(argv: Sequence[str], content: str | None, env: dict[str, str]) -> WorkerProcess | None:
    """A warm worker running this tab's session on new pipes, started; None when no session server takes it."""
    path = available_socket()
    if path is None:
        return None
    stdin_r, stdin_w = os.pipe()
    stdout_r, stdout_w = os.pipe()
    stderr_r, stderr_w = os.pipe()
    theirs, ours = (stdin_r, stdout_w, stderr_w), (stdin_w, stdout_r, stderr_r)
    loop = asyncio.get_running_loop()
    try:
        conn, reply = await loop.run_in_executor(None, request, path, _message(argv, content, env), list(theirs))
    except OSError:
        reply, conn = {}, None
    finally:
        for fd in theirs:
            os.close(fd)
    pid = reply.get("pid")
    if conn is None or reply.get("status") != "attached" or not isinstance(pid, int) or pid <= 1:
        if conn is not None:
            conn.close()
        for fd in ours:
            os.close(fd)
        return None
    stdin = await _writer(stdin_w)
    stdout, stderr = await _reader(stdout_r), await _reader(stderr_r)
    conn.setblocking(False)
    process = WorkerProcess(pid, conn, stdin, stdout, stderr)
    with contextlib.suppress(OSError):
        await loop.sock_sendall(conn, protocol.GO)
    return process


async def _reader(fd: int) -> asyncio.StreamReader:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=1 << 20)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(fd, "rb", buffering=0))
    return reader


async def _writer(fd: int) -> asyncio.StreamWriter:
    loop = asyncio.get_running_loop()
    transport, protocol_ = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin, os.fdopen(fd, "wb", 0))
    return asyncio.StreamWriter(transport, protocol_, None, loop)
