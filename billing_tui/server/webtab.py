"""A browser tab's session in a warm worker: textual-serve's import-time settings applied, then the cold tab's code.

A cold tab's process imports Textual under textual-serve's environment (identity.WEB_SESSION_ENV); the server
imported it under the terminal's, and compared everything else (identity.web_env_mismatch). So the worker
passes the web driver explicitly and sets the one other value that differs from Textual's defaults, the colour
system, on textual.constants (in this forked process only) before the app is made.
"""

from __future__ import annotations

from collections.abc import Sequence


def run_tab(argv: Sequence[str]) -> int:
    """Run billing_tui.web.session's run_tab, as the cold tab process would, with the web driver."""
    import textual.constants
    from textual.drivers.web_driver import WebDriver

    from billing_tui.web import session

    setattr(textual.constants, "COLOR_SYSTEM", "truecolor")  # noqa: B010  (a Final module constant)
    return session.run_tab(argv, driver_class=WebDriver)
