"""One screen per flow (Billing Center, Admin Center): the current question or the verdict panel."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.widgets import Button, Static

from billing_tui.flow.machine import Wizard
from billing_tui.kiosk import text_key
from billing_tui.ui import messages
from billing_tui.ui.one_frame import update_changed
from billing_tui.ui.screens.base import WizardScreen
from billing_tui.ui.text import literal
from billing_tui.ui.widgets.choice_list import ChoiceList
from billing_tui.ui.widgets.key_hints import KeyHints
from billing_tui.ui.widgets.panels import QuestionPanel, VerdictPanel

SEPARATOR = " › "


def shorten(text: str, width: int) -> str:
    """Text cut to width characters, an ellipsis marking the cut."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def breadcrumb_text(labels: list[str], width: int) -> str:
    """The answers joined by ›, each cut to an equal share of width so every one stays visible."""
    share = max(12, (width - len(SEPARATOR) * (len(labels) - 1)) // max(1, len(labels)))
    return SEPARATOR.join(shorten(label, share) for label in labels)


class FlowScreen(WizardScreen):
    """Shows one flow's current question or verdict; used as is for flows added by custom content."""

    FLOW_ID: ClassVar[str | None] = None

    def compose_body(self) -> ComposeResult:
        yield QuestionPanel()
        yield VerdictPanel()

    def show(self, wizard: Wizard) -> None:
        super().show(wizard)
        g = wizard.guide
        self._show_breadcrumb(wizard)
        question_panel, verdict_panel = self.query_one(QuestionPanel), self.query_one(VerdictPanel)
        question_panel.display = wizard.question is not None
        verdict_panel.display = wizard.verdict is not None
        if wizard.question is not None:
            question_panel.show_question(wizard.question)
            self.focus_usable(self.query_one("#choices", ChoiceList))
            hints = [(f"1–{len(wizard.question.choices)}", g.text("keys_choose")), ("↑↓", g.text("keys_move"))]
        elif wizard.verdict is not None:
            verdict_panel.show_verdict(wizard, self.billing_app.ascii_only, self.billing_app.kiosk)
            # Focused without scrolling, so a small terminal still shows the verdict itself.
            self.focus_usable(self.query_one("#action-copy", Button), scroll_visible=False)
            hints = [("c", g.text("keys_copy")), ("s", g.text(text_key("keys_save", self.billing_app.kiosk)))]
            if wizard.verdict.email_draft:
                hints.append(("e", g.text("keys_email")))
        self.query_one("#body", VerticalScroll).scroll_home(animate=False)  # a new state starts at its top
        hints.append(("⌫", g.text("keys_back")))
        if wizard.steps:
            hints.append(("h", g.text("keys_history")))
        if wizard.question is not None:  # a verdict names save first, with its other actions
            hints.append(("s", g.text(text_key("keys_save", self.billing_app.kiosk))))
        hints += [
            ("r", g.text("keys_restart")),
            ("l", g.text("keys_language")),
            ("?", g.text("keys_help")),
            ("q", g.text("keys_quit")),
        ]
        self.query_one(KeyHints).show_hints(hints)

    def _show_breadcrumb(self, wizard: Wizard) -> None:
        """Every answer so far on one line, each shortened to its share of the width."""
        breadcrumb = self.query_one("#breadcrumb", Static)
        breadcrumb.set_class(not wizard.steps, "-empty")
        labels = [step.choice.label for step in wizard.steps]
        update_changed(breadcrumb, literal(breadcrumb_text(labels, self.app.size.width - 2)))

    def on_resize(self, event: Resize) -> None:
        super().on_resize(event)
        if self.shown is not None:
            self._show_breadcrumb(self.shown)

    @on(ChoiceList.Picked, "#choices")
    def choose(self, event: ChoiceList.Picked) -> None:
        self.post_message(messages.Choose(event.option_id))

    @on(Button.Pressed, ".action")
    def press_action(self, event: Button.Pressed) -> None:
        """Verdict buttons run the same actions as their keys."""
        name = (event.button.id or "").removeprefix("action-")
        self.run_action_by_name(name)

    def run_action_by_name(self, name: str) -> None:
        """Dispatch a verdict action button to its screen action."""
        actions = {
            "copy": self.action_copy,
            "save": self.action_save,
            "email": self.action_email,
            "back": self.action_back,
            "restart": self.action_restart,
            "quit": self.action_quit,
        }
        if name in actions:
            actions[name]()


class BillingCenterScreen(FlowScreen):
    """The Billing Center flow: log in at billing.logmeininc.com and say what happened."""

    FLOW_ID = "billing-center"


class AdminCenterScreen(FlowScreen):
    """The Admin Center flow: log in at admin.logmeininc.com, pick Adicionar licenças, say what happened."""

    FLOW_ID = "admin-center"


FLOW_SCREENS: dict[str, type[FlowScreen]] = {
    screen.FLOW_ID: screen for screen in (BillingCenterScreen, AdminCenterScreen) if screen.FLOW_ID
}
