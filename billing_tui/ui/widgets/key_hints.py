"""A one-line footer of localized key hints, so every key the screen accepts is visible."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import Static

from billing_tui.ui.one_frame import update_changed


class KeyHints(Static):
    """Shows pairs of (key, what it does) on one line."""

    DEFAULT_CSS = """
    KeyHints {
        dock: bottom;
        height: 1;
        background: $panel;
        color: $text;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        padding: 0 1;
    }
    """

    def show_hints(self, hints: Sequence[tuple[str, str]]) -> None:
        """Replace the hints with these (key, label) pairs."""
        parts: list[str | tuple[str, str] | Content] = []
        for index, (key, label) in enumerate(hints):
            if index:
                parts.append("  ")
            parts += [(key, "bold $accent"), " ", Content(label)]
        update_changed(self, Content.assemble(*parts))
