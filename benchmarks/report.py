"""The results as a JSON document and a Markdown page (latest.json, latest.md)."""

from __future__ import annotations

import dataclasses
import json
import shlex
from pathlib import Path
from typing import Any

from benchmarks import goals, stats
from benchmarks.metrics import METRICS, by_round, samples
from benchmarks.oneshot import CommandResult
from benchmarks.scenarios import Settings
from benchmarks.suite import TargetRun

BASELINE = "bare-textual"
STATES, STATES_BASELINE = "billing-tui-states", "bare-in-place"


def _target_entry(run: TargetRun) -> dict[str, Any]:
    """One interactive target: status, command, summaries and raw samples of every metric."""
    entry: dict[str, Any] = {
        "status": "ok" if run.unavailable is None else f"unavailable: {run.unavailable}",
        "command": shlex.join(run.target.argv),
        "note": run.target.note,
        "quit_key": run.target.quit_key,
        "markers": run.target.markers,
        "rounds": sorted(run.rounds),
        "errors": run.errors,
        "summary": {},
        "samples": {},
        "by_round": {},
    }
    for metric in METRICS:
        values = samples(metric, run.rounds)
        entry["summary"][metric.key] = stats.summary(values)
        entry["samples"][metric.key] = [round(value, 4) for value in values]
        if metric.per_round:
            entry["by_round"][metric.key] = {str(k): v for k, v in by_round(metric, run.rounds).items()}
    return entry


def _ratios(interactive: dict[str, Any], name: str, baseline: str = BASELINE) -> dict[str, dict[str, float | None]]:
    """Target ÷ baseline for every metric: ratio of medians, and median of per-round ratios where paired."""
    if name not in interactive or baseline not in interactive:
        return {}
    mine, base = interactive[name], interactive[baseline]
    out: dict[str, dict[str, float | None]] = {}
    for metric in METRICS:
        entry: dict[str, float | None] = {
            "of_medians": stats.ratio(mine["summary"][metric.key]["median"], base["summary"][metric.key]["median"])
        }
        if metric.per_round:
            a, b = mine["by_round"][metric.key], base["by_round"][metric.key]
            common = sorted(set(a) & set(b))
            entry["paired"] = stats.paired_ratio([a[k] for k in common], [b[k] for k in common])
        out[metric.key] = entry
    return out


def build(
    machine: dict[str, Any],
    settings: Settings,
    options: dict[str, Any],
    runs: list[TargetRun],
    oneshots: list[CommandResult],
) -> dict[str, Any]:
    """The whole result document."""
    interactive = {run.target.name: _target_entry(run) for run in runs}
    data: dict[str, Any] = {
        "machine": machine,
        "settings": {**dataclasses.asdict(settings), **options},
        "interactive": interactive,
        "ratios_to_bare": {name: _ratios(interactive, name) for name in interactive if name != BASELINE},
        "ratios_to_in_place": {STATES: _ratios(interactive, STATES, STATES_BASELINE)},
        "oneshot": {
            result.command.name: {
                "command": shlex.join(result.command.argv),
                "summary": stats.summary([s * 1000 for s in result.seconds]),
                "samples_ms": [round(s * 1000, 3) for s in result.seconds],
                "failures": result.failures,
            }
            for result in oneshots
        },
    }
    data["goals"] = goals.evaluate(data)
    return data


def _fmt(value: float | None, digits: int = 1) -> str:
    """A number for a table cell, or a dash."""
    if value is None:
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def _cell(summary: dict[str, Any], timing: bool) -> str:
    """'median (p95)' for timings, 'median' otherwise."""
    if not summary["n"]:
        return "–"
    if timing:
        return f"{_fmt(summary['median'])} ({_fmt(summary['p95'])})"
    return _fmt(summary["median"], 2 if summary["median"] < 10 else 1)


def _interactive_table(data: dict[str, Any]) -> list[str]:
    """Rows of metrics, a column per available target, then billing-tui ÷ bare."""
    interactive = data["interactive"]
    shown = [name for name, entry in interactive.items() if entry["status"] == "ok"]
    pairs = [
        (title, data[key].get(name, {}))
        for title, key, name, base in (
            ("billing-tui ÷ bare", "ratios_to_bare", "billing-tui", BASELINE),
            ("states ÷ in-place", "ratios_to_in_place", STATES, STATES_BASELINE),
        )
        if name in shown and base in shown
    ]
    header = ["metric (median; timings: median (p95))", *shown] + [title for title, _ in pairs]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for metric in METRICS:
        row = [metric.label] + [_cell(interactive[name]["summary"][metric.key], metric.timing) for name in shown]
        row += [_fmt(ratios.get(metric.key, {}).get("of_medians"), 2) for _, ratios in pairs]
        lines.append("| " + " | ".join(row) + " |")
    samples_row = ["sessions (rounds) / key presses"] + [
        f"{len(entry['rounds'])} / {entry['summary']['nav_ms']['n'] + entry['summary']['state_ms']['n']}"
        for entry in (interactive[name] for name in shown)
    ]
    lines.append("| " + " | ".join(samples_row + [""] * len(pairs)) + " |")
    return lines


def _oneshot_table(data: dict[str, Any]) -> list[str]:
    """Median and p95 wall time of each non-interactive command, and its ratio to `import attrs, tomllib`."""
    oneshot = data["oneshot"]
    floor = next((e["summary"]["median"] for name, e in oneshot.items() if "import attrs" in name), None)
    lines = ["| command | median ms | p95 ms | runs | ÷ `import attrs, tomllib` |", "|---|---|---|---|---|"]
    for name, entry in oneshot.items():
        summary = entry["summary"]
        runs = f"{summary['n']}" + (f" ({len(entry['failures'])} failed)" if entry["failures"] else "")
        ratio = stats.ratio(summary["median"], floor)
        lines.append(f"| `{name}` | {_fmt(summary['median'])} | {_fmt(summary['p95'])} | {runs} | {_fmt(ratio, 2)} |")
    return lines


def _goals_table(data: dict[str, Any]) -> list[str]:
    """Each goal, billing-tui's value, the bare app's for reference, and pass/fail."""
    lines = ["| goal | billing-tui | bare app (reference) | status |", "|---|---|---|---|"]
    for goal in data["goals"]:
        lines.append(f"| {goal['goal']} | {goal['value']} | {goal['reference']} | {goal['status']} |")
    return lines


def _one_line(command: str) -> str:
    """A command line for inline code: newlines shown as \\n, backticks removed."""
    return command.replace("\n", "\\n").replace("`", "'")


def to_markdown(data: dict[str, Any]) -> str:
    """The Markdown page."""
    machine, settings = data["machine"], data["settings"]
    unavailable = [
        f"- **{name}**: {entry['status']}" for name, entry in data["interactive"].items() if entry["status"] != "ok"
    ]
    errors = [f"- {name}: {error}" for name, entry in data["interactive"].items() for error in entry["errors"]]
    commands = [
        f"- **{name}**: `{_one_line(entry['command'])}` — {entry['note']}"
        for name, entry in data["interactive"].items()
    ]
    parts = [
        "# billing-tui benchmarks",
        "",
        f"{machine['date']} · {machine['cpu']}, {machine['cores']} cores (load {machine['load_1min_at_start']} at "
        f"start) · Linux {machine['kernel']} · Python {machine['python']} · Textual {machine['textual']} · "
        f"Rich {machine['rich']} · {machine['whiptail']} · dialog {machine['dialog']} · commit {machine['commit']}",
        "",
        f"Settings: {settings['rounds']} interleaved rounds (+{settings['warmup']} warm-up), "
        f"{settings['nav_presses']} Down/Up presses per session, pty {settings['columns']}x{settings['lines']}, "
        f"settle window {settings['settle'] * 1000:.0f} ms, pause after each key {settings['pause'] * 1000:.0f} ms, "
        f"idle window {settings['idle_seconds']:g} s in {settings['idle_rounds']} rounds, "
        f"{settings['oneshot_runs']} runs per non-interactive command"
        + (" (quick mode)" if settings["quick"] else "")
        + ".",
        "",
        "## Interactive, in an 80x24 pty",
        "",
        *_interactive_table(data),
        "",
        *(["Unavailable:", "", *unavailable, ""] if unavailable else []),
        *(["Errors in single rounds (those rounds are left out):", "", *errors, ""] if errors else []),
        "## Non-interactive (wall time)",
        "",
        *_oneshot_table(data),
        "",
        "## Goals",
        "",
        *_goals_table(data),
        "",
        "## How these were measured",
        "",
        *commands,
        "- A key's latency runs from the write of its bytes to the pty to the last byte of the burst that "
        f"follows, the burst ending at the first {settings['settle'] * 1000:.0f} ms of silence (the settle window, "
        "which is not part of the latency). A screen change also waits for its marker text to be on screen. "
        "Bytes per key count the burst and anything arriving in the pause after it.",
        "- First frame: from just before the process is spawned to the last byte of the burst that shows the "
        "first marker, settled. Quit: from the quit key to process exit (seen through a pidfd).",
        "- Peak RSS is VmHWM from /proc/PID/status read just before quitting; CPU is utime+stime from "
        "/proc/PID/stat (10 ms ticks); idle CPU is the CPU used while the app sits untouched on its list.",
        "- The harness answers DA1, DA2, DSR/CPR and DECRQM queries as xterm would (DECRQM: mode not "
        "recognized), honours DECCKM for cursor keys, and gives the child a clean SSH-like environment "
        "(TERM=xterm-256color, LANG=C.UTF-8, no PYTHON* or TEXTUAL* variables). Escape is never timed.",
        "- Ratios are of medians; latest.json also has the median of per-round (paired) ratios.",
        "",
    ]
    return "\n".join(parts)


def write(data: dict[str, Any], out_dir: Path, stem: str = "latest") -> tuple[Path, Path]:
    """Write `<stem>.json` and `<stem>.md` into out_dir (through temporary files) and return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out_dir / f"{stem}.json", out_dir / f"{stem}.md"
    for path, text in (
        (json_path, json.dumps(data, indent=2, ensure_ascii=False) + "\n"),
        (md_path, to_markdown(data)),
    ):
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return json_path, md_path
