"""Smoke test of the benchmarks: a quick run writes its reports with positive numbers (nothing about speed)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
POSITIVE = ("first_frame_ms", "first_frame_bytes", "nav_ms", "nav_bytes", "quit_ms", "peak_rss_mib")
STATE_POSITIVE = ("first_frame_ms", "state_ms", "state_first_byte_ms", "state_bytes", "state_frames", "quit_ms")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (REPO / "benchmarks" / "__main__.py").exists(), reason="benchmarks/ is not in this tree"),
]


def _run(module: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `python -m <module> ARGS` from the repository root and fail with its output when it fails."""
    completed = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-4000:]
    return completed


def _check_target(name: str, entry: dict[str, Any], metrics: tuple[str, ...] = POSITIVE) -> None:
    """An interactive target that ran has positive medians for every always-measured metric."""
    assert entry["status"] == "ok", f"{name}: {entry['status']}"
    for metric in metrics:
        median = entry["summary"][metric]["median"]
        assert median is not None and median > 0, f"{name}: {metric} = {median}"


def test_quick_run_writes_positive_numbers(tmp_path: Path) -> None:
    _run("benchmarks", "--quick", "--out", str(tmp_path))
    data = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    markdown = (tmp_path / "latest.md").read_text(encoding="utf-8")
    assert "| metric" in markdown and "## Goals" in markdown
    interactive = data["interactive"]
    _check_target("bare-textual", interactive["bare-textual"])
    for tool in ("whiptail", "dialog"):
        if shutil.which(tool):
            _check_target(tool, interactive[tool])
    app = interactive["billing-tui"]
    if app["status"] == "ok":
        _check_target("billing-tui", app)
        assert app["summary"]["change_ms"]["median"] > 0
    else:
        assert app["status"].startswith("unavailable: ")
    _check_target("bare-in-place", interactive["bare-in-place"], STATE_POSITIVE)
    states = interactive["billing-tui-states"]
    if states["status"] == "ok":
        _check_target("billing-tui-states", states, STATE_POSITIVE)
        assert "states ÷ in-place" in markdown
    served = interactive["billing-tui via server"]
    _check_target("billing-tui via server", served)
    assert served["summary"]["worker_first_frame_cpu_s"]["median"] > 0  # the worker's CPU is counted
    assert served["summary"]["pss_mib"]["median"] > served["summary"]["peak_rss_mib"]["median"] / 2
    for name, entry in data["oneshot"].items():
        assert entry["summary"]["median"] > 0, name
    assert data["machine"]["cores"] > 0 and data["machine"]["textual"]


def test_many_users_quick_writes_positive_numbers(tmp_path: Path) -> None:
    _run("benchmarks.many_users", "--quick", "--users", "2", "--idle", "0.5", "--out", str(tmp_path))
    data = json.loads((tmp_path / "many_users.json").read_text(encoding="utf-8"))
    markdown = (tmp_path / "many_users.md").read_text(encoding="utf-8")
    assert markdown.startswith("# ")
    assert [mode["label"] for mode in data["modes"]][1:] == ["billing-tui via server"]
    assert data["bare_first_frame_ms"] > 0
    assert data["interpreter_start_cpu_ms"] > 0
    assert "| 2 | " in markdown.split("## The floor of a burst through the server")[1]
    for mode in data["modes"]:
        [load] = mode["loads"]
        assert load["ready"] == 2, mode["label"]
        assert load["first_frame_ms"]["median"] > 0
        assert load["total_rss_mib"] > 0 and load["total_pss_mib"] > 0
        assert load["idle_cpu_pct_total"] >= 0
