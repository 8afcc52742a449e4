"""Entry point for `billing-tui` and `python -m billing_tui`; imports nothing heavy before the command is known."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    from billing_tui.cli import run

    return run(argv)


def entry() -> None:
    """Console-script entry: flush, then exit at once with main()'s code.

    Everything is written and the terminal is restored by then; skipping the
    interpreter's teardown (module and thread finalisation, ~40-100 ms after a Textual
    app) makes quitting feel immediate, which matters over SSH.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None: the process started with that fd closed
                stream.flush()
        except (OSError, ValueError):  # a closed pipe, a full disk: main() has already said what it could
            pass
    os._exit(code)


if __name__ == "__main__":
    entry()
