"""Fixtures for the terminal tests."""

from __future__ import annotations

import pytest

from billing_tui.flow import Content, load_content


@pytest.fixture(scope="session")
def content() -> Content:
    """The built-in content, loaded once."""
    return load_content()
