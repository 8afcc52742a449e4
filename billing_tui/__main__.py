"""Entry point for `billing-tui` and `python -m billing_tui`; imports nothing heavy before the command is known."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    from billing_tui.cli import run

    return run(argv)


def entry() -> None:
    """Console-script entry: exit with main()'s code."""
    sys.exit(main())


if __name__ == "__main__":
    entry()
