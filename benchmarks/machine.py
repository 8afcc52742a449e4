"""A description of the machine and software the numbers were taken on."""

from __future__ import annotations

import datetime
import os
import platform
import shutil
import subprocess
import sys
from importlib import metadata

from benchmarks.targets import REPO


def _cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version_of(package: str) -> str:
    """An installed distribution's version, or 'not installed'."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _tool_version(program: str) -> str:
    """The first line of `program --version` (whiptail prints it on stderr), or 'not installed'."""
    if shutil.which(program) is None:
        return "not installed"
    try:
        completed = subprocess.run(
            [program, "--version"], capture_output=True, text=True, timeout=5, check=False, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    lines = (completed.stdout + completed.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"


def _git_commit() -> str:
    """The repository's HEAD commit, short, with '+dirty' when the work tree has changes."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return (head or "unknown") + ("+dirty" if dirty else "")


def describe() -> dict[str, str | int | float]:
    """CPU model, cores, load, OS, Python, Textual and the reference tools' versions, commit and date."""
    load1, _, _ = os.getloadavg()
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count() or 0,
        "cores_usable": len(os.sched_getaffinity(0)),
        "load_1min_at_start": round(load1, 2),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "python_executable": sys.executable,
        "textual": _version_of("textual"),
        "rich": _version_of("rich"),
        "pyte": _version_of("pyte"),
        "whiptail": _tool_version("whiptail"),
        "dialog": _tool_version("dialog"),
        "commit": _git_commit(),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
