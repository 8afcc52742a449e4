"""Run the full-screen app from the command line and print the exit summary to the normal screen."""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import signal
import sys
import threading

from billing_tui import startup_gc
from billing_tui.display import detect_display
from billing_tui.exit_codes import CliError, ExitCode
from billing_tui.flow import Content
from billing_tui.flow.sanitize import ascii_typography
from billing_tui.flow.transcript import to_text
from billing_tui.ui.app import BillingApp, create_app
from billing_tui.ui.themes import THEME_NAMES
from billing_tui.ui.too_small import MIN_HEIGHT, MIN_WIDTH
from billing_tui.wrap import terminal_width, wrap_text


def run_app(
    content: Content, lang: str, flow: str | None, theme: str | None, summary: bool, kiosk: bool = False
) -> int:
    """Run the wizard until the user quits; after a verdict, leave a plain summary in the scrollback.

    kiosk=True is billing_tui.kiosk's mode: the caller has already reduced the environment (kiosk.enter).
    """
    for name in ("COLUMNS", "LINES"):  # the terminal's own size wins (ui/driver.py); Rich would size its console
        os.environ.pop(name, None)  # by them, and Textual lay out its first frame at a size the terminal is not
    app = create_app(lang, flow=flow, content=content, ascii_only=detect_display(os.environ).ascii_only, kiosk=kiosk)
    if theme is not None:
        if theme not in THEME_NAMES:  # only ours, as the plain mode, serve and web accept (not Textual's own)
            raise CliError(f"unknown theme {theme!r}; available: {', '.join(THEME_NAMES)}")
        app.theme = theme
    try:
        signalled = asyncio.run(_run_until_signal(app))
    finally:
        startup_gc.resume()  # the app ended before its first frame (an error, a signal)
    if signalled is not None:  # the terminal may be gone (SIGHUP): no summary, the shell's usual code
        return 128 + signalled
    if summary and app.wizard.verdict is not None:
        # Wrapped at words to the terminal (a pipe or a file keeps one line per paragraph).
        sys.stdout.write("\n" + wrap_text(to_text(app.wizard, ascii_only=app.ascii_only), terminal_width(sys.stdout)))
        sys.stdout.flush()
    code = ExitCode.OK if app.return_code is None else int(app.return_code)
    if code == ExitCode.TERMINAL:  # quit from the too-small notice: say so on the normal screen
        width, height = app.size
        limits = {"width": width, "height": height, "min_width": MIN_WIDTH, "min_height": MIN_HEIGHT}
        line = app.wizard.guide.text("too_small_exit", **limits)
        print(f"billing-tui: {ascii_typography(line) if app.ascii_only else line}", file=sys.stderr)
    return code


# Textual restores the terminal only when the app exits normally; these signals would otherwise kill the
# process inside the alternate screen with echo and canonical input off.
EXIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
# How long a signalled exit may take before the process leaves anyway: with the terminal gone, Textual's
# output thread dies on EIO and its shutdown then waits for it forever.
EXIT_GRACE = 3.0


async def _run_until_signal(app: BillingApp) -> int | None:
    """Run the app, turning SIGTERM, SIGHUP and SIGINT into a normal exit; return the signal, if one ended it."""
    loop = asyncio.get_running_loop()
    received: list[int] = []
    watchdogs: list[threading.Timer] = []
    # A signal the parent chose to ignore (nohup, a background job) stays ignored.
    handled = [signum for signum in EXIT_SIGNALS if signal.getsignal(signum) is not signal.SIG_IGN]

    def on_signal(signum: int) -> None:
        received.append(signum)
        if _terminal_hung_up():
            os._exit(128 + signum)  # nothing left to restore, and writing to the dead terminal would block
        watchdog = threading.Timer(EXIT_GRACE, os._exit, (128 + signum,))
        watchdog.daemon = True
        watchdog.start()
        watchdogs.append(watchdog)
        app.exit(128 + signum)

    for signum in handled:
        loop.add_signal_handler(signum, on_signal, signum)
    try:
        await app.run_async()
    finally:
        for signum in handled:
            loop.remove_signal_handler(signum)
        for watchdog in watchdogs:
            watchdog.cancel()
    return received[0] if received else None


def _terminal_hung_up() -> bool:
    """Whether the controlling terminal is gone (closed window, dropped SSH connection)."""
    poller = select.poll()
    for stream in (sys.__stdin__, sys.__stdout__, sys.__stderr__):
        with contextlib.suppress(AttributeError, OSError, ValueError):
            poller.register(stream.fileno(), select.POLLHUP)  # type: ignore[union-attr]
    return any(events & (select.POLLHUP | select.POLLERR) for _, events in poller.poll(0))
