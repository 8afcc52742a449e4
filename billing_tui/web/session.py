"""One browser tab's session: the full-screen app under the web driver textual-serve chose (TEXTUAL_DRIVER)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from billing_tui.commands import load
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app for one tab; errors go to stderr, never to stdout, which carries the web driver's protocol."""
    parser = argparse.ArgumentParser(prog="billing-tui-web-session")
    parser.add_argument("--lang", required=True)
    parser.add_argument("--content")
    parser.add_argument("--theme")
    args = parser.parse_args(argv)
    try:
        content = load(args.content)
    except CliError as exc:
        print(f"billing-tui: {exc}", file=sys.stderr)
        return exc.code
    from billing_tui.ui.app import create_app

    app = create_app(args.lang, content=content, theme=args.theme)
    if not wait_for_size(sys.stdin.fileno()):
        return ExitCode.OK  # the page went away before it connected
    app.run()
    return ExitCode.OK if app.return_code is None else int(app.return_code)


if __name__ == "__main__":
    raise SystemExit(main())
