"""The framework floor: a Textual app with billing-tui's kinds of widgets and words, and no logic."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static

TITLE = "Log in to the Billing Center"
BODY = (
    "1. Log in to the Billing Center at https://billing.logmeininc.com with your GoToAssist Remote Support v5 "
    "e-mail address and password.\n2. One of the following will happen:\n\nWhat happened?"
)
CHOICES = (
    "You are redirected to your account's Subscriptions page",
    "The message “You have reached an invalid page” is shown",
    "None of these / not sure",
)
DONE_TITLE = "You are the billing admin"
DONE_BODY = "You were redirected to your account's Subscriptions page: you are the billing admin."


class DoneScreen(Screen[None]):
    """A second screen of the same widgets, so a screen change can be timed against billing-tui's."""

    def compose(self) -> ComposeResult:
        yield Static(DONE_TITLE)
        yield Static(DONE_BODY)
        yield Footer()


class BareApp(App[None]):
    """A Static title, a Static body, an OptionList and a Footer; Enter on an option shows DoneScreen."""

    BINDINGS = [Binding("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static(TITLE)
        yield Static(BODY)
        yield OptionList(*CHOICES)
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Show the second screen."""
        self.push_screen(DoneScreen())


if __name__ == "__main__":
    BareApp().run()
