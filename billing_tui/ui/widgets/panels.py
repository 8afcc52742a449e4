"""The bodies a flow screen shows: the current question with its choices, or the verdict with its actions.

Both panels are composed once per screen and updated in place, so a new state repaints
only what changed and the focused list keeps the keys already typed.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static
from textual.widgets.option_list import Option

from billing_tui.flow.machine import Wizard
from billing_tui.flow.models import Link, Question
from billing_tui.flow.transcript import kind_badge
from billing_tui.kiosk import text_key
from billing_tui.ui.text import link, linkify, literal
from billing_tui.ui.widgets.choice_list import ChoiceList

ACTIONS = (("c", "copy"), ("s", "save"), ("e", "email"), ("⌫", "back"), ("r", "restart"), ("q", "quit"))
BLANK = Content("\n\n")


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


def question_content(question: Question) -> Content:
    """A question's title, numbered steps (URLs as links) and prompt, as one block of text."""
    steps = [Content.assemble((f"{n}. ", "bold"), linkify(step)) for n, step in enumerate(question.steps, 1)]
    return Content.assemble(
        literal(question.title, "bold"),
        BLANK,
        Content("\n").join(steps),
        BLANK,
        literal(question.prompt, "bold $accent"),
    )


def verdict_content(wizard: Wizard) -> Content:
    """A verdict's body, links and the answered path, as one block of text."""
    assert wizard.verdict is not None
    v, g = wizard.verdict, wizard.guide
    parts = [linkify(v.body)]
    if v.links:
        parts += [BLANK, links_content(v.links)]
    path = [
        Content.assemble((f"{n}. ", "bold"), Content(f"{s.question.prompt} → {s.choice.label}"))
        for n, s in enumerate(wizard.steps, 1)
    ]
    parts += [BLANK, literal(g.text("path_heading"), "bold"), BLANK, Content("\n").join(path)]
    return Content.assemble(*parts)


class QuestionPanel(Vertical):
    """A question: the article's numbered steps, the prompt and the outcomes as a ChoiceList."""

    question: Question | None = None

    def __init__(self) -> None:
        super().__init__(id="question", classes="panel question")

    def compose(self) -> ComposeResult:
        yield Static(classes="question-text")
        yield ChoiceList(id="choices")

    def show_question(self, question: Question) -> None:
        """Show this question; its choices replace the old ones in the same list."""
        self.question = question
        self.query_one(".question-text", Static).update(question_content(question))
        self.query_one(ChoiceList).show_options(
            numbered_option(n, c.label, option_id=c.id) for n, c in enumerate(question.choices, 1)
        )


class VerdictPanel(Vertical):
    """A verdict: its kind as symbol and word, title, body, links, the answered path, and actions."""

    wizard: Wizard | None = None

    def __init__(self) -> None:
        super().__init__(id="verdict", classes="panel verdict")

    def compose(self) -> ComposeResult:
        with Horizontal(classes="verdict-head"):
            yield Static(classes="badge")
            yield Static(classes="title")
        yield Static(classes="verdict-text")
        with Horizontal(classes="actions"):
            for _key, name in ACTIONS:
                yield Button("", id=f"action-{name}", compact=True, classes="action")

    def show_verdict(self, wizard: Wizard, ascii_only: bool, kiosk: bool = False) -> None:
        """Show the wizard's verdict; the e-mail action appears only where the verdict offers a draft."""
        assert wizard.verdict is not None
        self.wizard = wizard
        v, g = wizard.verdict, wizard.guide
        badge = self.query_one(".badge", Static)
        badge.update(literal(f" {kind_badge(v.kind, v.kind_label, ascii_only)} "))
        badge.set_classes(f"badge -{v.kind}")
        self.query_one(".title", Static).update(literal(v.title, "bold"))
        self.query_one(".verdict-text", Static).update(verdict_content(wizard))
        for key, name in ACTIONS:
            button = self.query_one(f"#action-{name}", Button)
            label = g.text(text_key(f"action_{name}", kiosk))
            button.label = Content.assemble((key, "bold"), " ", Content(label))
            button.display = name != "email" or v.email_draft
