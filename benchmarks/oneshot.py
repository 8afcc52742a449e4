"""Wall time of short non-interactive commands, run in interleaved rounds so drift hits all alike."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass, field

from benchmarks.childenv import clean_env
from benchmarks.targets import REPO


@dataclass(frozen=True)
class Command:
    """A named command line to time."""

    name: str
    argv: tuple[str, ...]


@dataclass
class CommandResult:
    """The wall times of one command's runs, and the failures (non-zero exit or timeout) seen."""

    command: Command
    seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def default_commands() -> list[Command]:
    """`billing-tui answer` (via `sys.executable -m billing_tui`) and two Python start-up floors."""
    python = sys.executable
    return [
        Command(
            "billing-tui answer",
            (python, "-m", "billing_tui", "answer", "billing-center", "subscriptions", "--format", "json"),
        ),
        Command("python -c 'import attrs, tomllib'", (python, "-c", "import attrs, tomllib")),
        Command("python -c pass", (python, "-c", "pass")),
    ]


def time_once(command: Command, timeout: float) -> float:
    """Run the command once with its output piped and return its wall time; raise on failure."""
    started = time.perf_counter()
    completed = subprocess.run(
        command.argv, cwd=REPO, env=clean_env(), capture_output=True, timeout=timeout, check=False
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        last = completed.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["(no stderr)"]
        raise RuntimeError(f"exit code {completed.returncode}: {last[0]}")
    return elapsed


def run_commands(commands: list[Command], runs: int, warmup: int = 1, timeout: float = 30.0) -> list[CommandResult]:
    """Time every command `runs` times in rotating order (A B C, B C A, ...) after `warmup` unrecorded runs."""
    results = [CommandResult(command) for command in commands]
    for round_index in range(-warmup, runs):
        start = round_index % len(results)
        for result in results[start:] + results[:start]:
            try:
                seconds = time_once(result.command, timeout)
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                if round_index >= 0:
                    result.failures.append(str(exc))
                continue
            if round_index >= 0:
                result.seconds.append(seconds)
    return results
