"""Content validation under fuzz: broken content directories are rejected with `FILE: KEY: message` lines and exit 2.

Each example parses the built-in graph.toml and texts/*.toml with tomllib, applies a few random
mutations (deletions, renames and type changes of keys, hostile edits of strings, and coherent
renames or deletions of an id in every file that uses it), writes the documents back with a small
TOML writer and runs `billing-tui validate DIR` in-process. The outcome is either a rejection
(exit 2, one well-formed, control-free line per problem, one summary line on stderr) or an
acceptance, and then the content must really be sound: it loads, every id is well formed, every
text is visible and free of control characters, and every walk of every flow ends at a verdict.
Never a traceback, never a hang (a timer interrupts a validation that takes too long).
"""

from __future__ import annotations

import copy
import math
import os
import re
import signal
import tomllib
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from robust_helpers import copy_content, run_cli, toml_dumps

from billing_tui.flow import Wizard, builtin_content_dir, load_content
from billing_tui.flow.models import Guide

GRAPH = "graph.toml"
FILES = (GRAPH, "texts/pt-BR.toml", "texts/en.toml")
ORIGINAL: dict[str, dict[str, Any]] = {
    name: tomllib.loads((builtin_content_dir() / name).read_text(encoding="utf-8")) for name in FILES
}
EXAMPLES = max(300, math.ceil(int(os.environ.get("BILLING_TUI_FUZZ_EXAMPLES") or 0) / 5))
TIME_LIMIT = 10  # seconds one validation may take before it counts as a hang

ID = re.compile(r"[a-z0-9][a-z0-9-]*")
PROBLEM_LINE = re.compile(r"^(\S[^:\n]*): (\S[^\n]*?): (\S[^\n]*)$")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Replacement names: valid, colliding, and every way an id can be wrong.
NAMES = st.one_of(
    st.sampled_from(
        [
            *("x", "new-id", "outcome", "unsure", "billing-admin", "corp-billing", "Bad_Id", "", " ", "-x", "a.b"),
            *("a\n", "\nb", "é", "a b", "\x1b[31mred", "[x]", "1", "a" * 300, "links", "ui", "title"),
        ]
    ),
    st.from_regex(ID, fullmatch=True).filter(lambda s: len(s) < 20),
)
# Hostile string fragments inserted into, or replacing, a text or a URL.
FRAGMENTS = st.sampled_from(
    [
        *("[", "]", "[bold]", "[/]", "\n", "\x1b", "\x1b]52;c;SGk=\x07", "", " ", "\t", "https://[", "{", "}", "{n}"),
        *("\\", '"', "\u202e", "\u200b", "\x00", "\x85", "界", "😀", "%", "https://", "http://x", "x" * 2000),
    ]
)
SCALARS = st.one_of(
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
    NAMES,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(NAMES, inner, max_size=3)),
    max_leaves=5,
)
# A texts file renamed (its name is the language tag); short enough for any file system.
FILE_NAMES = NAMES.filter(lambda name: "/" not in name and name not in ("", ".", "..") and len(name) < 100)
OPERATIONS = ("delete", "rename", "retype", "edit-string", "coherent-rename", "coherent-delete", "rename-file")

Path_ = tuple[str | int, ...]


# -- walking and editing parsed documents ------------------------------------------------------


def paths(node: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    """Every path to a value inside a parsed document, depth first."""
    items: Any = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in list(items):
        yield (*prefix, key)
        yield from paths(child, (*prefix, key))


def parent_of(doc: Any, path: Path_) -> Any:
    node = doc
    for key in path[:-1]:
        node = node[key]
    return node


def rename_key(table: dict[str, Any], old: str, new: str) -> None:
    """Rename a key in place, keeping the table's order (a clash overwrites, as an editor's paste would)."""
    items = [(new if key == old else key, value) for key, value in table.items()]
    table.clear()
    table.update(items)


def edit_string(text: str, fragment: str, where: float, replace: bool) -> str:
    """Insert fragment into text at a relative position, or replace the text with it."""
    if replace:
        return fragment
    cut = int(len(text) * where)
    return text[:cut] + fragment + text[cut:]


# -- coherent edits: an id renamed or deleted in every file that uses it --------------------------


def graph_ids(graph: dict[str, Any]) -> list[tuple[str, ...]]:
    """Every id of the graph, as (kind, *location, id)."""
    found: list[tuple[str, ...]] = []
    links = graph.get("links")
    if isinstance(links, dict):
        found += [("link", link_id) for link_id in links]
    for verdict in _tables(graph.get("verdicts")):
        if isinstance(verdict.get("id"), str):
            found.append(("verdict", verdict["id"]))
    for flow in _tables(graph.get("flows")):
        if not isinstance(flow.get("id"), str):
            continue
        found.append(("flow", flow["id"]))
        for question in _tables(flow.get("questions")):
            if isinstance(question.get("id"), str):
                found.append(("question", flow["id"], question["id"]))
                for choice in _tables(question.get("choices")):
                    if isinstance(choice.get("id"), str):
                        found.append(("choice", flow["id"], question["id"], choice["id"]))
    return found


def text_files(docs: dict[str, dict[str, Any]]) -> list[str]:
    """The language files among the documents (a mutation may have renamed one)."""
    return [name for name in docs if name.startswith("texts/")]


def _tables(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text_table(doc: dict[str, Any], *keys: str) -> dict[str, Any] | None:
    """The nested table at keys in a texts document, or None."""
    node: Any = doc
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


def coherent(docs: dict[str, dict[str, Any]], target: tuple[str, ...], new: str | None) -> None:
    """Rename the id (new is a string) or delete it (new is None) in graph.toml and in every texts file."""
    graph = docs[GRAPH]
    kind, old = target[0], target[-1]

    def fix_table(table: dict[str, Any] | None, tidy_parent: tuple[dict[str, Any], str] | None = None) -> None:
        if table is None or old not in table:
            return
        if new is None:
            del table[old]
            if not table and tidy_parent is not None:
                del tidy_parent[0][tidy_parent[1]]  # an editor deletes the table it emptied
        else:
            rename_key(table, old, new)

    def fix_list(holder: dict[str, Any], key: str) -> None:
        value = holder.get(key)
        if isinstance(value, list):
            kept = [item for item in value if item != old]
            holder[key] = kept if new is None else [new if item == old else item for item in value]

    def fix_tables(tables: list[dict[str, Any]], container: dict[str, Any], key: str) -> None:
        for table in list(tables):
            if table.get("id") == old:
                if new is None:
                    container[key].remove(table)
                else:
                    table["id"] = new

    flows = _tables(graph.get("flows"))
    if kind == "link":
        fix_table(graph.get("links") if isinstance(graph.get("links"), dict) else None, (graph, "links"))
        for holder in _tables(graph.get("verdicts")) + [q for f in flows for q in _tables(f.get("questions"))]:
            fix_list(holder, "links")
        for name in text_files(docs):
            fix_table(_text_table(docs[name], "links"), (docs[name], "links"))
    elif kind == "verdict":
        fix_tables(_tables(graph.get("verdicts")), graph, "verdicts")
        for flow in flows:
            for question in _tables(flow.get("questions")):
                for choice in _tables(question.get("choices")):
                    if choice.get("verdict") == old:
                        if new is None:
                            question["choices"].remove(choice)
                        else:
                            choice["verdict"] = new
        for name in text_files(docs):
            fix_table(_text_table(docs[name], "verdicts"))
    elif kind == "flow":
        fix_tables(flows, graph, "flows")
        for name in text_files(docs):
            fix_table(_text_table(docs[name], "flows"))
    elif kind == "question":
        flow_id = target[1]
        for flow in flows:
            if flow.get("id") != flow_id:
                continue
            fix_tables(_tables(flow.get("questions")), flow, "questions")
            if flow.get("start") == old:
                flow["start"] = new if new is not None else "missing"
            for question in _tables(flow.get("questions")):
                for choice in _tables(question.get("choices")):
                    if choice.get("question") == old:
                        if new is None:
                            question["choices"].remove(choice)
                        else:
                            choice["question"] = new
        for name in text_files(docs):
            fix_table(_text_table(docs[name], "flows", flow_id, "questions"))
    else:  # a choice
        flow_id, question_id = target[1], target[2]
        for flow in flows:
            for question in _tables(flow.get("questions")) if flow.get("id") == flow_id else []:
                if question.get("id") == question_id:
                    fix_tables(_tables(question.get("choices")), question, "choices")
        for name in text_files(docs):
            fix_table(_text_table(docs[name], "flows", flow_id, "questions", question_id, "choices"))


# -- one random mutation -----------------------------------------------------------------------


def mutate(docs: dict[str, dict[str, Any]], data: st.DataObject) -> str:
    """Apply one random mutation to the documents; return a short description for the failure report."""
    operation = data.draw(st.sampled_from(OPERATIONS), label="operation")
    if operation.startswith("coherent"):
        ids = graph_ids(docs[GRAPH])
        if not ids:
            return "no ids left"
        target = data.draw(st.sampled_from(ids), label="id")
        new = data.draw(NAMES, label="new name") if operation == "coherent-rename" else None
        coherent(docs, target, new)
        return f"{operation} {target} -> {new!r}"
    if operation == "rename-file":
        old = data.draw(st.sampled_from(sorted(n for n in docs if n.startswith("texts/"))), label="file")
        tag = data.draw(FILE_NAMES, label="tag")
        new = f"texts/{tag}.toml"
        docs[new] = docs.pop(old)
        return f"rename-file {old} -> {new!r}"
    name = data.draw(st.sampled_from(sorted(docs)), label="file")
    doc = docs[name]
    if operation == "edit-string":
        candidates = [p for p in paths(doc) if isinstance(parent_of(doc, p)[p[-1]], str)]
    elif operation == "rename":
        candidates = [p for p in paths(doc) if isinstance(p[-1], str)]
    else:
        candidates = list(paths(doc))
    if not candidates:
        return f"{operation}: nothing to do in {name}"
    path = data.draw(st.sampled_from(candidates), label="path")
    parent = parent_of(doc, path)
    key = path[-1]
    if operation == "delete":
        del parent[key]
    elif operation == "rename":
        rename_key(parent, str(key), data.draw(NAMES, label="new key"))
    elif operation == "retype":
        parent[key] = data.draw(VALUES, label="value")
    else:
        fragment = data.draw(FRAGMENTS, label="fragment")
        where = data.draw(st.floats(0, 1), label="where")
        parent[key] = edit_string(parent[key], fragment, where, data.draw(st.booleans(), label="replace"))
    return f"{operation} {name}:{path}"


# -- the oracle ------------------------------------------------------------------------------------


class Hang(Exception):
    """Validation took longer than TIME_LIMIT."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang(f"validation took more than {TIME_LIMIT} s")


def validate_in_time(directory: Path) -> tuple[int, str, str]:
    """Run `billing-tui validate DIR` in-process, interrupting it if it hangs."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        return run_cli(["validate", str(directory)])
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def visible(text: str) -> bool:
    """Whether text shows at least one character (not only spaces, controls or format characters)."""
    return any(not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf") for ch in text)


def guide_texts(guide: Guide) -> Iterator[str]:
    """Every string of a guide that reaches the screen."""
    yield from (guide.language_name, guide.home.title, guide.home.intro, guide.home.who_can_see, guide.home.prompt)
    for flow in guide.flows:
        yield from (flow.label, flow.audience)
        for question in flow.questions:
            yield from (question.title, question.prompt, *question.steps, *(c.label for c in question.choices))
    for verdict in guide.verdicts:
        yield from (verdict.title, verdict.body, verdict.kind_label)
    yield from (link.label for link in guide.links)
    yield from guide.ui.values()


def guide_ids(guide: Guide) -> Iterator[str]:
    """Every id of a guide: flows, questions, choices, verdicts and links."""
    for flow in guide.flows:
        yield flow.id
        for question in flow.questions:
            yield question.id
            yield from question.choice_ids
    yield from (verdict.id for verdict in guide.verdicts)
    yield from (link.id for link in guide.links)


def all_walks(wizard: Wizard, depth: int = 0) -> Iterator[Wizard]:
    """Every complete walk from this state, each ending where no move is left."""
    assert depth <= 50, f"walk deeper than 50 steps: {wizard.answers}"
    if not wizard.valid_moves:
        yield wizard
        return
    for choice_id in wizard.valid_moves:
        yield from all_walks(wizard.choose(choice_id), depth + 1)


def assert_sound(directory: Path) -> None:
    """Accepted content really is sound: it loads, ids and texts are clean, and every walk ends at a verdict."""
    content = load_content(directory)
    for lang in content.langs:
        assert re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", lang), f"language tag {lang!r}"
        guide = content.guide(lang)
        assert guide.flows, "no flows"
        for ident in guide_ids(guide):
            assert ID.fullmatch(ident), f"id {ident!r}"
        for text in guide_texts(guide):
            assert visible(text) and not CONTROL.search(text.replace("\n", "")), f"text {text!r}"
        for link in guide.links:
            assert link.url.isascii() and link.url.startswith("https://"), link.url
        for flow in guide.flows:
            for walk in all_walks(Wizard(guide).start(flow.id)):
                assert walk.verdict is not None, (flow.id, walk.answers)


def assert_rejected_well(code: int, out: str, err: str) -> None:
    """A rejection: exit 2, one clean `FILE: KEY: message` line per problem, one summary line on stderr."""
    assert code == 2, (code, out, err)
    lines = out.splitlines()
    assert lines and out.endswith("\n")
    for line in lines:
        assert PROBLEM_LINE.match(line), f"not a FILE: KEY: message line: {line!r}"
        assert not CONTROL.search(line), f"control character in {line!r}"
    assert len(err.splitlines()) == 1 and re.match(r"billing-tui: (1 problem|\d+ problems) in ", err), err
    assert "Traceback" not in out + err


def write_docs(root: Path, docs: dict[str, dict[str, Any]]) -> None:
    """Write the documents as the content directory's files (replacing every language file)."""
    for old in (root / "texts").glob("*.toml"):
        old.unlink()
    for name, doc in docs.items():
        (root / name).write_text(toml_dumps(doc), encoding="utf-8")


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_content(tmp_path_factory.mktemp("content-fuzz") / "content")


def test_the_writer_round_trips_the_builtin_content(fuzz_dir: Path) -> None:
    """The test's TOML writer reproduces the built-in content exactly, so every rejection comes from a mutation."""
    write_docs(fuzz_dir, copy.deepcopy(ORIGINAL))
    for name in FILES:
        assert tomllib.loads((fuzz_dir / name).read_text(encoding="utf-8")) == ORIGINAL[name]
    code, out, err = validate_in_time(fuzz_dir)
    assert code == 0, out + err
    assert_sound(fuzz_dir)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), count=st.integers(1, 3))
def test_mutated_content_is_rejected_cleanly_or_sound(fuzz_dir: Path, data: st.DataObject, count: int) -> None:
    docs = copy.deepcopy(ORIGINAL)
    done = [mutate(docs, data) for _ in range(count)]
    write_docs(fuzz_dir, docs)
    code, out, err = validate_in_time(fuzz_dir)
    if code == 0:
        assert out.startswith("ok: ") and not err, (done, out, err)
        assert_sound(fuzz_dir)
    else:
        assert_rejected_well(code, out, err)
