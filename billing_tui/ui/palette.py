"""Command palette entries (Ctrl+P), localized: start a flow, back, jump back, restart, language, theme, copy, save."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.screen import Screen

from billing_tui.kiosk import text_key
from billing_tui.ui import messages
from billing_tui.ui.screens.base import WizardScreen

if TYPE_CHECKING:
    from billing_tui.ui.app import BillingApp


def _command(title: str, help_text: str, callback: Callable[..., object]) -> SystemCommand:
    """A palette entry showing content literally: Textual parses titles and help as markup, so '[' is escaped."""
    return SystemCommand(title.replace("[", "\\["), help_text.replace("[", "\\["), callback)


def palette_commands(app: BillingApp, screen: Screen[object]) -> Iterator[SystemCommand]:
    """Yield the commands that make sense for the app's current state."""
    wizard = app.wizard
    g = wizard.guide
    for flow in g.flows:
        yield _command(
            g.text("cmd_start", flow=flow.label),
            g.text("cmd_start_help"),
            lambda flow_id=flow.id: app.post_message(messages.StartFlow(flow_id)),
        )
    if not wizard.at_home:
        yield _command(g.text("cmd_back"), g.text("cmd_back_help"), lambda: app.post_message(messages.Back()))
    for index, step in enumerate(wizard.steps):
        yield _command(
            g.text("cmd_back_to", n=index + 1, question=step.question.prompt),
            g.text("cmd_back_to_help"),
            lambda i=index: app.post_message(messages.BackTo(i)),
        )
    yield _command(g.text("cmd_restart"), g.text("cmd_restart_help"), lambda: app.post_message(messages.Restart()))
    other = app.next_lang()
    yield _command(
        g.text("cmd_language", language=app.content.guide(other).language_name),
        g.text("cmd_language_help"),
        lambda: app.post_message(messages.SwitchLanguage()),
    )
    yield _command(g.text("cmd_theme", theme=app.next_theme()), g.text("cmd_theme_help"), app.cycle_theme)
    if isinstance(screen, WizardScreen):
        if wizard.verdict is not None:
            yield _command(g.text("cmd_copy"), g.text("cmd_copy_help"), screen.action_copy)
        if not wizard.at_home:
            save, save_help = (text_key(key, app.kiosk) for key in ("cmd_save", "cmd_save_help"))
            yield _command(g.text(save), g.text(save_help), screen.action_save)
    yield _command(g.text("cmd_quit"), g.text("cmd_quit_help"), lambda: app.exit(0))
