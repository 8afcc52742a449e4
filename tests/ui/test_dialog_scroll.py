"""The help and history dialogs at small sizes (their body scrolls, the close hint stays), 1–9 in history, q in help."""

from __future__ import annotations

from typing import Any, TypeVar

import pytest
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widget import Widget
from ui_helpers import LANGS, Recorder, screen_text, settle, squash

from billing_tui.flow import Content
from billing_tui.kiosk import text_key
from billing_tui.ui import messages
from billing_tui.ui.app import BillingApp, create_app
from billing_tui.ui.screens.flow import BillingCenterScreen
from billing_tui.ui.screens.help import HELP_KEYS, HelpScreen
from billing_tui.ui.screens.history import HistoryScreen

M = TypeVar("M", bound=Message)
langs = pytest.mark.parametrize("lang", LANGS)
# The app's minimum (40x12) and a few short sizes above it; 80x24 is covered by the snapshot tests.
SIZES = [(40, 12), (44, 13), (60, 12), (50, 14)]
sizes = pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
# Three answers fill the history list from about 14 rows down at 60 columns, from 13 at 44.
HISTORY_SIZES = [(40, 12), (44, 13)]
history_sizes = pytest.mark.parametrize("size", HISTORY_SIZES, ids=[f"{w}x{h}" for w, h in HISTORY_SIZES])


def shown(app: BillingApp) -> str:
    """The whole screen, wrapped lines joined, to look for sentences."""
    return squash(screen_text(app))


def inside(app: BillingApp, widget: Widget) -> str:
    """What the screen shows in one widget's scrolling content (its scrollbar left out), wrapped lines joined."""
    region = widget.scrollable_content_region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return squash("\n".join(row[region.x : region.right] for row in rows))


def since(recorder: Recorder, mark: int, kind: type[M]) -> list[M]:
    """The messages of one kind recorded after the first mark ones (Recorder.clear may drop new messages whose id
    an old, collected one had)."""
    return [m for m in recorder.messages[mark:] if isinstance(m, kind)]


def notices(recorder: Recorder, mark: int) -> list[str]:
    """The notifications raised after the first mark recorded messages."""
    return [m.notification.message for m in since(recorder, mark, Notify)]


async def scroll_through(pilot: Pilot[Any], body: Widget, key: str, presses: int = 40) -> str:
    """Press key until the screen stops changing (at most presses times); return all the body showed on the way."""
    app = pilot.app
    assert isinstance(app, BillingApp)
    seen = [inside(app, body)]
    for _ in range(presses):
        before = app.export_screenshot()  # styles too: a list's highlight can move with no text changing
        await pilot.press(key)
        await pilot.pause()
        seen.append(inside(app, body))
        if app.export_screenshot() == before:
            break
    return " ".join(seen)


# -- help: the body scrolls by keyboard, the close hint is always on screen ---------------------------


@langs
@sizes
@pytest.mark.parametrize("kiosk", [False, True], ids=["plain", "kiosk"])
async def test_help_shows_every_entry_by_keyboard_and_always_its_close_hint(
    content: Content, lang: str, size: tuple[int, int], kiosk: bool
) -> None:
    """End brings the last entry into view, Home the first, and Down or PageDown walk past every entry between."""
    guide = content.guide(lang)
    keys = (*HELP_KEYS, "help_kiosk") if kiosk else HELP_KEYS
    entries = [guide.text(text_key(key, kiosk)) for key in keys]
    app = create_app(lang=lang, content=content, kiosk=kiosk)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        body = await settle(pilot, ".dialog-body")
        assert isinstance(app.screen, HelpScreen)
        close = guide.text("help_close")
        assert close in shown(app) and guide.text("help_title") in shown(app)
        assert entries[0] in inside(app, body)
        await pilot.press("end")
        await pilot.pause()
        assert entries[-1] in inside(app, body), "End shows the last entry"
        assert close in shown(app)
        await pilot.press("home")
        await pilot.pause()
        assert entries[0] in inside(app, body), "Home shows the first entry again"
        for forward, backward in (("down", "up"), ("pagedown", "pageup")):
            walked = await scroll_through(pilot, body, forward)
            assert close in shown(app), forward
            for entry in entries:
                assert entry in walked, f"{forward} never showed {entry!r}"
            await scroll_through(pilot, body, backward)
            assert entries[0] in inside(app, body), backward


async def test_help_at_40x12_first_shows_the_close_hint_and_end_shows_quit(content: Content) -> None:
    """The tester's case: at 40x12 the close line is on screen at once, and End reaches "q or Ctrl+Q: quit"."""
    guide = content.guide("en")
    app = create_app(lang="en", content=content)
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot, ".dialog-body")
        lines = screen_text(app).splitlines()
        assert guide.text("help_close") in lines[-2]  # the row above the dialog's bottom border
        assert guide.text("help_quit") not in shown(app)
        await pilot.press("end")
        await pilot.pause()
        assert guide.text("help_quit") in shown(app)
        assert guide.text("help_close") in screen_text(app).splitlines()[-2]


# -- help: q quits as it does everywhere, the close line names the keys that close --------------------


@langs
async def test_the_help_closes_with_every_key_its_close_line_names(content: Content, lang: str) -> None:
    """Esc, q, ? and F1 (the close line's keys) close the help and change nothing; the app runs on."""
    guide = content.guide(lang)
    close_keys = guide.text("help_close").split(":")[0].replace(",", " ").split()
    assert {"Esc", "q", "?", "F1"} <= set(close_keys)
    app = create_app(lang=lang, content=content, flow="billing-center")
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        for key in ("escape", "q", "question_mark", "f1"):
            await pilot.press("question_mark")
            await settle(pilot, ".dialog-body")
            assert guide.text("help_close") in shown(app)
            await pilot.press(key)
            await settle(pilot)
            assert app.is_running and not isinstance(app.screen, HelpScreen), key
        assert app.wizard.flow_id == "billing-center" and not app.wizard.steps


# -- history: the list scrolls, the close hint is always on screen -----------------------------------


@langs
@history_sizes
async def test_history_shows_every_entry_by_keyboard_and_always_its_close_hint(
    content: Content, lang: str, size: tuple[int, int]
) -> None:
    """With three answers, End reaches the third entry whole and Home the first; the hint never leaves."""
    app = create_app(lang=lang, content=content, flow="billing-center")
    async with app.run_test(size=size) as pilot:
        await pilot.press("2", "2", "2")
        await settle(pilot)
        steps = app.wizard.steps
        assert len(steps) == 3
        await pilot.press("h")
        body = await settle(pilot, "#steps")
        assert isinstance(app.screen, HistoryScreen)
        close = content.guide(lang).text("history_close")
        assert close in shown(app)
        assert f"1 {steps[0].question.prompt}" in inside(app, body)
        await pilot.press("end")
        await pilot.pause()
        assert f"3 {steps[2].question.prompt} {steps[2].choice.label}" in inside(app, body)
        assert close in shown(app)
        await pilot.press("home")
        await pilot.pause()
        assert f"1 {steps[0].question.prompt} {steps[0].choice.label}" in inside(app, body)
        for forward in ("down", "pagedown"):
            walked = await scroll_through(pilot, body, forward)
            for n, step in enumerate(steps, 1):
                assert f"{n} {step.question.prompt} {step.choice.label}" in walked, (forward, n)
            assert close in shown(app), forward
            await scroll_through(pilot, body, "home", presses=1)


# -- history: 1–9 pick the entry with that number ----------------------------------------------------


@pytest.mark.parametrize("number", [1, 2, 3])
async def test_a_number_in_history_goes_back_to_that_question_as_moving_there_and_enter_do(
    content: Content, number: int
) -> None:
    """n posts BackTo(n-1) and shows question n, the same state that n-1 Downs and Enter reach."""
    results = {}
    for way in ("number", "arrows"):
        recorder = Recorder()
        app = create_app(lang="pt-BR", content=content, flow="billing-center")
        async with app.run_test(size=(40, 12), message_hook=recorder) as pilot:
            await pilot.press("2", "2", "2")
            await settle(pilot)
            before = app.wizard
            await pilot.press("h")
            await settle(pilot, "#steps")
            mark = len(recorder.messages)
            keys = [str(number)] if way == "number" else [*["down"] * (number - 1), "enter"]
            await pilot.press(*keys)
            await settle(pilot)
            assert [m.step_index for m in since(recorder, mark, messages.BackTo)] == [number - 1], way
            assert isinstance(app.screen, BillingCenterScreen), way
            wanted = before.steps[number - 1].question
            assert app.wizard.question == wanted, way
            assert wanted.prompt in shown(app), (
                way
            )  # at 40x12 the first choice is scrolled into view, its prompt above it
            results[way] = app.wizard
    assert results["number"] == results["arrows"]


@pytest.mark.parametrize("lang", LANGS)
async def test_a_number_past_the_history_says_so_as_a_flow_screen_does_and_changes_nothing(
    content: Content, lang: str
) -> None:
    """4 or 9 with three entries: the notice the flow screens give for a missing number; the list stays open."""
    guide = content.guide(lang)
    recorder = Recorder()
    app = create_app(lang=lang, content=content, flow="billing-center")
    async with app.run_test(size=(40, 12), message_hook=recorder) as pilot:
        await pilot.press("2", "2")
        await settle(pilot)
        mark = len(recorder.messages)
        await pilot.press("9")  # the flow screen, at a question with three choices
        await settle(pilot)
        assert notices(recorder, mark) == [guide.text("no_such_choice", n=9)]
        await pilot.press("h")
        await settle(pilot, "#steps")
        before = app.wizard
        assert len(before.steps) == 2
        mark = len(recorder.messages)
        await pilot.press("3", "9")
        await settle(pilot, "#steps")
        assert notices(recorder, mark) == [guide.text("no_such_choice", n=3), guide.text("no_such_choice", n=9)]
        assert not since(recorder, mark, messages.BackTo)
        assert isinstance(app.screen, HistoryScreen) and app.wizard == before


async def test_a_number_in_an_empty_history_says_so(content: Content) -> None:
    """At the first question the list is empty: 1 gives the missing-number notice and the dialog stays."""
    recorder = Recorder()
    app = create_app(lang="en", content=content, flow="billing-center")
    async with app.run_test(size=(40, 12), message_hook=recorder) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        mark = len(recorder.messages)
        await pilot.press("1")
        await pilot.pause()
        assert notices(recorder, mark) == [content.guide("en").text("no_such_choice", n=1)]
        assert isinstance(app.screen, HistoryScreen) and not app.wizard.steps
