"""The collector paused for a session's start-up runs again from its first frame on, in every kind of session.

A real billing-tui starts in a pty under a wrapper that records the collector's state when the first frame is up
and after each key; the plain mode and the non-interactive commands are checked in-process.
"""

from __future__ import annotations

import gc
import io
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from pty_app import walk_wrapped
from test_hostile_content import clean_env

from billing_tui import cli, plain, startup_gc

# Runs billing-tui's own main() and records the collector's state at the first frame and once more at quit.
WRAPPER = textwrap.dedent(
    """
    import gc, json, sys
    from billing_tui.ui.app import BillingApp

    seen = []
    original_ready, original_quit = BillingApp.on_ready, BillingApp.action_quit_app
    def on_ready(self):
        seen.append({"when": "first frame", "enabled": gc.isenabled()})
        original_ready(self)
        seen.append({"when": "after it", "enabled": gc.isenabled(), "frozen": gc.get_freeze_count()})
    def action_quit_app(self):
        seen.append({"when": "quit", "enabled": gc.isenabled()})
        original_quit(self)
    BillingApp.on_ready, BillingApp.action_quit_app = on_ready, action_quit_app

    from billing_tui.__main__ import main
    code = main(sys.argv[2:])
    with open(sys.argv[1], "w") as out:
        json.dump({"code": code, "seen": seen, "enabled": gc.isenabled()}, out)
    """
)


@pytest.fixture
def collector_on() -> Iterator[None]:
    """Each test starts with the collector on, as a process does, and leaves it on with nothing frozen."""
    gc.enable()
    yield
    startup_gc.resume()
    gc.enable()
    gc.unfreeze()


def test_a_full_screen_session_starts_without_collections_and_collects_after_its_first_frame(tmp_path: Path) -> None:
    status, report, _ = walk_wrapped(tmp_path, WRAPPER, ["--no-summary"], clean_env())
    assert status == 0
    first, after, at_quit = report["seen"]
    assert first == {"when": "first frame", "enabled": False}  # start-up ran without the collector
    assert after["enabled"] and after["frozen"] > 10_000  # start-up's objects are never scanned again
    assert at_quit == {"when": "quit", "enabled": True}
    assert report["enabled"] and report["code"] == 0


def test_the_plain_mode_collects_from_its_start(monkeypatch: pytest.MonkeyPatch, collector_on: None) -> None:
    states: list[bool] = []
    original = plain.run_plain

    def recording(*args: object, **kwargs: object) -> int:
        states.append(gc.isenabled())
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(plain, "run_plain", recording)
    monkeypatch.setattr(sys, "stdin", io.StringIO("q\n"))
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert cli.run(["--plain", "--lang", "en", "--no-server"]) == 0
    assert states == [True] and gc.isenabled()


@pytest.mark.parametrize(
    "argv", [["answer", "billing-center", "subscriptions"], ["validate"], ["graph", "admin-center"]]
)
def test_commands_never_pause_the_collector(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, collector_on: None
) -> None:
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    cli.run(argv)
    assert gc.isenabled()


def test_resume_undoes_only_a_pause(collector_on: None) -> None:
    gc.disable()  # someone else's choice: left alone
    startup_gc.resume()
    assert not gc.isenabled()
    gc.enable()
    startup_gc.pause()
    assert not gc.isenabled()
    startup_gc.resume()
    startup_gc.resume()
    assert gc.isenabled()
