"""Moving around: back (Backspace and b), restart, the history list (BackTo) and the language switch."""

from __future__ import annotations

import pytest
from ui_helpers import LANGS, Recorder, highlighted_id, question, screen_text, settle, squash, widget_text

from billing_tui.flow import Content
from billing_tui.ui import messages
from billing_tui.ui.app import create_app
from billing_tui.ui.screens.flow import AdminCenterScreen, BillingCenterScreen
from billing_tui.ui.screens.history import HistoryScreen
from billing_tui.ui.screens.home import HomeScreen
from billing_tui.ui.widgets.state_list import StateList

langs = pytest.mark.parametrize("lang", LANGS)


@pytest.mark.parametrize("lang, key", [("pt-BR", "backspace"), ("en", "b")])
async def test_back_from_a_verdict_then_a_question_then_the_first_question(
    content: Content, lang: str, key: str
) -> None:
    """Each back press (Backspace or b) posts Back and undoes one answer; from the first question it returns home."""
    recorder = Recorder()
    app = create_app(lang=lang, content=content, flow="billing-center")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await pilot.press("2", "1")
        assert app.wizard.verdict is not None and app.wizard.verdict.id == "standard-account"
        await pilot.press(key)
        assert app.wizard.answers == ("invalid-page",) and app.wizard.verdict is None
        my_account = question(content, lang, "billing-center", "my-account")
        assert isinstance(app.screen, BillingCenterScreen)
        assert my_account.title in screen_text(app)
        await pilot.press(key)
        assert app.wizard.answers == () and app.wizard.question is not None
        assert app.wizard.question.id == "outcome"
        await pilot.press(key)
        await pilot.pause()
        assert app.wizard.at_home and isinstance(app.screen, HomeScreen)
        assert content.guide(lang).home.title in screen_text(app)
        assert len(recorder.of(messages.Back)) == 3


async def test_back_at_home_stays_home(content: Content) -> None:
    """Home is the start: back changes nothing."""
    app = create_app(lang="en", content=content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("backspace", "b")
        assert app.wizard.at_home and isinstance(app.screen, HomeScreen)


async def test_back_returns_the_highlight_to_the_first_choice(content: Content) -> None:
    """After going back, the question is shown afresh with its first choice highlighted and focused."""
    app = create_app(lang="en", content=content, flow="admin-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "3", "b")
        choices = await settle(pilot)
        assert highlighted_id(choices) == question(content, "en", "admin-center", "outcome").choices[0].id


@langs
async def test_restart_returns_home(content: Content, lang: str) -> None:
    """r posts Restart and forgets every answer."""
    recorder = Recorder()
    app = create_app(lang=lang, content=content, flow="admin-center")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await pilot.press("3", "1", "r")
        await pilot.pause()
        assert len(recorder.of(messages.Restart)) == 1
        assert app.wizard.at_home and app.wizard.answers == ()
        assert isinstance(app.screen, HomeScreen)
        assert content.guide(lang).home.prompt in screen_text(app)


@langs
async def test_history_lists_the_answers_and_goes_back_to_one(content: Content, lang: str) -> None:
    """h lists each answered question with its answer; picking the second posts BackTo(1)."""
    recorder = Recorder()
    app = create_app(lang=lang, content=content, flow="billing-center")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await pilot.press("2", "2", "1", "h")
        assert isinstance(app.screen, HistoryScreen)
        await settle(pilot, "#steps")
        assert content.guide(lang).text("history_title") in screen_text(app)
        shown = squash(widget_text(app, app.screen.query_one("#steps")))
        for step in app.wizard.steps:
            assert step.question.prompt in shown and step.choice.label in shown
        await pilot.press("down", "enter")
        await pilot.pause()
        assert [m.step_index for m in recorder.of(messages.BackTo)] == [1]
        assert isinstance(app.screen, BillingCenterScreen)
        assert app.wizard.answers == ("invalid-page",)
        assert app.wizard.question is not None and app.wizard.question.id == "my-account"


async def test_history_closes_with_the_keys_its_hint_names(content: Content) -> None:
    """Every key the hint names (Esc, q, ? or F1) and h close the list and change nothing."""
    app = create_app(lang="en", content=content, flow="admin-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "h")
        assert "Esc, q, ? or F1: close" in screen_text(app)
        for close in ("escape", "question_mark", "f1", "h", "q"):
            assert isinstance(app.screen, HistoryScreen)
            await pilot.press(close)
            assert isinstance(app.screen, AdminCenterScreen) and app.is_running, close
            await pilot.press("h")
        assert app.wizard.verdict is not None and app.wizard.verdict.id == "billing-admin"


async def test_history_at_the_first_question_says_nothing_was_answered(content: Content) -> None:
    """With no answer yet the list is replaced by a sentence saying so."""
    app = create_app(lang="pt-BR", content=content, flow="billing-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        assert content.guide("pt-BR").text("history_empty") in screen_text(app)


@pytest.mark.parametrize(
    "lang, answers",
    [("pt-BR", ("invalid-page",)), ("en", ("invalid-page", "corporate-portal", "logged-in"))],
    ids=["question-pt-BR", "verdict-en"],
)
async def test_language_switch_keeps_the_position(content: Content, lang: str, answers: tuple[str, ...]) -> None:
    """l posts SwitchLanguage: same flow, answers and verdict, the other language's words; l again switches back."""
    recorder = Recorder()
    app = create_app(lang=lang, content=content, flow="billing-center")
    other = next(code for code in LANGS if code != lang)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        for answer in answers:
            await pilot.press(str(app.wizard.question.choice_ids.index(answer) + 1))  # type: ignore[union-attr]
        before = app.wizard
        await pilot.press("l")
        await pilot.pause()
        after = app.wizard
        assert len(recorder.of(messages.SwitchLanguage)) == 1
        assert after.guide.lang == other
        assert (after.flow_id, after.answers) == (before.flow_id, before.answers)
        assert (after.verdict and after.verdict.id) == (before.verdict and before.verdict.id)
        assert (after.question and after.question.id) == (before.question and before.question.id)
        assert isinstance(app.screen, BillingCenterScreen)
        shown = squash(screen_text(app))
        node = after.verdict or after.question
        old_node = before.verdict or before.question
        assert node is not None and old_node is not None
        assert node.title in shown and old_node.title not in shown
        assert f"· {other}" in shown
        await pilot.press("l")
        assert app.wizard == before


async def test_language_switch_at_home_keeps_home(content: Content) -> None:
    """On home, l shows home in the other language, with the list still focused."""
    app = create_app(lang="pt-BR", content=content)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)  # the new list has the focus
        assert app.wizard.at_home and app.wizard.guide.lang == "en"
        assert isinstance(app.screen, HomeScreen)
        assert content.guide("en").home.title in screen_text(app)


async def test_question_panel_shows_steps_prompt_and_numbered_choices(content: Content) -> None:
    """A question shows the article's steps with the URL, the prompt and every choice numbered."""
    app = create_app(lang="pt-BR", content=content, flow="admin-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        outcome = question(content, "pt-BR", "admin-center", "outcome")
        shown = squash(screen_text(app))
        assert app.screen.query_one(StateList).choice_ids == [choice.id for choice in outcome.choices]
        assert "https://admin.logmeininc.com" in shown and outcome.prompt in shown
        for number, choice in enumerate(outcome.choices, 1):
            assert f"{number} {choice.label}" in shown
