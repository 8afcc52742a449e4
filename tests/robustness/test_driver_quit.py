"""Quitting lets go of the keyboard at once: the driver's input thread ends on its wake-up pipe, not on a poll timeout.

Textual's own thread polls the terminal with a 0.1 s timeout and, on exit, once more with nothing to
poll: each of those returns empty after its timeout, and quitting waited for them. Here a real
billing-tui runs in a pty under a small wrapper that records every poll of the input thread; after a
walk to a verdict and `q`, no poll of that thread may have ended empty after quit was asked for.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from pty_app import walk_wrapped
from test_hostile_content import clean_env
from textual import constants
from textual.drivers.headless_driver import HeadlessDriver

from billing_tui.ui.app import create_app
from billing_tui.ui.driver import PromptExitDriver

# Runs billing-tui's own main() with the input thread's polls recorded, then reports them and the terminal.
WRAPPER = textwrap.dedent(
    """
    import json, selectors, sys, termios, threading, time
    from textual.drivers.linux_driver import LinuxDriver
    from billing_tui.ui.driver import PromptExitDriver

    polls, quit_asked = [], []
    original_select = selectors.SelectSelector.select
    def select(self, timeout=None):
        ready = original_select(self, timeout)
        if threading.current_thread().name == "textual-input":
            polls.append({"ended_after_quit": bool(quit_asked), "ready": len(ready)})
        return ready
    selectors.SelectSelector.select = select
    def flagging(original):  # quit is asked for as the outermost disable_input starts
        def disable_input(self):
            quit_asked.append(True)
            original(self)
        return disable_input
    for driver_class in (LinuxDriver, PromptExitDriver):
        driver_class.disable_input = flagging(driver_class.disable_input)

    before = termios.tcgetattr(0)
    from billing_tui.__main__ import main
    code = main(sys.argv[2:])
    report = {
        "code": code,
        "polls": polls,
        "input_threads": [t.name for t in threading.enumerate() if t.name == "textual-input"],
        "terminal_restored": termios.tcgetattr(0) == before,
    }
    with open(sys.argv[1], "w") as out:
        json.dump(report, out)
    """
)


def test_the_full_screen_app_reads_keys_with_the_prompt_exit_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(constants, "DRIVER", None)
    assert create_app("en").driver_class is PromptExitDriver


def test_a_driver_named_by_textual_driver_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """textual-serve names its web driver this way; the swap must never replace it."""
    monkeypatch.setattr(constants, "DRIVER", "textual.drivers.headless_driver:HeadlessDriver")
    assert create_app("en").driver_class is HeadlessDriver


def test_quit_ends_the_input_thread_without_waiting_for_a_poll_timeout(tmp_path: Path) -> None:
    # keys still arrive through the new thread: the first outcome is a verdict
    status, report, raw = walk_wrapped(tmp_path, WRAPPER, [], clean_env())
    assert status == 0
    assert report["code"] == 0
    assert report["terminal_restored"]
    assert report["input_threads"] == []
    assert report["polls"], "the recording saw no poll of the input thread"
    # Textual's thread ends with a poll of nothing that always times out; this one wakes on its pipe.
    after_quit = [poll for poll in report["polls"] if poll["ended_after_quit"]]
    assert all(poll["ready"] for poll in after_quit), f"a poll after quit ended on its timeout: {after_quit}"
    # The summary is still left on the normal screen after the terminal is restored.
    assert "You are the billing admin" in raw.decode("utf-8", "replace").split("\x1b[?1049l")[-1]
