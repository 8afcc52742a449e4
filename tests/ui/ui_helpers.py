"""Shared data and helpers for tests/ui: the contract's paths, a message recorder and the screen read back as text."""

from __future__ import annotations

import html
import re
from time import monotonic
from typing import Any, TypeVar

from contract import KIND_SYMBOLS, LANGS, PATHS, VERDICT_KINDS  # noqa: F401  (re-exported to the ui tests)
from textual.app import App
from textual.message import Message
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import OptionList

from billing_tui.flow import Content, Question, Wizard
from billing_tui.ui.app import BillingApp
from billing_tui.ui.screens.base import WizardScreen
from billing_tui.ui.settle import wait_settled

SCREEN_CLASSES = {"billing-center": "BillingCenterScreen", "admin-center": "AdminCenterScreen"}


def path_id(path: tuple[str, tuple[str, ...], str]) -> str:
    """A readable pytest id for one contract path."""
    return f"{path[0]}:{'+'.join(path[1])}"


def choice_numbers(content: Content, lang: str, flow_id: str, answers: tuple[str, ...]) -> list[int]:
    """The 1-based position of each answer at its question, as the digit keys pick them."""
    wizard = Wizard(content.guide(lang)).start(flow_id)
    numbers = []
    for answer in answers:
        assert wizard.question is not None
        numbers.append(wizard.question.choice_ids.index(answer) + 1)
        wizard = wizard.choose(answer)
    return numbers


def question(content: Content, lang: str, flow_id: str, question_id: str) -> Question:
    """One question of one flow, in one language."""
    flow = content.guide(lang).flow(flow_id)
    assert flow is not None
    return flow.question(question_id)


def flow_number(content: Content, lang: str, flow_id: str) -> int:
    """The 1-based position of a flow on the home screen."""
    return content.guide(lang).flow_ids.index(flow_id) + 1


M = TypeVar("M", bound=Message)


class Recorder:
    """A run_test message_hook that keeps each message once (a bubbling message reaches several pumps)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self._seen: set[int] = set()

    def __call__(self, message: Message) -> None:
        if id(message) not in self._seen:
            self._seen.add(id(message))
            self.messages.append(message)

    def of(self, kind: type[M]) -> list[M]:
        """The recorded messages of one class, in order."""
        return [m for m in self.messages if isinstance(m, kind)]

    def clear(self) -> None:
        """Forget what was recorded so far (ids stay known, so nothing is recorded twice)."""
        self.messages.clear()


_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
    r'clip-path="url\(#[\w-]+-line-(\d+)\)">([^<]*)</text>'
)
_CELL_WIDTH = 12.2  # Rich's SVG export: one terminal cell is 12.2 units wide.


def screen_lines(app: App[Any]) -> list[str]:
    """What the terminal shows, one string per row, read back from the app's own SVG screenshot."""
    rows: dict[int, dict[int, str]] = {}
    for x, line, text in _TEXT.findall(app.export_screenshot()):
        row = rows.setdefault(int(line), {})
        start = round(float(x) / _CELL_WIDTH)
        for offset, char in enumerate(html.unescape(text).replace("\xa0", " ")):
            row[start + offset] = char
    width, height = app.size
    return ["".join(rows.get(y, {}).get(x, " ") for x in range(width)).rstrip() for y in range(height)]


def screen_text(app: App[Any]) -> str:
    """The whole screen as text, rows joined by newlines."""
    return "\n".join(screen_lines(app))


def widget_text(app: App[Any], widget: Widget) -> str:
    """The text the screen shows inside one widget's region (rows joined by newlines, trailing blanks dropped)."""
    region = widget.region
    lines = screen_lines(app)[region.y : region.y + region.height]
    return "\n".join(line[region.x : region.x + region.width].rstrip() for line in lines)


def highlighted_id(widget: Widget) -> str | None:
    """The id of the option highlighted in a list (a choice, a flow or a verdict's action)."""
    assert isinstance(widget, OptionList), widget
    option = widget.highlighted_option
    return None if option is None else option.id


def squash(text: str) -> str:
    """Text with every run of whitespace (wrapped lines included) as one space, to look for sentences."""
    return " ".join(text.split())


async def settle(pilot: Pilot[Any], selector: str | None = None, timeout: float = 30.0) -> Widget:
    """Wait until the widget the screen means to focus has the focus, and return it.

    Screens focus their new list after a refresh, so under load a key (or a screenshot) can
    otherwise come before it. On a wizard screen the selector defaults to the state's list (its
    choices, or a verdict's actions); on a dialog any match counts. It first waits until no message is pending
    anywhere in the app (billing_tui.ui.settle), so a click's or a key's whole chain of messages
    (a button press that dismisses a dialog, say) has taken effect before the focus is looked at.
    """
    app = pilot.app
    assert isinstance(app, BillingApp)
    deadline = monotonic() + timeout
    await wait_settled(app, timeout)
    while True:
        screen = app.screen
        if isinstance(screen, WizardScreen):
            wanted, scope = selector or "#choices", screen
        else:
            wanted, scope = selector or "*", screen
        focused = app.focused
        if focused is not None and focused in scope.query(wanted):
            await wait_painted(pilot, deadline)
            return focused
        if monotonic() > deadline:
            raise AssertionError(f"{wanted} never got the focus (focused: {focused!r})")
        await pilot.pause(0.01)


def paint_pending(screen: Any) -> bool:
    """Whether the screen still has a layout, scroll or repaint to do: Textual paints on a timer, not a message."""
    return bool(screen._layout_required or screen._scroll_required or screen._repaint_required or screen._dirty_widgets)


async def wait_painted(pilot: Pilot[Any], deadline: float) -> None:
    """Wait until the screen has painted what its messages asked for, so a screenshot or a read sees the final layout.

    A layout that changes a width (a scrollbar coming or going) rewraps text only when the screen's
    update timer fires; under load that can come after the queues are empty.
    """
    while paint_pending(pilot.app.screen) or not await wait_settled(pilot.app, 0.5):
        if monotonic() > deadline:
            raise AssertionError("the screen never finished painting")
        await pilot.pause(0.01)
