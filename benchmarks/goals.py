"""The performance goals billing-tui is held to, checked against a result document."""

from __future__ import annotations

from typing import Any

from benchmarks import stats

APP = "billing-tui"
SERVED = "billing-tui via server"
BARE = "bare-textual"
IMPORT_FLOOR = "python -c 'import attrs, tomllib'"
ANSWER = "billing-tui answer"
STATES, IN_PLACE = "billing-tui-states", "bare-in-place"


def _median(data: dict[str, Any], target: str, metric: str, key: str = "median") -> float | None:
    """A summary value of an interactive target's metric, or None when the target did not run."""
    entry = data["interactive"].get(target)
    if entry is None or entry["status"] != "ok":
        return None
    value: float | None = entry["summary"][metric][key]
    return value


def _row(goal: str, value: float | None, reference: float | None, limit: float, unit: str) -> dict[str, Any]:
    """One goal row: pass when value ≤ limit, 'unavailable' when the value could not be measured."""
    status = "unavailable" if value is None else ("pass" if value <= limit else "FAIL")
    return {
        "goal": goal,
        "limit": limit,
        "value": "–" if value is None else f"{value:.2f}{unit}",
        "reference": "–" if reference is None else f"{reference:.2f}{unit}",
        "raw_value": value,
        "status": status,
    }


def _relative(data: dict[str, Any], goal: str, metric: str, limit: float) -> dict[str, Any]:
    """A goal on billing-tui's median ÷ the bare app's median (with the paired per-round ratio alongside)."""
    value = stats.ratio(_median(data, APP, metric), _median(data, BARE, metric))
    row = _row(goal, value, 1.0 if _median(data, BARE, metric) is not None else None, limit, "×")
    paired = data["ratios_to_bare"].get(APP, {}).get(metric, {}).get("paired")
    if value is not None and paired is not None:
        row["value"] += f" (paired {paired:.2f}×)"
    return row


def _absolute(data: dict[str, Any], goal: str, metric: str, key: str, limit: float, unit: str) -> dict[str, Any]:
    """A goal on a value of billing-tui's own, with the bare app's as reference."""
    return _row(goal, _median(data, APP, metric, key), _median(data, BARE, metric, key), limit, unit)


def _state(data: dict[str, Any], goal: str, metric: str, limit: float) -> dict[str, Any]:
    """A goal on billing-tui's state-change median ÷ the in-place bare app's (the same keys, one screen)."""
    mine, base = _median(data, STATES, metric), _median(data, IN_PLACE, metric)
    row = _row(goal, stats.ratio(mine, base), None, limit, "×")
    if mine is not None and base is not None:
        row["value"] += f" ({mine:.1f} vs {base:.1f})"
        row["reference"] = f"{base:.1f}"
    return row


def _answer(data: dict[str, Any]) -> dict[str, Any]:
    """`billing-tui answer` median ÷ `python -c 'import attrs, tomllib'` median."""
    oneshot = data["oneshot"]
    value = None
    if ANSWER in oneshot and IMPORT_FLOOR in oneshot:
        value = stats.ratio(oneshot[ANSWER]["summary"]["median"], oneshot[IMPORT_FLOOR]["summary"]["median"])
    return _row("`answer` ≤ 1.3× `python -c 'import attrs, tomllib'`", value, None, 1.3, "×")


def _served(
    data: dict[str, Any], goal: str, metric: str, reference: str, reference_metric: str, limit: float
) -> dict[str, Any]:
    """A goal of the session server: the served target's median ÷ a reference target's median, same run."""
    mine, theirs = _median(data, SERVED, metric), _median(data, reference, reference_metric)
    return _row(goal, stats.ratio(mine, theirs), 1.0 if theirs is not None else None, limit, "×")


def served_goals(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Issue 12's goals for billing-tui via the session server (unavailable when it did not run)."""
    return [
        _served(data, "via server: first frame ≤ 0.25× bare app", "first_frame_ms", BARE, "first_frame_ms", 0.25),
        _served(
            data,
            "via server: worker CPU connect → first frame ≤ 0.25× bare app's CPU to its first frame",
            "worker_first_frame_cpu_s",
            BARE,
            "first_frame_cpu_s",
            0.25,
        ),
        _served(data, "via server: quit → exit ≤ 0.25× bare app", "quit_ms", BARE, "quit_ms", 0.25),
        _served(data, "via server: PSS client + worker ≤ 0.5× a cold session's", "pss_mib", APP, "pss_mib", 0.5),
    ]


def evaluate(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every goal with billing-tui's value, the bare app's for reference, and pass / FAIL / unavailable."""
    return [
        _relative(data, "first frame ≤ 1.10× bare app", "first_frame_ms", 1.10),
        _relative(data, "quit → exit no slower than bare app (≤ 1.00×)", "quit_ms", 1.00),
        _absolute(data, "Down/Up key → settled, median ≤ 16 ms", "nav_ms", "median", 16, " ms"),
        _absolute(data, "Down/Up key → settled, p95 ≤ 33 ms", "nav_ms", "p95", 33, " ms"),
        _absolute(data, "screen change → settled, median ≤ 16 ms", "change_ms", "median", 16, " ms"),
        _absolute(data, "screen change → settled, p95 ≤ 33 ms", "change_ms", "p95", 33, " ms"),
        _relative(data, "bytes per Down/Up key ≤ 0.5× bare app's OptionList", "nav_bytes", 0.5),
        _relative(data, "peak RSS ≤ 1.15× bare app", "peak_rss_mib", 1.15),
        _absolute(data, "idle CPU ≤ 0.5% of one core", "idle_cpu_pct", "median", 0.5, "%"),
        _state(data, "state change → first byte ≤ 1.00× in-place bare app", "state_first_byte_ms", 1.00),
        _state(data, "state change → settled ≤ 0.70× in-place bare app", "state_ms", 0.70),
        _state(data, "bytes per state change ≤ 1.00× in-place bare app", "state_bytes", 1.00),
        _row(
            "frames per state change = 1 (median)",
            _median(data, STATES, "state_frames"),
            _median(data, IN_PLACE, "state_frames"),
            1.0,
            "",
        ),
        _answer(data),
        *served_goals(data),
    ]
