"""A state change reaches the terminal as one frame: Textual paints the new screen once, not twice.

The count is of the app's paints (App._display with something to draw), driven by messages only:
after the key, the test lets the screen process every pending event and update, several times over,
so a second layout or repaint that the first one asked for would be painted and counted. No clock.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

from billing_tui.flow import Content
from billing_tui.ui.app import create_app
from tests.ui.ui_helpers import screen_text, settle

# Enough rounds of "process every event, then update the screen" for any follow-up frame to be drawn.
QUIET_ROUNDS = 6


class PaintCounter:
    """Counts the frames an app paints: calls of App._display with an update to draw."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        original = App._display

        def display(app: App[Any], screen: Screen[Any], renderable: Any) -> None:
            if renderable is not None:
                self.count += 1
            original(app, screen, renderable)

        monkeypatch.setattr(App, "_display", display)


async def _frames_for(pilot: Pilot[Any], counter: PaintCounter, key: str) -> int:
    """Press one key and return the frames painted until the screen has nothing left to draw."""
    counter.count = 0
    await pilot.press(key)
    for _ in range(QUIET_ROUNDS):
        await pilot.pause()
    return counter.count


@pytest.mark.parametrize(
    ("key", "shows"),
    [
        ("2", "What does the My Account page show?"),
        ("1", "You are the billing admin"),
    ],
    ids=["question-to-question", "question-to-verdict"],
)
async def test_a_state_change_and_back_are_one_frame_each(
    monkeypatch: pytest.MonkeyPatch, content: Content, key: str, shows: str
) -> None:
    counter = PaintCounter(monkeypatch)
    app = create_app(lang="en", flow="billing-center", content=content)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(QUIET_ROUNDS):
            await pilot.pause()
        assert await _frames_for(pilot, counter, key) == 1
        assert shows in screen_text(app)
        assert await _frames_for(pilot, counter, "b") == 1
        assert "What happened?" in screen_text(app) and shows not in screen_text(app)
