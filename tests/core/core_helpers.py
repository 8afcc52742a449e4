"""Shared data and helpers for tests/core: the contract's paths, content copies and a CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from contract import LANGS, VERDICT_KINDS  # noqa: F401  (re-exported to the core tests)

from billing_tui.flow import builtin_content_dir

REPO = Path(__file__).resolve().parents[2]
FLOWS_MD = REPO / "docs" / "design" / "FLOWS.md"

# The paths listed at the end of FLOWS.md (the contract): flow, answers, the questions they answer, verdict.
PATHS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], str], ...] = (
    ("billing-center", ("subscriptions",), ("outcome",), "billing-admin"),
    ("billing-center", ("invalid-page", "standard-account"), ("outcome", "my-account"), "standard-account"),
    (
        "billing-center",
        ("invalid-page", "corporate-portal", "logged-in"),
        ("outcome", "my-account", "corporate-login"),
        "corporate-billing-admin",
    ),
    (
        "billing-center",
        ("invalid-page", "corporate-portal", "cannot-log-in"),
        ("outcome", "my-account", "corporate-login"),
        "corporate-not-admin",
    ),
    ("billing-center", ("unsure",), ("outcome",), "unsure"),
    ("admin-center", ("subscriptions",), ("outcome",), "billing-admin"),
    ("admin-center", ("contact-billing-admin",), ("outcome",), "contact-billing-admin"),
    ("admin-center", ("select-product", "cannot-log-in"), ("outcome", "corporate-login"), "corporate-not-admin"),
    ("admin-center", ("select-product", "logged-in"), ("outcome", "corporate-login"), "corporate-billing-admin"),
)


# Verdicts whose graph.toml entry sends the user somewhere: verdict id -> link ids.
VERDICT_LINKS = {"corporate-billing-admin": ("corp-billing",)}


def path_id(path: tuple[str, tuple[str, ...], tuple[str, ...], str]) -> str:
    """A readable pytest id for one contract path."""
    return f"{path[0]}:{'+'.join(path[1])}"


def copy_content(destination: Path) -> Path:
    """Copy the built-in content directory to destination and return it."""
    shutil.copytree(builtin_content_dir(), destination)
    return destination


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment minus every language hint, in UTF-8 mode, plus extra."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "BILLING_TUI_LANG", "PYTHONIOENCODING"}
    }
    env["PYTHONUTF8"] = "1"
    env.update(extra or {})
    return env


def run_cli(
    *args: str, env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m billing_tui ARGS` in a subprocess with a clean language environment."""
    return subprocess.run(
        [sys.executable, "-m", "billing_tui", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=clean_env(env),
        cwd=cwd or REPO,
        timeout=60,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """Check a user error: the exit code, nothing on stdout, exactly one stderr line, no traceback."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""
    return lines[0]
