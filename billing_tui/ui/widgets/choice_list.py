"""An OptionList whose option ids are the machine's ids; it re-posts selections as a Picked message."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class ChoiceList(OptionList):
    """The outcomes (or flows) to choose from, navigable with arrows and j/k."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    class Picked(Message):
        """An option was chosen; option_id is the flow or choice id."""

        def __init__(self, choice_list: ChoiceList, option_id: str) -> None:
            self.choice_list = choice_list
            self.option_id = option_id
            super().__init__()

        @property
        def control(self) -> ChoiceList:
            """The list that was chosen from, so handlers can filter with a selector."""
            return self.choice_list

    def __init__(self, options: Iterable[Option] = (), *, id: str | None = None) -> None:
        super().__init__(*options, id=id)
        self.highlighted = 0

    def show_options(self, options: Iterable[Option]) -> None:
        """Replace the options in place (keeping focus and any keys already queued here), highlighting the first."""
        self.set_options(options)
        self.highlighted = 0
        self.scroll_home(animate=False)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        """Stop the generic event and post the domain one with the option's id."""
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Picked(self, event.option.id))
