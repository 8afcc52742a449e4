"""The bodies a flow screen shows: the current question with its choices, or the verdict with its actions."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static
from textual.widgets.option_list import Option

from billing_tui.flow.machine import Wizard
from billing_tui.flow.models import Guide, Link, Question, Verdict
from billing_tui.flow.transcript import kind_badge
from billing_tui.ui.text import link, linkify, literal
from billing_tui.ui.widgets.choice_list import ChoiceList


def numbered_option(number: int, label: str, detail: str = "", option_id: str | None = None) -> Option:
    """An option shown as 'n  label' (and a dim detail line), whose id is the machine's id."""
    parts: list[str | tuple[str, str] | Content] = [(f"{number} ", "bold $accent"), Content(label)]
    if detail:
        parts += ["\n", Content(detail).stylize("dim")]
    return Option(Content.assemble(*parts), id=option_id)


def links_content(links: tuple[Link, ...]) -> Content:
    """Each link as 'label: url', the URL also an OSC 8 link."""
    lines = [Content.assemble(Content(f"{item.label}: "), link(item.url, item.url)) for item in links]
    return Content("\n").join(lines)


class QuestionPanel(Vertical):
    """A question: the article's numbered steps, the prompt and the outcomes as a ChoiceList."""

    def __init__(self, question: Question) -> None:
        super().__init__(classes="panel question")
        self.question = question

    def compose(self) -> ComposeResult:
        q = self.question
        yield Static(literal(q.title, "bold"), classes="title")
        steps = [Content.assemble((f"{n}. ", "bold"), linkify(step)) for n, step in enumerate(q.steps, 1)]
        yield Static(Content("\n").join(steps), classes="steps")
        yield Static(literal(q.prompt, "bold $accent"), classes="prompt")
        yield ChoiceList(
            (numbered_option(n, c.label, option_id=c.id) for n, c in enumerate(q.choices, 1)),
            id="choices",
        )


class VerdictPanel(Vertical):
    """A verdict: its kind as symbol and word, title, body, links, the answered path, and actions."""

    def __init__(self, wizard: Wizard, ascii_only: bool = False) -> None:
        super().__init__(classes="panel verdict")
        assert wizard.verdict is not None
        self.wizard = wizard
        self.verdict: Verdict = wizard.verdict
        self.ascii_only = ascii_only

    def compose(self) -> ComposeResult:
        v, g = self.verdict, self.wizard.guide
        with Horizontal(classes="verdict-head"):
            yield Static(literal(f" {kind_badge(v.kind, v.kind_label, self.ascii_only)} "), classes=f"badge -{v.kind}")
            yield Static(literal(v.title, "bold"), classes="title")
        yield Static(linkify(v.body), classes="body")
        if v.links:
            yield Static(links_content(v.links), classes="links")
        yield Static(literal(g.text("path_heading"), "bold"), classes="heading")
        path = [
            Content.assemble((f"{n}. ", "bold"), Content(f"{s.question.prompt} → {s.choice.label}"))
            for n, s in enumerate(self.wizard.steps, 1)
        ]
        yield Static(Content("\n").join(path), classes="path")
        with Horizontal(classes="actions"):
            yield from self._actions(g)

    def _actions(self, g: Guide) -> ComposeResult:
        """One compact button per action, labelled with its key."""
        actions = [("c", "copy"), ("s", "save")]
        if self.verdict.email_draft:
            actions.append(("e", "email"))
        actions += [("⌫", "back"), ("r", "restart"), ("q", "quit")]
        for key, name in actions:
            label = Content.assemble((key, "bold"), " ", Content(g.text(f"action_{name}")))
            yield Button(label, id=f"action-{name}", compact=True, classes="action")
