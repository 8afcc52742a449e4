"""`billing-tui serve` from the command line: check the admin options before warming up, then run the server."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Mapping

from billing_tui import commands
from billing_tui.exit_codes import CliError, ExitCode
from billing_tui.server import paths, warm
from billing_tui.server.options import ServerOptions
from billing_tui.server.server import Server
from billing_tui.server.sessions import log
from billing_tui.server.socket_file import AlreadyServing, clear_stale


def options_from(args: argparse.Namespace) -> ServerOptions:
    """The server's options, with the content directory made absolute and the language and theme checked."""
    content_dir = os.path.abspath(args.content) if args.content else None
    content = commands.load(content_dir)
    if args.lang is not None:
        commands.pick_lang(content, args.lang, {})
    if args.theme is not None:
        from billing_tui.ui.themes import THEME_NAMES

        if args.theme not in THEME_NAMES:
            raise CliError(f"unknown theme {args.theme!r}; available: {', '.join(THEME_NAMES)}")
    if args.grace < 0:
        raise CliError(f"--grace wants 0 seconds or more, got {args.grace:g}")
    return ServerOptions(
        content=content_dir,
        lang=args.lang,
        theme=args.theme,
        kiosk=args.kiosk,
        max_sessions=args.max_sessions,
        grace=args.grace,
        spares=args.spares,
    )


def serve(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    """Run the session server in the foreground until SIGTERM; its log goes to stderr."""
    return run_server(options_from(args), dict(env))


def run_server(options: ServerOptions, env: dict[str, str]) -> int:
    """Check the socket directory, warm up, listen, serve; one line and exit 2 on an unsafe directory."""
    try:
        path = paths.prepare_dir(paths.socket_path(env))
        clear_stale(path)
    except paths.InsecureSocketDir as exc:
        print(f"billing-tui: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    except AlreadyServing as exc:
        print(f"billing-tui: {exc}", file=sys.stderr)
        return ExitCode.FAILURE
    started = time.monotonic()
    warm.warm_up(options)
    log(f"warmed up in {time.monotonic() - started:.1f} s")
    server = Server(options, path)
    server.listen()
    return server.serve()
