"""A cold start parses the stylesheet once, already in the app's own theme (no second parse to switch to it)."""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.css.stylesheet import Stylesheet

from billing_tui.flow import Content
from billing_tui.ui.app import create_app
from billing_tui.ui.themes import DEFAULT_THEME, THEMES
from tests.ui.ui_helpers import settle


async def test_the_first_screen_is_styled_in_the_default_theme_without_a_reparse(
    monkeypatch: pytest.MonkeyPatch, content: Content
) -> None:
    reparses: list[Stylesheet] = []
    original = Stylesheet.reparse

    def counting(stylesheet: Stylesheet) -> None:
        reparses.append(stylesheet)
        original(stylesheet)

    monkeypatch.setattr(Stylesheet, "reparse", counting)
    app = create_app(lang="en", content=content)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == DEFAULT_THEME
        [theme] = [theme for theme in THEMES if theme.name == DEFAULT_THEME]
        assert app.screen.styles.background == Color.parse(theme.background or "")
        assert reparses == []
        app.cycle_theme()  # switching theme later still restyles everything
        await pilot.pause()
        assert len(reparses) == 1
        assert app.screen.styles.background != Color.parse(theme.background or "")
