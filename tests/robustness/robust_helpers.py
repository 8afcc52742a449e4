"""Helpers for tests/robustness: the screen-matches-machine invariant, content copies, a TOML writer, a CLI runner."""

from __future__ import annotations

import contextlib
import io
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from textual.command import CommandPalette
from textual.dom import DOMNode
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input
from toml_writer import toml_dumps  # noqa: F401  (re-exported to the robustness tests)

from billing_tui.flow import Wizard, builtin_content_dir
from billing_tui.ui.app import BillingApp
from billing_tui.ui.screens.base import WizardScreen
from billing_tui.ui.screens.email import EmailScreen
from billing_tui.ui.screens.flow import FLOW_SCREENS, FlowScreen
from billing_tui.ui.screens.help import HelpScreen
from billing_tui.ui.screens.history import HistoryScreen
from billing_tui.ui.screens.home import HomeScreen
from billing_tui.ui.screens.save import SaveDialog
from billing_tui.ui.state_content import ACTION_PREFIX
from billing_tui.ui.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen
from billing_tui.ui.widgets.state_list import StateList

REPO = Path(__file__).resolve().parents[2]
MODALS = (HelpScreen, SaveDialog, EmailScreen, HistoryScreen, CommandPalette)


def copy_content(destination: Path) -> Path:
    """Copy the built-in content directory to destination and return it."""
    shutil.copytree(builtin_content_dir(), destination)
    return destination


# -- the invariant the key and resize fuzzers check after every step --------------------------


def replayed(wizard: Wizard) -> Wizard:
    """The same walk rebuilt through the public moves from the flow's start (raises if any answer is illegal)."""
    fresh = Wizard(wizard.guide)
    if wizard.flow_id is None:
        assert wizard.answers == ()
        return fresh
    fresh = fresh.start(wizard.flow_id)
    for choice_id in wizard.answers:
        assert choice_id in fresh.valid_moves, (choice_id, fresh.valid_moves)
        fresh = fresh.choose(choice_id)
    return fresh


def expected_screen_class(wizard: Wizard) -> type[WizardScreen]:
    """The screen class FLOWS.md's state calls for: home, or the flow's own screen."""
    if wizard.flow_id is None:
        return HomeScreen
    return FLOW_SCREENS.get(wizard.flow_id, FlowScreen)


def option_ids(choice_list: StateList) -> tuple[str | None, ...]:
    """The ids of a state list's options (below its text), in order."""
    return tuple(choice_list.choice_ids)


def base_screen(app: BillingApp) -> WizardScreen:
    """The one wizard screen in the stack (modals may sit above it)."""
    bases = [screen for screen in app.screen_stack if isinstance(screen, WizardScreen)]
    assert len(bases) == 1, [type(s).__name__ for s in app.screen_stack]
    return bases[0]


def shown_in_body(widget: Widget) -> bool:
    """Whether the widget is displayed inside the screen's #body (the body itself may be hidden while too small)."""
    node: DOMNode | None = widget
    while node is not None and node.id != "body":
        if isinstance(node, Widget) and not node.display:
            return False
        node = node.parent
    return node is not None


def assert_screen_matches(app: BillingApp) -> None:
    """The machine's state is legal and the screen shows exactly home, one question with its choices, or a verdict."""
    wizard = app.wizard
    again = replayed(wizard)
    assert again.node == wizard.node and again.steps == wizard.steps
    base = base_screen(app)
    stack = list(app.screen_stack)
    above = stack[stack.index(base) + 1 :]
    # The too-small notice over a dialog: on top, only while too small, and always there then (ui/too_small.py).
    notices = [s for s in above if isinstance(s, TooSmallScreen)]
    small = app.size.width < MIN_WIDTH or app.size.height < MIN_HEIGHT
    assert len(notices) <= 1 and (not notices or above[-1] is notices[0]), [type(s).__name__ for s in stack]
    assert not notices or small, (app.size, [type(s).__name__ for s in stack])
    above = [s for s in above if not isinstance(s, TooSmallScreen)]
    assert not (small and above) or notices, (app.size, [type(s).__name__ for s in stack])
    # At most one dialog, plus the command palette over it.
    dialogs = [s for s in above if not isinstance(s, CommandPalette)]
    assert len(dialogs) <= 1 and len(above) - len(dialogs) <= 1, [type(s).__name__ for s in stack]
    assert all(isinstance(s, MODALS) for s in above), [type(s).__name__ for s in stack]
    assert type(base) is expected_screen_class(wizard), (type(base).__name__, wizard.flow_id)
    lists = [found for found in base.query("#choices").results(StateList) if shown_in_body(found)]
    assert len(lists) == 1, len(lists)
    shown, text = lists[0], lists[0].text
    assert base.shown == wizard and text is not None
    if wizard.at_home:
        assert option_ids(shown) == wizard.valid_moves == wizard.guide.flow_ids
        assert wizard.guide.home.title in text.plain
    elif wizard.question is not None:
        assert option_ids(shown) == wizard.valid_moves
        assert wizard.question.prompt in text.plain
    else:
        assert wizard.verdict is not None
        assert all(str(option_id).startswith(ACTION_PREFIX) for option_id in option_ids(shown))
        assert wizard.verdict.title in text.plain
    assert_size_notice(app, base)


def is_too_small(app: BillingApp) -> bool:
    """Whether the terminal is below the documented minimum (40x12)."""
    width, height = app.size
    return width < MIN_WIDTH or height < MIN_HEIGHT


def assert_size_notice(app: BillingApp, base: WizardScreen) -> None:
    """The too-small notice is shown exactly when the terminal is below 40x12, and hides the wizard while it is."""
    small = is_too_small(app)
    assert base.has_class("-too-small") == small, (app.size, base.classes)
    assert base.query_one("#too-small").display == small
    assert base.query_one("#body").display == (not small)


def all_inputs(app: BillingApp) -> list[Input]:
    """Every Input widget on every screen of the stack."""
    return [widget for screen in app.screen_stack for widget in screen.query(Input)]


def top_is_modal(app: BillingApp) -> bool:
    """Whether a dialog is open above the wizard screen."""
    return isinstance(app.screen, ModalScreen)


# -- the command line, in-process -----------------------------------------------------------


def run_cli(argv: Sequence[str], stdin: str | None = None) -> tuple[int, str, str]:
    """Run billing_tui.cli.run(argv) in this process; return (exit code, stdout, stderr)."""
    from billing_tui import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.run(list(argv))
        except SystemExit as exc:  # argparse errors and --help exit this way
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Pause the pilot until condition holds (bounded: fails after timeout seconds)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never held"
        await pilot.pause(0.02)
