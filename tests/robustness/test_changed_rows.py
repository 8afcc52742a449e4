"""After state changes only the changed rows are sent, and the terminal still shows exactly the new state.

billing-tui leaves out of each partial update the rows the terminal already shows (ui/row_cache.py).
If it ever left out a row that did change, leftovers of the previous state would stay on screen, so
the screen of an app taken there and back again must equal, cell for cell, that of a fresh app.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.robustness.pty_app import PtyApp
from tests.robustness.test_hostile_content import clean_env

ARGS = ["--lang", "en", "--flow", "billing-center"]
QUESTION = "None of these / not sure"  # a choice of the first question, on no other state's screen
VERDICT = "You are the billing admin"


def cells(app: PtyApp) -> list[list[tuple[object, ...]]]:
    """Every cell of the emulated screen: its character, colours and attributes."""
    screen = app.screen
    return [
        [
            (c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.reverse)
            for c in map(screen.buffer[y].__getitem__, range(screen.columns))
        ]
        for y in range(screen.lines)
    ]


def wait_until_same(walked: PtyApp, fresh: PtyApp, timeout: float = 20.0) -> None:
    """Read from both apps until their screens are identical, or fail showing both."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cells(walked) == cells(fresh):
            return
        walked.pump(0.02)
        fresh.pump(0.02)
    raise AssertionError(f"the screens differ.\nwalked there and back:\n{walked.text()}\nfresh:\n{fresh.text()}")


def test_back_and_forth_leaves_the_screen_of_a_fresh_start(tmp_path: Path) -> None:
    walked = PtyApp(ARGS, clean_env(), cols=80, rows=24, cwd=str(tmp_path))
    fresh = PtyApp(ARGS, clean_env(), cols=80, rows=24, cwd=str(tmp_path))
    try:
        walked.wait_text(QUESTION)
        fresh.wait_text(QUESTION)
        for key, shows in (("2", "What does the My Account page show?"), ("b", QUESTION), ("1", VERDICT)):
            walked.send(key)
            walked.wait_text(shows)
        fresh.send("1")
        fresh.wait_text(VERDICT)
        wait_until_same(walked, fresh)  # the verdict, reached by two paths
        before = len(walked.raw)
        walked.send("b")
        fresh.send("b")
        walked.wait_text(QUESTION)
        fresh.wait_text(QUESTION)
        wait_until_same(walked, fresh)  # the first question again
        # That change rewrote the body, but not the top bar, which already showed the same text.
        assert b"Billing contact" not in bytes(walked.raw[before:])
    finally:
        walked.close()
        fresh.close()


def test_a_screen_is_painted_once_at_start_already_focused(tmp_path: Path) -> None:
    """Home's first frame shows the focused choice, and nothing is sent again once it is up.

    Before, the first frame showed the list unfocused, the focus came a frame later (Widget.focus waits for
    call_later), and Textual then repainted the whole screen identically (the rack of notifications shown, a
    Resize to the size just painted): 8.8 KB in 4 frames for what 3.9 KB in one frame shows.
    """
    app = PtyApp(["--lang", "en", "--no-server"], clean_env(), cols=80, rows=24, cwd=str(tmp_path))
    try:
        app.wait_text("How do you want to check?")
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:  # anything still to come after the first frame arrives now
            app.pump(0.05)
        raw = bytes(app.raw)
        assert raw.count("Billing contact  ·  en".encode()) == 1  # the top bar: written once, never repainted
        assert raw.count(b"Log in to the Billing Center") == 1  # the focused first choice: drawn focused at once
        fresh = PtyApp(["--lang", "en", "--no-server"], clean_env(), cols=80, rows=24, cwd=str(tmp_path))
        try:
            fresh.wait_text("How do you want to check?")
            wait_until_same(app, fresh)  # and what is shown is exactly a started app's screen
        finally:
            fresh.close()
    finally:
        app.close()
