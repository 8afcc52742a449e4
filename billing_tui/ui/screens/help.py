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
    "help_scroll",
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
    """Lists the keys in a body that scrolls by keyboard; Escape, q, ? or F1 close it, as its close line says.

    q closes it (as it closes the history and the transcript) rather than quitting: a user who reads the help
    and presses q most likely wants the help gone, not the session with its answers; Ctrl+Q still quits.
    """

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", show=False)]

    def __init__(self, guide: Guide, kiosk: bool = False) -> None:
        super().__init__(classes="dialog-screen")
        self.guide = guide
        self.kiosk = kiosk

    def compose(self) -> ComposeResult:
        g = self.guide
        with Vertical(id="help", classes="dialog"):
            yield Static(literal(g.text("help_title"), "bold"), classes="dialog-title")
            # Title and hint are docked (styles/app.tcss): the body alone scrolls, the hint always shows.
            with VerticalScroll(classes="dialog-body"):
                keys = (*HELP_KEYS, "help_kiosk") if self.kiosk else HELP_KEYS
                yield Static(Content("\n").join(literal(g.text(text_key(key, self.kiosk))) for key in keys))
            yield Static(literal(g.text("help_close"), "dim"), classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
