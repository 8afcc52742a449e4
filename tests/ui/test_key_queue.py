"""Typed-ahead keys: a burst posted at once ends in the same state as the same keys typed one at a time."""

from __future__ import annotations

import asyncio
from pathlib import Path
from time import monotonic

import pytest
from textual.widgets import Input
from typing_keys import Step, app_state, burst, keys_of, sequence_text, settled, type_slowly
from ui_helpers import settle

from billing_tui.flow import Content, Wizard
from billing_tui.flow.transcript import to_markdown
from billing_tui.ui import key_queue
from billing_tui.ui.app import create_app
from billing_tui.ui.screens.email import EmailScreen
from billing_tui.ui.screens.home import HomeScreen
from billing_tui.ui.settle import wait_settled

NAME, ADDRESS, REQUEST = "Maria Silva", "maria@example.com", "Add 3 licenses"
EMAIL_KEYS = [*keys_of(NAME), "tab", *keys_of(ADDRESS), "tab", *keys_of(REQUEST)]


async def burst_and_slow(
    content: Content, steps: list[Step | str], flow: str | None = None, before: tuple[str, ...] = (), lang: str = "en"
) -> tuple[dict[str, object], dict[str, object]]:
    """The app state after steps sent in one burst, and after the same steps typed one at a time."""
    states = []
    for typist in ("burst", "slow"):
        app = create_app(lang, content=content, flow=flow)
        async with app.run_test(size=(80, 24)) as pilot:
            await type_slowly(pilot, before)
            if typist == "burst":
                burst(app, steps)
                await settled(pilot)
            else:
                await type_slowly(pilot, steps)
            states.append(app_state(app))
    return states[0], states[1]


async def test_a_burst_fills_each_email_field_in_turn(content: Content) -> None:
    """Name Tab address Tab request in one burst: each text lands in its own field, as typed slowly."""
    app = create_app("en", content=content, flow="admin-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "e")
        await settle(pilot, "#name")
        burst(app, EMAIL_KEYS)
        await settled(pilot)
        assert isinstance(app.screen, EmailScreen)
        values = {field.id: field.value for field in app.screen.query(Input)}
        assert values == {"name": NAME, "address": ADDRESS, "request": REQUEST}
        assert app.focused is not None and app.focused.id == "request"


async def test_a_digit_then_down_and_enter_answer_the_new_screen(content: Content) -> None:
    """2 Down Enter on home: the flow starts, Down moves on its question and Enter answers it (none is lost)."""
    burst_state, slow_state = await burst_and_slow(content, ["2", "down", "enter"])
    assert burst_state == slow_state
    assert burst_state["flow"] == "admin-center"
    wizard = Wizard(content.guide("en")).start("admin-center")
    second = wizard.question.choices[1].id if wizard.question else None
    assert burst_state["answers"] == (second,)


async def test_the_save_dialog_gets_the_whole_path_before_enter(content: Content, tmp_path: Path) -> None:
    """Ctrl+U ./burst.md Enter in one burst saves to burst.md (not "no file name given") and closes the dialog."""
    monkey = pytest.MonkeyPatch()
    monkey.chdir(tmp_path)
    try:
        app = create_app("en", content=content, flow="billing-center")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("1", "s")
            await settle(pilot, "#path")
            burst(app, ["ctrl+u", *keys_of("./burst.md"), "enter"])
            await settled(pilot)
            assert not app.screen.query("#path"), "the dialog closed after saving"
            saved = tmp_path / "burst.md"
            assert saved.read_text(encoding="utf-8") == to_markdown(app.wizard)
    finally:
        monkey.undo()


BURSTS: dict[str, tuple[str | None, list[Step | str]]] = {
    "home-digits-and-back": (None, ["1", "2", "b", "b", "2", "1"]),
    "flow-to-verdict-and-restart": ("billing-center", ["2", "2", "r", "1"]),
    "language-then-answer": ("admin-center", ["l", "3", "down", "enter"]),
    "history-pick": ("billing-center", ["2", "2", "h", "down", "enter", "1"]),
    "help-open-close-answer": ("billing-center", ["question_mark", "escape", "2", "1"]),
    "help-then-quit-key-closes-it": (None, ["question_mark", "q", "2"]),
    "palette-theme": (None, ["ctrl+p", *keys_of("theme"), "enter", "1"]),
    "palette-closed-then-keys": ("admin-center", ["ctrl+p", "escape", "1", "b", "down"]),
    "email-enter-through-fields": ("admin-center", ["2", "e", *keys_of("Ana"), "enter", *keys_of("a@b.co"), "enter"]),
    "save-cancel-then-answer": ("billing-center", ["2", "s", "escape", "b", "1"]),
    "paste-after-tab": ("admin-center", ["2", "e", ("paste", "Ana"), "tab", ("paste", "a@b.co"), "tab", "x"]),
}


@pytest.mark.parametrize("name", list(BURSTS))
async def test_a_burst_ends_where_slow_typing_does(content: Content, tmp_path: Path, name: str) -> None:
    """Home, flow and verdict screens, history, help, palette, e-mail and save dialogs: burst == slow."""
    flow, steps = BURSTS[name]
    monkey = pytest.MonkeyPatch()
    monkey.chdir(tmp_path)
    try:
        burst_state, slow_state = await burst_and_slow(content, steps, flow=flow)
    finally:
        monkey.undo()
    assert burst_state == slow_state, sequence_text(steps)


async def test_a_key_whose_effects_never_settle_is_released_after_the_bound(
    content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a worker that never ends, held keys still go, each after MAX_HOLD: typing never deadlocks."""
    monkeypatch.setattr(key_queue, "MAX_HOLD", 0.3)
    app = create_app("en", content=content)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, "#choices")
        app.run_worker(asyncio.Event().wait(), exclusive=False)  # never finishes
        burst(app, ["2", "down", "enter"])
        deadline = monotonic() + 20
        while (app.typing_ahead or app.wizard.at_home) and monotonic() < deadline:
            await pilot.pause(0.05)
        assert app.wizard.flow_id == "admin-center" and len(app.wizard.answers) == 1
        assert not app.typing_ahead


async def test_settled_means_the_pushed_screen_is_composed_and_focused(content: Content) -> None:
    """wait_settled returns once the screen a key switched to has its widgets and its focus, as the next key needs."""
    app = create_app("en", content=content)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, "#choices")
        assert isinstance(app.screen, HomeScreen)
        burst(app, ["1"])
        await asyncio.sleep(0)
        assert await wait_settled(app, timeout=20)
        assert app.wizard.flow_id == "billing-center"
        assert app.focused is not None and app.focused.id == "choices"
        assert app.focused.screen is app.screen and not isinstance(app.screen, HomeScreen)
