"""Frozen attrs models of one language's guide: flows, questions, choices, verdicts and links."""

from __future__ import annotations

from typing import Literal

import attrs

Kind = Literal["yes", "no", "unsure"]
KINDS: tuple[Kind, ...] = ("yes", "no", "unsure")


@attrs.frozen
class Link:
    """A place the article sends the user to, with its label in the guide's language."""

    id: str
    label: str
    url: str


@attrs.frozen
class Target:
    """Where a choice leads: exactly one of a question id or a verdict id."""

    question: str | None = None
    verdict: str | None = None

    @property
    def is_verdict(self) -> bool:
        """Whether the choice ends the flow."""
        return self.verdict is not None


@attrs.frozen
class Choice:
    """One outcome the user can pick at a question."""

    id: str
    label: str
    target: Target


@attrs.frozen
class Question:
    """One step of a flow: the article's instructions, a prompt and the outcomes to choose from."""

    id: str
    flow_id: str
    title: str
    steps: tuple[str, ...]
    prompt: str
    choices: tuple[Choice, ...]
    links: tuple[Link, ...] = ()

    @property
    def choice_ids(self) -> tuple[str, ...]:
        """The ids of the choices, in the article's order."""
        return tuple(c.id for c in self.choices)

    def choice(self, choice_id: str) -> Choice | None:
        """The choice with this id, or None when the question does not offer it."""
        return next((c for c in self.choices if c.id == choice_id), None)


@attrs.frozen
class Verdict:
    """The end of a walk: what the answers mean and what to do next."""

    id: str
    kind: Kind
    kind_label: str
    title: str
    body: str
    links: tuple[Link, ...] = ()
    email_draft: bool = False


@attrs.frozen
class Flow:
    """One way of finding out (Billing Center or Admin Center) and its questions."""

    id: str
    label: str
    audience: str
    start: str
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question:
        """The question with this id (the loader guarantees it exists)."""
        return next(q for q in self.questions if q.id == question_id)


@attrs.frozen
class Home:
    """The home screen's texts: the article's title and who can see the billing contact."""

    title: str
    intro: str
    who_can_see: str
    prompt: str


@attrs.frozen
class Guide:
    """The whole wizard in one language: the home texts, flows, verdicts and interface strings."""

    lang: str
    language_name: str
    home: Home
    flows: tuple[Flow, ...]
    verdicts: tuple[Verdict, ...]
    links: tuple[Link, ...]
    ui: dict[str, str] = attrs.field(hash=False)

    @property
    def flow_ids(self) -> tuple[str, ...]:
        """The ids of the flows, in the order the home screen offers them."""
        return tuple(f.id for f in self.flows)

    def flow(self, flow_id: str) -> Flow | None:
        """The flow with this id, or None."""
        return next((f for f in self.flows if f.id == flow_id), None)

    def verdict(self, verdict_id: str) -> Verdict:
        """The verdict with this id (the loader guarantees it exists)."""
        return next(v for v in self.verdicts if v.id == verdict_id)

    def text(self, key: str, **values: object) -> str:
        """An interface string in this guide's language, with {name} placeholders filled from values.

        Only the named placeholders are replaced, so stray braces in edited content never raise.
        """
        text = self.ui[key]
        for name, value in values.items():
            text = text.replace("{" + name + "}", str(value))
        return text
