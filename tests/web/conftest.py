"""Fixtures for the browser tests: one `billing-tui web` and one headless Chromium per module, a fresh tab per test.

Every test here skips, with the reason, when chromium, chromedriver, selenium or textual-serve is missing
(scripts/test.sh installs them as root).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "terminal"))  # tui.py's own imports (sshd, tmux)

from browser import Tab, WebServer, chrome, missing_browser

from billing_tui.flow import Content, load_content


def require_browser() -> None:
    """Skip with the reason when the browser tests cannot run on this machine."""
    reason = missing_browser()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture(scope="module")
def module_tmp() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="bt-web-") as name:
        yield Path(name)


@pytest.fixture(scope="module")
def server(module_tmp: Path) -> Iterator[WebServer]:
    """`billing-tui web` on a free 127.0.0.1 port (tabs start in the browser's language, here English)."""
    require_browser()
    running = WebServer.start(module_tmp)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def downloads(module_tmp: Path) -> Path:
    path = module_tmp / "downloads"
    path.mkdir()
    return path


@pytest.fixture(scope="module")
def driver(module_tmp: Path, downloads: Path) -> Iterator[Any]:
    require_browser()
    browser = chrome(module_tmp, downloads=downloads)
    yield browser
    browser.quit()


@pytest.fixture
def tab(driver: Any, server: WebServer) -> Iterator[Tab]:
    """The wizard's page freshly loaded in the module's browser: a new session."""
    driver.get(server.url)
    yield Tab(driver)
    driver.get("about:blank")  # leaving the page closes its websocket: the session ends
