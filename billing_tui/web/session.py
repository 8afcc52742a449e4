"""One browser tab's session: the full-screen app under Textual's web driver, forked from the session server when
one is running (`billing-tui serve`), else in this process (textual-serve set TEXTUAL_DRIVER for it)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from billing_tui.exit_codes import CliError, ExitCode


def _read_exactly(fd: int, count: int) -> bytes:
    """count bytes from fd unbuffered (so the web driver later reads the rest), or fewer at end of input."""
    data = b""
    while len(data) < count:
        chunk = os.read(fd, count - len(data))
        if not chunk:
            break
        data += chunk
    return data


def wait_for_size(fd: int) -> bool:
    """Read the server's packets until its first resize and take that size for the web driver; False at EOF or quit.

    The framing is textual-serve's (b"M" or b"D", a 4-byte big-endian length, the payload).
    """
    while True:
        head = _read_exactly(fd, 5)
        if len(head) < 5:
            return False
        payload = _read_exactly(fd, int.from_bytes(head[1:], "big"))
        if head[:1] != b"M":
            continue
        meta = json.loads(payload)
        if meta.get("type") == "quit":
            return False
        if meta.get("type") == "resize":
            os.environ["COLUMNS"], os.environ["ROWS"] = str(int(meta["width"])), str(int(meta["height"]))
            return True


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """The tab's options, as web/command.py's session_command writes them."""
    parser = argparse.ArgumentParser(prog="billing-tui-web-session")
    parser.add_argument("--lang", required=True)
    parser.add_argument("--content")
    parser.add_argument("--theme")
    return parser.parse_args(argv)


def run_tab(argv: Sequence[str], driver_class: Any = None) -> int:
    """The tab's session, cold or in a warm worker (which passes the web driver: its TEXTUAL_DRIVER is unset).

    Errors go to stderr, never to stdout, which carries the web driver's protocol.
    """
    from billing_tui.commands import load

    args = parse(argv)
    try:
        content = load(args.content)
    except CliError as exc:
        print(f"billing-tui: {exc}", file=sys.stderr)
        return exc.code
    from billing_tui.ui.app import create_app
    from billing_tui.ui.driver import prompt_exit_driver

    app = create_app(args.lang, content=content, theme=args.theme)
    if driver_class is not None:  # as BillingApp.get_driver_class would have it (the web's, Escape-aware)
        app.driver_class = prompt_exit_driver(driver_class)
    if not wait_for_size(sys.stdin.fileno()):
        return ExitCode.OK  # the page went away before it connected
    app.run()
    return ExitCode.OK if app.return_code is None else int(app.return_code)


def main(argv: Sequence[str] | None = None) -> int:
    """Hand the tab to the session server when one takes it; otherwise run it here, as a cold start."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse(argv)
    from billing_tui.server.client import attach_web

    forked = attach_web(argv, args.content)
    return forked if forked is not None else run_tab(argv)


if __name__ == "__main__":
    raise SystemExit(main())
