"""The harness's terminal stand-in: it answers queries like xterm, follows DECCKM and survives split sequences."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

pytest.importorskip("benchmarks.terminal", reason="benchmarks/ is not in this tree")

from benchmarks.terminal import PRIMARY_DEVICE_ATTRIBUTES, SECONDARY_DEVICE_ATTRIBUTES, Terminal  # noqa: E402


def test_answers_device_attributes_and_cursor_position() -> None:
    terminal = Terminal(80, 24)
    assert terminal.feed(b"\x1b[c") == PRIMARY_DEVICE_ATTRIBUTES
    assert terminal.feed(b"\x1b[>c") == SECONDARY_DEVICE_ATTRIBUTES
    assert terminal.feed(b"\x1b[3;5Hab\x1b[6n") == b"\x1b[3;7R"
    assert terminal.feed(b"\x1b[?2026$p") == b"\x1b[?2026;0$y"


def test_query_split_across_reads_is_answered_once_complete() -> None:
    terminal = Terminal(80, 24)
    assert terminal.feed(b"hello \x1b[") == b""
    assert terminal.feed(b"6n") == b"\x1b[1;7R"


def test_cursor_keys_follow_decckm() -> None:
    terminal = Terminal(80, 24)
    assert terminal.key("down") == b"\x1b[B"
    terminal.feed(b"\x1b[?1h\x1b=")
    assert terminal.key("down") == b"\x1bOB"
    terminal.feed(b"\x1b[?1l")
    assert terminal.key("up") == b"\x1b[A"
    assert terminal.key("q") == b"q"


def test_private_sequences_pyte_misreads_leave_no_stray_text() -> None:
    terminal = Terminal(20, 2)
    terminal.feed(b"A\x1b[>31uB\x1b[<uC\x1b[?2048$pD")
    assert terminal.text().splitlines()[0] == "ABCD"
    assert terminal.shows("A B C D") is False
    assert terminal.shows("ABCD")
