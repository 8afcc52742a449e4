"""One snapshot: the home screen of hostile content shows markup, escape remnants and wide text literally."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hostile import make_hostile_content
from robust_helpers import wait_until
from textual.pilot import Pilot

from billing_tui.ui.app import create_app
from billing_tui.ui.widgets.choice_list import ChoiceList


def test_hostile_home_shows_markup_literally(snap_compare: Any, tmp_path: Path) -> None:
    app = create_app("en", content_dir=make_hostile_content(tmp_path / "content", short_only=True))

    async def focused(pilot: Pilot[Any]) -> None:
        await wait_until(pilot, lambda: isinstance(app.focused, ChoiceList))

    assert snap_compare(app, terminal_size=(100, 30), run_before=focused)
