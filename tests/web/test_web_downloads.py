"""A transcript offered for download that no browser fetched is forgotten when its session ends.

textual-serve 1.1.3 drops a download only once it has been streamed: an offer the browser never fetched (a tab
closed right after `s`, a download blocked by the browser) kept its entry, and with it the whole ended session
(its AppService, its buffers), for as long as `billing-tui web` ran. A download being streamed is left alone: its
stream removes it when it ends.
"""

from __future__ import annotations

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
    config = WebConfig("127.0.0.1", 0, None, 4, "en", "en", None, None)
    server = WebServer(config, content)
    relay = Relay()
    relay.service = EndedSession("tab")  # type: ignore[assignment]
    await offer(server.downloads, relay.service, "offered")  # type: ignore[arg-type]
    server.live = 1
    await server._finish(relay)
    assert server.live == 0
    assert server.downloads._active_downloads == {}
