"""Typed-ahead keys: each key and paste reaches the app only once the previous one has fully taken effect.

Textual routes a key to the widget focused when the key is read, and a binding such as
Enter acts as soon as it reaches the app while typed characters still wait in a widget's
queue. Over SSH a whole burst arrives in one read, so a Tab's focus change, a screen
switch or the text before an Enter would not have happened yet. `TypeAheadApp` holds
every key and paste that comes while an earlier one's effects are still pending anywhere
in the app (see settle.py) and replays them in order, so a burst ends in the same
state as the same keys typed one at a time. A key alone is never delayed; a held key is
released after MAX_HOLD seconds even if the previous key's effects never settle.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from typing import Any, TypeVar

from textual import events
from textual.app import App

from billing_tui.ui.escape_keys import absorbed, escape_pair, reads_as_one
from billing_tui.ui.settle import wait_settled

ReturnType = TypeVar("ReturnType")
TYPED = (events.Key, events.Paste)
# Seconds a held key waits, at most, for the previous key's effects to settle: only a bound for an app that never
# settles, so generous (on a host loaded 10x its cores a settle was seen to take over 2 s).
MAX_HOLD = 10.0
FRAME_WAIT = 0.03  # seconds a lone key's effects are left alone, so its frame is drawn first


class TypeAheadApp(App[ReturnType]):
    """An App that feeds typed-ahead keys and pastes one at a time, each once the one before has settled."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: deque[events.Event] = deque()
        self._released: events.Event | None = None
        self._in_flight = False
        self._releaser: asyncio.Task[None] | None = None
        self._arrived = asyncio.Event()

    @property
    def typing_ahead(self) -> bool:
        """Whether a key's effects are still being waited for or keys are held (the tests type slowly by it)."""
        return self._in_flight or bool(self._held)

    async def on_event(self, event: events.Event) -> None:
        """Hold a typed key or paste while an earlier one is in flight; otherwise handle it as Textual does."""
        if not isinstance(event, TYPED) or event.is_forwarded:
            await super().on_event(event)
        elif absorbed(event):  # it came with an Escape that acted as one key with it (ui/escape_keys.py)
            if event is self._released:
                self._released = None
        elif event is self._released or not (self._in_flight or self._held):
            self._released = None
            await self._dispatch(event)
        else:
            self._held.append(event)
            self._arrived.set()

    async def _dispatch(self, event: events.Event) -> None:
        """Let Textual route the key, then watch for its effects to settle before the next one goes.

        An Escape read with the key after it is decided here, once the keys before it have taken effect:
        in a text field an editing pair (Alt+Backspace...) acts as Textual's one key, else as two keys.
        """
        self._in_flight = True
        pair = escape_pair(event)
        if pair is not None and reads_as_one(pair, self.focused):
            pair.read_as_one = True
            event = pair.as_one[0]
        await super().on_event(event)
        if self._releaser is None:
            self._releaser = asyncio.create_task(self._release_held())

    async def _release_held(self) -> None:
        """Once the app is settled, send the next held key back through the app's queue; stop when none is left."""
        try:
            await self._after_frame()
            while self.is_running:
                await wait_settled(self, MAX_HOLD)
                if self._released is not None:
                    continue  # the released key is still queued behind other messages
                if not self._held:
                    break
                self._released = self._held.popleft()
                self.post_message(self._released)
        finally:
            self._in_flight = False
            self._releaser = None

    async def _after_frame(self) -> None:
        """Give a key's own frame FRAME_WAIT seconds to go out before looking for its effects, unless more keys come.

        The round trips of settle.py cost a few milliseconds of the event loop; run beside the
        first frame after a key, they would delay it, so a key typed alone waits for nothing.
        """
        self._arrived.clear()
        if not self._held:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), FRAME_WAIT)

    def on_unmount(self) -> None:
        """Drop what is still held when the app closes: nothing is typed into an app that is gone."""
        self._held.clear()
        if self._releaser is not None:
            self._releaser.cancel()
