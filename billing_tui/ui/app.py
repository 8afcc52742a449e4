"""The Textual app: owns the wizard state, applies domain messages to it, and shows the screen for that state."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.filter import LineFilter
from textual.screen import ModalScreen, Screen

from billing_tui.flow import Content, IllegalMove, Wizard, load_content
from billing_tui.ui import messages
from billing_tui.ui.filters import AsciiGlyphs, StripColor
from billing_tui.ui.palette import palette_commands
from billing_tui.ui.screens.base import WizardScreen
from billing_tui.ui.screens.flow import FLOW_SCREENS, FlowScreen
from billing_tui.ui.screens.home import HomeScreen
from billing_tui.ui.styles import stylesheet
from billing_tui.ui.themes import DEFAULT_THEME, THEME_NAMES, THEMES


def screen_class_for(wizard: Wizard) -> type[WizardScreen]:
    """Home at home, else the flow's own screen (a generic one for flows added by custom content)."""
    if wizard.flow_id is None:
        return HomeScreen
    return FLOW_SCREENS.get(wizard.flow_id, FlowScreen)


class BillingApp(App[int]):
    """The billing-contact wizard."""

    CSS_PATH = stylesheet()
    TITLE = "billing-tui"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [Binding("ctrl+q", "quit_app", show=False, priority=True)]

    def __init__(
        self, content: Content | None = None, lang: str = "pt-BR", flow: str | None = None, ascii_only: bool = False
    ) -> None:
        super().__init__()
        self.content = content or load_content()
        self.ascii_only = ascii_only
        self._strip_color = StripColor()
        self._ascii_glyphs = AsciiGlyphs()
        wizard = Wizard(self.content.guide(lang))
        self.wizard: Wizard = wizard.start(flow) if flow else wizard
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = DEFAULT_THEME

    def on_mount(self) -> None:
        self.show_state()

    # -- state ------------------------------------------------------------------

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

    def show_state(self) -> None:
        """Bring up the screen that matches the wizard and let it render the state."""
        while isinstance(self.screen, ModalScreen) and len(self.screen_stack) > 1:
            self.pop_screen()
        wanted = screen_class_for(self.wizard)
        current = self.screen
        if type(current) is wanted and isinstance(current, WizardScreen):
            current.show(self.wizard)
            return
        name = wanted.__name__
        if not self.is_screen_installed(name):
            self.install_screen(wanted(), name)  # kept, so coming back costs no new compose
        if isinstance(current, WizardScreen):
            self.switch_screen(name)
        else:
            self.push_screen(name)

    def next_lang(self) -> str:
        """The language the l key switches to."""
        langs = self.content.langs
        return langs[(langs.index(self.wizard.guide.lang) + 1) % len(langs)]

    def next_theme(self) -> str:
        """The theme the palette's theme command switches to."""
        names = THEME_NAMES if self.theme in THEME_NAMES else (*THEME_NAMES, self.theme)
        return names[(names.index(self.theme) + 1) % len(names)]

    def cycle_theme(self) -> None:
        self.theme = self.next_theme()

    # -- domain messages -> machine moves -------------------------------------------

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

    # -- app-wide ---------------------------------------------------------------------

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then ours: no colour codes at all under NO_COLOR, ASCII glyphs where needed."""
        filters = list(super().get_line_filters())
        if self.no_color:
            filters.append(self._strip_color)
        if self.ascii_only:
            filters.append(self._ascii_glyphs)
        return filters

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from palette_commands(self, screen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the screen shows the too-small notice, the command palette stays shut: only quitting works."""
        return not (action == "command_palette" and self.screen.has_class("-too-small"))

    def action_quit_app(self) -> None:
        self.exit(0)


def create_app(
    lang: str = "pt-BR",
    content_dir: Path | str | None = None,
    flow: str | None = None,
    theme: str | None = None,
    ascii_only: bool = False,
    content: Content | None = None,
) -> BillingApp:
    """Build the app: the one factory used by the CLI, the tests and the screenshot script."""
    app = BillingApp(content or load_content(content_dir), lang, flow=flow, ascii_only=ascii_only)
    if theme:
        app.theme = theme
    return app
