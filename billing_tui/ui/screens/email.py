"""The e-mail draft form of the contact-billing-admin verdict: validated input, a draft, OSC 52 copy and mailto."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from billing_tui.flow.email_draft import DraftError, EmailDraft, build_draft
from billing_tui.flow.machine import Wizard
from billing_tui.flow.sanitize import SAFE_INPUT
from billing_tui.ui.text import link, literal
from billing_tui.ui.web import clipboard_key, offer_mailto
from billing_tui.ui.widgets.scroll_body import ScrollBody


class EmailScreen(ModalScreen[None]):
    """Collects the billing admin's name and address and the request, then shows the draft; sends nothing."""

    BINDINGS = [Binding("escape", "close", show=False)]

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(classes="dialog-screen")
        self.wizard = wizard
        self.draft: EmailDraft | None = None

    def compose(self) -> ComposeResult:
        g = self.wizard.guide
        with ScrollBody(id="email", classes="dialog"):
            yield Static(literal(g.text("email_title"), "bold"), classes="dialog-title")
            yield Static(literal(g.text("email_intro"), "dim"), id="email-intro")
            with Grid(id="email-fields"):
                yield Static(literal(g.text("email_name_label")))
                yield Input(id="name", compact=True, restrict=SAFE_INPUT)
                yield Static(literal(g.text("email_address_label")))
                yield Input(id="address", compact=True, restrict=SAFE_INPUT)
                yield Static(literal(g.text("email_request_label")))
                yield Input(id="request", compact=True, restrict=SAFE_INPUT)
            yield Static(id="email-message", classes="message -empty")
            with Horizontal(classes="dialog-buttons"):
                yield Button(literal(g.text("email_build")), id="email-build", compact=True, variant="primary")
                yield Button(literal(g.text("close_button")), id="email-close", compact=True)
            yield Static(id="draft")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        """Enter moves to the next field, and on the last one builds the draft."""
        order = ["name", "address", "request"]
        current = event.input.id or ""
        if current in order[:-1]:
            self.query_one(f"#{order[order.index(current) + 1]}", Input).focus()
        else:
            self.build()

    @on(Button.Pressed, "#email-build")
    def build(self) -> None:
        """Validate the fields, then show and copy the draft."""
        g = self.wizard.guide
        values = {name: self.query_one(f"#{name}", Input).value for name in ("name", "address", "request")}
        try:
            draft = build_draft(self.wizard, values["name"], values["address"], values["request"])
        except DraftError as exc:
            self._say(g.text(exc.key, **exc.values))
            return
        self.draft = draft
        self._say("")
        # The draft takes the intro's place, so the whole draft fits an 80x24 terminal.
        self.query_one("#email").add_class("-drafted")
        self.query_one("#draft", Static).update(self._draft_content(draft))
        self.app.copy_to_clipboard(draft.as_text(g.text("email_to_label"), g.text("email_subject_label")))
        self.notify(g.text(clipboard_key(self.app, "email_copied")), markup=False)
        if self.app.is_web:  # Enter on the link opens the draft in the user's e-mail program, through the browser
            offer_mailto(self.query_one("#email"), g.text("email_mailto_label"), draft.mailto)

    def _say(self, text: str) -> None:
        """Show a message line (what to fix), or hide it when there is nothing to say."""
        message = self.query_one("#email-message", Static)
        message.update(literal(text))
        message.set_class(not text, "-empty")

    def _draft_content(self, draft: EmailDraft) -> Content:
        """The draft as shown: headers, body and the mailto link."""
        g = self.wizard.guide
        lines = [
            literal(g.text("email_draft_title"), "bold"),
            literal(f"{g.text('email_to_label')}: {draft.to_name} <{draft.to_address}>"),
            literal(f"{g.text('email_subject_label')}: {draft.subject}"),
            Content(""),
            literal(draft.body),
            Content(""),
        ]
        if not self.app.is_web:  # a browser tab gets a focusable link below the draft instead
            lines.append(link(g.text("email_mailto_label"), draft.mailto))
        return Content("\n").join(lines)

    @on(Button.Pressed, "#email-close")
    def action_close(self) -> None:
        self.dismiss(None)
