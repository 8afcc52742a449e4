"""Kiosk mode's answer to `s`: the transcript copied through OSC 52 and shown whole, to select; no file anywhere."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from billing_tui.flow.models import Guide
from billing_tui.ui.text import literal

SHORT, TINY = 20, 16  # terminal rows below which the intro, then the hint, are left out


class TranscriptScreen(ModalScreen[None]):
    """Copies the transcript when it opens, and shows it read-only: arrows and PgUp/PgDn scroll, Shift selects."""

    BINDINGS = [Binding("escape,q", "close", show=False), Binding("c", "copy", show=False)]

    def __init__(self, guide: Guide, markdown: str) -> None:
        super().__init__(classes="dialog-screen")
        self.guide = guide
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        g = self.guide
        with Vertical(id="transcript", classes="dialog"):
            yield Static(literal(g.text("kiosk_title"), "bold"), classes="dialog-title")
            yield Static(literal(g.text("kiosk_intro"), "dim"), id="transcript-intro")
            # A read-only TextArea shows the text literally and gives a cursor, Shift+arrow selection and Ctrl+C.
            yield TextArea(
                self.markdown, id="transcript-text", read_only=True, soft_wrap=True, show_cursor=True, compact=True
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(literal(g.text("kiosk_copy_again")), id="transcript-copy", compact=True, variant="primary")
                yield Button(literal(g.text("close_button")), id="transcript-close", compact=True)
            yield Static(literal(g.text("kiosk_hint"), "dim"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#transcript-text", TextArea).focus()
        self._fit()
        self.action_copy()

    def on_resize(self, event: Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        """On a short terminal the intro (and below 16 rows the hint) gives its rows to the transcript itself."""
        height = self.app.size.height
        dialog = self.query_one("#transcript")
        dialog.set_class(height < SHORT, "-short")
        dialog.set_class(height < TINY, "-tiny")

    @on(Button.Pressed, "#transcript-copy")
    def action_copy(self) -> None:
        """Send the whole transcript to the user's own terminal as OSC 52, and say that nothing was saved."""
        self.app.copy_to_clipboard(self.markdown)
        self.notify(self.guide.text("kiosk_copied"), markup=False)

    @on(Button.Pressed, "#transcript-close")
    def action_close(self) -> None:
        self.dismiss(None)
