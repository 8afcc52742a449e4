"""Fixtures for tests/ui: a steady Input cursor, the built-in content loaded once, and a guard on snapshot updates."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from textual.widgets import Input

from billing_tui.flow import Content, builtin_content_dir, load_content

# The committed snapshots were generated on this Python; other versions may render differently.
SNAPSHOT_PYTHON = (3, 11)


def pytest_configure(config: pytest.Config) -> None:
    """Refuse --snapshot-update on another Python, so the baselines never mix versions."""
    if getattr(config.option, "update_snapshots", False) and sys.version_info[:2] != SNAPSHOT_PYTHON:
        wanted = ".".join(map(str, SNAPSHOT_PYTHON))
        raise pytest.UsageError(
            f"regenerate the UI snapshots on Python {wanted} only (this is {sys.version.split()[0]})"
        )


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inputs never blink, so screenshots do not depend on timing.

    Textual 8.2.8 gives every Input its initial cursor_blink from the reactive's
    default, read when the widget is mounted (before the blink timer starts), so
    changing that default covers each Input of every dialog; it has no public setter.
    """
    monkeypatch.setattr(Input.cursor_blink, "_default", False)


@pytest.fixture(autouse=True)
def colour(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps are created in colour whatever the machine's NO_COLOR (Textual reads it when an app is made)."""
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(scope="session")
def content() -> Content:
    """The built-in content, loaded once."""
    return load_content()


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A fresh, editable copy of the built-in content directory."""
    destination = tmp_path / "content"
    shutil.copytree(builtin_content_dir(), destination)
    return destination
