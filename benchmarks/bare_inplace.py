"""The framework floor for a state change: the bare app's widgets, updated in place by `1`, `2` and `b`.

`2` shows a second question and `1` a verdict in the same Static and OptionList, `b` shows the first
question again: the least a Textual app can do to change what one screen shows.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, OptionList, Static

from benchmarks.bare_app import BODY, CHOICES, DONE_BODY, DONE_TITLE, TITLE

SECOND_TITLE = "My Account page"
SECOND_BODY = (
    "1. Click the account profile to be redirected to the My Account page.\n"
    "2. One of the following is true:\n\nWhat does the My Account page show?"
)
SECOND_CHOICES = (
    "You have a standard account and are not the billing admin",
    "Your account is managed in the Corporate Billing Portal (the page offers Go to billing)",
    "Not sure",
)
DONE_CHOICES = ("Copy", "Save", "Back", "Restart", "Quit")
STATES = {
    "first": (TITLE, BODY, CHOICES),
    "second": (SECOND_TITLE, SECOND_BODY, SECOND_CHOICES),
    "done": (DONE_TITLE, DONE_BODY, DONE_CHOICES),
}


class InPlaceApp(App[None]):
    """A Static title, a Static body, an OptionList and a Footer whose contents the keys replace."""

    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("1", "show('done')", "Verdict"),
        Binding("2", "show('second')", "Question"),
        Binding("b", "show('first')", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(TITLE, id="title")
        yield Static(BODY, id="body")
        yield OptionList(*CHOICES)
        yield Footer()

    def action_show(self, state: str) -> None:
        """Replace the title, body and options with one state's."""
        title, body, choices = STATES[state]
        self.query_one("#title", Static).update(title)
        self.query_one("#body", Static).update(body)
        options = self.query_one(OptionList)
        options.set_options(choices)
        options.highlighted = 0


if __name__ == "__main__":
    InPlaceApp().run()
