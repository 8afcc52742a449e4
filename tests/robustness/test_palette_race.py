"""The command-palette race: the palette closing while its search still runs must never crash the app.

Seen under load in test_key_fuzz (`WorkerFailed: NoMatches("No nodes match 'CommandList' on
CommandPalette")` after Ctrl+P and pastes in one tick): Textual 8.2.8's palette prunes its children
before it stops its search worker, and the worker then looked the list up again.
billing_tui/ui/palette_guard.py guards it; these tests hold a search open until the list is gone.
"""

from __future__ import annotations

import asyncio

import pytest
from textual.command import CommandList, CommandPalette, Hit, Hits, Provider
from textual.worker import WorkerFailed

from billing_tui.ui import messages
from billing_tui.ui.app import create_app
from billing_tui.ui.palette_guard import GuardedCommandPalette


class LateProvider(Provider):
    """A command source that answers only once the palette has lost its list (it is closing)."""

    async def search(self, query: str) -> Hits:
        palette = self.app.screen_stack[-1] if isinstance(self.app.screen_stack[-1], CommandPalette) else None
        assert palette is not None
        while palette.query(CommandList):
            await asyncio.sleep(0)
        yield Hit(1.0, query, lambda: None)


async def close_during_a_search(palette_class: type[CommandPalette]) -> None:
    """Open the palette, type while a search is held open, then change state (which pops every dialog)."""
    app = create_app("en", flow="admin-center")
    async with app.run_test(size=(80, 24)) as pilot:
        palette = palette_class(providers=[LateProvider], id="--command-palette")
        app.push_screen(palette)
        await pilot.pause()
        assert app.screen is palette
        await pilot.press("x")  # a search for "x" starts and waits in LateProvider
        app.post_message(messages.Restart())  # the state changes: show_state pops the palette mid-search
        for _ in range(200):
            await pilot.pause(0.01)
            if palette not in app.screen_stack and not palette.is_attached:
                break
        await pilot.pause(0.05)
        assert app.return_code is None
        assert app.wizard.at_home


async def test_a_palette_closing_mid_search_does_not_crash() -> None:
    await close_during_a_search(GuardedCommandPalette)


async def test_the_stock_palette_has_the_race_the_guard_removes() -> None:
    """Pins the Textual behaviour the guard exists for: if this starts passing, the guard can go."""
    with pytest.raises(WorkerFailed, match="No nodes match 'CommandList'"):
        await close_during_a_search(CommandPalette)


async def test_ctrl_p_opens_the_guarded_palette() -> None:
    app = create_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        for _ in range(200):
            if isinstance(app.screen, CommandPalette) and app.screen.query(CommandList):
                break
            await pilot.pause(0.01)
        assert isinstance(app.screen, GuardedCommandPalette)
