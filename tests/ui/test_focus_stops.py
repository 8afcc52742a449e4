"""Every Tab stop shows where the focus is: a scrolling body is a stop only while it has something to scroll.

Found by exploratory testing: on a verdict, one Tab of the cycle landed on the scrolling body (a stock
VerticalScroll), where nothing looked focused and Enter did nothing; the e-mail dialog had the same stop.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, Input
from ui_helpers import settle

from billing_tui.flow import Content
from billing_tui.ui.app import create_app
from billing_tui.ui.widgets.scroll_body import ScrollBody


async def tab_stops(pilot: Pilot[Any], presses: int) -> list[Any]:
    """The focused widget after each of `presses` Tabs."""
    stops = []
    for _ in range(presses):
        await pilot.press("tab")
        await pilot.pause()
        stops.append(pilot.app.focused)
    return stops


async def test_a_verdict_that_fits_cycles_through_its_buttons_only(content: Content) -> None:
    """At 120x40 the verdict fits: Tab goes from button to button, never to the body."""
    app = create_app(lang="en", content=content, flow="billing-center")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        assert isinstance(await settle(pilot), Button)
        body = app.screen.query_one("#body", ScrollBody)
        assert not body.allow_vertical_scroll
        stops = await tab_stops(pilot, 12)
        assert all(isinstance(stop, Button) for stop in stops), stops


async def test_a_verdict_too_long_for_the_screen_can_be_tabbed_to_and_scrolled_visibly(content: Content) -> None:
    """At 40x12 the body scrolls: Tab reaches it, it shows the focus (a tint), and Home and Down scroll it."""
    app = create_app(lang="en", content=content, flow="billing-center")
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        body = app.screen.query_one("#body", ScrollBody)
        assert body.allow_vertical_scroll
        unfocused_tint = body.styles.background_tint
        stops = await tab_stops(pilot, 12)
        assert body in stops
        while app.focused is not body:
            await pilot.press("tab")
        await pilot.pause()
        assert body.styles.background_tint != unfocused_tint and body.styles.background_tint.a > 0
        await pilot.press("home")
        await pilot.pause()
        assert body.scroll_y == 0
        await pilot.press("down")
        await pilot.pause()
        assert body.scroll_y > 0


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
