"""Domain messages to machine moves: each message a screen posts becomes one move of the wizard, or a refusal."""

from __future__ import annotations

from collections.abc import Callable

from textual import on

from billing_tui.flow import Content, IllegalMove, Wizard
from billing_tui.ui import messages
from billing_tui.ui.key_queue import TypeAheadApp


class WizardMoves(TypeAheadApp[int]):
    """The app's half that changes the state (typed-ahead keys held in order): it applies moves; BillingApp renders."""

    content: Content
    wizard: Wizard

    def show_state(self) -> None:
        """Bring up the screen that matches the wizard (BillingApp does; a move only asks for it)."""
        raise NotImplementedError

    def apply(self, move: Callable[[Wizard], Wizard], refused: str | None = None, **values: object) -> None:
        """Apply a machine move and show the result; the machine refuses illegal ones (a notice or the bell)."""
        try:
            self.wizard = move(self.wizard)
        except IllegalMove:
            if refused:
                self.notify(self.wizard.guide.text(refused, **values), markup=False)
            else:
                self.bell()
            return
        self.show_state()

    def next_lang(self) -> str:
        """The language the l key switches to."""
        langs = self.content.langs
        return langs[(langs.index(self.wizard.guide.lang) + 1) % len(langs)]

    @on(messages.StartFlow)
    def start_flow(self, message: messages.StartFlow) -> None:
        self.apply(lambda w: w.start(message.flow_id))

    @on(messages.Choose)
    def choose(self, message: messages.Choose) -> None:
        self.apply(lambda w: w.choose(message.choice_id))

    @on(messages.ChooseNumber)
    def choose_number(self, message: messages.ChooseNumber) -> None:
        self.apply(lambda w: w.choose_nth(message.number), refused="no_such_choice", n=message.number)

    @on(messages.Back)
    def back(self) -> None:
        self.apply(lambda w: w.back())

    @on(messages.BackTo)
    def back_to(self, message: messages.BackTo) -> None:
        self.apply(lambda w: w.back_to(message.step_index))

    @on(messages.Restart)
    def restart(self) -> None:
        self.apply(lambda w: w.restart())

    @on(messages.SwitchLanguage)
    def switch_language(self) -> None:
        self.apply(lambda w: w.with_guide(self.content.guide(self.next_lang())))
        self.notify(self.wizard.guide.text("language_changed", language=self.wizard.guide.language_name), markup=False)
