"""What a state shows, as Textual Content and options: the home page, a question or a verdict with its actions.

Every text from the content files goes through literal()/linkify(), so it is never parsed as markup.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets.option_list import Option

from billing_tui.flow.machine import Wizard
from billing_tui.flow.models import Guide, Link, Question
from billing_tui.flow.transcript import kind_badge
from billing_tui.kiosk import text_key
from billing_tui.ui.text import link, linkify, literal

# A verdict's actions: the key that runs each (the screen binds them) and its name.
ACTIONS = (("c", "copy"), ("s", "save"), ("e", "email"), ("⌫", "back"), ("r", "restart"), ("q", "quit"))
ACTION_PREFIX = "action-"  # an action option's id is this and the action's name
# A verdict's kind on its colour, reversed so that without colour (NO_COLOR) it still stands out.
BADGE_STYLES = {"yes": "bold reverse $success", "no": "bold reverse $error", "unsure": "bold reverse $warning"}
BLANK = Content("\n\n")


def numbered_option(number: int, label: str, detail: str = "", option_id: str | None = None) -> Option:
    """An option shown as 'n  label' (and a dim detail line), whose id is the machine's id."""
    return keyed_option(str(number), label, detail, option_id)


def keyed_option(key: str, label: str, detail: str = "", option_id: str | None = None) -> Option:
    """An option shown as its key in the accent colour, then its label (and a dim detail line)."""
    parts: list[str | tuple[str, str] | Content] = [(f"{key} ", "bold $accent"), Content(label)]
    if detail:
        parts += ["\n", Content(detail).stylize("dim")]
    return Option(Content.assemble(*parts), id=option_id)


def home_content(guide: Guide) -> Content:
    """The home page: what a billing contact is, who can see it, and the question of which way to go."""
    home = guide.home
    return Content.assemble(
        literal(home.title, "bold"),
        BLANK,
        literal(home.intro),
        BLANK,
        literal(home.who_can_see, "italic"),
        BLANK,
        literal(home.prompt, "bold $accent"),
    )


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


def verdict_content(wizard: Wizard, ascii_only: bool) -> Content:
    """A verdict: its kind as symbol and word on its colour, its title, body, links and the answered path."""
    assert wizard.verdict is not None
    v, g = wizard.verdict, wizard.guide
    badge = literal(f" {kind_badge(v.kind, v.kind_label, ascii_only)} ", BADGE_STYLES[v.kind])
    parts = [badge, Content(" "), literal(v.title, "bold"), BLANK, linkify(v.body)]
    if v.links:
        parts += [BLANK, links_content(v.links)]
    path = [
        Content.assemble((f"{n}. ", "bold"), Content(f"{s.question.prompt} → {s.choice.label}"))
        for n, s in enumerate(wizard.steps, 1)
    ]
    parts += [BLANK, literal(g.text("path_heading"), "bold"), BLANK, Content("\n").join(path)]
    return Content.assemble(*parts)


def action_options(wizard: Wizard, kiosk: bool) -> list[Option]:
    """A verdict's actions as options (the e-mail one only where the verdict offers a draft)."""
    assert wizard.verdict is not None
    g = wizard.guide
    return [
        keyed_option(key, g.text(text_key(f"action_{name}", kiosk)), option_id=ACTION_PREFIX + name)
        for key, name in ACTIONS
        if name != "email" or wizard.verdict.email_draft
    ]
