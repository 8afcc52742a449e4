"""Walks over a validated flow: which questions are unreachable, which verdicts unused, and any cycle."""

from __future__ import annotations

from collections.abc import Iterator

from billing_tui.flow.graph_spec import FlowSpec, VerdictSpec


def unreachable_questions(flow: FlowSpec) -> list[str]:
    """The questions no walk from the flow's start can reach, in file order."""
    reachable: set[str] = set()
    stack = [flow.start]
    while stack:
        question_id = stack.pop()
        if question_id not in reachable:
            reachable.add(question_id)
            stack.extend(_next_questions(flow, question_id))
    return [question_id for question_id in flow.questions if question_id not in reachable]


def find_cycle(flow: FlowSpec) -> list[str] | None:
    """Return one cycle of question ids as a path, or None when the flow is acyclic.

    An explicit stack, not recursion, so a flow of thousands of questions cannot hit the recursion limit.
    """
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for root in flow.questions:
        if root in state:
            continue
        state[root] = 1
        path = [root]
        pending = [_next_questions(flow, root)]
        while pending:
            nxt = next(pending[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                pending.pop()
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                pending.append(_next_questions(flow, nxt))
    return None


def unused_verdicts(flows: dict[str, FlowSpec], verdicts: dict[str, VerdictSpec]) -> list[str]:
    """The verdicts that no choice of any flow leads to."""
    used = {
        choice.verdict
        for flow in flows.values()
        for question in flow.questions.values()
        for choice in question.choices.values()
    }
    return [verdict_id for verdict_id in verdicts if verdict_id not in used]


def _next_questions(flow: FlowSpec, question_id: str) -> Iterator[str]:
    """The questions a question's choices lead to, in order."""
    return (choice.question for choice in flow.questions[question_id].choices.values() if choice.question)
