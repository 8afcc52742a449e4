"""The aiohttp application built from textual-serve's pieces: our pages, its assets, and guarded websockets.

textual-serve's own Server links Google Fonts, lists /static, checks no Origin and starts any number of
processes; this one keeps its AppService (one process per tab: a warm worker, or a subprocess), DownloadManager
and bundled assets only.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import textual_serve
from aiohttp import web
from textual_serve.download_manager import DownloadManager

from billing_tui.flow import Content
from billing_tui.server.client import available_socket
from billing_tui.web.bundle import terminal_script
from billing_tui.web.command import session_argv, session_command
from billing_tui.web.compat import TabService, forget_downloads, process_of
from billing_tui.web.origin import allowed_hosts, origin_allowed
from billing_tui.web.pages import render, tab_lang
from billing_tui.web.pipe import MAX_COLUMNS, MAX_ROWS, close_when_gone, end_session, pass_input, terminal_size
from billing_tui.web.relay import Relay

log = logging.getLogger("billing-tui.web")

TEXTUAL_STATIC = Path(textual_serve.__file__).with_name("static")
ASSETS = Path(__file__).with_name("assets")
MAX_MESSAGE = 64 * 1024  # a key press or a resize is tens of bytes; a paste into a field stays far below this
HEARTBEAT = 10.0  # a connection that went silent (no FIN, no RST) is found dead within about this long
PENDING_TTL = 20.0  # how long a session started for a page waits for that page's websocket
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@dataclass(frozen=True)
class WebConfig:
    """What `billing-tui web` was asked to serve, and how."""

    host: str
    port: int
    public_url: str | None
    max_sessions: int
    lang: str | None  # --lang: every tab in it; None: each tab in its browser's language
    default_lang: str
    content_dir: str | None
    theme: str | None


class WebServer:
    """Serves the page, the bundled assets, downloads and one app process per websocket, up to max_sessions."""

    def __init__(self, config: WebConfig, content: Content) -> None:
        self.config = config
        self.content = content
        self.downloads = DownloadManager()
        self.streaming: set[str] = set()  # keys of downloads a browser is fetching now
        self.live = 0  # sessions whose process has not yet been reaped (pending ones included)
        self.pending: dict[str, Relay] = {}  # sessions started for a page, by the ticket in its websocket URL
        self.spares: dict[str, Relay] = {}  # by language: started and waiting for a page (see prepare_spare)
        self.filling: set[str] = set()
        self.hosts: frozenset[str] | None = None
        self.base = (config.public_url or "").rstrip("/")
        self.script = terminal_script(TEXTUAL_STATIC)
        self.script_etag = f'"{hashlib.sha256(self.script).hexdigest()[:32]}"'

    def application(self) -> web.Application:
        """The aiohttp application (routes and the Host/headers middleware)."""
        app = web.Application(middlewares=[self._guard], client_max_size=MAX_MESSAGE)
        app.add_routes(
            [
                web.get("/", self.index),
                web.get("/ws", self.websocket),
                web.get("/ws/{ticket}", self.websocket),
                web.get("/download/{key}", self.download),
                web.get("/favicon.ico", self.favicon),
                web.get("/static/js/textual.js", self.terminal_script),  # before /static, which it replaces
                web.static("/static", TEXTUAL_STATIC, show_index=False, follow_symlinks=False),
                web.static("/assets", ASSETS, show_index=False, follow_symlinks=False),
            ]
        )
        return app

    async def terminal_script(self, request: web.Request) -> web.Response:
        """textual-serve's terminal script, drawing with xterm.js's DOM renderer (billing_tui/web/bundle.py)."""
        # Kept by the browser and revalidated on each page: an unchanged script is a 304, not 500 KB again.
        headers = {"ETag": self.script_etag, "Cache-Control": "no-cache"}
        if request.headers.get("If-None-Match") == self.script_etag:
            return web.Response(status=304, headers=headers)
        return web.Response(body=self.script, content_type="application/javascript", charset="utf-8", headers=headers)

    def bound(self, port: int) -> None:
        """Learn the port actually bound (--port 0 lets the system pick), which the Host check needs."""
        self.hosts = allowed_hosts(self.config.host, port, self.config.public_url)

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Refuse a Host this server does not answer to (DNS rebinding); add the security headers."""
        if self.hosts is not None and request.host.lower() not in self.hosts:
            raise web.HTTPMisdirectedRequest(text="unknown host\n")
        response = await handler(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    def _lang(self, request: web.Request) -> str:
        return tab_lang(
            self.content, self.config.lang, request.headers.get("Accept-Language", ""), self.config.default_lang
        )

    def _websocket_url(self, request: web.Request) -> str:
        """The websocket address the page connects to: the public URL's, else this request's own host."""
        if self.base:
            scheme, rest = self.base.split(":", 1)
            return ("wss:" if scheme == "https" else "ws:") + rest + "/ws"
        return f"{'wss' if request.secure else 'ws'}://{request.host}/ws"

    def _csp(self, request: web.Request) -> str:
        """A Content-Security-Policy that lets the page load and connect to this server only."""
        return (
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; "
            f"img-src 'self' data:; connect-src 'self' {self._websocket_url(request)}; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        )

    def _page(self, request: web.Request, name: str, status: int = 200, **values: object) -> web.Response:
        lang = self._lang(request)
        html = render(name, self.content, lang, base=self.base, max=self.config.max_sessions, **values)
        response = web.Response(text=html, content_type="text/html", charset="utf-8", status=status)
        response.headers["Content-Security-Policy"] = self._csp(request)
        response.headers["Cache-Control"] = "no-store"
        return response

    async def index(self, request: web.Request) -> web.Response:
        """The wizard's page, its session already starting; or the busy page when every session is taken."""
        if self.live >= self.config.max_sessions:
            response = self._page(request, "busy.html", status=503)
            response.headers["Retry-After"] = "30"
            return response
        url = self._websocket_url(request)
        if request.method == "GET" and starts_with_page(request):  # the app starts while the page loads
            relay = await self._take(self._lang(request))
            self.pending[relay.ticket] = relay
            asyncio.get_running_loop().call_later(PENDING_TTL, self._expire, relay.ticket)
            url += f"/{relay.ticket}"
        font_size = terminal_size(request.query.get("fontsize"), 16, 40)
        return self._page(request, "index.html", websocket_url=url, font_size=font_size)

    async def _take(self, lang: str) -> Relay:
        """A started session for a new page: the spare one for its language if ready, then a new spare behind it."""
        relay = self.spares.pop(lang, None)
        process = process_of(relay.service) if relay is not None else None
        if relay is None or process is None or process.returncode is not None or relay.closed:
            if relay is not None:  # a spare that cannot serve: ended, not left running uncounted
                asyncio.get_running_loop().create_task(end_session(relay.service))
            relay = await self._start(lang, 80, 24)
        else:
            self.live += 1
        asyncio.get_running_loop().create_task(self.prepare_spare(lang))
        return relay

    async def prepare_spare(self, lang: str) -> None:
        """Keep one session per language loaded and waiting (Python, Textual and the content), not yet counted.

        Only for cold starts: while a session server is there (`billing-tui serve`), a tab's process hands its
        session to a worker forked ready, and a spare would only hold one of the server's sessions.
        """
        if lang in self.spares or lang in self.filling or available_socket() is not None:
            return
        self.filling.add(lang)
        try:
            relay = await self._start(lang, 80, 24)
        except Exception as exc:  # EAGAIN, EMFILE: no spare now; a page still starts its own session
            log.warning("no spare session for %s: %s", lang, exc)
            return
        finally:
            self.filling.discard(lang)
        self.live -= 1  # a spare is no one's session yet
        self.spares[lang] = relay

    async def close_spares(self) -> None:
        """End the waiting spare sessions (at shutdown)."""
        spares, self.spares = list(self.spares.values()), {}
        await asyncio.gather(*(end_session(relay.service) for relay in spares), return_exceptions=True)

    async def _start(self, lang: str, width: int, height: int) -> Relay:
        """Start one tab's app process (counted against the cap until it is reaped)."""
        relay = Relay()
        content_dir, theme = self.config.content_dir, self.config.theme
        relay.service = TabService(
            session_command(lang, content_dir, theme),
            session_argv(lang, content_dir, theme),
            os.path.abspath(content_dir) if content_dir else None,
            write_bytes=relay.write_bytes,
            write_str=relay.write_str,
            close=relay.close,
            download_manager=self.downloads,
        )
        self.live += 1
        try:
            await relay.service.start(width, height)
        except BaseException:
            self.live -= 1
            raise
        return relay

    def _expire(self, ticket: str) -> None:
        """A page that never connected: end the session started for it."""
        relay = self.pending.pop(ticket, None)
        if relay is not None:
            asyncio.get_running_loop().create_task(self._finish(relay))

    async def _finish(self, relay: Relay) -> None:
        try:
            await end_session(relay.service)
        finally:
            self.live -= 1
            forget_downloads(self.downloads, relay.service, self.streaming)
        process = process_of(relay.service)
        code = process.returncode if process is not None else None
        if not relay.drew and code is not None and code > 0:  # it failed on its own (ended by us: code < 0)
            log.warning("a tab's session ended before it started (exit code %d)", code)

    async def favicon(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(ASSETS / "favicon.svg", headers={"Content-Type": "image/svg+xml"})

    async def download(self, request: web.Request) -> web.StreamResponse:
        """Stream a file the tab's app delivered (the saved transcript), from its process, never from disk."""
        key = request.match_info["key"]
        try:
            meta = await self.downloads.get_download_metadata(key)
        except KeyError:
            raise web.HTTPNotFound(text="no such download\n") from None
        response = web.StreamResponse()
        content_type = meta.mime_type + (f"; charset={meta.encoding}" if meta.encoding else "")
        response.headers["Content-Type"] = content_type
        disposition = "inline" if meta.open_method == "browser" else "attachment"
        response.headers["Content-Disposition"] = f'{disposition}; filename="{meta.file_name}"'
        await response.prepare(request)
        self.streaming.add(key)
        try:
            async for chunk in self.downloads.download(key):
                await response.write(chunk)
        finally:
            self.streaming.discard(key)
        await response.write_eof()
        return response

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        """One tab's terminal: refused cross-origin or past the cap; its process ends when the socket does."""
        if not origin_allowed(request.headers.get("Origin"), request.host, self.config.public_url):
            raise web.HTTPForbidden(text="cross-origin websocket refused\n")
        width = terminal_size(request.query.get("width"), 80, MAX_COLUMNS)
        height = terminal_size(request.query.get("height"), 24, MAX_ROWS)
        relay = self.pending.pop(request.match_info.get("ticket", ""), None)
        if relay is None:  # no page started it (or it expired): start one now, if there is room
            if self.live >= self.config.max_sessions:
                raise web.HTTPServiceUnavailable(text="busy\n", headers={"Retry-After": "30"})
            relay = await self._start(self._lang(request), width, height)
        try:
            return await self._session(request, relay, width, height)
        finally:
            await self._finish(relay)

    async def _session(self, request: web.Request, relay: Relay, width: int, height: int) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(heartbeat=HEARTBEAT, max_msg_size=MAX_MESSAGE)
        await socket.prepare(request)
        await relay.attach(socket, width, height)
        watcher = asyncio.create_task(close_when_gone(relay.service, socket))
        try:
            await pass_input(socket, relay.service)
        finally:
            await end_session(relay.service)
            watcher.cancel()
            await socket.close()
        return socket


def starts_with_page(request: web.Request) -> bool:
    """Whether loading the page may start its session at once: yes when the user opened it (or a browser too old to
    say), no when a page of another origin asked for it (Sec-Fetch-Site), which could otherwise fill the session cap
    with `fetch(..., {mode: "no-cors"})`; such a page's session waits for its websocket, whose Origin is checked."""
    return request.headers.get("Sec-Fetch-Site", "none") in ("none", "same-origin")
