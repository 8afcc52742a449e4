"""Waiting until a key's effects have settled: no message queued or in hand anywhere in the app, no worker running.

Textual says a message pump has handled everything sent to it before a callback when that
`call_later` callback runs (the Pilot waits for a screen the same way). One round posts such
a callback to the app, the top screen, the focused widget and every pump with a message queued
or still mounting, and waits for all of them; the app is settled when, after a round, the same
pumps are there (a screen pushed meanwhile gets a round of its own), none of them is busy and
no worker (the command palette's search, say) is still to produce its result.
All of it is public Textual API.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual.app import App
from textual.message_pump import MessagePump
from textual.widget import Widget
from textual.worker import WorkerState

BUSY_WORKER = (WorkerState.PENDING, WorkerState.RUNNING)
WORKER_POLL = 0.005  # seconds between looks at a running worker


def app_pumps(app: App[Any]) -> list[MessagePump]:
    """The app, every screen of its stack and every widget on them: everywhere a key's effects can be pending."""
    pumps: list[MessagePump] = [app]
    for screen in app.screen_stack:
        pumps.extend(screen.walk_children(with_self=True))
    return pumps


def busy(pump: MessagePump) -> bool:
    """Whether a pump has a message queued or is still composing and mounting (which Textual does outside the queue)."""
    return bool(pump.message_queue_size) or (isinstance(pump, Widget) and not pump.is_mounted)


def round_trip_targets(app: App[Any], pumps: list[MessagePump]) -> list[MessagePump]:
    """The pumps a round trip must pass through: the app, the top screen, the focus, and every busy pump.

    An idle widget with an empty queue gets no round trip: it has nothing to finish, and waking
    a screen below the top makes Textual 8.2.8 repaint the whole top screen.
    """
    always = [app, app.screen, *([app.focused] if app.focused else [])]
    return always + [pump for pump in pumps if pump not in always and busy(pump)]


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
                await round_trip(round_trip_targets(app, pumps))
                if workers_busy(app):
                    await asyncio.sleep(WORKER_POLL)
                elif app_pumps(app) == pumps and not any(busy(pump) for pump in pumps):
                    return True
    except TimeoutError:
        return False
