"""A scrolling body that is a Tab stop only while it has something to scroll, and then shows it has the focus."""

from __future__ import annotations

from textual.containers import VerticalScroll


class ScrollBody(VerticalScroll):
    """Textual's VerticalScroll, except that Tab never lands on it invisibly.

    A stock VerticalScroll is always a Tab stop and looks the same focused or not: in a dialog that fits the
    screen (the e-mail form), one Tab of the cycle seemed to go nowhere (nothing lit, Enter did nothing).
    Here it takes the focus only while it can scroll (a small terminal, a long text), so the arrows have
    something to move, and its scrollbar and a faint tint say it has the focus.
    """

    DEFAULT_CSS = """
    ScrollBody:focus {
        background-tint: $foreground 6%;
        scrollbar-color: $accent;
        scrollbar-color-hover: $accent;
    }
    """

    def allow_focus(self) -> bool:
        """A Tab stop only while there is something to scroll."""
        return self.allow_vertical_scroll
