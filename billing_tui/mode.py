"""Which interface a launch gets, decided from the options and the environment alone (stdlib only).

The CLI's cold start and the session-server client share it, so both pick the same mode.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import TextIO


def wants_plain(args: argparse.Namespace, env: Mapping[str, str]) -> bool:
    """Whether to use the plain line mode: asked for, no terminal on stdin or stdout, or TERM=dumb."""
    if args.plain or env.get("TERM", "") == "dumb":
        return True
    return not (_isatty(sys.stdin) and _isatty(sys.stdout))


def _isatty(stream: TextIO | None) -> bool:
    """Whether a standard stream is a terminal; one the process started with closed (None) is not."""
    return stream is not None and stream.isatty()
