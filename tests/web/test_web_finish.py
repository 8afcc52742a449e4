"""When a tab's session is finished: its unfetched downloads are forgotten, and a failure to start is logged.

A transcript offered for download that no browser fetched is forgotten when its session ends.

textual-serve 1.1.3 drops a download only once it has been streamed: an offer the browser never fetched (a tab
closed right after `s`, a download blocked by the browser) kept its entry, and with it the whole ended session
(its AppService, its buffers), for as long as `billing-tui web` ran. A download being streamed is left alone: its
stream removes it when it ends.
"""

from __future__ import annotations

import asyncio
import logging
import sys

import pytest

from billing_tui.flow import Content

pytest.importorskip("textual_serve", reason="textual-serve (the [web] extra) is not installed")

from textual_serve.download_manager import DownloadManager

from billing_tui.web.compat import forget_downloads
from billing_tui.web.relay import Relay
from billing_tui.web.server import WebConfig, WebServer


class EndedSession:
    """Stands for a tab's AppService whose process has already gone (nothing left to stop)."""

    def __init__(self, name: str) -> None:
        self.app_service_id = name


def web_server(content: Content) -> WebServer:
    """A `billing-tui web` server object, not listening: its _finish is what is tested."""
    return WebServer(WebConfig("127.0.0.1", 0, None, 4, "en", "en", None, None), content)


async def tab(name: str, code: str | None = None) -> Relay:
    """A tab's relay whose session is `name`, its process running `python -c code` (none without code)."""
    relay = Relay()
    relay.service = EndedSession(name)  # type: ignore[assignment]
    if code is not None:
        process = await asyncio.create_subprocess_exec(sys.executable, "-c", code)
        relay.service._process = process  # type: ignore[attr-defined]  # as AppService keeps it
    return relay


async def offer(manager: DownloadManager, service: EndedSession, key: str) -> None:
    """What the app's deliver_text does through textual-serve: announce a download under a key."""
    await manager.create_download(
        app_service=service,  # type: ignore[arg-type]  # only its identity matters here
        delivery_key=key,
        file_name="billing-contact.md",
        open_method="download",
        mime_type="text/markdown",
        encoding="utf-8",
    )


async def test_an_ended_sessions_unfetched_downloads_are_dropped_and_nothing_else() -> None:
    manager = DownloadManager()
    ended, live = EndedSession("ended"), EndedSession("live")
    await offer(manager, ended, "never-fetched")
    await offer(manager, ended, "being-fetched")
    await offer(manager, live, "other-tab")
    assert forget_downloads(manager, ended, streaming={"being-fetched"}) == 1  # type: ignore[arg-type]
    assert sorted(manager._active_downloads) == ["being-fetched", "other-tab"]


async def test_the_web_server_forgets_them_when_the_session_is_finished(content: Content) -> None:
    server = web_server(content)
    relay = await tab("tab")
    await offer(server.downloads, relay.service, "offered")  # type: ignore[arg-type]
    server.live = 1
    await server._finish(relay)
    assert server.live == 0
    assert server.downloads._active_downloads == {}


async def test_a_tab_whose_app_failed_before_its_first_frame_is_logged(
    content: Content, caplog: pytest.LogCaptureFixture
) -> None:
    """textual-serve's own 'Application failed to start' is filtered (spares ended on purpose say it too)."""
    server = web_server(content)
    relay = await tab("tab", "raise SystemExit(3)")
    await relay.service._process.wait()  # type: ignore[attr-defined]
    server.live = 1
    with caplog.at_level(logging.WARNING, logger="billing-tui.web"):
        await server._finish(relay)
    assert "a tab's session ended before it started (exit code 3)" in caplog.text


async def test_a_tab_that_drew_or_was_ended_by_the_server_is_not_logged(
    content: Content, caplog: pytest.LogCaptureFixture
) -> None:
    server = web_server(content)
    drew = await tab("drew", "raise SystemExit(3)")
    await drew.service._process.wait()  # type: ignore[attr-defined]
    await drew.write_str("a first frame")
    ended = await tab("ended", "import time; time.sleep(60)")  # no stop(): end_session kills it
    sleeping = ended.service._process  # type: ignore[attr-defined]
    server.live = 2
    with caplog.at_level(logging.WARNING, logger="billing-tui.web"):
        await server._finish(drew)
        await server._finish(ended)
    assert sleeping.returncode is not None and sleeping.returncode < 0
    assert "ended before it started" not in caplog.text
