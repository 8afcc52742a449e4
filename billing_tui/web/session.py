"""One browser tab's session: the full-screen app under the web driver textual-serve chose (TEXTUAL_DRIVER)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from billing_tui.commands import load
from billing_tui.exit_codes import CliError, ExitCode


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
    app.run()
    return ExitCode.OK if app.return_code is None else int(app.return_code)


if __name__ == "__main__":
    raise SystemExit(main())
