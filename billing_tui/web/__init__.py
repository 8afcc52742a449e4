"""`billing-tui web`: the wizard in a browser through textual-serve (an optional extra, imported only here)."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import TYPE_CHECKING

from billing_tui.exit_codes import CliError

if TYPE_CHECKING:  # a tab's process imports this package first: it stays light until it starts cold
    from billing_tui.flow import Content

MISSING = "the web wizard needs textual-serve: pip install 'billing-tui[web]'"


def run_web(content: Content, args: argparse.Namespace, env: Mapping[str, str]) -> int:
    """Serve the wizard until interrupted, or fail with one line when textual-serve is not installed."""
    try:
        import textual_serve  # noqa: F401  (only to learn whether the extra is installed)
    except ImportError:
        raise CliError(MISSING) from None
    from billing_tui.web.serve import serve

    return serve(content, args, env)
