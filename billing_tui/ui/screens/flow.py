"""One screen per flow (Billing Center, Admin Center): the current question or the verdict panel."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.events import Resize
from textual.widgets import Static

from billing_tui.flow.machine import Wizard
from billing_tui.kiosk import text_key
from billing_tui.ui import messages
from billing_tui.ui.one_frame import update_changed
from billing_tui.ui.screens.base import WizardScreen
from billing_tui.ui.state_content import (
    ACTION_PREFIX,
    action_options,
    numbered_option,
    question_content,
    verdict_content,
)
from billing_tui.ui.text import literal
from billing_tui.ui.widgets.key_hints import KeyHints
from billing_tui.ui.widgets.state_list import StateList

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

    def show(self, wizard: Wizard) -> None:
        super().show(wizard)
        g, kiosk = wizard.guide, self.billing_app.kiosk
        self._show_breadcrumb(wizard)
        state = self.query_one("#choices", StateList)
        if wizard.question is not None:
            choices = wizard.question.choices
            state.show_state(
                question_content(wizard.question),
                [numbered_option(n, c.label, option_id=c.id) for n, c in enumerate(choices, 1)],
            )
            hints = [(f"1–{len(choices)}", g.text("keys_choose")), ("↑↓", g.text("keys_move"))]
        elif wizard.verdict is not None:
            # Shown from its top, so a small terminal shows the verdict itself before its actions.
            state.show_state(
                verdict_content(wizard, self.billing_app.ascii_only), action_options(wizard, kiosk), from_top=True
            )
            hints = [("c", g.text("keys_copy")), ("s", g.text(text_key("keys_save", kiosk)))]
            if wizard.verdict.email_draft:
                hints.append(("e", g.text("keys_email")))
        self.focus_usable(state)
        # h on every state of a flow (it says when nothing is answered yet): the footer stays put between questions,
        # and an unchanged footer is not painted again.
        hints += [("⌫", g.text("keys_back")), ("h", g.text("keys_history"))]
        if wizard.question is not None:  # a verdict names save first, with its other actions
            hints.append(("s", g.text(text_key("keys_save", kiosk))))
        hints += [
            ("r", g.text("keys_restart")),
            ("l", g.text("keys_language")),
            ("?", g.text("keys_help")),
            ("q", g.text("keys_quit")),
        ]
        self.query_one(KeyHints).show_hints(hints)

    def _show_breadcrumb(self, wizard: Wizard) -> None:
        """Every answer so far on one line, each shortened to its share of the width (a hint before the first)."""
        labels = [step.choice.label for step in wizard.steps]
        text = breadcrumb_text(labels, self.app.size.width - 2) if labels else wizard.guide.text("breadcrumb_empty")
        update_changed(self.query_one("#breadcrumb", Static), literal(text), layout=False)

    def on_resize(self, event: Resize) -> None:
        super().on_resize(event)
        if self.shown is not None:
            self._show_breadcrumb(self.shown)

    @on(StateList.Picked, "#choices")
    def choose(self, event: StateList.Picked) -> None:
        """A choice goes to the machine; at a verdict, an option is one of its actions."""
        if self.wizard.verdict is not None:
            self.run_action_by_name(event.option_id.removeprefix(ACTION_PREFIX))
        else:
            self.post_message(messages.Choose(event.option_id))

    def run_action_by_name(self, name: str) -> None:
        """Dispatch a verdict action option to its screen action."""
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
