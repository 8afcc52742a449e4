"""A one-line footer of localized key hints, so every key the screen accepts is visible."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.events import Resize
from textual.widgets import Static

from billing_tui.ui.one_frame import update_changed

ALWAYS_SHOWN = frozenset({"?", "q"})  # help lists every key, and quitting must always be in sight
GAP = "  "


def hints_content(hints: Sequence[tuple[str, str]]) -> Content:
    """The (key, label) pairs as one line: each key bold in the accent colour, its label literal."""
    parts: list[str | tuple[str, str] | Content] = []
    for index, (key, label) in enumerate(hints):
        if index:
            parts.append(GAP)
        parts += [(key, "bold $accent"), " ", Content(label)]
    return Content.assemble(*parts)


def fitting_hints(hints: Sequence[tuple[str, str]], width: int) -> list[tuple[str, str]]:
    """The hints that fit in width cells, whole: the rightmost droppable pairs go first, help and quit never."""
    kept = list(hints)
    droppable = [index for index, (key, _) in enumerate(kept) if key not in ALWAYS_SHOWN]
    while droppable and hints_content(kept).cell_length > width:
        del kept[droppable.pop()]
    return kept


class KeyHints(Static):
    """Shows pairs of (key, what it does) on one line, leaving out whole pairs (never a word cut) when narrow."""

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

    hints: tuple[tuple[str, str], ...] = ()

    def show_hints(self, hints: Sequence[tuple[str, str]]) -> None:
        """Replace the hints with these (key, label) pairs, as many as fit."""
        self.hints = tuple(hints)
        self._fit()

    def on_resize(self, event: Resize) -> None:
        """A new width may fit more hints, or fewer."""
        self._fit()

    def _fit(self) -> None:
        width = self.content_size.width or max(0, self.app.size.width - 2)  # before its first layout: the screen's
        update_changed(self, hints_content(fitting_hints(self.hints, width)), layout=False)
