"""What keeps the web wizard safe and self-contained: only the server's own URLs, no directory listing, no
cross-origin or foreign-Host websocket, oversized messages refused, the session cap and its busy page, and a
closed tab's process ended."""

from __future__ import annotations

import asyncio
import contextlib
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from browser import STEP_TIMEOUT, Tab, TabTerm, WebServer, chrome, new_tab, poll, requested_urls, static_page
from tui import Tui

from billing_tui.flow import Content

pytestmark = pytest.mark.web


def _status(url: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=STEP_TIMEOUT) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_the_page_asks_only_its_own_server_even_with_a_ping_address(
    driver: Any, server: WebServer, content: Content
) -> None:
    requested_urls(driver)  # forget earlier pages
    driver.get(server.url + "/?ping=http://198.51.100.7/track&delay=1")
    guide = content.guide("en")
    Tui(TabTerm(Tab(driver)), guide).wait_home()  # type: ignore[arg-type]
    assert driver.title == guide.text("web_title")
    urls = [u for u in requested_urls(driver) if u.split(":", 1)[0] in ("http", "https", "ws", "wss")]
    origin = server.url.split("://", 1)[1]
    assert urls and all(u.split("://", 1)[1].startswith(origin + "/") for u in urls), urls
    assert any(u.endswith("/static/fonts/RobotoMono-VariableFont_wght.ttf") for u in urls), urls
    assert any("/assets/favicon.svg" in u for u in urls), urls
    driver.get("about:blank")


def test_no_directory_is_listed(server: WebServer) -> None:
    for path in ("/static/", "/static/js/", "/assets/"):
        assert _status(server.url + path) in (403, 404), path
    assert _status(server.url + "/static/js/textual.js") == 200


def test_a_foreign_host_name_is_refused(server: WebServer) -> None:
    """DNS rebinding: a hostile name resolved to 127.0.0.1 still sends its own Host."""
    assert _status(server.url + "/", {"Host": "evil.example:80"}) == 421
    assert _status(server.url + "/") == 200


async def _handshake(url: str, origin: str | None, payload: str | None = None) -> tuple[str, Any]:
    import aiohttp

    headers = {"Origin": origin} if origin else {}
    async with aiohttp.ClientSession() as session:
        try:
            timeout = aiohttp.ClientWSTimeout(ws_close=30)
            async with session.ws_connect(url + "?width=80&height=24", headers=headers, timeout=timeout) as socket:
                if payload is None:
                    return "open", None
                await socket.send_str(payload)
                message = await socket.receive(timeout=STEP_TIMEOUT)
                while message.type == aiohttp.WSMsgType.BINARY:
                    message = await socket.receive(timeout=STEP_TIMEOUT)
                return "closed", socket.close_code
        except aiohttp.WSServerHandshakeError as error:
            return "refused", error.status


def test_a_cross_origin_websocket_is_refused(server: WebServer) -> None:
    ws = server.url.replace("http://", "ws://") + "/ws"
    assert asyncio.run(_handshake(ws, "http://evil.example")) == ("refused", 403)
    assert asyncio.run(_handshake(ws, None)) == ("refused", 403)
    assert asyncio.run(_handshake(ws, server.url)) == ("open", None)


def test_a_browser_page_elsewhere_cannot_open_the_websocket(driver: Any, server: WebServer) -> None:
    ws = server.url.replace("http://", "ws://") + "/ws"
    driver.get("data:text/html,<title>elsewhere</title>")
    result = driver.execute_async_script(
        """const done = arguments[1]; const s = new WebSocket(arguments[0]);
        s.onopen = () => done('open'); s.onclose = () => done('closed');""",
        ws,
    )
    assert result == "closed"
    driver.get("about:blank")


def _another_site() -> contextlib.AbstractContextManager[str]:
    """An empty page of another origin: another port of 127.0.0.1 (the test browser resolves no other name)."""
    return static_page("<!doctype html><title>elsewhere</title>")


def test_another_sites_page_cannot_start_sessions_by_loading_ours(driver: Any, server: WebServer) -> None:
    """A no-cors fetch from another origin gets the page but no session: it cannot fill the cap from a browser."""
    with _another_site() as elsewhere:
        driver.get(elsewhere)
        before = len(server.children())
        fetched = driver.execute_async_script(
            """const done = arguments[1];
            Promise.all([...Array(6)].map(() => fetch(arguments[0] + "/", {mode: "no-cors"}).then(r => r.type)))
                .then(types => done(types.join(",")), error => done("error: " + error));""",
            server.url,
        )
        after = len(server.children())
        driver.get("about:blank")
    assert fetched == ",".join(["opaque"] * 6)  # the requests were made, and answered
    assert after <= before + 1, f"{after - before} app processes started for another site's requests"


def test_an_oversized_message_closes_the_session(server: WebServer) -> None:
    ws = server.url.replace("http://", "ws://") + "/ws"
    state, code = asyncio.run(_handshake(ws, server.url, '["stdin", "' + "x" * 200_000 + '"]'))
    assert (state, code) == ("closed", 1009)


def test_a_closed_tab_ends_its_process_within_2_seconds(tmp_path: Path, server: WebServer, content: Content) -> None:
    browser = chrome(tmp_path)
    try:
        before = server.app_processes()
        browser.get(server.url)
        Tui(TabTerm(Tab(browser)), content.guide("en")).wait_home()  # type: ignore[arg-type]
        sessions = poll(lambda: server.app_processes() - before, bool, "the tab's process")
        new_tab(browser)  # keep the browser alive, close only the wizard's tab
        keep = browser.current_window_handle
        browser.switch_to.window(browser.window_handles[0])
        browser.close()
        closed = time.monotonic()
        browser.switch_to.window(keep)
        poll(lambda: sessions & set(server.children()), lambda left: not left, "the process to end", 2.0)
        assert time.monotonic() - closed <= 2.0
    finally:
        browser.quit()


def test_past_the_cap_a_new_tab_gets_the_busy_page_and_the_running_one_goes_on(
    tmp_path: Path, content: Content
) -> None:
    from selenium.webdriver.common.by import By

    capped = WebServer.start(tmp_path, "--max-sessions", "1", "--lang", "pt-BR")
    browser = chrome(tmp_path)
    try:
        guide = content.guide("pt-BR")
        browser.get(capped.url)
        first = Tab(browser)
        tui = Tui(TabTerm(first), guide)  # type: ignore[arg-type]
        tui.wait_home()
        wizard = tui.start_flow("billing-center")
        new_tab(browser)
        browser.get(capped.url)
        busy = guide.text("web_busy", max=1)
        poll(lambda: browser.find_element(By.TAG_NAME, "body").text, lambda text: busy in text, "the busy page")
        assert browser.find_element(By.CSS_SELECTOR, "a").text == guide.text("web_busy_retry")
        assert _status(capped.url + "/", {"Accept-Language": "en"}) == 503
        tui.answer(wizard, "unsure")  # the running session is unharmed
    finally:
        browser.quit()
        capped.stop()
