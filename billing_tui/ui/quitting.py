"""How the wizard ends when the user asks: the exit code that fits, and Ctrl+C's hint in the wizard's language."""

from __future__ import annotations

from textual.app import App

from billing_tui.exit_codes import ExitCode
from billing_tui.flow import Wizard


class QuitActions(App[int]):
    """q on a screen and Ctrl+Q anywhere quit; Ctrl+C, which quits many programs, says which key does here."""

    wizard: Wizard  # the app's wizard, whose language the hint speaks

    def action_quit_app(self) -> None:
        """Quit (q on a screen, Ctrl+Q anywhere) with 0, or 5 from the too-small notice."""
        code = self.quit_code()
        self.exit(code, return_code=code)

    def quit_code(self) -> int:
        """0, or 5 (ExitCode.TERMINAL) when the user quits from the too-small notice: the app could not be shown."""
        return ExitCode.TERMINAL if self.screen.has_class("-too-small") else ExitCode.OK

    def action_help_quit(self) -> None:
        """Ctrl+C: Textual's "Do you want to quit?" notice, in the wizard's language and naming Ctrl+Q."""
        guide = self.wizard.guide
        self.notify(guide.text("quit_hint"), title=guide.text("quit_hint_title"), markup=False)
