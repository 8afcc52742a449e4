"""Escape followed at once by a key reads as Escape, then that key (ui/escape_keys.py); every other input as Textual's.

Textual 8.2.8's own parser, kept here as the reference, reads ESC 2 as `™`, ESC b as Ctrl+Left and ESC Enter
as Enter alone. The app's half (an editing pair in a text field acts as one key) is tested through a real
pty in tests/robustness/test_typeahead_pty.py.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from textual import constants, events
from textual._xterm_parser import XTermParser

from billing_tui.ui.escape_keys import EDITING_PAIRS, EscapeAwareParser, absorbed, escape_pair


def read(parser: XTermParser, data: str) -> list[object]:
    """What the parser makes of data: (key, character) for a key, the class name (and text) otherwise."""
    return [describe(event) for event in parser.feed(data)]


def describe(event: object) -> object:
    if isinstance(event, events.Key):
        return (event.key, event.character)
    if isinstance(event, events.Paste):
        return ("Paste", event.text)
    return type(event).__name__


@pytest.mark.parametrize(
    ("data", "textual_reads", "second_key"),
    [
        ("\x1b2", ("trade_mark_sign", "™"), ("2", "2")),
        ("\x1bb", ("ctrl+left", None), ("b", "b")),
        ("\x1b\x7f", ("ctrl+w", None), ("backspace", "\x7f")),
        ("\x1b\r", None, ("enter", "\r")),
        ("\x1bq", None, ("q", "q")),
        ("\x1b\x1a", None, ("ctrl+z", "\x1a")),
    ],
)
def test_escape_then_a_key_in_one_read_is_both_keys(
    data: str, textual_reads: tuple[str, str | None] | None, second_key: tuple[str, str]
) -> None:
    if textual_reads is not None:  # Textual's own parser: one key, the Escape gone
        assert read(XTermParser(), data) == [textual_reads]
    parser = EscapeAwareParser()
    escape, key = parser.feed(data)
    assert describe(escape) == ("escape", "\x1b") and describe(key) == second_key
    pair = escape_pair(escape)
    assert pair is not None and pair.sequence == data and pair.tail == (key,)
    assert (describe(pair.as_one[0]) == textual_reads) if textual_reads else True
    assert escape_pair(key) is None and not absorbed(key)  # acts, unless the app reads the pair as one key
    pair.read_as_one = True
    assert absorbed(key)


def test_a_text_field_keeps_only_the_word_editing_pairs_as_one_key() -> None:
    """Alt+Backspace, Alt+B and Alt+F, as Textual reads them; not its Option characters (ESC 2 as ™)."""
    textual_reads = {pair: [describe(event) for event in XTermParser().feed(pair)] for pair in EDITING_PAIRS}
    assert textual_reads == {
        "\x1b\x7f": [("ctrl+w", None)],
        "\x1bb": [("ctrl+left", None)],
        "\x1bf": [("ctrl+right", None)],
    }


@pytest.mark.parametrize(
    "data",
    [
        "\x1b[A",  # Up
        "\x1bOP",  # F1 (SS3)
        "\x1b[1;5C",  # Ctrl+Right
        "\x1b[27u",  # Escape in the kitty protocol
        "\x1b[200~a b\x1b[201~",  # a paste
        "\x1b[<0;10;5M",  # a mouse press
        "\x1b\x1b",
        "plain text",
    ],
)
def test_sequences_pastes_and_plain_keys_read_as_textual_reads_them(data: str) -> None:
    assert read(EscapeAwareParser(), data) == read(XTermParser(), data)


def test_an_escape_alone_is_still_escape_after_the_delay() -> None:
    parser = EscapeAwareParser()
    assert read(parser, "\x1b") == []
    time.sleep(constants.ESCAPE_DELAY + 0.05)
    assert [describe(event) for event in parser.tick()] == [("escape", "\x1b")]


def test_escape_then_a_bracket_that_starts_no_sequence_is_both_keys() -> None:
    """ESC [ could begin a sequence, so the parser waits; when nothing follows, both keys come."""
    parser = EscapeAwareParser()
    assert read(parser, "\x1b[") == []
    time.sleep(constants.ESCAPE_DELAY + 0.05)
    escape, bracket = parser.tick()
    assert describe(escape) == ("escape", "\x1b") and describe(bracket) == ("left_square_bracket", "[")
    assert escape_pair(escape) is not None


# Input with no ESC followed by a key that starts no sequence: exactly what Textual's parser makes of it.
NO_PAIRS = st.lists(
    st.sampled_from(["a", "2", "b", " ", "\r", "\x7f", "\t", "\x1b[A", "\x1b[B", "\x1bOP", "\x1b[1;5C", "é", "\x1b[Z"])
).map("".join)


@settings(max_examples=200, deadline=None)
@given(NO_PAIRS)
def test_input_without_escape_pairs_reads_as_textual_reads_it(data: str) -> None:
    assert read(EscapeAwareParser(), data) == read(XTermParser(), data)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(NO_PAIRS, st.sampled_from(["2", "b", "q", "\r", "\x7f", "\x1a", " ", "é"]))))
def test_each_escape_pair_is_escape_then_what_its_key_reads_as_alone(chunks: list[tuple[str, str]]) -> None:
    """Text, ESC and a key, over and over, in one read: each ESC is an Escape, each key reads as typed alone."""
    data = "".join(text + "\x1b" + key for text, key in chunks)
    expected: list[object] = []
    for text, key in chunks:
        expected += [*read(XTermParser(), text), ("escape", "\x1b"), *read(XTermParser(), key)]
    assert read(EscapeAwareParser(), data) == expected


@pytest.mark.parametrize(
    ("pasted", "textual_also_typed"),
    [
        ("x\x1b[0mq", ["circumflex_accent", "left_square_bracket", "0", "m", "q"]),  # q: Textual quit the app
        ("hello\x1b[0m2", ["circumflex_accent", "left_square_bracket", "0", "m", "2"]),  # 2: an answer
        ("Maria\nSilva\x1b[31mRED\x07", None),
        ("\x1bb", None),
    ],
)
def test_a_paste_with_escapes_is_one_paste_and_no_key(pasted: str, textual_also_typed: list[str] | None) -> None:
    data = f"\x1b[200~{pasted}\x1b[201~"
    if textual_also_typed is not None:  # Textual's own parser: keys typed from inside the paste
        keys = [event.key for event in XTermParser().feed(data) if isinstance(event, events.Key)]
        assert keys == textual_also_typed
    assert read(EscapeAwareParser(), data) == [("Paste", pasted.replace("\x1b", ""))]


def test_a_paste_read_in_pieces_is_one_paste_however_its_end_marker_is_split() -> None:
    data = "\x1b[200~one\x1b[0m two\x1b[201~z"
    for cut in range(len("\x1b[200~"), len(data)):
        parser = EscapeAwareParser()
        assert read(parser, data[:cut]) + read(parser, data[cut:]) == [("Paste", "one[0m two"), ("z", "z")], cut


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.text(alphabet="ab \n\x1b[0m;2q~\x07é", max_size=12), st.sampled_from(["", "x", "2"]))),
    st.integers(min_value=0, max_value=400),
)
def test_pastes_anywhere_in_the_stream_type_nothing_and_lose_nothing_but_escapes(
    pastes: list[tuple[str, str]], cut: int
) -> None:
    """Pastes (any text, ESCs included) between plain keys, read in two pieces cut anywhere but inside a start
    marker: each paste is one Paste of its text without ESC, and the keys between them are just those."""
    data = "".join(f"\x1b[200~{text}\x1b[201~{after}" for text, after in pastes)
    cut = min(cut, len(data))
    # A start marker split between reads is read as Textual reads it (PasteEscapes says so): not this test's case.
    starts = [index for index in range(len(data)) if data.startswith("\x1b[200~", index)]
    assume(not any(start < cut < start + len("\x1b[200~") for start in starts))
    expected: list[object] = []
    for text, after in pastes:
        expected += [("Paste", text.replace("\x1b", "")), *([(after, after)] if after else [])]
    parser = EscapeAwareParser()
    assert [event for piece in (data[:cut], data[cut:]) if piece for event in read(parser, piece)] == expected
