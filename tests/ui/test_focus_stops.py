"""Every Tab stop shows where the focus is: a scrolling body is a stop only while it has something to scroll.

Found by exploratory testing: on a verdict, one Tab of the cycle landed on the scrolling body (a stock
VerticalScroll), where nothing looked focused and Enter did nothing; the e-mail dialog had the same stop.
A wizard screen now has one stop, the state's list, which scrolls its text itself.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, Input
from ui_helpers import highlighted_id, screen_text, settle

from billing_tui.flow import Content
from billing_tui.ui.app import create_app
from billing_tui.ui.widgets.state_list import StateList


async def tab_stops(pilot: Pilot[Any], presses: int) -> list[Any]:
    """The focused widget after each of `presses` Tabs."""
    stops = []
    for _ in range(presses):
        await pilot.press("tab")
        await pilot.pause()
        stops.append(pilot.app.focused)
    return stops


async def test_a_verdict_has_one_tab_stop_its_list(content: Content) -> None:
    """At 120x40 a verdict and its actions are one list: Tab never leaves it for somewhere nothing looks focused."""
    app = create_app(lang="en", content=content, flow="billing-center")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        state = await settle(pilot)
        assert isinstance(state, StateList) and highlighted_id(state) == "action-copy"
        stops = await tab_stops(pilot, 4)
        assert stops == [state] * 4


async def test_a_verdict_too_long_for_the_screen_is_read_with_the_arrows(content: Content) -> None:
    """At 40x12 a verdict opens at its top; Down scrolls toward its first action, then moves the highlight."""
    guide = content.guide("en")
    app = create_app(lang="en", content=content, flow="billing-center")
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        state = await settle(pilot)
        assert isinstance(state, StateList) and state.scroll_y == 0
        assert guide.verdict("billing-admin").title[:20] in screen_text(app)
        assert guide.text("action_copy") not in screen_text(app)  # the first action is below the fold
        presses = 0
        while guide.text("action_copy") not in screen_text(app):
            await pilot.press("down")
            await pilot.pause()
            presses += 1
            assert highlighted_id(state) == "action-copy" and presses < 30
        assert state.scroll_y > 0
        await pilot.press("down")
        await pilot.pause()
        assert highlighted_id(state) == "action-save"
        await pilot.press("up", "up")  # back to the first action, then up through the text
        await pilot.pause()
        assert highlighted_id(state) == "action-copy"
        await pilot.press("home")
        await pilot.pause()
        assert state.scroll_y == 0 and highlighted_id(state) == "action-copy"


async def test_the_email_dialogs_tab_cycle_lands_only_on_its_fields_and_buttons(content: Content) -> None:
    """At 80x24 the e-mail form fits: Tab visits its three fields and its button, never the dialog itself."""
    app = create_app(lang="en", content=content, flow="admin-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("e")
        assert isinstance(await settle(pilot, "#name"), Input)
        stops = await tab_stops(pilot, 10)
        assert all(isinstance(stop, Input | Button) for stop in stops), stops
