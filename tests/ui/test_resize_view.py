"""A terminal made smaller keeps the focused choices in view, as a start at that size shows them.

Found by exploratory testing: a spare session started at 80x24 and handed to a 40x12 terminal (or any
terminal made smaller) kept its old scroll position, the choices below the fold, where a cold start at
40x12 shows them. A verdict keeps its top in view, as when it is first shown.
"""

from __future__ import annotations

import pytest
from ui_helpers import screen_text, settle

from billing_tui.flow import Content
from billing_tui.ui.app import create_app
from billing_tui.ui.widgets.state_list import StateList


@pytest.mark.parametrize("flow", [None, "admin-center"], ids=["home", "question"])
@pytest.mark.parametrize("small", [(40, 12), (60, 16)], ids=str)
async def test_the_focused_choices_stay_in_view_when_the_terminal_shrinks(
    content: Content, flow: str | None, small: tuple[int, int]
) -> None:
    """Started at 80x24 (everything fits, nothing scrolled), then made smaller: the first choice is on screen."""
    app = create_app(lang="en", content=content, flow=flow)
    async with app.run_test(size=(80, 24)) as pilot:
        choices = await settle(pilot)
        assert isinstance(choices, StateList) and choices.highlighted_option is not None
        first = str(choices.highlighted_option.prompt).split("\n")[0]
        await pilot.resize_terminal(*small)
        await settle(pilot)
        await pilot.pause()
        assert first[:20] in screen_text(app)


async def test_a_verdict_keeps_its_top_in_view_when_the_terminal_shrinks(content: Content) -> None:
    """A verdict highlights its first action without scrolling to it; a smaller terminal still shows the title."""
    guide = content.guide("en")
    app = create_app(lang="en", content=content, flow="billing-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.resize_terminal(40, 12)
        await settle(pilot)
        await pilot.pause()
        assert app.screen.query_one(StateList).scroll_y == 0
        assert guide.verdict("billing-admin").title[:20] in screen_text(app)
