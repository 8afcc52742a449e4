"""The pyte screen reader every terminal test and the benchmarks use: whatever was drawn, reading never raises."""

from __future__ import annotations

import pyte
from hypothesis import given
from hypothesis import strategies as st
from wcwidth import wcwidth

from benchmarks.screen_rows import screen_lines
from benchmarks.terminal import Terminal

# Narrow, wide, zero-width, combining and joiner characters, like the hostile content's texts.
DRAWN = st.text(alphabet=st.sampled_from("aZ [/] 請登入😀ＷＩＤＥ\u200b\u200d\ufeff\u0301\u0308e"), max_size=40)
MOVES = st.tuples(st.integers(0, 3), st.integers(0, 11))


def test_a_narrow_character_over_half_a_wide_one_reads_as_a_space() -> None:
    """The crash in test_no_escape_from_content_reaches_the_terminal: pyte's display raised IndexError here."""
    screen = pyte.Screen(12, 2)
    stream = pyte.Stream(screen)
    stream.feed("請登入\u200b\x1b[1;3Hx\x1b[1;1H\u0301")  # wide text, a zero-width space, then overwrite half of 登
    assert screen_lines(screen) == ["請x 入      ", " " * 12]


def test_a_combining_mark_on_a_wide_characters_stub_is_kept() -> None:
    screen = pyte.Screen(6, 1)
    pyte.Stream(screen).feed("請\x1b[1;2H\u0301")
    assert screen_lines(screen)[0].startswith("請")


@given(st.lists(st.tuples(MOVES, DRAWN), max_size=8))
def test_reading_never_raises_and_each_row_fits(writes: list[tuple[tuple[int, int], str]]) -> None:
    """Text drawn anywhere, over anything: every row reads, one printed character per cell at most."""
    screen = pyte.Screen(12, 4)
    stream = pyte.Stream(screen)
    for (row, column), text in writes:
        stream.feed(f"\x1b[{row + 1};{column + 1}H{text}")
    lines = screen_lines(screen)
    assert len(lines) == 4
    assert all(sum(wcwidth(char) > 0 for char in line) <= 12 for line in lines), lines


def test_the_benchmarks_terminal_reads_through_it() -> None:
    terminal = Terminal(12, 2)
    terminal.feed("請登入\x1b[1;3Hx".encode())
    assert terminal.text().splitlines()[0] == "請x 入"
