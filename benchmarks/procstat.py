"""Per-process metrics read from /proc: memory high-water mark, resident and proportional sets, CPU seconds."""

from __future__ import annotations

import os

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _status_kib(pid: int, field: str) -> int:
    """One `Field:   N kB` value of /proc/PID/status, in KiB."""
    with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(f"{field} not in /proc/{pid}/status")


def peak_rss_kib(pid: int) -> int:
    """VmHWM: the process's own resident-set high-water mark (unlike ru_maxrss, not inherited across exec)."""
    return _status_kib(pid, "VmHWM")


def rss_kib(pid: int) -> int:
    """VmRSS: the resident set now, shared pages counted in full."""
    return _status_kib(pid, "VmRSS")


def pss_kib(pid: int) -> int:
    """Pss from smaps_rollup: the resident set with shared pages split among their users."""
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as rollup:
        for line in rollup:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    raise LookupError(f"Pss not in /proc/{pid}/smaps_rollup")


def cpu_seconds(pid: int) -> float:
    """utime + stime of the whole process (all threads) from /proc/PID/stat, in seconds."""
    with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
        text = stat.read()
    # The command name may hold spaces and parentheses: fields start after the last ')'.
    fields = text[text.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / _CLOCK_TICKS


def children(pid: int) -> list[int]:
    """The live direct children of a process (the session server's workers), from /proc/*/stat."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdecimal():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] not in ("Z", "X"):
            found.append(int(entry))
    return found
