"""The home screen: what a billing contact is, who can see it, and the two ways of finding out."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from billing_tui.flow.machine import Wizard
from billing_tui.ui import messages
from billing_tui.ui.screens.base import WizardScreen
from billing_tui.ui.text import literal
from billing_tui.ui.widgets.choice_list import ChoiceList
from billing_tui.ui.widgets.key_hints import KeyHints
from billing_tui.ui.widgets.panels import BLANK, numbered_option


class HomeScreen(WizardScreen):
    """Offers the flows; picking one starts it."""

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="panel home"):
            yield Static(classes="home-text")
            yield ChoiceList(id="choices")

    def show(self, wizard: Wizard) -> None:
        super().show(wizard)
        g, home = wizard.guide, wizard.guide.home
        self.query_one("#breadcrumb", Static).add_class("-empty")
        text = Content.assemble(
            literal(home.title, "bold"),
            BLANK,
            literal(home.intro),
            BLANK,
            literal(home.who_can_see, "italic"),
            BLANK,
            literal(home.prompt, "bold $accent"),
        )
        self.query_one(".home-text", Static).update(text)
        choices = self.query_one("#choices", ChoiceList)
        choices.show_options(numbered_option(n, f.label, f.audience, f.id) for n, f in enumerate(g.flows, 1))
        self.focus_usable(choices)
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

    @on(ChoiceList.Picked, "#choices")
    def start_flow(self, event: ChoiceList.Picked) -> None:
        self.post_message(messages.StartFlow(event.option_id))
