"""A terminal driver that lets go of the keyboard at once on quit, so the shell prompt is back immediately.

Textual's LinuxDriver (8.2, pinned) reads keys in a thread that polls with a 0.1 s timeout and, on
exit, polls once more with nothing registered: quitting waits 100-200 ms for that thread before the
terminal is restored. This driver adds a wake-up pipe to the thread's poll and writes to it when
input is disabled, so the thread ends as soon as it is asked to. Keys, pastes and resizes are read
and parsed as Textual's own thread does (tests/ui/test_driver.py and the pty tests), but for Escape followed at
once by a key, which is those two keys (ui/escape_keys.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import selectors
import signal
import sys
from codecs import getincrementaldecoder
from collections.abc import Callable

from textual._loop import loop_last
from textual._parser import ParseError
from textual.app import App
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver

from billing_tui.ui.escape_keys import EscapeAwareParser

# Set only in a session server's spare worker (billing_tui/server/spare.py): told each time application mode starts.
on_application_mode: Callable[[Driver], None] | None = None


class PromptExitDriver(LinuxDriver):
    """LinuxDriver whose input thread wakes on a pipe when input is disabled, instead of at its next poll."""

    _wake: tuple[int, int] | None = None

    def start_application_mode(self) -> None:
        for fd in self._wake or ():  # started again without disable_input (a background tty, then SIGCONT)
            with contextlib.suppress(OSError):
                os.close(fd)
        self._wake = os.pipe()  # before the input thread starts, which polls it
        resuming = self._must_signal_resume  # back from SIGTSTP (`fg`): the terminal was the shell's meanwhile
        super().start_application_mode()  # type: ignore[no-untyped-call]  # untyped in Textual
        if resuming:  # Textual itself repaints nothing then, and the screen would stay blank until a key
            asyncio.get_running_loop().call_soon_threadsafe(repaint_whole, self._app)
        if on_application_mode is not None:
            on_application_mode(self)

    def _get_terminal_size(self) -> tuple[int, int]:
        """The terminal's own size: Textual asks shutil, which believes exported $COLUMNS and $LINES first."""
        for stream in (self._file, sys.__stdin__):
            try:
                columns, lines = os.get_terminal_size(stream.fileno())  # type: ignore[union-attr]
            except (AttributeError, ValueError, OSError):
                continue
            if columns and lines:
                return columns, lines
        return super()._get_terminal_size()

    def disable_input(self) -> None:
        wake, self._wake = self._wake, None
        if wake is not None:
            with contextlib.suppress(OSError):
                os.write(wake[1], b"\0")  # the input thread stops polling; LinuxDriver then joins it
        try:
            super().disable_input()
        finally:
            if wake is not None:
                for fd in wake:
                    with contextlib.suppress(OSError):
                        os.close(fd)

    def run_input_thread(self) -> None:
        """Read and parse keys until input is disabled (LinuxDriver's loop, plus the wake-up pipe)."""
        wake = self._wake
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        if wake is not None:
            selector.register(wake[0], selectors.EVENT_READ)
        parser = EscapeAwareParser(self._debug)  # Escape then a key: two keys (ui/escape_keys.py)
        decode = getincrementaldecoder("utf-8")().decode

        def process(selector_events: list[tuple[selectors.SelectorKey, int]], final: bool = False) -> bool:
            """Feed what the terminal sent to the parser; False once the terminal is gone."""
            for last, (key, mask) in loop_last(selector_events):
                if key.fd == self.fileno and mask & selectors.EVENT_READ:
                    data = _read_terminal(self.fileno)
                    if not data:
                        return False
                    for event in parser.feed(decode(data, final=final and last)):
                        self.process_message(event)
            for event in parser.tick():
                self.process_message(event)
            return True

        try:
            while not self.exit_event.is_set():
                ready = selector.select(0.1)
                if wake is not None and any(key.fd == wake[0] for key, _ in ready):
                    break
                if not process(ready):
                    _hang_up()
                    return
            process([], final=True)  # as LinuxDriver's last pass: a pending Escape is delivered
        finally:
            selector.close()
            with contextlib.suppress(EOFError, ParseError):
                for _event in parser.feed(""):
                    pass


def _read_terminal(fd: int) -> bytes:
    """What the terminal sent; empty once it is gone (end of file, or EIO from a pty whose other side closed)."""
    try:
        return os.read(fd, 1024 * 4)
    except OSError:
        return b""


def _hang_up() -> None:
    """The terminal is gone but no SIGHUP came (nohup, setsid, a launcher that ignores it): act as if one had.

    Textual's own input thread would read end-of-file again and again, at 100% of a core, for ever.
    """
    if signal.getsignal(signal.SIGHUP) is signal.SIG_IGN:
        os._exit(128 + signal.SIGHUP)  # nothing can be shown or read any more, and hang-ups were refused
    os.kill(os.getpid(), signal.SIGHUP)  # billing_tui.ui.launch ends the app as for a dropped connection


def repaint_whole(app: App[object]) -> None:
    """Send every row of the current screen again, even those the row cache says the terminal shows."""
    for screen in app.screen_stack:
        forget = getattr(screen._compositor, "forget", None)
        if forget is not None:
            forget()
    app.screen.refresh(layout=True)


def prompt_exit_driver(chosen: type[Driver]) -> type[Driver]:
    """The driver Textual chose, LinuxDriver swapped for PromptExitDriver and the web's for its Escape-aware twin.

    Any other (a TEXTUAL_DRIVER of one's own) stays as chosen.
    """
    if chosen is LinuxDriver:
        return PromptExitDriver
    if chosen.__module__ == "textual.drivers.web_driver" and chosen.__name__ == "WebDriver":
        from billing_tui.ui.web_driver import EscapeAwareWebDriver  # only a browser tab's process imports it

        return EscapeAwareWebDriver
    return chosen
