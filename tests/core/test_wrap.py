"""Word wrapping for the terminal (billing_tui/wrap.py): lines fit, words stay whole and in order, URLs never break."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from billing_tui.wrap import cell_width, terminal_width, wrap_line, wrap_text

WORD = st.one_of(
    st.text(alphabet=st.sampled_from("abcdeéção-–,.:;!?"), min_size=1, max_size=14),
    st.text(alphabet=st.sampled_from("請登入界ＷＩＤＥ😀"), min_size=1, max_size=6),  # two cells each
    st.sampled_from(["https://link.logmeininc.com/corp-billing", "https://billing.logmeininc.com", "e\u0301"]),
)
PARAGRAPH = st.lists(WORD, min_size=1, max_size=40).map(" ".join)
INDENT = st.sampled_from(["", "  ", "  1. ", "  12) ", "- "])
WIDTHS = st.integers(min_value=8, max_value=120)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(INDENT, PARAGRAPH), min_size=1, max_size=5), WIDTHS)
def test_no_line_is_wider_than_the_terminal_unless_one_word_is(paragraphs: list[tuple[str, str]], width: int) -> None:
    text = "\n".join(indent + paragraph for indent, paragraph in paragraphs)
    wrapped = wrap_text(text, width)
    assert wrapped.split() == text.split()  # every word kept, whole, in order
    for line in wrapped.split("\n"):
        assert cell_width(line) <= width or len(line.split()) == 1 or _marker_and_word(line), (width, line)


def _marker_and_word(line: str) -> bool:
    """A first line holding only its list marker and one word too long to share a line."""
    parts = line.split()
    return len(parts) == 2 and parts[0].rstrip(".)").isdigit()


@given(st.lists(PARAGRAPH, min_size=1, max_size=4), WIDTHS)
def test_paragraphs_and_blank_lines_keep_their_places(paragraphs: list[str], width: int) -> None:
    text = "\n\n".join(paragraphs) + "\n"
    wrapped = wrap_text(text, width)
    assert wrapped.endswith("\n") and wrapped.count("\n\n") == text.count("\n\n")
    assert [block.split() for block in wrapped.split("\n\n")] == [block.split() for block in text.split("\n\n")]


def test_a_cut_like_the_one_reported_breaks_at_the_space() -> None:
    line = "Você pode ou não ser o administrador de cobrança – entre em contato com ele"
    assert wrap_line(line, 49) == ["Você pode ou não ser o administrador de cobrança", "– entre em contato com ele"]


def test_a_url_is_never_broken_even_when_longer_than_the_width() -> None:
    url = "https://link.logmeininc.com/corp-billing"
    assert wrap_line(f"go to {url} and log in", 20) == ["go to", url, "and log in"]


def test_wide_characters_count_two_cells() -> None:
    assert wrap_line("請登入 請登入 請登入", 13) == ["請登入 請登入", "請登入"]


def test_continuation_lines_keep_the_list_indentation() -> None:
    line = "  1. Did you get to the Subscriptions page? → Yes [outcome: subscriptions]"
    assert wrap_line(line, 40) == [
        "  1. Did you get to the Subscriptions",
        "     page? → Yes [outcome:",
        "     subscriptions]",
    ]


def test_a_line_that_fits_and_an_open_prompt_are_left_alone() -> None:
    assert wrap_text("Your choice: ", 20) == "Your choice: "
    assert wrap_text("a long paragraph of words\nYour choice: ", 12) == "a long\nparagraph of\nwords\nYour choice: "


def test_a_pipe_or_a_file_is_not_wrapped() -> None:
    text = "word " * 100
    assert terminal_width(io.StringIO()) is None
    assert wrap_text(text, terminal_width(io.StringIO())) == text
