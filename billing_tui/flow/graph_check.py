"""Validate graph.toml (ids, targets, reachability, cycles, kinds, URLs) and turn it into a GraphSpec."""

from __future__ import annotations

import re
from typing import Any

from billing_tui.flow.errors import Problem
from billing_tui.flow.graph_shape import find_cycle, unreachable_questions, unused_verdicts
from billing_tui.flow.graph_spec import ChoiceSpec, FlowSpec, GraphSpec, QuestionSpec, VerdictSpec
from billing_tui.flow.models import KINDS
from billing_tui.flow.sanitize import key_part

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")  # \Z, not $: "$" also matches before a final newline
SCHEMA_VERSION = 1
# Characters RFC 3986 never allows unencoded; '>' or '"' in a URL would also end a Markdown link early.
_URL_FORBIDDEN = '<>"{}|\\^`'


class _Checker:
    """Collects problems while walking one graph.toml document."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems

    def add(self, key: str, message: str) -> None:
        """Record one problem at this key."""
        self.problems.append(Problem(self.file, key, message))

    def unknown_keys(self, table: dict[str, Any], allowed: set[str], key: str) -> None:
        """Report keys the format does not know (usually typos)."""
        for name in table:
            if name not in allowed:
                where = f"{key}.{key_part(name)}" if key else key_part(name)
                self.add(where, f"unknown key (expected one of: {', '.join(sorted(allowed))})")

    def table(self, value: Any, key: str) -> dict[str, Any] | None:
        """Return value when it is a table, else record a problem."""
        if isinstance(value, dict):
            return value
        self.add(key, f"must be a table, not {_type_name(value)}")
        return None

    def array_of_tables(self, value: Any, key: str) -> list[dict[str, Any]]:
        """Return the tables of a non-empty array, recording a problem for anything else."""
        if not isinstance(value, list) or not value:
            self.add(key, "must be a non-empty array of tables")
            return []
        good = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                good.append(item)
            else:
                self.add(f"{key}[{index}]", f"must be a table, not {_type_name(item)}")
        return good

    def ident(self, table: dict[str, Any], key: str) -> str | None:
        """Return a well-formed id from table['id'], or record why it is not one."""
        value = table.get("id")
        if value is None:
            self.add(f"{key}.id", "missing id")
            return None
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.add(f"{key}.id", f"invalid id {value!r} (lowercase letters, digits and '-')")
            return None
        return value

    def id_list(self, value: Any, known: dict[str, Any], key: str, what: str) -> tuple[str, ...]:
        """Return a list of ids that must all name known things."""
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(key, f"must be an array of {what} ids")
            return ()
        for item in value:
            if item not in known:
                self.add(key, f"unknown {what} id {item!r} (known: {', '.join(known) or 'none'})")
        return tuple(v for v in value if v in known)


def _type_name(value: Any) -> str:
    """A TOML-ish name for a parsed value's type."""
    return {dict: "a table", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


def check_url(url: Any) -> str | None:
    """Return why url is not an acceptable https URL, or None when it is."""
    if not isinstance(url, str):
        return f"must be a string, not {_type_name(url)}"
    if any(ch.isspace() or ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in url):
        return f"URL {url!r} contains spaces or control characters"
    if not url.isascii():  # a homograph (Cyrillic 'і') or an invisible character would hide the real target
        return f"URL {url!r} contains non-ASCII characters (write a domain in its xn-- form, percent-encode the rest)"
    if any(ch in _URL_FORBIDDEN for ch in url):
        return f"URL {url!r} contains a character URLs cannot hold (one of {_URL_FORBIDDEN}; percent-encode it)"
    try:
        from urllib.parse import urlsplit  # only URLs need it, and only while validating

        parts = urlsplit(url)
    except ValueError as exc:  # e.g. an unclosed '[' of an IPv6 host
        return f"URL {url!r} cannot be parsed ({exc})"
    if parts.scheme != "https" or not parts.netloc:
        return f"URL {url!r} is not https"
    return None


def check_graph(raw: dict[str, Any], file: str, problems: list[Problem]) -> GraphSpec | None:
    """Validate a parsed graph.toml; record every problem and return the spec only when there is none."""
    before = len(problems)
    c = _Checker(file, problems)
    c.unknown_keys(raw, {"schema", "links", "flows", "verdicts"}, "")
    if raw.get("schema") != SCHEMA_VERSION:
        c.add("schema", f"must be {SCHEMA_VERSION}, found {raw.get('schema')!r}")
    links = _check_links(c, raw.get("links", {}))
    verdicts = _check_verdicts(c, raw.get("verdicts"), links)
    flows = _check_flows(c, raw.get("flows"), links, verdicts)
    _check_verdicts_reachable(c, flows, verdicts)
    if len(problems) > before:
        return None
    return GraphSpec(links=links, flows=flows, verdicts=verdicts)


def _check_links(c: _Checker, raw: Any) -> dict[str, str]:
    """Validate the [links] table of id -> https URL."""
    table = c.table(raw, "links")
    links: dict[str, str] = {}
    for link_id, url in (table or {}).items():
        if not ID_PATTERN.match(link_id):
            c.add(f"links.{key_part(link_id)}", "invalid link id (lowercase letters, digits and '-')")
            continue
        error = check_url(url)
        if error:
            c.add(f"links.{link_id}", error)
        else:
            links[link_id] = url
    return links


def _check_verdicts(c: _Checker, raw: Any, links: dict[str, str]) -> dict[str, VerdictSpec]:
    """Validate the [[verdicts]] array: unique ids, a known kind, known links."""
    verdicts: dict[str, VerdictSpec] = {}
    for index, table in enumerate(c.array_of_tables(raw, "verdicts")):
        verdict_id = c.ident(table, f"verdicts[{index}]")
        if verdict_id is None:
            continue
        key = f"verdicts.{verdict_id}"
        c.unknown_keys(table, {"id", "kind", "links", "email_draft"}, key)
        if verdict_id in verdicts:
            c.add(key, "duplicate verdict id")
            continue
        kind = table.get("kind")
        if kind not in KINDS:
            c.add(f"{key}.kind", f"kind {kind!r} is not one of: {', '.join(KINDS)}")
            continue
        email_draft = table.get("email_draft", False)
        if not isinstance(email_draft, bool):
            c.add(f"{key}.email_draft", "must be true or false")
        verdicts[verdict_id] = VerdictSpec(
            kind=kind,
            links=c.id_list(table.get("links"), links, f"{key}.links", "link"),
            email_draft=email_draft is True,
        )
    return verdicts


def _check_flows(c: _Checker, raw: Any, links: dict[str, str], verdicts: dict[str, VerdictSpec]) -> dict[str, FlowSpec]:
    """Validate the [[flows]] array and each flow's questions."""
    flows: dict[str, FlowSpec] = {}
    for index, table in enumerate(c.array_of_tables(raw, "flows")):
        flow_id = c.ident(table, f"flows[{index}]")
        if flow_id is None:
            continue
        key = f"flows.{flow_id}"
        c.unknown_keys(table, {"id", "start", "questions"}, key)
        if flow_id in flows:
            c.add(key, "duplicate flow id")
            continue
        questions = _check_questions(c, table.get("questions"), key, links, verdicts)
        start = table.get("start")
        if not isinstance(start, str) or start not in questions:
            c.add(f"{key}.start", f"start {start!r} is not a question of this flow")
            continue
        flows[flow_id] = FlowSpec(start=start, questions=questions)
        _check_flow_shape(c, key, flows[flow_id])
    return flows


def _check_questions(
    c: _Checker, raw: Any, flow_key: str, links: dict[str, str], verdicts: dict[str, VerdictSpec]
) -> dict[str, QuestionSpec]:
    """Validate one flow's questions: ids, choices and where each choice leads."""
    tables = c.array_of_tables(raw, f"{flow_key}.questions")
    question_ids = {t["id"] for t in tables if isinstance(t.get("id"), str) and ID_PATTERN.match(t["id"])}
    questions: dict[str, QuestionSpec] = {}
    for index, table in enumerate(tables):
        question_id = c.ident(table, f"{flow_key}.questions[{index}]")
        if question_id is None:
            continue
        key = f"{flow_key}.questions.{question_id}"
        c.unknown_keys(table, {"id", "choices", "links"}, key)
        if question_id in questions:
            c.add(key, "duplicate question id")
            continue
        choices: dict[str, ChoiceSpec] = {}
        raw_choices = table.get("choices")
        if not isinstance(raw_choices, list) or not raw_choices:
            c.add(f"{key}.choices", "a question needs at least one choice (dead end)")
        for choice_index, choice in enumerate(c.array_of_tables(raw_choices, f"{key}.choices") if raw_choices else []):
            choice_id = c.ident(choice, f"{key}.choices[{choice_index}]")
            if choice_id is None:
                continue
            choice_key = f"{key}.choices.{choice_id}"
            c.unknown_keys(choice, {"id", "question", "verdict"}, choice_key)
            if choice_id in choices:
                c.add(choice_key, "duplicate choice id")
                continue
            target = _check_target(c, choice, choice_key, question_ids, verdicts)
            if target is not None:
                choices[choice_id] = target
        questions[question_id] = QuestionSpec(
            choices=choices, links=c.id_list(table.get("links"), links, f"{key}.links", "link")
        )
    return questions


def _check_target(
    c: _Checker, choice: dict[str, Any], key: str, question_ids: set[str], verdicts: dict[str, VerdictSpec]
) -> ChoiceSpec | None:
    """Validate that a choice leads to exactly one existing question or verdict."""
    question, verdict = choice.get("question"), choice.get("verdict")
    if question is None and verdict is None:
        c.add(key, "a choice needs exactly one of 'question' or 'verdict' (it points nowhere)")
        return None
    if question is not None and verdict is not None:
        c.add(key, "a choice needs exactly one of 'question' or 'verdict' (it has both)")
        return None
    for name, value in (("question", question), ("verdict", verdict)):
        if value is not None and not isinstance(value, str):
            c.add(f"{key}.{name}", f"must be a {name} id (a string), not {_type_name(value)}")
            return None
    if question is not None and question not in question_ids:
        c.add(f"{key}.question", f"unknown question id {question!r}")
        return None
    if verdict is not None and verdict not in verdicts:
        c.add(f"{key}.verdict", f"unknown verdict id {verdict!r} (known: {', '.join(verdicts)})")
        return None
    return ChoiceSpec(question=question, verdict=verdict)


def _check_flow_shape(c: _Checker, key: str, flow: FlowSpec) -> None:
    """Report questions unreachable from the start and any cycle (a walk must always end)."""
    for question_id in unreachable_questions(flow):
        c.add(f"{key}.questions.{question_id}", "unreachable from the flow's start")
    cycle = find_cycle(flow)
    if cycle:
        c.add(f"{key}.questions.{cycle[0]}", f"cycle: {' -> '.join(cycle)}")


def _check_verdicts_reachable(c: _Checker, flows: dict[str, FlowSpec], verdicts: dict[str, VerdictSpec]) -> None:
    """Report verdicts that no choice of any flow leads to."""
    for verdict_id in unused_verdicts(flows, verdicts):
        c.add(f"verdicts.{verdict_id}", "unreachable: no choice leads to this verdict")
