"""Start the web server: check the options, warn about a public bind, run until Ctrl+C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Mapping
from urllib.parse import urlsplit

from aiohttp import web

from billing_tui.commands import pick_lang
from billing_tui.exit_codes import CliError, ExitCode
from billing_tui.flow import Content
from billing_tui.ui.themes import THEME_NAMES
from billing_tui.web.origin import LOOPBACK_HOSTS
from billing_tui.web.server import WebConfig, WebServer

PUBLIC_WARNING = (
    "billing-tui: warning: serving plain HTTP without authentication on {host}; "
    "put it behind a TLS reverse proxy (see docs/web.md)"
)


def config_from(content: Content, args: argparse.Namespace, env: Mapping[str, str]) -> WebConfig:
    """The server's settings from the command line, or one clear error."""
    if args.max_sessions < 1:
        raise CliError(f"--max-sessions must be at least 1, not {args.max_sessions}")
    if not 0 <= args.port <= 65535:
        raise CliError(f"--port must be between 0 and 65535, not {args.port}")
    if args.theme is not None and args.theme not in THEME_NAMES:
        raise CliError(f"unknown theme {args.theme!r}; available: {', '.join(THEME_NAMES)}")
    if args.public_url is not None:
        parts = urlsplit(args.public_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise CliError(f"--public-url must be an http:// or https:// address, not {args.public_url!r}")
    forced = pick_lang(content, args.lang, {}) if args.lang else None
    return WebConfig(
        host=args.host,
        port=args.port,
        public_url=args.public_url.rstrip("/") if args.public_url else None,
        max_sessions=args.max_sessions,
        lang=forced,
        default_lang=pick_lang(content, None, env),
        content_dir=args.content,
        theme=args.theme,
    )


class _QuietSpares(logging.Filter):
    """textual-serve logs 'Application failed to start' for any process ended before its app started, spares
    ended on purpose included, and cannot say which tab; WebServer._finish logs a tab's own failure instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != "Application failed to start"


def serve(content: Content, args: argparse.Namespace, env: Mapping[str, str]) -> int:
    """Serve until interrupted; 0 after Ctrl+C or SIGTERM, 1 when the address cannot be bound."""
    config = config_from(content, args, env)
    logging.getLogger("textual-serve").addFilter(_QuietSpares())
    if config.host not in LOOPBACK_HOSTS:
        print(PUBLIC_WARNING.format(host=config.host), file=sys.stderr, flush=True)
    try:
        asyncio.run(_serve(WebServer(config, content)))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise CliError(f"cannot listen on {config.host}:{config.port}: {reason}", ExitCode.FAILURE) from None
    return ExitCode.OK


async def _serve(server: WebServer) -> None:
    """Bind, say where, and wait for a stop signal; then close every session."""
    runner = web.AppRunner(server.application(), handle_signals=False, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, server.config.host, server.config.port, shutdown_timeout=2.0)
        await site.start()
        port = int(runner.addresses[0][1])
        server.bound(port)
        where = server.config.public_url or f"http://{_url_host(server.config.host)}:{port}"
        print(f"billing-tui web: serving the wizard on {where} (Ctrl+C stops)", flush=True)
        await server.prepare_spare(server.config.lang or server.config.default_lang)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
    finally:
        with contextlib.suppress(Exception):
            await runner.cleanup()
        await server.close_spares()


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
