"""Fixtures for tests/core: the built-in content, and an editable copy of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from core_helpers import copy_content

from billing_tui.flow import Content, load_content


@pytest.fixture(scope="session")
def content() -> Content:
    """The built-in content, loaded once."""
    return load_content()


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A fresh, editable copy of the built-in content directory."""
    return copy_content(tmp_path / "content")
