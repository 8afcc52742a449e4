"""The too-small notice: its words for the size at hand, and the screen that covers an open dialog with it."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any, cast

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Static

from billing_tui.flow.models import Guide
from billing_tui.ui.text import literal

if TYPE_CHECKING:
    from billing_tui.ui.app import BillingApp

MIN_WIDTH, MIN_HEIGHT = 40, 12
NOTICE_PADDING = (1, 2)  # rows, columns: #too-small's padding in styles/app.tcss


def is_too_small(width: int, height: int) -> bool:
    """Whether a terminal of this size is too small to show the wizard."""
    return width < MIN_WIDTH or height < MIN_HEIGHT


def notice_fits(width: int, height: int, text: str) -> bool:
    """Whether text, wrapped at words, fits inside the notice's padding on a terminal of this size."""
    rows, columns = height - 2 * NOTICE_PADDING[0], width - 2 * NOTICE_PADDING[1]
    return columns > 0 and len(textwrap.wrap(text, columns)) <= rows


def notice_text(guide: Guide, width: int, height: int) -> str:
    """The notice for this size: the whole sentence where it fits, else a short one that still names the way out."""
    values = {"width": width, "height": height, "min_width": MIN_WIDTH, "min_height": MIN_HEIGHT}
    full = guide.text("too_small", **values)
    return full if notice_fits(width, height, full) else guide.text("too_small_short", **values)


def show_notice(notice: Static, guide: Guide, width: int, height: int) -> None:
    """Put the notice for this size in its Static; without padding where even the short one would not fit in it."""
    text = notice_text(guide, width, height)
    notice.set_class(not notice_fits(width, height, text), "-tight")
    notice.update(literal(text))


class TooSmallScreen(ModalScreen[None]):
    """The notice over an open dialog while the terminal is too small; the dialog is back, as it was, once it grows."""

    BINDINGS = [Binding("q", "app.quit_app", show=False)]

    def __init__(self) -> None:
        super().__init__(classes="-too-small")

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")

    def on_mount(self) -> None:
        self._show_notice()

    def on_resize(self, event: Resize) -> None:
        if is_too_small(*event.size):
            self._show_notice()
        elif self.is_current:  # once: a second Resize must not close the dialog under it too
            self.dismiss(None)

    def _show_notice(self) -> None:
        guide = cast("BillingApp", self.app).wizard.guide
        show_notice(self.query_one("#too-small", Static), guide, *self.app.size)


def cover_dialog_if_too_small(app: App[Any], width: int, height: int) -> None:
    """A dialog open when the terminal becomes too small is covered by the notice (a wizard screen shows its own)."""
    screen = app.screen
    if is_too_small(width, height) and isinstance(screen, ModalScreen) and not isinstance(screen, TooSmallScreen):
        app.push_screen(TooSmallScreen())
