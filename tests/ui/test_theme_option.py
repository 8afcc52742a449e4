"""`--theme` takes the wizard's themes only, full screen as in the plain mode, `serve` and `web`."""

from __future__ import annotations

import pytest

from billing_tui.exit_codes import CliError
from billing_tui.flow import Content
from billing_tui.ui.launch import run_app


@pytest.mark.parametrize("theme", ["nord", "textual-dark", "bogus"])
def test_only_the_wizards_themes_are_accepted_full_screen(content: Content, theme: str) -> None:
    """One of Textual's built-in themes (nord) was accepted full screen while the error listed only ours."""
    with pytest.raises(CliError, match=rf"unknown theme '{theme}'; available: default, high-contrast"):
        run_app(content, "en", flow=None, theme=theme, summary=False)
