"""The validated, language-neutral shape of the wizard: flows, questions, choices and verdicts by id."""

from __future__ import annotations

from typing import NamedTuple

from billing_tui.flow.models import Kind

# The validated graph is held in NamedTuples: immutable like the attrs models, and about
# twenty times cheaper to define, which start-up time (every launch validates) notices.


class ChoiceSpec(NamedTuple):
    """A choice's target in the graph: a question id or a verdict id."""

    question: str | None
    verdict: str | None


class QuestionSpec(NamedTuple):
    """A question's choices (in order) and link ids."""

    choices: dict[str, ChoiceSpec]
    links: tuple[str, ...]


class FlowSpec(NamedTuple):
    """A flow's start question and its questions (in order)."""

    start: str
    questions: dict[str, QuestionSpec]


class VerdictSpec(NamedTuple):
    """A verdict's kind, link ids and whether it offers an e-mail draft."""

    kind: Kind
    links: tuple[str, ...]
    email_draft: bool


class GraphSpec(NamedTuple):
    """The validated, language-neutral shape of the wizard."""

    links: dict[str, str]
    flows: dict[str, FlowSpec]
    verdicts: dict[str, VerdictSpec]
