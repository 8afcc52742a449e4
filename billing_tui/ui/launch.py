"""Run the full-screen app from the command line and print the exit summary to the normal screen."""

from __future__ import annotations

import os
import sys

from billing_tui.display import detect_display
from billing_tui.exit_codes import CliError, ExitCode
from billing_tui.flow import Content
from billing_tui.flow.transcript import to_text
from billing_tui.ui.app import create_app
from billing_tui.ui.themes import THEME_NAMES


def run_app(content: Content, lang: str, flow: str | None, theme: str | None, summary: bool) -> int:
    """Run the wizard until the user quits; after a verdict, leave a plain summary in the scrollback."""
    app = create_app(lang, flow=flow, content=content, ascii_only=detect_display(os.environ).ascii_only)
    if theme is not None:
        if theme not in app.available_themes:
            raise CliError(f"unknown theme {theme!r}; available: {', '.join(THEME_NAMES)}")
        app.theme = theme
    app.run()
    if summary and app.wizard.verdict is not None:
        sys.stdout.write("\n" + to_text(app.wizard, ascii_only=app.ascii_only))
        sys.stdout.flush()
    code = app.return_code
    return ExitCode.OK if code is None else int(code)
