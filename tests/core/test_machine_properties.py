"""Properties of the Wizard state machine, checked on random walks over the built-in content in both languages."""

from __future__ import annotations

import attrs
import pytest
from core_helpers import LANGS, VERDICT_KINDS
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from billing_tui.flow import KINDS, Flow, Guide, IllegalMove, Question, Wizard, load_content

CONTENT = load_content()
GUIDES = {lang: CONTENT.guide(lang) for lang in LANGS}
FLOW_IDS = ("billing-center", "admin-center")
# The most questions any walk of each flow answers (FLOWS.md: billing-center outcome -> my-account ->
# corporate-login; admin-center outcome -> corporate-login).
DEPTH = {"billing-center": 3, "admin-center": 2}

PROPERTY = settings(max_examples=200, deadline=None)


def longest_walk(flow: Flow, question: Question) -> int:
    """The most questions answered on any walk from this question to a verdict."""
    deeper = [
        longest_walk(flow, flow.question(choice.target.question))
        for choice in question.choices
        if choice.target.question is not None
    ]
    return 1 + max(deeper, default=0)


def replay(guide: Guide, flow_id: str, answers: tuple[str, ...]) -> Wizard:
    """A wizard reached by starting the flow and choosing these answers one by one."""
    wizard = Wizard(guide).start(flow_id)
    for answer in answers:
        wizard = wizard.choose(answer)
    return wizard


@st.composite
def walks(draw: st.DrawFn, stop_early: bool = True) -> Wizard:
    """A wizard in a flow after random valid answers: at some question, or (always when not stop_early) a verdict."""
    guide = GUIDES[draw(st.sampled_from(LANGS))]
    wizard = Wizard(guide).start(draw(st.sampled_from(FLOW_IDS)))
    while wizard.question is not None:
        if stop_early and draw(st.booleans()):
            break
        wizard = wizard.choose(draw(st.sampled_from(wizard.valid_moves)))
    return wizard


@st.composite
def anywhere(draw: st.DrawFn) -> Wizard:
    """Any reachable state: home, a question or a verdict."""
    if draw(st.integers(0, 5)) == 0:
        return Wizard(GUIDES[draw(st.sampled_from(LANGS))])
    return draw(walks())


def position(wizard: Wizard) -> tuple[object, ...]:
    """Where a wizard is, by ids only (language-neutral)."""
    node = wizard.question.id if wizard.question else wizard.verdict.id if wizard.verdict else None
    steps = tuple((s.question.id, s.choice.id) for s in wizard.steps)
    return (wizard.at_home, wizard.flow_id, wizard.answers, node, steps, wizard.valid_moves)


def other_guide(wizard: Wizard) -> Guide:
    return GUIDES["en" if wizard.guide.lang == "pt-BR" else "pt-BR"]


@pytest.mark.parametrize("lang", LANGS)
def test_depth_of_each_flow(lang: str) -> None:
    guide = GUIDES[lang]
    for flow in guide.flows:
        assert longest_walk(flow, flow.question(flow.start)) == DEPTH[flow.id]


@PROPERTY
@given(st.data())
def test_every_random_walk_ends_at_a_verdict_within_the_depth(data: st.DataObject) -> None:
    guide = GUIDES[data.draw(st.sampled_from(LANGS))]
    flow_id = data.draw(st.sampled_from(FLOW_IDS))
    wizard = Wizard(guide).start(flow_id)
    for _ in range(DEPTH[flow_id]):
        if wizard.verdict is not None:
            break
        assert wizard.question is not None and wizard.valid_moves == wizard.question.choice_ids
        if data.draw(st.booleans()):
            wizard = wizard.choose(data.draw(st.sampled_from(wizard.valid_moves)))
        else:
            wizard = wizard.choose_nth(data.draw(st.integers(1, len(wizard.valid_moves))))
    assert wizard.verdict is not None, wizard.answers
    assert wizard.question is None
    assert wizard.verdict.kind in KINDS
    assert wizard.verdict.kind == VERDICT_KINDS[wizard.verdict.id]
    assert len(wizard.steps) == len(wizard.answers) <= DEPTH[flow_id]
    assert tuple(s.choice.id for s in wizard.steps) == wizard.answers


@PROPERTY
@given(walks(), st.data())
def test_back_after_a_choice_restores_the_earlier_state(wizard: Wizard, data: st.DataObject) -> None:
    if wizard.question is None:
        wizard = wizard.back()
    choice_id = data.draw(st.sampled_from(wizard.valid_moves))
    after = wizard.choose(choice_id)
    assert after != wizard
    restored = after.back()
    assert restored == wizard
    assert restored.question == wizard.question
    assert restored.steps == wizard.steps
    assert position(restored) == position(wizard)


@PROPERTY
@given(st.sampled_from(LANGS), st.sampled_from(FLOW_IDS))
def test_back_from_the_first_question_goes_home(lang: str, flow_id: str) -> None:
    home = Wizard(GUIDES[lang])
    wizard = home.start(flow_id)
    assert wizard.back() == home
    assert wizard.back().at_home and wizard.back().question is None and wizard.back().valid_moves == FLOW_IDS


@PROPERTY
@given(anywhere())
def test_restart_returns_home(wizard: Wizard) -> None:
    home = wizard.restart()
    assert home == Wizard(wizard.guide)
    assert home.at_home and home.answers == () and home.steps == () and home.verdict is None


@PROPERTY
@given(walks())
def test_back_to_equals_replaying_the_first_answers(wizard: Wizard) -> None:
    assert wizard.flow_id is not None
    for index in range(len(wizard.answers)):
        earlier = wizard.back_to(index)
        assert earlier == replay(wizard.guide, wizard.flow_id, wizard.answers[:index])
        assert earlier.question == wizard.steps[index].question
        assert earlier.steps == wizard.steps[:index]
    for bad in (len(wizard.answers), -1, len(wizard.answers) + 3):
        with pytest.raises(IllegalMove):
            wizard.back_to(bad)


@PROPERTY
@given(anywhere())
def test_with_guide_switches_language_keeping_the_position(wizard: Wizard) -> None:
    other = other_guide(wizard)
    switched = wizard.with_guide(other)
    assert switched.guide.lang == other.lang != wizard.guide.lang
    assert position(switched) == position(wizard)
    if switched.verdict is not None:
        assert switched.verdict == other.verdict(switched.verdict.id)
    if switched.question is not None:
        assert switched.question.prompt == other.flow(wizard.flow_id).question(switched.question.id).prompt  # type: ignore[union-attr]
    assert switched.with_guide(wizard.guide) == wizard


@pytest.mark.parametrize("lang", LANGS)
def test_every_verdict_and_question_is_reachable(lang: str) -> None:
    guide = GUIDES[lang]
    seen_verdicts: set[str] = set()
    seen_questions: set[tuple[str, str]] = set()
    frontier = [Wizard(guide).start(flow_id) for flow_id in guide.flow_ids]
    while frontier:
        wizard = frontier.pop()
        if wizard.verdict is not None:
            seen_verdicts.add(wizard.verdict.id)
            continue
        assert wizard.question is not None and wizard.flow_id is not None
        seen_questions.add((wizard.flow_id, wizard.question.id))
        frontier.extend(wizard.choose(choice_id) for choice_id in wizard.valid_moves)
    assert seen_verdicts == {v.id for v in guide.verdicts} == set(VERDICT_KINDS)
    assert seen_questions == {(f.id, q.id) for f in guide.flows for q in f.questions}
    assert seen_questions == {
        ("billing-center", "outcome"),
        ("billing-center", "my-account"),
        ("billing-center", "corporate-login"),
        ("admin-center", "outcome"),
        ("admin-center", "corporate-login"),
    }


@pytest.mark.parametrize("lang", LANGS)
def test_every_question_offers_unsure(lang: str) -> None:
    for flow in GUIDES[lang].flows:
        for question in flow.questions:
            unsure = question.choice("unsure")
            assert unsure is not None and unsure.target.verdict == "unsure", (flow.id, question.id)


# -- illegal moves ---------------------------------------------------------------

ALL_IDS = sorted({c.id for f in GUIDES["pt-BR"].flows for q in f.questions for c in q.choices} | set(FLOW_IDS))


@PROPERTY
@given(walks(), st.one_of(st.sampled_from(ALL_IDS), st.text(max_size=20)))
def test_a_choice_not_offered_is_illegal(wizard: Wizard, choice_id: str) -> None:
    if wizard.question is None:
        wizard = wizard.back()
    assert wizard.question is not None
    assume(choice_id not in wizard.question.choice_ids)
    with pytest.raises(IllegalMove) as caught:
        wizard.choose(choice_id)
    assert caught.value.valid == wizard.question.choice_ids
    assert all(valid in str(caught.value) for valid in wizard.question.choice_ids)
    assert isinstance(caught.value, ValueError)


@PROPERTY
@given(walks(stop_early=False), st.sampled_from(ALL_IDS))
def test_choosing_after_the_verdict_is_illegal(wizard: Wizard, choice_id: str) -> None:
    assert wizard.verdict is not None
    with pytest.raises(IllegalMove, match="after the verdict") as caught:
        wizard.choose(choice_id)
    assert caught.value.valid == wizard.valid_moves == ()
    with pytest.raises(IllegalMove):
        wizard.choose_nth(1)


@pytest.mark.parametrize("lang", LANGS)
def test_illegal_moves_at_home(lang: str) -> None:
    home = Wizard(GUIDES[lang])
    for move in (home.back, lambda: home.choose("unsure"), lambda: home.start("nope"), lambda: home.choose_nth(3)):
        with pytest.raises(IllegalMove) as caught:
            move()
        assert caught.value.valid == FLOW_IDS, move
    with pytest.raises(IllegalMove):
        home.back_to(0)
    assert home.choose_nth(2) == home.start("admin-center")


@PROPERTY
@given(walks(), st.integers(-3, 10))
def test_choose_nth_matches_the_numbered_choice(wizard: Wizard, number: int) -> None:
    if wizard.question is None:
        wizard = wizard.back()
    moves = wizard.valid_moves
    if 1 <= number <= len(moves):
        assert wizard.choose_nth(number) == wizard.choose(moves[number - 1])
    else:
        with pytest.raises(IllegalMove) as caught:
            wizard.choose_nth(number)
        assert caught.value.valid == moves


@pytest.mark.parametrize(
    ("flow_id", "answers", "valid"),
    [
        ("nope", (), FLOW_IDS),
        ("billing-center", ("logged-in",), ("subscriptions", "invalid-page", "unsure")),
        ("billing-center", ("invalid-page", "select-product"), ("standard-account", "corporate-portal", "unsure")),
    ],
)
def test_constructing_an_impossible_state_is_illegal(flow_id: str, answers: tuple[str, ...], valid: tuple) -> None:
    with pytest.raises(IllegalMove) as caught:
        Wizard(GUIDES["pt-BR"], flow_id, answers)
    assert caught.value.valid == valid


def test_states_are_immutable() -> None:
    wizard = Wizard(GUIDES["pt-BR"]).start("billing-center")
    wizard.choose("invalid-page")
    assert wizard.answers == ()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        wizard.answers = ("unsure",)  # type: ignore[misc]
