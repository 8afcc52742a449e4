"""Which launches a spare may serve (spare.prediction_key) and the pool's decisions (spares.SparePool).

The pool is driven with real processes standing in for spares (`sleep`), so "let go" means killed.
"""

from __future__ import annotations

import selectors
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest

from billing_tui.server import spares
from billing_tui.server.spare import prediction_key
from billing_tui.server.spares import Prediction, SparePool, SpareProcess

ARGV = ["--lang", "en", "--no-server"]
ENV = {"PATH": "/usr/bin", "HOME": "/home/k", "TERM": "xterm-256color", "LANG": "en_US.UTF-8"}


def hello(**env: str) -> dict[str, Any]:
    return {
        "env": {**ENV, **env},
        "cwd": "/home/k",
        "argv0": "billing-tui",
        "streams": {"stdout": {"encoding": "utf-8", "errors": "strict"}},
        "ignored": [13],
    }


def key(message: dict[str, Any] | None = None, argv: list[str] | None = None, ttys: list[bool] | None = None) -> str:
    return prediction_key(message or hello(), argv or ARGV, ttys or [True, True, True])


def test_per_login_variables_do_not_change_the_launch() -> None:
    other = hello(SSH_CONNECTION="10.0.0.9 5122 10.0.0.1 22", SSH_TTY="/dev/pts/9", XDG_SESSION_ID="42")
    assert key(other) == key(hello(SSH_CONNECTION="10.0.0.8 4000 10.0.0.1 22", SSH_TTY="/dev/pts/3"))


@pytest.mark.parametrize(
    "name, value",
    [
        ("TERM", "linux"),
        ("COLORTERM", "truecolor"),
        ("NO_COLOR", "1"),
        ("LANG", "pt_BR.UTF-8"),
        ("LC_ALL", "C"),
        ("LC_MESSAGES", "pt_BR.UTF-8"),
        ("BILLING_TUI_LANG", "pt-BR"),
        ("COLUMNS", "100"),
        ("FORCE_COLOR", "1"),
    ],
)
def test_any_variable_the_app_may_read_makes_another_launch(name: str, value: str) -> None:
    assert key(hello(**{name: value})) != key()


def test_in_kiosk_mode_only_the_kept_variables_count() -> None:
    kiosk_argv = [*ARGV, "--kiosk"]
    assert key(hello(BILLING_TUI_LANG="pt-BR"), kiosk_argv) == key(hello(), kiosk_argv)  # the kiosk drops it
    assert key(hello(LANG="pt_BR.UTF-8"), kiosk_argv) != key(hello(), kiosk_argv)
    assert key(hello(), kiosk_argv) != key()


def test_options_directory_streams_signals_and_terminals_count() -> None:
    assert key(argv=["--lang", "pt-BR", "--no-server"]) != key()
    assert key({**hello(), "cwd": "/tmp"}) != key()
    assert key({**hello(), "streams": {"stdout": {"encoding": "ascii", "errors": "strict"}}}) != key()
    assert key({**hello(), "ignored": [1, 13]}) != key()
    assert key(ttys=[True, True, False]) != key()


PROCESSES: dict[int, subprocess.Popen[bytes]] = {}


@pytest.fixture
def pool() -> Iterator[SparePool]:
    made = SparePool(1, selectors.DefaultSelector())
    yield made
    made.retire_all()
    for process in PROCESSES.values():
        process.kill()
        process.wait(10)
    PROCESSES.clear()
    made.selector.close()


def stand_in(pool: SparePool, launch: str, ready: bool = True) -> tuple[SpareProcess, socket.socket]:
    """A `sleep` process registered as a spare built for `launch`; returns it and the spare's end of its link."""
    process = subprocess.Popen(["sleep", "60"])
    PROCESSES[process.pid] = process
    mine, theirs = socket.socketpair()
    spare = SpareProcess(process.pid, mine, launch, ready=ready)
    pool.add(spare)
    return spare, theirs


def prediction(launch: str) -> Prediction:
    return Prediction(launch, hello(), ARGV, (80, 24))


def exited(pid: int) -> bool:
    """Whether the stand-in ended (it was killed: only the pool kills it)."""
    return PROCESSES[pid].wait(10) is not None


def test_a_new_launch_lets_the_spares_of_the_old_one_go(pool: SparePool) -> None:
    pool.predict(prediction("a"))
    old, _ = stand_in(pool, "a")
    pool.predict(prediction("a"))
    assert old.pid in pool.spares
    pool.predict(prediction("b"))
    assert old.pid not in pool.spares and exited(old.pid)


def test_only_a_ready_spare_of_the_same_launch_is_taken(pool: SparePool) -> None:
    pool.predict(prediction("a"))
    building, _ = stand_in(pool, "a", ready=False)
    assert pool.take("a") is None
    assert pool.take("b") is None
    building.ready = True
    assert pool.take("b") is None
    assert pool.take("a") is building and building.pid not in pool.spares


def test_a_spare_says_ready_on_its_link(pool: SparePool) -> None:
    spare, theirs = stand_in(pool, "a", ready=False)
    theirs.sendall(b"r")
    assert pool.on_link(spare.pid, spare.link) is True
    assert spare.ready


def test_the_next_spare_waits_for_a_quiet_moment_and_stops_at_the_count(pool: SparePool) -> None:
    pool.predict(prediction("a"))
    now = pool.quiet_until - 0.01
    assert pool.wanted(now) is None  # a login just arrived: no spare is built in the middle of a burst
    assert pool.wanted(pool.quiet_until) == prediction("a")
    stand_in(pool, "a")
    assert pool.wanted(pool.quiet_until) is None  # --spares 1 and one is there


def test_a_spare_that_waited_too_long_is_replaced(pool: SparePool) -> None:
    pool.predict(prediction("a"))
    old, _ = stand_in(pool, "a")
    assert pool.wanted(old.born + spares.MAX_AGE + 1) == prediction("a")
    assert old.pid not in pool.spares and exited(old.pid)


def test_a_launch_whose_spare_ends_before_it_is_ready_gets_no_more_spares(pool: SparePool) -> None:
    pool.predict(prediction("a"))
    spare, theirs = stand_in(pool, "a", ready=False)
    theirs.close()  # it ended: its link reads as closed
    assert pool.on_link(spare.pid, spare.link) is False
    assert pool.wanted(pool.quiet_until) is None
    pool.predict(prediction("a"))
    assert pool.wanted(pool.quiet_until + 1) is None
    pool.predict(prediction("b"))
    assert pool.wanted(pool.quiet_until) == prediction("b")


def test_a_launch_whose_spare_failed_gets_spares_again_after_a_while(
    pool: SparePool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A passing failure (the memory killer, a signal) must not leave the server without spares until it restarts."""
    pool.predict(prediction("a"))
    spare, theirs = stand_in(pool, "a", ready=False)
    theirs.close()
    failed_at = time.monotonic()
    assert pool.on_link(spare.pid, spare.link) is False
    monkeypatch.setattr(spares.time, "monotonic", lambda: failed_at + spares.RETRY_FAILED - 1)
    pool.predict(prediction("a"))
    assert pool.prediction is None
    monkeypatch.setattr(spares.time, "monotonic", lambda: failed_at + spares.RETRY_FAILED + 1)
    pool.predict(prediction("a"))
    assert pool.wanted(pool.quiet_until) == prediction("a")


def test_with_no_spares_nothing_is_predicted(pool: SparePool) -> None:
    pool.count = 0
    pool.predict(prediction("a"))
    assert pool.prediction is None and pool.wanted(pool.quiet_until + 1) is None


def test_an_idle_server_wakes_to_replace_a_spare_that_is_too_old(pool: SparePool) -> None:
    pool.predict(prediction("a"))
    spare, _ = stand_in(pool, "a")
    timeout = pool.timeout(spare.born)  # the pool is full: only the spare's age makes the server wake
    assert timeout == pytest.approx(spares.MAX_AGE)


def test_a_spare_too_old_is_never_handed_a_client(pool: SparePool, monkeypatch: pytest.MonkeyPatch) -> None:
    pool.predict(prediction("a"))
    old, _ = stand_in(pool, "a")
    monkeypatch.setattr(spares.time, "monotonic", lambda: old.born + spares.MAX_AGE + 1)
    assert pool.take("a") is None
    assert old.pid not in pool.spares and exited(old.pid)


def test_a_taken_spare_that_cannot_be_handed_its_client_is_killed_and_unwatched(pool: SparePool) -> None:
    pool.predict(prediction("a"))
    spare, _ = stand_in(pool, "a")
    assert pool.take("a") is spare
    pool.discard(spare)
    assert exited(spare.pid) and spare.link.fileno() == -1
    assert pool.selector.get_map() is not None and len(pool.selector.get_map()) == 0


def test_a_link_the_pool_no_longer_knows_is_unwatched_and_closed(pool: SparePool) -> None:
    spare, theirs = stand_in(pool, "a")
    del pool.spares[spare.pid]  # as after take(), before the link is released
    theirs.close()
    assert pool.on_link(spare.pid, spare.link) is False
    assert spare.link.fileno() == -1 and len(pool.selector.get_map() or {}) == 0


def test_after_a_failed_fork_no_spare_is_wanted_for_a_while(pool: SparePool) -> None:
    pool.predict(prediction("a"))
    now = pool.quiet_until
    pool.back_off(now)
    assert pool.wanted(now + spares.BACK_OFF - 0.1) is None
    assert pool.wanted(now + spares.BACK_OFF) == prediction("a")


def test_a_launch_whose_spares_failed_still_lets_the_spares_of_another_go(pool: SparePool) -> None:
    pool.failed["b"] = time.monotonic() + spares.RETRY_FAILED
    pool.predict(prediction("a"))
    old, _ = stand_in(pool, "a")
    pool.predict(prediction("b"))  # no spare will be built for b, and a's is no longer the prediction
    assert pool.prediction is None and old.pid not in pool.spares and exited(old.pid)
