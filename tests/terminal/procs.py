"""Process helpers for the terminal tests: read /proc, find processes by PID tree or anchored argv, end them by PID."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

PROC = Path("/proc")


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name, or None when the process is gone."""
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()


def is_alive(pid: int) -> bool:
    """Whether the process exists and has not exited (a zombie waiting to be reaped counts as gone)."""
    fields = _stat_fields(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def parent_of(pid: int) -> int | None:
    """The parent PID, or None when the process is gone."""
    fields = _stat_fields(pid)
    return int(fields[1]) if fields else None


def all_pids() -> list[int]:
    """Every PID currently in /proc."""
    return [int(entry.name) for entry in PROC.iterdir() if entry.name.isdecimal()]


def descendants(pid: int) -> list[int]:
    """Every living descendant of a process, children before grandchildren."""
    children: dict[int, list[int]] = {}
    for child in all_pids():
        parent = parent_of(child)
        if parent is not None:
            children.setdefault(parent, []).append(child)
    found: list[int] = []
    queue = list(children.get(pid, []))
    while queue:
        current = queue.pop(0)
        found.append(current)
        queue.extend(children.get(current, []))
    return [p for p in found if is_alive(p)]


def cmdline(pid: int) -> list[str]:
    """The argv of a process, or [] when it is gone or a kernel thread."""
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0")[:-1]]


def pids_with_argv_prefix(prefix: Sequence[str]) -> set[int]:
    """Living processes whose argv starts with exactly these words (an anchored match, never a substring)."""
    wanted = list(prefix)
    return {pid for pid in all_pids() if cmdline(pid)[: len(wanted)] == wanted and is_alive(pid)}


def wait_gone(pids: Iterable[int], timeout: float) -> set[int]:
    """Poll until every process has exited or the timeout passes; return those still alive."""
    remaining = set(pids)
    deadline = time.monotonic() + timeout
    while remaining and time.monotonic() < deadline:
        remaining = {pid for pid in remaining if is_alive(pid)}
        if remaining:
            time.sleep(0.02)
    return {pid for pid in remaining if is_alive(pid)}


def end(pids: Iterable[int], grace: float = 3.0) -> None:
    """SIGTERM these processes by PID, then SIGKILL whichever is still alive after the grace period."""
    targets = [pid for pid in pids if is_alive(pid)]
    for pid in targets:
        _signal(pid, signal.SIGTERM)
    for pid in wait_gone(targets, grace):
        _signal(pid, signal.SIGKILL)
    wait_gone(targets, grace)


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)
