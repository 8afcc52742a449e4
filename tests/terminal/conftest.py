"""Fixtures for tests in real terminals; see the docstrings of tmux.py for how to drive a session.

- `tmux_session` (function): a detached 80x24 tmux session on its own socket, killed afterwards;
  it skips, with the reason, when tmux is missing (scripts/test.sh installs it).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tmux import TmuxSession, tmux_missing

from billing_tui.flow import Content, load_content


@pytest.fixture(scope="session")
def content() -> Content:
    """The built-in content, loaded once."""
    return load_content()


def _require_tmux() -> None:
    if tmux_missing():
        pytest.skip("tmux is not installed; scripts/test.sh installs it")


@pytest.fixture
def tmux_session() -> Iterator[TmuxSession]:
    """A fresh detached tmux session (not started yet: call .start(command)); its server is killed afterwards."""
    _require_tmux()
    workdir = Path(tempfile.mkdtemp(prefix="bt-tmux-", dir="/tmp"))
    session = TmuxSession(workdir)
    try:
        yield session
    finally:
        session.kill()
        shutil.rmtree(workdir, ignore_errors=True)
