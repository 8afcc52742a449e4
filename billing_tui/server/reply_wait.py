"""How long a launch waits for the session server's answer: briefly for a server doing nothing, longer for a busy one.

A server that is stopped, hung or gone must not hold a login: after ATTACH_TIMEOUT of silence the launch starts
cold. But when fifty people log in at once on a small host, a healthy server's answer can take longer than that
only because every core is busy starting their clients; each launch that gave up then started cold, which made the
host busier still (measured: 38 of 50 logins fell back, p95 first frame 6.4 s instead of 2.0 s). So silence is
forgiven, up to BUSY_LIMIT, while the server is seen to work: it used CPU since the last look, or it is runnable.
Standard library only (it runs in the client before anything heavy is imported).
"""

from __future__ import annotations

import select
import socket
import time

from billing_tui.server import protocol

ATTACH_TIMEOUT = 0.5  # silence from a server that shows no sign of work: it is stopped, hung or gone
BUSY_LIMIT = 5.0  # the longest wait for a server that is working through the logins queued before this one


class NoReply(OSError):
    """The server did not start to answer in time."""


def work_seen(pid: int) -> tuple[str, int] | None:
    """A process's scheduler state and CPU ticks so far, from /proc; None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat_file:
            fields = stat_file.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0].decode("ascii", "replace"), int(fields[11]) + int(fields[12])


def is_working(before: tuple[str, int] | None, now: tuple[str, int] | None) -> bool:
    """Whether the server did something between two looks: it used CPU, or it is runnable right now."""
    if before is None or now is None:
        return False
    state, ticks = now
    return state == "R" or ticks > before[1]


def wait_for_reply(sock: socket.socket, started: float) -> None:
    """Return once the reply starts to arrive; raise NoReply after ATTACH_TIMEOUT of idle silence or BUSY_LIMIT."""
    server = protocol.peer_credentials(sock)[0]
    last_look = work_seen(server)
    deadline = started + ATTACH_TIMEOUT
    while True:
        if select.select([sock], [], [], max(0.0, deadline - time.monotonic()))[0]:
            return
        look = work_seen(server)
        if not is_working(last_look, look) or time.monotonic() - started >= BUSY_LIMIT:
            raise NoReply(f"no answer from the session server (pid {server}) in {time.monotonic() - started:.1f} s")
        last_look = look
        deadline = min(time.monotonic() + ATTACH_TIMEOUT, started + BUSY_LIMIT)
