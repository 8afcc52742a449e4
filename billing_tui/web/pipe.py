"""Between a tab's websocket and its app process: the page's messages in, the process ended with the socket."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
from asyncio.subprocess import Process

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService

from billing_tui.web.attached import WorkerProcess
from billing_tui.web.compat import process_of

EXIT_GRACE = 1.0  # how long a tab's app may take to quit once asked before its process is killed
MAX_COLUMNS, MAX_ROWS = 500, 200


def terminal_size(value: str | None, default: int, most: int) -> int:
    """A terminal dimension from the query string, kept between 1 and `most`."""
    try:
        return max(1, min(most, int(value or default)))
    except ValueError:
        return default


async def pass_input(socket: web.WebSocketResponse, service: AppService) -> None:
    """Pass the page's keys, resizes and focus changes to the app; anything malformed is dropped."""
    async for message in socket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
        except ValueError:
            continue
        if not isinstance(envelope, list) or not envelope:
            continue
        kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8", "replace"))
        elif kind == "resize" and isinstance(data, dict):
            width = terminal_size(str(data.get("width")), 80, MAX_COLUMNS)
            height = terminal_size(str(data.get("height")), 24, MAX_ROWS)
            await service.set_terminal_size(width, height)
        elif kind == "ping" and isinstance(data, str):
            await socket.send_json(["pong", data[:32]])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()


async def close_when_gone(service: AppService, socket: web.WebSocketResponse) -> None:
    """When the app's process ends by itself (quit, crash), close the tab's socket: the page shows 'ended'."""
    process = process_of(service)
    if process is not None:
        await process.wait()
        await socket.close()


async def end_session(service: AppService) -> None:
    """Ask the app to quit; kill its process if it has not gone within EXIT_GRACE."""
    process = process_of(service)
    if process is None:
        return
    if process.returncode is None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(service.stop(), EXIT_GRACE)
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            kill(process)
    with contextlib.suppress(Exception):
        await asyncio.wait_for(process.wait(), EXIT_GRACE)


def kill(process: Process | WorkerProcess) -> None:
    """SIGKILL a tab's process without reaping it behind asyncio's back.

    asyncio's Process.kill() goes through Popen.send_signal, which first polls: a child that has just died is reaped
    there, before asyncio's child watcher, which then logs "Unknown child process pid N" and reports 255. Until the
    watcher reaps it the child keeps its pid; between that reap and `returncode` being set lie a few turns of the
    event loop, far too short for the system to hand the pid to another process, so signalling the pid is safe.
    """
    if isinstance(process, Process):
        os.kill(process.pid, signal.SIGKILL)
    else:
        process.kill()
