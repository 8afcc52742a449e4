"""The wizard's state machine: immutable states, one per step, and the legal moves between them."""

from __future__ import annotations

import attrs

from billing_tui.flow.errors import IllegalMove
from billing_tui.flow.models import Choice, Flow, Guide, Question, Verdict


@attrs.frozen
class Step:
    """One answered question: the question and the choice the user picked."""

    question: Question
    choice: Choice


@attrs.frozen
class Wizard:
    """An immutable wizard state; every move returns a new Wizard, so back restores an earlier state exactly.

    The state is the flow id and the chosen choice ids; the guide only supplies the
    words, so switching language (with_guide) keeps the user exactly where they are.
    """

    guide: Guide
    flow_id: str | None = None
    answers: tuple[str, ...] = ()
    steps: tuple[Step, ...] = attrs.field(init=False, eq=False, repr=False)
    node: Question | Verdict | None = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        steps, node = _replay(self.guide, self.flow_id, self.answers)
        object.__setattr__(self, "steps", steps)
        object.__setattr__(self, "node", node)

    # -- where the user is -------------------------------------------------

    @property
    def at_home(self) -> bool:
        """Whether no flow has been started."""
        return self.flow_id is None

    @property
    def flow(self) -> Flow | None:
        """The current flow, or None at home."""
        return self.guide.flow(self.flow_id) if self.flow_id else None

    @property
    def question(self) -> Question | None:
        """The question waiting for an answer, or None at home and at a verdict."""
        return self.node if isinstance(self.node, Question) else None

    @property
    def verdict(self) -> Verdict | None:
        """The verdict the answers reached, or None before the end."""
        return self.node if isinstance(self.node, Verdict) else None

    @property
    def valid_moves(self) -> tuple[str, ...]:
        """The ids the next forward move accepts: flow ids at home, choice ids at a question, none at a verdict."""
        if self.at_home:
            return self.guide.flow_ids
        return self.question.choice_ids if self.question else ()

    # -- moves ----------------------------------------------------------------

    def start(self, flow_id: str) -> Wizard:
        """Start a flow from its first question (from any state, like a fresh start)."""
        if self.guide.flow(flow_id) is None:
            raise IllegalMove(
                f"unknown flow {flow_id!r}; valid flows: {', '.join(self.guide.flow_ids)}",
                self.guide.flow_ids,
            )
        return Wizard(self.guide, flow_id)

    def choose(self, choice_id: str) -> Wizard:
        """Answer the current question with one of its choices."""
        question = self.question
        if question is None:
            where = "at home: start a flow first" if self.at_home else "after the verdict: go back or restart"
            raise IllegalMove(f"cannot choose {choice_id!r} {where}", self.valid_moves)
        if question.choice(choice_id) is None:
            raise IllegalMove(
                f"question {question.id!r} of flow {question.flow_id!r} has no choice {choice_id!r}; "
                f"valid choices: {', '.join(question.choice_ids)}",
                question.choice_ids,
            )
        return Wizard(self.guide, self.flow_id, (*self.answers, choice_id))

    def choose_nth(self, number: int) -> Wizard:
        """Choose the nth (1-based) choice of the current question, or the nth flow at home."""
        moves = self.valid_moves
        if not 1 <= number <= len(moves):
            raise IllegalMove(f"there is no choice number {number} here (1–{len(moves)})", moves)
        return self.start(moves[number - 1]) if self.at_home else self.choose(moves[number - 1])

    def back(self) -> Wizard:
        """Undo the last answer; from a flow's first question, return home."""
        if self.at_home:
            raise IllegalMove(
                f"cannot go back: already at the start; valid flows: {', '.join(self.guide.flow_ids)}",
                self.valid_moves,
            )
        if not self.answers:
            return Wizard(self.guide)
        return Wizard(self.guide, self.flow_id, self.answers[:-1])

    def back_to(self, step_index: int) -> Wizard:
        """Return to an earlier question, keeping the answers given before it (0 = the flow's first question)."""
        if self.at_home or not 0 <= step_index < len(self.answers):
            raise IllegalMove(f"there is no earlier step {step_index} to go back to")
        return Wizard(self.guide, self.flow_id, self.answers[:step_index])

    def restart(self) -> Wizard:
        """Return home, forgetting every answer."""
        return Wizard(self.guide)

    def with_guide(self, guide: Guide) -> Wizard:
        """The same position in another language's guide (the ids are shared)."""
        return Wizard(guide, self.flow_id, self.answers)


def _replay(
    guide: Guide, flow_id: str | None, answers: tuple[str, ...]
) -> tuple[tuple[Step, ...], Question | Verdict | None]:
    """Walk the answers from the flow's start, returning the answered steps and the current node."""
    if flow_id is None:
        if answers:
            raise IllegalMove("answers without a flow")
        return (), None
    flow = guide.flow(flow_id)
    if flow is None:
        raise IllegalMove(f"unknown flow {flow_id!r}; valid flows: {', '.join(guide.flow_ids)}", guide.flow_ids)
    node: Question | Verdict = flow.question(flow.start)
    steps: list[Step] = []
    for choice_id in answers:
        if not isinstance(node, Question):
            raise IllegalMove(f"cannot choose {choice_id!r} after the verdict: go back or restart")
        choice = node.choice(choice_id)
        if choice is None:
            raise IllegalMove(
                f"question {node.id!r} of flow {flow_id!r} has no choice {choice_id!r}; "
                f"valid choices: {', '.join(node.choice_ids)}",
                node.choice_ids,
            )
        steps.append(Step(node, choice))
        target = choice.target
        node = guide.verdict(target.verdict) if target.verdict else flow.question(str(target.question))
    return tuple(steps), node
