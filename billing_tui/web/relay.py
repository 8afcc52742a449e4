"""A tab's session started while its page loads: output waits in a backlog until the page's websocket attaches."""

from __future__ import annotations

import secrets
from collections import deque

from aiohttp import web
from textual_serve.app_service import AppService

MAX_BACKLOG = 1 << 20  # bytes held for a page that has not connected yet; a first frame is tens of KiB


class Relay:
    """Where AppService writes a tab's output: held until attach(), then sent to the websocket in order."""

    def __init__(self) -> None:
        self.ticket = secrets.token_urlsafe(18)
        self.socket: web.WebSocketResponse | None = None
        self.backlog: deque[bytes | str] = deque()
        self.held = 0
        self.closed = False
        self.drew = False  # the app wrote something: it started (a tab's first frame)
        self.service: AppService  # set by the server right after

    async def write_bytes(self, data: bytes) -> None:
        await self._write(data)

    async def write_str(self, data: str) -> None:
        await self._write(data)

    async def _write(self, data: bytes | str) -> None:
        self.drew = True
        if self.socket is not None:
            await _send(self.socket, data)
        elif not self.closed:
            self.backlog.append(data)
            self.held += len(data)
            if self.held > MAX_BACKLOG:
                self.closed = True  # a runaway process: the session is dropped when the page comes

    async def close(self) -> None:
        """The app has quit: close the websocket, or mark the session closed for a page still loading."""
        self.closed = True
        if self.socket is not None:
            await self.socket.close()

    async def attach(self, socket: web.WebSocketResponse, width: int, height: int) -> None:
        """Send the backlog, then pass output straight through (writes during the flush queue behind it).

        The page's size goes first: the session (started before the page knew it) waits for it to start drawing.
        """
        await self.service.set_terminal_size(width, height)
        while self.backlog:
            await _send(socket, self.backlog.popleft())
        self.socket = socket
        if self.closed:
            await socket.close()


async def _send(socket: web.WebSocketResponse, data: bytes | str) -> None:
    if isinstance(data, bytes):
        await socket.send_bytes(data)
    else:
        await socket.send_str(data)
