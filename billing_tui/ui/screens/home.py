"""The home screen: what a billing contact is, who can see it, and the two ways of finding out."""

from __future__ import annotations

from textual import on
from textual.widgets import Static

from billing_tui.flow.machine import Wizard
from billing_tui.ui import messages
from billing_tui.ui.screens.base import WizardScreen
from billing_tui.ui.state_content import home_content, numbered_option
from billing_tui.ui.widgets.key_hints import KeyHints
from billing_tui.ui.widgets.state_list import StateList


class HomeScreen(WizardScreen):
    """Offers the flows; picking one starts it."""

    def show(self, wizard: Wizard) -> None:
        super().show(wizard)
        g = wizard.guide
        self.query_one("#breadcrumb", Static).add_class("-empty")
        state = self.query_one("#choices", StateList)
        state.show_state(
            home_content(g), [numbered_option(n, f.label, f.audience, f.id) for n, f in enumerate(g.flows, 1)]
        )
        self.focus_usable(state)
        self.query_one(KeyHints).show_hints(
            [
                (f"1–{len(g.flows)}", g.text("keys_choose")),
                ("↑↓", g.text("keys_move")),
                ("l", g.text("keys_language")),
                ("?", g.text("keys_help")),
                ("q", g.text("keys_quit")),
            ]
        )

    def action_back(self) -> None:
        """Home is the start: there is nothing to go back to."""

    @on(StateList.Picked, "#choices")
    def start_flow(self, event: StateList.Picked) -> None:
        self.post_message(messages.StartFlow(event.option_id))
