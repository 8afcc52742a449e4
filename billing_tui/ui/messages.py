"""Domain messages that screens post and the app turns into state-machine moves."""

from __future__ import annotations

from textual.message import Message


class StartFlow(Message):
    """The user picked a flow on the home screen."""

    def __init__(self, flow_id: str) -> None:
        self.flow_id = flow_id
        super().__init__()


class Choose(Message):
    """The user picked a choice (by id) at the current question."""

    def __init__(self, choice_id: str) -> None:
        self.choice_id = choice_id
        super().__init__()


class ChooseNumber(Message):
    """The user typed a digit: the machine maps it to the nth flow or choice."""

    def __init__(self, number: int) -> None:
        self.number = number
        super().__init__()


class Back(Message):
    """The user asked to go back one step."""


class BackTo(Message):
    """The user asked to return to an earlier question (0 = the flow's first)."""

    def __init__(self, step_index: int) -> None:
        self.step_index = step_index
        super().__init__()


class Restart(Message):
    """The user asked to start again from home."""


class SwitchLanguage(Message):
    """The user asked for the next language, keeping their place."""
