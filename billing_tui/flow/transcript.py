"""Render a wizard state as a summary: a JSON-ready dict, plain text and Markdown, in the guide's language."""

from __future__ import annotations

import re
from typing import Any

from billing_tui.flow.machine import Wizard
from billing_tui.flow.models import Kind, Link
from billing_tui.flow.sanitize import ascii_typography

KIND_SYMBOLS: dict[Kind, str] = {"yes": "✔", "no": "✘", "unsure": "?"}
KIND_SYMBOLS_ASCII: dict[Kind, str] = {"yes": "[+]", "no": "[x]", "unsure": "[?]"}

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def kind_badge(kind: Kind, label: str, ascii_only: bool = False) -> str:
    """The verdict kind as a symbol and a word, so it never depends on colour."""
    symbols = KIND_SYMBOLS_ASCII if ascii_only else KIND_SYMBOLS
    return f"{symbols[kind]} {label}"


def _link_dict(link: Link) -> dict[str, str]:
    return {"id": link.id, "label": link.label, "url": link.url}


def to_dict(wizard: Wizard) -> dict[str, Any]:
    """The walk as a JSON-ready dict; its field names are a public contract (add, never rename)."""
    data: dict[str, Any] = {
        "flow": wizard.flow_id,
        "lang": wizard.guide.lang,
        "complete": wizard.verdict is not None,
        "path": [
            {
                "question": step.question.id,
                "choice": step.choice.id,
                "question_text": step.question.prompt,
                "question_title": step.question.title,
                "choice_text": step.choice.label,
            }
            for step in wizard.steps
        ],
        "verdict": None,
        "question": None,
    }
    if wizard.verdict is not None:
        v = wizard.verdict
        data["verdict"] = {
            "id": v.id,
            "kind": v.kind,
            "kind_label": v.kind_label,
            "title": v.title,
            "body": v.body,
            "links": [_link_dict(link) for link in v.links],
        }
    if wizard.question is not None:
        q = wizard.question
        data["question"] = {
            "id": q.id,
            "title": q.title,
            "text": q.prompt,
            "steps": list(q.steps),
            "links": [_link_dict(link) for link in q.links],
            "choices": [{"id": c.id, "text": c.label} for c in q.choices],
        }
    return data


def to_text(wizard: Wizard, ascii_only: bool = False) -> str:
    """A plain-text summary (verdict, path, links), for a terminal's scrollback or a pipe."""
    g = wizard.guide
    arrow, dash = ("->", "-") if ascii_only else ("→", "—")
    lines: list[str] = []
    if wizard.verdict is not None:
        v = wizard.verdict
        badge = kind_badge(v.kind, v.kind_label, ascii_only)
        lines += [f"{g.text('verdict_heading')}: {badge} {dash} {v.title}", v.body]
    elif wizard.question is not None:
        q = wizard.question
        lines += [f"{q.title}: {q.prompt}", g.text("incomplete")]
        lines += [f"  {n}. {c.label} [{c.id}]" for n, c in enumerate(q.choices, 1)]
    if wizard.steps:
        lines += ["", f"{g.text('path_heading')}:"]
        lines += [
            f"  {n}. {s.question.prompt} {arrow} {s.choice.label} [{s.question.id}: {s.choice.id}]"
            for n, s in enumerate(wizard.steps, 1)
        ]
    links = _links(wizard)
    if links:
        lines += ["", f"{g.text('links_heading')}:"]
        lines += [f"  {link.label}: {link.url}" for link in links]
    text = "\n".join(lines) + "\n"
    return ascii_typography(text) if ascii_only else text


def _links(wizard: Wizard) -> tuple[Link, ...]:
    """The links worth keeping: the verdict's, else the current question's."""
    if wizard.verdict is not None:
        return wizard.verdict.links
    return wizard.question.links if wizard.question is not None else ()


def md_escape(text: str) -> str:
    """Escape Markdown syntax so content text reads literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def to_markdown(wizard: Wizard, timestamp: str | None = None, ascii_only: bool = False) -> str:
    """A Markdown transcript of the walk, for saving to a file or pasting into a ticket."""
    g = wizard.guide
    out = [f"# {md_escape(g.text('transcript_title'))}", ""]
    if wizard.flow is not None:
        out.append(f"- {md_escape(g.text('flow_heading'))}: {md_escape(wizard.flow.label)} (`{wizard.flow.id}`)")
    out.append(f"- {md_escape(g.language_name)} (`{g.lang}`)")
    if timestamp:
        out.append(f"- {md_escape(timestamp)}")
    if wizard.steps:
        out += ["", f"## {md_escape(g.text('path_heading'))}", ""]
        out += [
            f"{n}. **{md_escape(s.question.prompt)}** {md_escape(s.choice.label)} (`{s.question.id}` → `{s.choice.id}`)"
            for n, s in enumerate(wizard.steps, 1)
        ]
    if wizard.verdict is not None:
        v = wizard.verdict
        badge = md_escape(kind_badge(v.kind, v.kind_label, ascii_only))
        out += ["", f"## {md_escape(g.text('verdict_heading'))}: {badge}", ""]
        out += [f"**{md_escape(v.title)}** (`{v.id}`)", "", md_escape(v.body)]
    elif wizard.question is not None:
        q = wizard.question
        out += ["", f"## {md_escape(q.title)}", "", md_escape(q.prompt), ""]
        out += [f"- {md_escape(c.label)} (`{c.id}`)" for c in q.choices]
    links = _links(wizard)
    if links:
        out += ["", f"## {md_escape(g.text('links_heading'))}", ""]
        out += [f"- [{md_escape(link.label)}](<{link.url}>)" for link in links]
    return "\n".join(out) + "\n"
