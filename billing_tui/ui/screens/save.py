"""The save dialog: a prefilled path, an atomic write, and no silent overwrite."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from billing_tui.files import FileExists, SaveError, write_atomic
from billing_tui.flow.models import Guide
from billing_tui.flow.sanitize import SAFE_INPUT
from billing_tui.ui.text import literal


class SaveDialog(ModalScreen[str | None]):
    """Asks where to save the transcript; a second Enter on an existing path replaces it."""

    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, guide: Guide, suggested: str, markdown: str) -> None:
        super().__init__(classes="dialog-screen")
        self.guide = guide
        self.suggested = suggested
        self.markdown = markdown
        self.confirmed_overwrite: str | None = None

    def compose(self) -> ComposeResult:
        g = self.guide
        with Vertical(id="save", classes="dialog"):
            yield Static(literal(g.text("save_title"), "bold"), classes="dialog-title")
            yield Static(literal(g.text("save_path_label")))
            yield Input(self.suggested, id="path", select_on_focus=False, compact=True, restrict=SAFE_INPUT)
            yield Static(id="save-message", classes="message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(literal(g.text("save_confirm")), id="save-confirm", compact=True, variant="primary")
                yield Button(literal(g.text("save_cancel")), id="save-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#save-confirm")
    def save(self) -> None:
        """Write the file; on a clash or an error, say why and stay open."""
        path = self.query_one("#path", Input).value.strip()
        g = self.guide
        if getattr(self.app, "kiosk", False):  # never reached (kiosk mode opens no save dialog): a second lock
            self.dismiss(None)
            return
        try:
            written = write_atomic(path, self.markdown, overwrite=self.confirmed_overwrite == path)
        except FileExists:
            self.confirmed_overwrite = path
            self._message(g.text("save_exists", path=path))
            return
        except SaveError as exc:
            self.confirmed_overwrite = None
            reason = g.text(f"save_reason_{exc.key}", **exc.values)
            self._message(
                g.text("save_empty") if exc.key == "empty" else g.text("save_failed", path=path, reason=reason)
            )
            return
        self.notify(g.text("saved", path=str(written)), markup=False)
        self.dismiss(str(written))

    @on(Input.Changed, "#path")
    def forget_confirmation(self, event: Input.Changed) -> None:
        """Editing the path cancels a pending overwrite confirmation."""
        if event.value.strip() != self.confirmed_overwrite:
            self.confirmed_overwrite = None

    def _message(self, text: str) -> None:
        self.query_one("#save-message", Static).update(literal(text))

    @on(Button.Pressed, "#save-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
