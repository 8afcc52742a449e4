"""The server's side of spare workers: which spares live, what launch they predict, when to fork the next one.

The prediction is the last attaching client's launch (its hello, worker argv and terminal size); a client
whose launch differs replaces it, and the spares built for the old one are killed (they hold no client's
terminal, so SIGKILL is safe). A spare is used only once it has said it is ready (first frame painted),
and only for a client whose prediction_key is equal. Spares do not count against --max-sessions: a spare
becomes a session when it is handed a client. After a spare is used, the next one is forked only once no
connection has arrived for REFILL_QUIET seconds, so a burst of logins is not slowed by building spares.
A spare older than MAX_AGE is replaced, and one that ends before it is ready stops spares for that launch.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

REFILL_QUIET = 0.3
MAX_AGE = 600.0
BACK_OFF = 5.0  # after a spare could not be forked (the process limit, memory), how long before trying again
# After a spare ended before it was ready, how long before its launch gets spares again: long enough that a
# launch which cannot start (a broken option) costs one failed start a minute at most, short enough that a
# passing failure (the memory killer, a signal) does not leave the server without spares until it restarts.
RETRY_FAILED = 60.0


@dataclass(frozen=True)
class Prediction:
    """The launch spares are built for."""

    key: str
    hello: Mapping[str, Any]
    argv: list[str]
    size: tuple[int, int]


@dataclass
class SpareProcess:
    """A live spare: its pid, the server's end of its socketpair, what it was built for, and whether it is ready."""

    pid: int
    link: socket.socket
    key: str
    born: float = field(default_factory=time.monotonic)
    ready: bool = False


class SparePool:
    """At most `count` spares, all built for the current prediction."""

    def __init__(self, count: int, selector: selectors.BaseSelector) -> None:
        self.count = count
        self.selector = selector  # each spare's link is registered with the spare's pid as its data
        self.spares: dict[int, SpareProcess] = {}
        self.prediction: Prediction | None = None
        self.quiet_until = 0.0
        self.failed: dict[str, float] = {}  # launch key → when its spares may be tried again

    def links(self) -> list[socket.socket]:
        """Every spare's link (a forked worker or spare closes them all)."""
        return [spare.link for spare in self.spares.values()]

    def predict(self, prediction: Prediction) -> None:
        """A client connected: its launch is the next prediction; spares built for another one are let go."""
        self.quiet_until = time.monotonic() + REFILL_QUIET
        self.prediction = None if self.count == 0 or self._failing(prediction.key) else prediction
        for spare in [s for s in self.spares.values() if s.key != prediction.key]:
            self.retire(spare.pid)

    def _failing(self, key: str) -> bool:
        """Whether this launch's last spare ended before it was ready, too recently to try again."""
        return time.monotonic() < self.failed.get(key, 0.0)

    def take(self, key: str) -> SpareProcess | None:
        """A ready spare built for exactly this launch and younger than MAX_AGE, removed from the pool, or None."""
        self._retire_old(time.monotonic())
        for spare in self.spares.values():
            if spare.ready and spare.key == key:
                del self.spares[spare.pid]
                return spare  # its link is still watched: the caller hands the client over it, then releases it
        return None

    def _retire_old(self, now: float) -> None:
        for spare in [s for s in self.spares.values() if now - s.born > MAX_AGE]:
            self.retire(spare.pid)

    def wanted(self, now: float) -> Prediction | None:
        """The prediction to fork a spare for now, if one is missing and the server has been quiet long enough."""
        self._retire_old(now)
        if self.prediction is None or len(self.spares) >= self.count or now < self.quiet_until:
            return None
        return self.prediction

    def timeout(self, now: float) -> float | None:
        """How long the server's select may sleep before a spare is due or one is too old (None: neither)."""
        due = [born + MAX_AGE - now for born in (s.born for s in self.spares.values())]
        if self.prediction is not None and len(self.spares) < self.count:
            due.append(self.quiet_until - now)
        return max(0.0, min(due)) if due else None

    def back_off(self, now: float) -> None:
        """A spare could not be forked: fork none for BACK_OFF seconds."""
        self.quiet_until = max(self.quiet_until, now + BACK_OFF)

    def add(self, spare: SpareProcess) -> None:
        self.spares[spare.pid] = spare
        self.selector.register(spare.link, selectors.EVENT_READ, spare.pid)

    def release(self, spare: SpareProcess) -> None:
        """Stop watching a spare's link and close it (the spare was handed a client, or is being let go)."""
        with contextlib.suppress(KeyError, ValueError, OSError):
            self.selector.unregister(spare.link)
        spare.link.close()

    def on_link(self, pid: int, link: Any) -> bool:
        """The spare's link is readable: ready (True), or it ended (False: forgotten, its launch marked failed
        for RETRY_FAILED when it never got ready, so a launch that cannot start does not fork spares forever)."""
        spare = self.spares.get(pid)
        if spare is None:  # a link the pool no longer knows: stop watching it, or select never sleeps again
            with contextlib.suppress(KeyError, ValueError, OSError):
                self.selector.unregister(link)
            with contextlib.suppress(OSError):
                link.close()
            return False
        try:
            data = spare.link.recv(16)
        except OSError:
            data = b""
        if data:
            spare.ready = True
            return True
        if not spare.ready:
            now = time.monotonic()
            self.failed = {key: until for key, until in self.failed.items() if until > now}  # bounded
            self.failed[spare.key] = now + RETRY_FAILED
            if self.prediction is not None and self.prediction.key == spare.key:
                self.prediction = None
        self.retire(pid)
        return False

    def discard(self, spare: SpareProcess) -> None:
        """Kill a spare already taken from the pool that could not be handed its client (not reaped yet: its pid
        is still its own), and stop watching its link."""
        with contextlib.suppress(OSError):
            os.kill(spare.pid, signal.SIGKILL)
        self.release(spare)

    def forget(self, pid: int) -> None:
        """A spare was reaped: drop it without a signal (its pid may already be another process's)."""
        spare = self.spares.pop(pid, None)
        if spare is not None:
            self.release(spare)

    def retire(self, pid: int) -> None:
        """Kill a spare that no client will get, and drop it."""
        spare = self.spares.pop(pid, None)
        if spare is None:
            return
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        self.release(spare)

    def retire_all(self) -> None:
        """The server is leaving: no spare is kept or forked any more."""
        self.count = 0
        self.prediction = None
        for pid in list(self.spares):
            self.retire(pid)
