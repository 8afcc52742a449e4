"""The history list: every answered question, so the user can jump back to any of them by keyboard."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from billing_tui.flow.machine import Wizard
from billing_tui.ui.state_content import numbered_option
from billing_tui.ui.text import literal
from billing_tui.ui.widgets.choice_list import ChoiceList


class HistoryScreen(ModalScreen[int | None]):
    """Returns the index of the question to go back to, or None; 1–9 pick an entry by its number."""

    BINDINGS = [
        Binding("escape,h,q,question_mark,f1", "close", show=False),
        *[Binding(str(n), f"number({n})", show=False) for n in range(1, 10)],
    ]

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(classes="dialog-screen")
        self.wizard = wizard

    def compose(self) -> ComposeResult:
        g = self.wizard.guide
        # Title and hint are docked (styles/app.tcss): the list alone scrolls, the hint always shows.
        with Vertical(id="history", classes="dialog"):
            yield Static(literal(g.text("history_title"), "bold"), classes="dialog-title")
            if not self.wizard.steps:
                yield Static(literal(g.text("history_empty")))
            else:
                yield ChoiceList(
                    (
                        numbered_option(n, s.question.prompt, s.choice.label, f"step-{n - 1}")
                        for n, s in enumerate(self.wizard.steps, 1)
                    ),
                    id="steps",
                )
            yield Static(literal(g.text("history_close"), "dim"), classes="dialog-hint")

    @on(ChoiceList.Picked, "#steps")
    def pick(self, event: ChoiceList.Picked) -> None:
        self.dismiss(int(event.option_id.removeprefix("step-")))

    def action_number(self, number: int) -> None:
        """Pick the entry with this number, as moving to it and pressing Enter would; none: say so, as screens do."""
        choice_list = next(iter(self.query(ChoiceList)), None)  # none when nothing was answered yet
        if choice_list is not None and number <= choice_list.option_count:
            choice_list.highlighted = number - 1
            choice_list.action_select()  # Enter's action: Picked, then pick() above
        else:
            self.notify(self.wizard.guide.text("no_such_choice", n=number), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
