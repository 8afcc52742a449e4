"""Waiting until a key's effects have settled: no message queued or in hand anywhere in the app, no worker running.

Textual says a message pump has handled everything sent to it before a callback when that
`call_later` callback runs (the Pilot waits for a screen the same way). One round posts such
a callback to the app, the top screen and each of its widgets and waits for all of them; the
app is settled when, after a round, the same pumps are there (a screen pushed meanwhile
composes outside its queue, so it needs a round of its own), no queue of any screen holds a
message and no worker (the command palette's search, say) is still to produce its result.
All of it is public Textual API.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual.app import App
from textual.message_pump import MessagePump
from textual.worker import WorkerState

BUSY_WORKER = (WorkerState.PENDING, WorkerState.RUNNING)
WORKER_POLL = 0.005  # seconds between looks at a running worker


def app_pumps(app: App[Any]) -> list[MessagePump]:
    """The app, the top screen and its widgets: where keys go and dialogs and screens are pushed, so round trips go.

    Screens below the top get no round trip: a message woken there makes Textual 8.2.8
    repaint the whole top screen (a background screen passes its dirty regions up), so
    they are only checked for queued messages (see `below_top`).
    """
    return [app, *app.screen.walk_children(with_self=True)]


def below_top(app: App[Any]) -> list[MessagePump]:
    """Every screen under the top one and its widgets (a dialog's result reaches the screen that opened it)."""
    pumps: list[MessagePump] = []
    for screen in app.screen_stack[:-1]:
        pumps.extend(screen.walk_children(with_self=True))
    return pumps


async def round_trip(pumps: list[MessagePump]) -> None:
    """Return once each pump has handled every message it had when this was called (pumps closing are skipped)."""
    loop = asyncio.get_running_loop()
    waits = []
    for pump in pumps:
        done = loop.create_future()
        if pump.call_later(_resolve, done):
            waits.append(done)
    if waits:
        await asyncio.gather(*waits)


def _resolve(done: asyncio.Future[None]) -> None:
    """Mark a round trip done (unless the wait for it was given up)."""
    if not done.done():
        done.set_result(None)


def workers_busy(app: App[Any]) -> bool:
    """Whether a worker is still pending or running."""
    return any(worker.state in BUSY_WORKER for worker in app.workers)


async def wait_settled(app: App[Any], timeout: float) -> bool:
    """Wait until nothing is pending anywhere in the app; False if that takes longer than timeout seconds."""
    try:
        async with asyncio.timeout(timeout):
            while True:
                pumps = app_pumps(app)
                await round_trip(pumps)
                if workers_busy(app):
                    await asyncio.sleep(WORKER_POLL)
                elif app_pumps(app) == pumps and not any(p.message_queue_size for p in pumps + below_top(app)):
                    return True
    except TimeoutError:
        return False
