"""The key hints footer: whole pairs only, help and quit always in sight, and every key a screen takes named.

Found by exploratory testing: below ~75 columns the footer was cut mid-word (`l Engli…`) and `? help` and
`q quit` fell off its end; on questions `s` (save) and `h` (history) worked but were never named.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ui_helpers import LANGS, screen_lines, screen_text, settle

from billing_tui.flow import Content
from billing_tui.ui.app import create_app
from billing_tui.ui.settle import wait_settled
from billing_tui.ui.widgets.key_hints import ALWAYS_SHOWN, fitting_hints, hints_content

keys = st.sampled_from(["1–3", "↑↓", "⌫", "h", "s", "r", "l", "c", "e"])
labels = st.text(alphabet="abcdefghij çãé", min_size=1, max_size=14)
hint_lists = st.lists(st.tuples(keys, labels), max_size=8, unique_by=lambda pair: pair[0]).map(
    lambda hints: [*hints, ("?", "help"), ("q", "quit")]
)


@given(hint_lists, st.integers(min_value=0, max_value=120))
def test_fitting_keeps_whole_pairs_in_order_and_help_and_quit_always(hints: list[tuple[str, str]], width: int) -> None:
    """What is kept fits (unless help and quit alone do not), keeps its order, and drops the rightmost first."""
    kept = fitting_hints(hints, width)
    assert [pair for pair in hints if pair in kept] == kept  # a subsequence, in order
    assert {key for key, _ in kept} >= ALWAYS_SHOWN
    droppable_kept = [pair for pair in kept if pair[0] not in ALWAYS_SHOWN]
    if droppable_kept:
        assert hints_content(kept).cell_length <= width
        dropped = [pair for pair in hints if pair not in kept]
        assert all(hints.index(pair) > hints.index(droppable_kept[-1]) for pair in dropped if pair[0] not in "?q")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", [(40, 12), (60, 20), (80, 24), (120, 40)], ids=str)
async def test_the_footer_never_cuts_a_word_and_always_names_help_and_quit(
    content: Content, lang: str, size: tuple[int, int]
) -> None:
    """On a question and on a verdict, at every size: no ellipsis, `? help` and `q quit` whole."""
    guide = content.guide(lang)
    app = create_app(lang=lang, content=content, flow="billing-center")
    async with app.run_test(size=size) as pilot:
        for key in ("2", "1"):  # a question with an answer behind it, then a verdict
            await pilot.press(key)
            await settle(pilot)
            footer = screen_lines(app)[-1]
            assert "…" not in footer
            assert f"? {guide.text('keys_help')}" in footer and f"q {guide.text('keys_quit')}" in footer


async def test_a_question_names_history_and_save_when_there_is_room(content: Content) -> None:
    """At 120 columns, a question after one answer names h (history) and s (save), which both work there."""
    guide = content.guide("en")
    app = create_app(lang="en", content=content, flow="billing-center")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        footer = screen_lines(app)[-1]
        assert f"h {guide.text('keys_history')}" in footer and f"s {guide.text('keys_save')}" in footer
        assert f"l {guide.text('keys_language')}" in footer


async def test_the_footer_stays_put_from_the_first_question_to_the_next(content: Content) -> None:
    """h is named from the first question on (history then says nothing is answered yet): the footer does not change."""
    guide = content.guide("en")
    app = create_app(lang="en", content=content, flow="billing-center")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first = screen_lines(app)[-1]
        assert f"h {guide.text('keys_history')}" in first
        await pilot.press("2")
        await settle(pilot)
        assert screen_lines(app)[-1] == first
        await pilot.press("b", "h")
        assert await wait_settled(app, 30.0)
        await pilot.pause()
        assert guide.text("history_empty") in screen_text(app)
