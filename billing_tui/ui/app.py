"""The Textual app: owns the wizard state and shows the screen for it; moves.py turns domain messages into moves."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from textual.app import SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.driver import Driver
from textual.events import Resize
from textual.filter import LineFilter
from textual.screen import ModalScreen, Screen

from billing_tui import startup_gc
from billing_tui.flow import Content, Wizard, load_content
from billing_tui.ui.driver import prompt_exit_driver
from billing_tui.ui.filters import AsciiGlyphs, StripColor
from billing_tui.ui.moves import WizardMoves
from billing_tui.ui.palette import palette_commands
from billing_tui.ui.palette_guard import GuardedCommandPalette
from billing_tui.ui.quitting import QuitActions
from billing_tui.ui.screens.base import WizardScreen
from billing_tui.ui.screens.flow import FLOW_SCREENS, FlowScreen
from billing_tui.ui.screens.home import HomeScreen
from billing_tui.ui.styles import stylesheet
from billing_tui.ui.themes import THEME_NAMES, install_themes
from billing_tui.ui.too_small import cover_dialog_if_too_small


def screen_class_for(wizard: Wizard) -> type[WizardScreen]:
    """Home at home, else the flow's own screen (a generic one for flows added by custom content)."""
    if wizard.flow_id is None:
        return HomeScreen
    return FLOW_SCREENS.get(wizard.flow_id, FlowScreen)


class BillingApp(QuitActions, WizardMoves):
    """The billing-contact wizard: shows the screen for the state that WizardMoves changes."""

    CSS_PATH = stylesheet()
    TITLE = "billing-tui"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [Binding("ctrl+q", "quit_app", show=False, priority=True)]
    kiosk = False  # billing_tui.kiosk: set by create_app(kiosk=True); the save action then writes no file

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
        install_themes(self)

    def get_driver_class(self) -> type[Driver]:
        """Textual's choice of driver, one that lets go of the keyboard at once on quit (ui/driver.py)."""
        return prompt_exit_driver(super().get_driver_class())

    def get_default_screen(self) -> Screen[Any]:
        """The first state's own screen is the app's first screen: no empty default screen to lay out and cover."""
        screen = screen_class_for(self.wizard)()
        self.install_screen(screen, type(screen).__name__)  # kept for coming back, as show_state's are
        # Textual (8.2, pinned) gives every pushed or switched-to screen a result callback and switch_screen pops
        # one; the default screen gets none, so it is given one here as switch_screen would have.
        screen._push_result_callback(self, None)
        return screen

    # -- state ------------------------------------------------------------------

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
            self.switch_screen(name)  # one wizard screen in the stack, modals above it
        else:
            self.push_screen(name)

    def next_theme(self) -> str:
        """The theme the palette's theme command switches to."""
        names = THEME_NAMES if self.theme in THEME_NAMES else (*THEME_NAMES, self.theme)
        return names[(names.index(self.theme) + 1) % len(names)]

    def cycle_theme(self) -> None:
        self.theme = self.next_theme()

    # -- app-wide ---------------------------------------------------------------------

    def on_ready(self) -> None:
        """The first frame is on the terminal: the collector paused for start-up runs again (startup_gc)."""
        startup_gc.resume()

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then ours: no colour codes at all under NO_COLOR, ASCII glyphs where needed."""
        filters = list(super().get_line_filters())
        if self.no_color:
            filters.append(self._strip_color)
        if self.ascii_only:
            filters.append(self._ascii_glyphs)
        return filters

    def on_resize(self, event: Resize) -> None:
        """Too small a terminal covers an open dialog with the notice too (a wizard screen shows its own)."""
        cover_dialog_if_too_small(self, *event.size)  # before Textual's handler stores the new size

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from palette_commands(self, screen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the screen shows the too-small notice, the command palette stays shut: only quitting works."""
        return not (action == "command_palette" and self.screen.has_class("-too-small"))

    def action_command_palette(self) -> None:
        """Ctrl+P opens the guarded palette, which survives a search that is still running as it closes."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            prompt = self.wizard.guide.text("palette_placeholder")  # Textual's own is English
            self.push_screen(GuardedCommandPalette(id="--command-palette", placeholder=prompt))


def create_app(
    lang: str = "pt-BR",
    content_dir: Path | str | None = None,
    flow: str | None = None,
    theme: str | None = None,
    ascii_only: bool = False,
    content: Content | None = None,
    kiosk: bool = False,
) -> BillingApp:
    """Build the app: the one factory used by the CLI, the tests and the screenshot script."""
    app = BillingApp(content or load_content(content_dir), lang, flow=flow, ascii_only=ascii_only)
    app.kiosk = kiosk
    if theme:
        app.theme = theme
    return app
