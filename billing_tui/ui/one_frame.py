"""One frame per state change: stop Textual (8.2, pinned) from painting a second frame that changes nothing.

After a layout pass Textual stores each resized widget's new virtual size through a reactive that asks
for another layout, which repaints the same cells a frame later. A scrolling widget still updates its
scrollbars (and asks for a layout if one appears or goes), so only the redundant pass is skipped.
tests/ui/test_frames.py counts the frames per state change, so a Textual upgrade that breaks this shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from textual.content import Content
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static


@contextmanager
def sizes_without_relayout() -> Iterator[None]:
    """While a layout pass runs, widgets take their new sizes without asking for a second pass."""
    original = Widget._size_updated

    def size_updated(widget: Widget, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        return original(widget, size, virtual_size, container_size, layout=False)

    Widget._size_updated = size_updated  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        Widget._size_updated = original  # type: ignore[method-assign]


def update_changed(static: Static, content: Content, layout: bool = True) -> None:
    """Show content in a Static unless it already shows exactly that: an unchanged line is not painted again.

    layout=False for a Static whose size its content never changes (one row, the screen's width): a new text
    then repaints the row alone, without a layout of the whole screen.
    """
    old = static.content
    if isinstance(old, Content) and old.plain == content.plain and old.spans == content.spans:
        return
    static.update(content, layout=layout)


def hide_empty_toast_rack(screen: Screen[Any]) -> None:
    """Hide the screen's notification rack by its inline style before the first layout, so it is not done twice.

    Textual shows a screen's notifications when the screen is resumed, after its first frame, by setting the
    rack's inline `display` (to none when there are none). Its stylesheet already hides it, but an inline rule
    set for the first time still asks for a new layout: every new screen painted all its cells a second time,
    ~20 ms after the first (tests/robustness/test_changed_rows.py). Set here while mounting, the later call
    changes nothing when there are no notifications, and shows them (as it would have) when there are.
    """
    for rack in screen.query("#textual-toastrack"):
        rack.display = False
