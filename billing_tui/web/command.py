"""The command each browser tab runs: the normal app under Textual's web driver, nothing else on stdout."""

from __future__ import annotations

import os
import shlex
import sys


def session_argv(lang: str, content_dir: str | None, theme: str | None) -> list[str]:
    """A tab's session options, as billing_tui.web.session parses them (its own process's, or a warm worker's)."""
    argv = ["--lang", lang]
    if content_dir:
        argv += ["--content", os.path.abspath(content_dir)]
    if theme:
        argv += ["--theme", theme]
    return argv


def session_command(lang: str, content_dir: str | None, theme: str | None) -> str:
    """The shell command textual-serve starts for one tab; the one place to change how a tab's session starts.

    `exec` leaves no shell in between, so the process the server watches (and ends) is the app itself. The
    session loads everything, then waits for the server's first resize packet (the page's terminal size)
    before it draws, so it can start while the page is still loading.
    """
    argv = [sys.executable, "-m", "billing_tui.web.session", *session_argv(lang, content_dir, theme)]
    return "exec " + shlex.join(argv)
