"""Every FLOWS.md path through the app, by digits and by moving the highlight, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ui_helpers import (
    KIND_SYMBOLS,
    LANGS,
    PATHS,
    SCREEN_CLASSES,
    VERDICT_KINDS,
    Recorder,
    choice_numbers,
    flow_number,
    path_id,
    settle,
    squash,
    widget_text,
)

from billing_tui.flow import Content
from billing_tui.ui import messages
from billing_tui.ui.app import BillingApp, create_app
from billing_tui.ui.widgets.state_list import StateList

FLOWS_MD = Path(__file__).resolve().parents[2] / "docs" / "design" / "FLOWS.md"

langs = pytest.mark.parametrize("lang", LANGS)
paths = pytest.mark.parametrize("path", PATHS, ids=[path_id(p) for p in PATHS])


def test_the_paths_are_those_of_flows_md() -> None:
    """The paths walked here are exactly the list at the end of FLOWS.md (vendored in docs/design/)."""
    section = FLOWS_MD.read_text(encoding="utf-8").split("## Paths a test must cover", 1)[1]
    listed = re.findall(r"^- ([a-z-]+): `([a-z -]+)` → `([a-z-]+)`$", section, flags=re.MULTILINE)
    assert [(flow, tuple(answers.split()), verdict) for flow, answers, verdict in listed] == list(PATHS)


def assert_verdict_shown(app: BillingApp, content: Content, lang: str, flow_id: str, verdict_id: str) -> None:
    """The machine reached the verdict, and the flow's screen shows its title, kind word and symbol."""
    assert app.wizard.verdict is not None and app.wizard.verdict.id == verdict_id
    assert type(app.screen).__name__ == SCREEN_CLASSES[flow_id]
    verdict = content.guide(lang).verdict(verdict_id)
    shown = widget_text(app, app.screen.query_one(StateList))
    badge = f"{KIND_SYMBOLS[VERDICT_KINDS[verdict_id]]} {verdict.kind_label}"
    assert badge in shown
    assert verdict.title in squash(shown)


@langs
@paths
async def test_path_by_digits(content: Content, lang: str, path: tuple[str, tuple[str, ...], str]) -> None:
    """From home, digit keys pick the flow and each answer; each digit posts ChooseNumber(n)."""
    flow_id, answers, verdict_id = path
    numbers = [flow_number(content, lang, flow_id), *choice_numbers(content, lang, flow_id, answers)]
    recorder = Recorder()
    app = create_app(lang=lang, content=content)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await pilot.press(*map(str, numbers))
        await pilot.pause()
        assert [m.number for m in recorder.of(messages.ChooseNumber)] == numbers
        assert app.wizard.flow_id == flow_id and app.wizard.answers == answers
        assert_verdict_shown(app, content, lang, flow_id, verdict_id)


@langs
@paths
async def test_path_by_moving_the_highlight(
    content: Content, lang: str, path: tuple[str, tuple[str, ...], str]
) -> None:
    """Down (pt-BR) or j (en) and Enter pick each answer; each Enter posts Choose with the option's id."""
    flow_id, answers, verdict_id = path
    down = "down" if lang == "pt-BR" else "j"
    recorder = Recorder()
    app = create_app(lang=lang, content=content, flow=flow_id)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        for number in choice_numbers(content, lang, flow_id, answers):
            await settle(pilot)  # the new question's list has the focus
            await pilot.press(*[down] * (number - 1), "enter")
        await settle(pilot)
        assert [m.choice_id for m in recorder.of(messages.Choose)] == list(answers)
        assert not recorder.of(messages.ChooseNumber)
        assert_verdict_shown(app, content, lang, flow_id, verdict_id)


@langs
@pytest.mark.parametrize("down, up", [("down", "up"), ("j", "k")])
async def test_home_highlight_and_enter_start_a_flow(content: Content, lang: str, down: str, up: str) -> None:
    """On home, moving down twice and up once lands on the second flow; Enter posts StartFlow with its id."""
    recorder = Recorder()
    app = create_app(lang=lang, content=content)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await settle(pilot)
        await pilot.press(down, down, up, "enter")
        await settle(pilot)
        second = content.guide(lang).flow_ids[1]
        assert [m.flow_id for m in recorder.of(messages.StartFlow)] == [second]
        assert app.wizard.flow_id == second and app.wizard.question is not None
        assert type(app.screen).__name__ == SCREEN_CLASSES[second]
