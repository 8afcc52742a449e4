"""Shared by every test folder: pytest puts this folder on sys.path, so `import contract` works everywhere.

The repository root goes on sys.path too, so a test can reuse the benchmarks' terminal tools
(`benchmarks.screen_rows`) however pytest was started.
"""

import sys
from pathlib import Path

import pytest

_REPO = str(Path(__file__).resolve().parents[1])
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)

# A socket path that never exists: every billing-tui a test starts runs cold unless the test starts its own server.
NO_SERVER = "/nonexistent/billing-tui-tests/server.sock"


@pytest.fixture(autouse=True)
def no_session_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point BILLING_TUI_SOCKET away from any real server on this machine (tests that want one set their own)."""
    monkeypatch.setenv("BILLING_TUI_SOCKET", NO_SERVER)
