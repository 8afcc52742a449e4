"""A browser tab's session forked from the session server (`billing-tui serve`), and cold again once it is gone.

The server's socket is in the test's own short directory (tests/terminal/serving.py); `billing-tui web` gets the
same BILLING_TUI_SOCKET. A worker is a child of the server process, so its PID proves where the tab runs.
"""

from __future__ import annotations

import os
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import procs
import pytest
from browser import STEP_TIMEOUT, Tab, TabTerm, WebServer, chrome, missing_browser, new_tab, poll
from serving import WarmServer
from tui import Tui

from billing_tui.flow import Content, Wizard


@pytest.fixture
def warm() -> Iterator[WarmServer]:
    """A session server on a socket in a fresh short directory (a Unix socket path has ~100 bytes)."""
    if missing_browser():
        pytest.skip(missing_browser() or "")
    with tempfile.TemporaryDirectory(prefix="bt-ws-") as name:
        # `billing-tui web` runs in this test's environment: the server gets the same import-time variables
        # (pytest-textual-snapshot sets one), or it would rightly send every tab to start on its own.
        same = {key: value for key, value in os.environ.items() if key.startswith("TEXTUAL_")}
        server = WarmServer(Path(name), extra_env=same).start()
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def web(tmp_path: Path, warm: WarmServer) -> Iterator[WebServer]:
    """`billing-tui web` in the session server's environment, so its tabs may attach."""
    running = WebServer.start(tmp_path, env=warm.env())
    yield running
    running.stop()


# The colour mode and value of the home's top-left cell (the title bar): truecolor in a tab, warm or cold.
TITLE_COLOURS = """
const t = window.__clients[0].terminal, b = t.buffer.active, cell = b.getLine(b.viewportY).getCell(0);
return [cell.getBgColorMode(), cell.getBgColor(), cell.getFgColorMode(), cell.getFgColor()];
"""


def _walk(browser: Any, web: WebServer, content: Content) -> list[int]:
    """Open a tab, note its title bar's colours at home, and walk a FLOWS.md path to its verdict."""
    browser.get(web.url)
    tui = Tui(TabTerm(Tab(browser)), content.guide("en"))  # type: ignore[arg-type]
    tui.wait_home()
    colours: list[int] = browser.execute_script(TITLE_COLOURS)
    final = tui.walk("billing-center", ("subscriptions",))
    assert final.verdict is not None
    return colours


def test_a_tab_runs_in_a_worker_forked_from_the_server_and_ends_with_the_tab(
    tmp_path: Path, warm: WarmServer, web: WebServer, content: Content
) -> None:
    browser = chrome(tmp_path)
    try:
        _walk(browser, web, content)
        [worker] = warm.wait_workers(1)
        assert procs.parent_of(worker) == warm.pid
        assert f"web tab forked: pid={worker}" in warm.log()
        assert not web.children(), "the tab is attached from the web server itself: no process of its own"
        new_tab(browser)  # keep the browser alive, close only the wizard's tab
        keep = browser.current_window_handle
        browser.switch_to.window(browser.window_handles[0])
        browser.close()
        closed = time.monotonic()
        browser.switch_to.window(keep)
        poll(lambda: procs.is_alive(worker), lambda alive: not alive, "the worker to end", 2.0)
        assert time.monotonic() - closed <= 2.0
        warm.wait_log(f"web session pid={worker} duration=")
    finally:
        browser.quit()


def test_with_the_server_gone_the_next_tab_starts_cold(
    tmp_path: Path, warm: WarmServer, web: WebServer, content: Content
) -> None:
    browser = chrome(tmp_path)
    try:
        forked = _walk(browser, web, content)
        assert warm.wait_workers(1)
        warm.stop()  # killed: no goodbye, the socket file stays behind
        browser.get("about:blank")
        cold = _walk(browser, web, content)
        poll(web.app_processes, bool, "a cold app process of the web server's own", STEP_TIMEOUT)
        assert warm.log().count("web tab forked") == 1
        assert forked == cold, "the forked tab draws in the cold tab's colours (truecolor, as textual-serve asks)"
    finally:
        browser.quit()


def _forked_tab_at_home(browser: Any, warm: WarmServer, web: WebServer, content: Content) -> tuple[Tab, int]:
    """Open the wizard in the browser, wait for its home screen, and return the tab and its one forked worker."""
    browser.get(web.url)
    tab = Tab(browser)
    Tui(TabTerm(tab), content.guide("en")).wait_home()  # type: ignore[arg-type]
    [worker] = warm.wait_workers(1)
    return tab, worker


def test_quitting_a_forked_tab_ends_the_page_and_reports_exit_0(
    tmp_path: Path, warm: WarmServer, web: WebServer, content: Content
) -> None:
    browser = chrome(tmp_path)
    try:
        tab, worker = _forked_tab_at_home(browser, warm, web, content)
        tab.press("q")
        poll(tab.body_classes, lambda classes: "-closed" in classes, "the page to see the session end", STEP_TIMEOUT)
        log = warm.wait_log(f"web session pid={worker} duration=")
        assert log.rstrip().endswith("exit=0")
    finally:
        browser.quit()


def test_a_forked_tab_reads_escape_then_a_digit_typed_fast_as_two_keys(
    tmp_path: Path, warm: WarmServer, web: WebServer, content: Content
) -> None:
    """The worker's web driver is Escape-aware too: the help closes and 2 opens the Admin Center."""
    browser = chrome(tmp_path)
    en = content.guide("en")
    try:
        tab, _worker = _forked_tab_at_home(browser, warm, web, content)
        tab.press("?")
        tab.wait_text(en.text("help_title"))
        tab.press("Escape", "2")
        question = Wizard(en).start("admin-center").question
        assert question is not None
        tab.wait(lambda screen: question.title in screen and en.text("help_title") not in screen, "the Admin Center")
    finally:
        browser.quit()


def test_a_forked_tab_whose_worker_dies_shows_the_ended_page(
    tmp_path: Path, warm: WarmServer, web: WebServer, content: Content
) -> None:
    browser = chrome(tmp_path)
    try:
        tab, worker = _forked_tab_at_home(browser, warm, web, content)
        os.kill(worker, signal.SIGKILL)  # no exit code on the connection: the web server still sees it gone
        poll(tab.body_classes, lambda classes: "-closed" in classes, "the page to see the session end", STEP_TIMEOUT)
        warm.wait_log(f"web session pid={worker} duration=")
    finally:
        browser.quit()
