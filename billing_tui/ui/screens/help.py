"""The help overlay: every key, in the current language, and whether kiosk mode is on."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from billing_tui.flow.models import Guide
from billing_tui.kiosk import text_key
from billing_tui.ui.text import literal

HELP_KEYS = (
    "help_digits",
    "help_move",
    "help_back",
    "help_history",
    "help_restart",
    "help_language",
    "help_copy",
    "help_save",
    "help_email",
    "help_palette",
    "help_quit",
)


class HelpScreen(ModalScreen[None]):
    """Lists the keys; Escape, ?, F1 or q close it."""

    BINDINGS = [Binding("escape,question_mark,f1,q", "close", show=False)]

    def __init__(self, guide: Guide, kiosk: bool = False) -> None:
        super().__init__(classes="dialog-screen")
        self.guide = guide
        self.kiosk = kiosk

    def compose(self) -> ComposeResult:
        g = self.guide
        with Vertical(id="help", classes="dialog"):
            yield Static(literal(g.text("help_title"), "bold"), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                keys = (*HELP_KEYS, "help_kiosk") if self.kiosk else HELP_KEYS
                yield Static(Content("\n").join(literal(g.text(text_key(key, self.kiosk))) for key in keys))
            yield Static(literal(g.text("help_close"), "dim"), classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
