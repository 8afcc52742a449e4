"""Interleaved rounds over every interactive target (A B C, B C A, ...), so machine drift hits all alike."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from benchmarks import stats
from benchmarks.pty_session import HarnessError
from benchmarks.scenarios import RoundResult, Settings, run_session
from benchmarks.targets import Target


@dataclass
class TargetRun:
    """One target's results by round index, its errors, and why it is unavailable (None while it can run)."""

    target: Target
    rounds: dict[int, RoundResult] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    unavailable: str | None = None
    worked: bool = False


def _log(message: str) -> None:
    """Progress on stderr, so a long run can be followed."""
    print(message, file=sys.stderr, flush=True)


def _describe(result: RoundResult) -> str:
    """One progress line for a finished session."""
    nav_median = stats.median(result.nav.latency) or 0.0
    return (
        f"first frame {result.first_frame * 1000:.0f} ms, nav {nav_median * 1000:.1f} ms, "
        f"quit {result.quit * 1000:.0f} ms, peak RSS {result.peak_rss_kib / 1024:.1f} MiB"
    )


def run_rounds(
    targets: list[Target], settings: Settings, rounds: int, warmup: int, idle_rounds: int
) -> list[TargetRun]:
    """Run `warmup` unrecorded rounds then `rounds` recorded ones; a target that never works is unavailable."""
    runs = [TargetRun(target, unavailable=target.missing) for target in targets]
    for round_index in range(-warmup, rounds):
        active = [run for run in runs if run.unavailable is None]
        if not active:
            break
        start = round_index % len(active)
        for run in active[start:] + active[:start]:
            label = "warm-up" if round_index < 0 else f"round {round_index + 1}/{rounds}"
            try:
                result = run_session(run.target, settings, idle=0 <= round_index < idle_rounds)
            except (HarnessError, OSError) as exc:
                if run.worked:
                    run.errors.append(f"{label}: {exc}")
                else:
                    run.unavailable = str(exc)
                _log(f"{label}: {run.target.name}: {exc}")
                continue
            run.worked = True
            if round_index >= 0:
                run.rounds[round_index] = result
            _log(f"{label}: {run.target.name}: {_describe(result)}")
    return runs
