"""The reported metrics: how each is drawn from the sessions' results, its label and its unit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.scenarios import KeyStats, RoundResult


@dataclass(frozen=True)
class Metric:
    """One reported quantity: per session (`per_round`, so rounds can be paired) or pooled over key presses."""

    key: str
    label: str
    extract: Callable[[RoundResult], list[float]]
    per_round: bool
    timing: bool = False


def _ms(values: list[float]) -> list[float]:
    """Seconds to milliseconds."""
    return [value * 1000 for value in values]


def _floats(values: list[int]) -> list[float]:
    """Counts as floats."""
    return [float(value) for value in values]


def _step(result: RoundResult, name: str) -> KeyStats:
    """One state step's presses (empty for a target without it)."""
    return result.state_steps.get(name, KeyStats())


def _present(value: float | None) -> list[float]:
    """A one-element list, or empty when the value was not measured this round."""
    return [] if value is None else [value]


METRICS: tuple[Metric, ...] = (
    Metric(
        "first_frame_ms",
        "first frame: launch → marker shown, settled (ms)",
        lambda r: [r.first_frame * 1000],
        per_round=True,
        timing=True,
    ),
    Metric(
        "first_frame_cpu_s",
        "CPU until the first frame (s; steadier than wall time on a busy host)",
        lambda r: [r.first_frame_cpu],
        per_round=True,
    ),
    Metric(
        "session_first_frame_cpu_s",
        "CPU until the first frame, client + worker (s)",
        lambda r: [r.session_first_frame_cpu],
        per_round=True,
    ),
    Metric(
        "worker_first_frame_cpu_s",
        "worker CPU, connect → first frame (s; served targets only)",
        lambda r: _present(r.worker_first_frame_cpu),
        per_round=True,
    ),
    Metric("first_frame_bytes", "bytes until the first frame settled", lambda r: [r.first_frame_bytes], per_round=True),
    Metric(
        "first_frame_frames", "frames until the first frame settled", lambda r: [r.first_frame_frames], per_round=True
    ),
    Metric("nav_ms", "Down/Up key → settled (ms)", lambda r: _ms(r.nav.latency), per_round=False, timing=True),
    Metric("nav_bytes", "bytes per Down/Up key", lambda r: _floats(r.nav.nbytes), per_round=False),
    Metric("nav_frames", "frames per Down/Up key", lambda r: _floats(r.nav.frames), per_round=False),
    Metric(
        "change_ms",
        "screen-changing key → new screen settled (ms)",
        lambda r: _ms(r.change.latency),
        per_round=False,
        timing=True,
    ),
    Metric("change_bytes", "bytes per screen change", lambda r: _floats(r.change.nbytes), per_round=False),
    Metric("change_frames", "frames per screen change", lambda r: _floats(r.change.frames), per_round=False),
    Metric(
        "state_ms",
        "state change (`2`/`b`, `1`/`b`) → settled (ms)",
        lambda r: _ms(r.state.latency),
        per_round=False,
        timing=True,
    ),
    Metric(
        "state_first_byte_ms",
        "state change → first byte (ms)",
        lambda r: _ms(r.state.first_byte),
        per_round=False,
        timing=True,
    ),
    Metric("state_bytes", "bytes per state change", lambda r: _floats(r.state.nbytes), per_round=False),
    Metric("state_frames", "frames per state change", lambda r: _floats(r.state.frames), per_round=False),
    Metric(
        "to_question_ms",
        "… of it question → question, `2` (ms)",
        lambda r: _ms(_step(r, "to_question").latency),
        per_round=False,
        timing=True,
    ),
    Metric(
        "to_question_bytes",
        "… bytes, question → question",
        lambda r: _floats(_step(r, "to_question").nbytes),
        per_round=False,
    ),
    Metric(
        "to_verdict_ms",
        "… of it question → verdict, `1` (ms)",
        lambda r: _ms(_step(r, "to_verdict").latency),
        per_round=False,
        timing=True,
    ),
    Metric(
        "to_verdict_bytes",
        "… bytes, question → verdict",
        lambda r: _floats(_step(r, "to_verdict").nbytes),
        per_round=False,
    ),
    Metric("quit_ms", "quit key → process exit (ms)", lambda r: [r.quit * 1000], per_round=True, timing=True),
    Metric("peak_rss_mib", "peak RSS, VmHWM before quitting (MiB)", lambda r: [r.peak_rss_kib / 1024], per_round=True),
    Metric("cpu_s", "CPU, launch → before quitting (s)", lambda r: [r.cpu_seconds], per_round=True),
    Metric(
        "session_cpu_s",
        "CPU, launch → before quitting, client + worker (s)",
        lambda r: [r.session_cpu_seconds],
        per_round=True,
    ),
    Metric("pss_mib", "PSS before quitting, client + worker (MiB)", lambda r: [r.pss_kib / 1024], per_round=True),
    Metric(
        "idle_cpu_pct",
        "idle CPU at rest on the list (% of one core)",
        lambda r: _present(r.idle_cpu_pct),
        per_round=True,
    ),
    Metric("idle_bytes_per_s", "output at rest (bytes/s)", lambda r: _present(r.idle_bytes_per_s), per_round=True),
    Metric("late_bytes", "bytes after a burst settled, per session", lambda r: [r.late_bytes], per_round=True),
)


def samples(metric: Metric, rounds: dict[int, RoundResult]) -> list[float]:
    """All samples of a metric over the recorded rounds, in round order."""
    return [value for index in sorted(rounds) for value in metric.extract(rounds[index])]


def by_round(metric: Metric, rounds: dict[int, RoundResult]) -> dict[int, float]:
    """A per-session metric keyed by round index (rounds where it was not measured are left out)."""
    out: dict[int, float] = {}
    for index in sorted(rounds):
        values = metric.extract(rounds[index])
        if values:
            out[index] = values[0]
    return out
