"""A corpus of broken content directories: each is rejected by load_content and by `billing-tui validate DIR`."""

from __future__ import annotations

import re
import shutil
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from core_helpers import copy_content, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from toml_writer import toml_dumps

from billing_tui.flow import ContentError, Problem, builtin_content_dir, load_content

GRAPH = "graph.toml"
PT = "texts/pt-BR.toml"
EN = "texts/en.toml"
LINE = re.compile(r"^(\S+): (\S+): (.+)$")

# -- ways to break a copy ----------------------------------------------------------


def replace(file: str, old: str, new: str, occurrence: int = 1) -> Callable[[Path], None]:
    """An edit that replaces the nth occurrence of old with new (and fails loudly if old is not there)."""

    def edit(root: Path) -> None:
        path = root / file
        text = path.read_text(encoding="utf-8")
        start = -1
        for _ in range(occurrence):
            start = text.find(old, start + 1)
            assert start >= 0, f"{old!r} (occurrence {occurrence}) not found in {file}: the corpus needs updating"
        path.write_text(text[:start] + new + text[start + len(old) :], encoding="utf-8")

    return edit


def sub(file: str, pattern: str, new: str) -> Callable[[Path], None]:
    """An edit that replaces one regex match (which must exist)."""

    def edit(root: Path) -> None:
        path = root / file
        text, count = re.subn(pattern, new, path.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE | re.DOTALL)
        assert count == 1, f"{pattern!r} not found in {file}"
        path.write_text(text, encoding="utf-8")

    return edit


def append(file: str, text: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        with (root / file).open("a", encoding="utf-8") as handle:
            handle.write(text)

    return edit


def delete(*files: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        for file in files:
            (root / file).unlink()

    return edit


def both(*edits: Callable[[Path], None]) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        for one in edits:
            one(root)

    return edit


def write_bytes(file: str, data: bytes) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        with (root / file).open("ab") as handle:
            handle.write(data)

    return edit


UNSURE_CHOICE = '{ id = "unsure", verdict = "unsure" },'
BC_SUBSCRIPTIONS = '{ id = "subscriptions", verdict = "billing-admin" },'

# (case id, edit, expected file, expected key, message fragment)
CASES: list[tuple[str, Callable[[Path], None], str, str, str]] = [
    ("toml-syntax-graph", replace(GRAPH, "schema = 1", "schema = = 1"), GRAPH, "syntax", "line 6"),
    ("toml-syntax-texts", replace(EN, "[kinds]\n", "[kinds\n"), EN, "syntax", "invalid TOML"),
    (
        "unknown-verdict-in-choice",
        replace(GRAPH, BC_SUBSCRIPTIONS, '{ id = "subscriptions", verdict = "billing-admn" },'),
        GRAPH,
        "flows.billing-center.questions.outcome.choices.subscriptions.verdict",
        "unknown verdict id 'billing-admn'",
    ),
    (
        "unknown-question-in-choice",
        replace(GRAPH, 'question = "my-account"', 'question = "my-acount"'),
        GRAPH,
        "flows.billing-center.questions.outcome.choices.invalid-page.question",
        "unknown question id 'my-acount'",
    ),
    (
        "question-in-another-flow",
        replace(GRAPH, 'question = "corporate-login"', 'question = "corporate-logn"', occurrence=2),
        GRAPH,
        "flows.admin-center.questions.outcome.choices.select-product.question",
        "unknown question id 'corporate-logn'",
    ),
    (
        "duplicate-choice-id",
        replace(
            GRAPH,
            '{ id = "contact-billing-admin", verdict = "contact-billing-admin" }',
            '{ id = "subscriptions", verdict = "contact-billing-admin" }',
        ),
        GRAPH,
        "flows.admin-center.questions.outcome.choices.subscriptions",
        "duplicate choice id",
    ),
    (
        "duplicate-flow-id",
        replace(GRAPH, 'id = "admin-center"\nstart', 'id = "billing-center"\nstart'),
        GRAPH,
        "flows.billing-center",
        "duplicate flow id",
    ),
    (
        "duplicate-question-id",
        replace(GRAPH, 'id = "corporate-login"', 'id = "my-account"', occurrence=1),
        GRAPH,
        "flows.billing-center.questions.my-account",
        "duplicate question id",
    ),
    (
        "duplicate-verdict-id",
        replace(GRAPH, 'id = "standard-account"\nkind', 'id = "billing-admin"\nkind'),
        GRAPH,
        "verdicts.billing-admin",
        "duplicate verdict id",
    ),
    (
        "choice-points-nowhere",
        replace(GRAPH, UNSURE_CHOICE, '{ id = "unsure" },'),
        GRAPH,
        "flows.billing-center.questions.outcome.choices.unsure",
        "points nowhere",
    ),
    (
        "choice-with-both",
        replace(
            GRAPH, BC_SUBSCRIPTIONS, '{ id = "subscriptions", verdict = "billing-admin", question = "my-account" },'
        ),
        GRAPH,
        "flows.billing-center.questions.outcome.choices.subscriptions",
        "has both",
    ),
    (
        "question-without-choices",
        sub(GRAPH, r'(id = "my-account"\n\s*links = \[\]\n\s*)choices = \[.*?\n  \]', r"\1choices = []"),
        GRAPH,
        "flows.billing-center.questions.my-account.choices",
        "at least one choice",
    ),
    (
        "unreachable-question",
        replace(
            GRAPH,
            '[[flows]]\nid = "admin-center"',
            '[[flows.questions]]\nid = "orphan"\nchoices = [{ id = "unsure", verdict = "unsure" }]\n\n'
            '[[flows]]\nid = "admin-center"',
        ),
        GRAPH,
        "flows.billing-center.questions.orphan",
        "unreachable from the flow's start",
    ),
    (
        "unreachable-verdict",
        append(GRAPH, '\n[[verdicts]]\nid = "orphan"\nkind = "no"\n'),
        GRAPH,
        "verdicts.orphan",
        "unreachable: no choice leads to this verdict",
    ),
    (
        "cycle",
        replace(GRAPH, UNSURE_CHOICE, '{ id = "unsure", question = "outcome" },', occurrence=3),
        GRAPH,
        "flows.billing-center.questions.outcome",
        "cycle: outcome -> my-account -> corporate-login -> outcome",
    ),
    (
        "self-loop",
        replace(GRAPH, UNSURE_CHOICE, '{ id = "unsure", question = "outcome" },', occurrence=4),
        GRAPH,
        "flows.admin-center.questions.outcome",
        "cycle: outcome -> outcome",
    ),
    (
        "bad-kind",
        replace(GRAPH, 'kind = "unsure"', 'kind = "maybe"'),
        GRAPH,
        "verdicts.unsure.kind",
        "'maybe' is not one of: yes, no, unsure",
    ),
    (
        "http-url",
        replace(GRAPH, '"https://billing.logmeininc.com"', '"http://billing.logmeininc.com"'),
        GRAPH,
        "links.billing-center",
        "is not https",
    ),
    (
        "javascript-url",
        replace(GRAPH, '"https://admin.logmeininc.com"', '"javascript:alert(1)"'),
        GRAPH,
        "links.admin-center",
        "is not https",
    ),
    (
        "url-with-space",
        replace(GRAPH, "/corp-billing", "/corp billing"),
        GRAPH,
        "links.corp-billing",
        "contains spaces",
    ),
    (
        "url-with-escape",
        replace(GRAPH, "/corp-billing", "/corp\\u001b[2Jbilling"),
        GRAPH,
        "links.corp-billing",
        "control characters",
    ),
    (
        # A '>' would end the Markdown link `[label](<url>)` early and let the rest of the URL run as Markdown.
        "url-with-angle-bracket",
        replace(GRAPH, "/corp-billing", "/corp-billing>)[x](https://evil.example"),
        GRAPH,
        "links.corp-billing",
        "contains a character URLs cannot hold",
    ),
    (
        "url-with-quote",
        replace(GRAPH, '"https://admin.logmeininc.com"', "'https://admin.logmeininc.com/\"x'"),
        GRAPH,
        "links.admin-center",
        "contains a character URLs cannot hold",
    ),
    (
        "unknown-link-in-question",
        replace(GRAPH, 'links = ["billing-center"]', 'links = ["billing-centre"]'),
        GRAPH,
        "flows.billing-center.questions.outcome.links",
        "unknown link id 'billing-centre'",
    ),
    (
        "email-draft-not-bool",
        replace(GRAPH, "email_draft = true", 'email_draft = "yes"'),
        GRAPH,
        "verdicts.contact-billing-admin.email_draft",
        "must be true or false",
    ),
    (
        "start-not-a-question",
        replace(GRAPH, 'start = "outcome"', 'start = "billing-admin"'),
        GRAPH,
        "flows.billing-center.start",
        "is not a question of this flow",
    ),
    ("schema-wrong", replace(GRAPH, "schema = 1", "schema = 2"), GRAPH, "schema", "must be 1, found 2"),
    ("schema-missing", replace(GRAPH, "schema = 1\n", ""), GRAPH, "schema", "must be 1, found None"),
    ("unknown-key-graph", replace(GRAPH, "schema = 1", "schema = 1\nscheme = 1"), GRAPH, "scheme", "unknown key"),
    (
        "unknown-key-in-choice",
        replace(GRAPH, BC_SUBSCRIPTIONS, '{ id = "subscriptions", verdit = "billing-admin" },'),
        GRAPH,
        "flows.billing-center.questions.outcome.choices.subscriptions.verdit",
        "unknown key",
    ),
    (
        "invalid-question-id",
        replace(GRAPH, 'id = "my-account"', 'id = "My_Account"'),
        GRAPH,
        "flows.billing-center.questions[1].id",
        "invalid id 'My_Account'",
    ),
    # These four crashed the validator (TypeError / KeyError) before graph_check.py was fixed.
    (
        "choice-to-malformed-question-id",
        both(
            replace(GRAPH, 'id = "my-account"', 'id = "My_Account"'),
            replace(GRAPH, 'question = "my-account"', 'question = "My_Account"'),
        ),
        GRAPH,
        "flows.billing-center.questions.outcome.choices.invalid-page.question",
        "unknown question id 'My_Account'",
    ),
    (
        "question-id-is-an-array",
        replace(GRAPH, 'id = "outcome"', 'id = ["outcome"]'),
        GRAPH,
        "flows.billing-center.questions[0].id",
        "invalid id ['outcome']",
    ),
    (
        "choice-question-is-an-array",
        replace(GRAPH, 'question = "my-account"', 'question = ["my-account"]'),
        GRAPH,
        "flows.billing-center.questions.outcome.choices.invalid-page.question",
        "must be a question id (a string), not an array",
    ),
    (
        "choice-verdict-is-a-table",
        replace(GRAPH, BC_SUBSCRIPTIONS, '{ id = "subscriptions", verdict = { id = "billing-admin" } },'),
        GRAPH,
        "flows.billing-center.questions.outcome.choices.subscriptions.verdict",
        "must be a verdict id (a string), not a table",
    ),
    ("missing-graph", delete(GRAPH), GRAPH, "-", "file not found"),
    (
        "no-texts",
        lambda root: [f.unlink() for f in (root / "texts").glob("*.toml")],
        "texts/",
        "-",
        "no language files",
    ),
    ("texts-not-utf8", write_bytes(EN, b"\n# caf\xe9\n"), EN, "-", "not valid UTF-8"),
    (
        "missing-translation",
        sub(EN, r'(\[verdicts\.unsure\]\ntitle = "[^"\n]*"\n)body = "[^"\n]*"\n', r"\1"),
        EN,
        "verdicts.unsure.body",
        "missing translation (present in pt-BR.toml)",
    ),
    (
        "missing-in-both",
        both(
            sub(EN, r'(\[verdicts\.unsure\]\n)title = "[^"\n]*"\n', r"\1"),
            sub(PT, r'(\[verdicts\.unsure\]\n)title = "[^"\n]*"\n', r"\1"),
        ),
        PT,
        "verdicts.unsure.title",
        "missing",
    ),
    (
        "missing-choice-label",
        sub(PT, r'^invalid-page = "[^\n]*"\n', ""),
        PT,
        "flows.billing-center.questions.outcome.choices.invalid-page",
        "missing translation (present in en.toml)",
    ),
    ("empty-string", sub(PT, r'^yes = "Sim"', 'yes = "  "'), PT, "kinds.yes", "must be a non-empty string"),
    (
        "steps-not-a-list",
        sub(
            PT,
            r"(\[flows\.billing-center\.questions\.outcome\]\ntitle = [^\n]*\n)steps = \[.*?\n\]",
            r'\1steps = "Efetue login."',
        ),
        PT,
        "flows.billing-center.questions.outcome.steps",
        "must be a non-empty array of non-empty strings",
    ),
    (
        "steps-with-empty-string",
        sub(EN, r"(\[flows\.admin-center\.questions\.outcome\]\ntitle = [^\n]*\nsteps = \[\n)", r'\1  "",\n'),
        EN,
        "flows.admin-center.questions.outcome.steps",
        "must be a non-empty array of non-empty strings",
    ),
    (
        "title-not-a-string",
        sub(EN, r'^(\[verdicts\.billing-admin\]\n)title = "[^"\n]*"', r"\1title = 42"),
        EN,
        "verdicts.billing-admin.title",
        "must be a non-empty string",
    ),
    (
        "unknown-verdict-in-texts",
        append(EN, '\n[verdicts.billing-admn]\ntitle = "x"\nbody = "y"\n'),
        EN,
        "verdicts.billing-admn.title",
        "unknown verdict id 'billing-admn' (not in graph.toml)",
    ),
    (
        "unknown-flow-in-texts",
        append(PT, '\n[flows.billing-centre]\nlabel = "x"\n'),
        PT,
        "flows.billing-centre.label",
        "unknown flow id 'billing-centre'",
    ),
    (
        "unknown-question-in-texts",
        append(EN, '\n[flows.admin-center.questions.my-account]\ntitle = "x"\n'),
        EN,
        "flows.admin-center.questions.my-account.title",
        "unknown question id 'my-account'",
    ),
    (
        "unknown-choice-in-texts",
        sub(EN, r"^(invalid-page = [^\n]*\n)", r'\1invalid-pag = "typo"\n'),
        EN,
        "flows.billing-center.questions.outcome.choices.invalid-pag",
        "unknown choice id 'invalid-pag'",
    ),
    (
        "unknown-link-in-texts",
        sub(PT, r"^(corp-billing = [^\n]*\n)", r'\1corp-biling = "x"\n'),
        PT,
        "links.corp-biling",
        "unknown link id 'corp-biling'",
    ),
    (
        "unknown-top-level-key-in-texts",
        sub(PT, r"^(language_name = [^\n]*\n)", r'\1colour = "azul"\n'),
        PT,
        "colour",
        "unknown key 'colour'",
    ),
    (
        "missing-ui-key",
        both(sub(EN, r"^verdict_heading = [^\n]*\n", ""), sub(PT, r"^verdict_heading = [^\n]*\n", "")),
        EN,
        "ui.verdict_heading",
        "missing",
    ),
    (
        "missing-ui-key-in-one-language",
        sub(EN, r"^path_heading = [^\n]*\n", ""),
        EN,
        "ui.path_heading",
        "missing translation (present in pt-BR.toml)",
    ),
    (
        "missing-home-table",
        sub(PT, r"^\[home\]\n.*?\n\n", ""),
        PT,
        "home.who_can_see",
        "missing translation (present in en.toml)",
    ),
]


def break_copy(tmp_path: Path, edit: Callable[[Path], None]) -> Path:
    root = copy_content(tmp_path / "content")
    edit(root)
    return root


def test_the_corpus_is_big_enough() -> None:
    assert len(CASES) >= 20
    assert len({case[0] for case in CASES}) == len(CASES)


@pytest.mark.parametrize(("edit", "file", "key", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_content_is_rejected(
    tmp_path: Path, edit: Callable[[Path], None], file: str, key: str, fragment: str
) -> None:
    root = break_copy(tmp_path, edit)

    with pytest.raises(ContentError) as caught:
        load_content(root)
    problems = caught.value.problems
    assert problems
    assert any(p.file == file and p.key == key and fragment in p.message for p in problems), problems

    result = run_cli("validate", str(root))
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines == [str(p) for p in problems]
    for line in lines:
        assert LINE.match(line), line
    assert any(line.startswith(f"{file}: {key}: ") and fragment in line for line in lines), lines
    count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
    assert result.stderr.strip().splitlines() == [f"billing-tui: {count} in {root}"]


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    root = break_copy(tmp_path, replace(EN, "[kinds]\n", "[kinds\n"))
    line = next(n for n, text in enumerate((root / EN).read_text(encoding="utf-8").splitlines(), 1) if text == "[kinds")
    with pytest.raises(ContentError) as caught:
        load_content(root)
    assert next(p for p in caught.value.problems if p.file == EN).message.endswith(f"(at line {line}, column 7)")


def test_several_problems_are_reported_at_once(tmp_path: Path) -> None:
    edit = both(
        replace(GRAPH, "schema = 1", "schema = 3"),
        replace(GRAPH, '"https://billing.logmeininc.com"', '"http://billing.logmeininc.com"'),
        replace(GRAPH, 'kind = "unsure"', 'kind = "maybe"'),
        replace(GRAPH, 'question = "my-account"', 'question = "my-acount"'),
        replace(EN, "[kinds]\n", "[kinds\n"),
    )
    root = break_copy(tmp_path, edit)
    result = run_cli("validate", str(root))
    assert result.returncode == 2
    keys = {tuple(line.split(": ", 2)[:2]) for line in result.stdout.splitlines()}
    assert {
        (GRAPH, "schema"),
        (GRAPH, "links.billing-center"),
        (GRAPH, "verdicts.unsure.kind"),
        (GRAPH, "flows.billing-center.questions.outcome.choices.invalid-page.question"),
        (EN, "syntax"),
    } <= keys


def test_several_text_problems_are_reported_at_once(tmp_path: Path) -> None:
    edit = both(
        sub(PT, r'^yes = "Sim"', 'yes = ""'),
        sub(EN, r"^path_heading = [^\n]*\n", ""),
        append(EN, '\n[verdicts.nope]\ntitle = "x"\n'),
    )
    root = break_copy(tmp_path, edit)
    with pytest.raises(ContentError) as caught:
        load_content(root)
    found = {(p.file, p.key) for p in caught.value.problems}
    assert found == {(PT, "kinds.yes"), (EN, "ui.path_heading"), (EN, "verdicts.nope.title")}


def test_a_valid_copy_validates(content_copy: Path) -> None:
    load_content(content_copy)
    result = run_cli("validate", str(content_copy))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == f"ok: {content_copy}: 2 flows, 6 verdicts, languages: pt-BR, en\n"
    assert result.stderr == ""


def test_the_builtin_content_validates() -> None:
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith(f"ok: {builtin_content_dir()}: 2 flows, 6 verdicts")


def test_validate_honours_content_option(tmp_path: Path) -> None:
    root = break_copy(tmp_path, replace(GRAPH, "schema = 1", "schema = 2"))
    result = run_cli("--content", str(root), "validate")
    assert result.returncode == 2
    assert result.stdout == "graph.toml: schema: must be 1, found 2\n"


def test_missing_directory(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(ContentError) as caught:
        load_content(missing)
    assert caught.value.problems == (Problem(str(missing), "-", "content directory not found"),)
    result = run_cli("validate", str(missing))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stdout == f"{missing}: -: content directory not found\n"


# -- robustness: any type confusion in graph.toml or a texts file is a ContentError, never a crash -----------


ids = st.sampled_from(["outcome", "my-account", "unsure", "billing-admin", "Bad_Id", "corp-billing", "", "x"])
scalars = st.one_of(st.booleans(), st.integers(-2, 3), ids, st.text(max_size=5))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(ids, inner, max_size=3)),
    max_leaves=6,
)


def _slots(node: Any) -> Iterator[tuple[Any, Any]]:
    """Every (container, key) pair of a parsed document, depth first."""
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in list(children):
        yield node, key
        yield from _slots(child)


def _mutate(doc: Any, data: st.DataObject, mutations: int) -> None:
    """Replace or delete a few randomly chosen values anywhere in the document (None deletes)."""
    for _ in range(mutations):
        paths = list(_slots(doc))
        parent, key = data.draw(st.sampled_from(paths))
        value = data.draw(st.one_of(st.none(), values))
        if value is None:
            del parent[key]
        else:
            parent[key] = value


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_content(tmp_path_factory.mktemp("fuzz") / "content")


@settings(max_examples=200, deadline=None)
@given(st.data(), st.sampled_from([GRAPH, PT, EN]), st.integers(1, 3))
def test_mutated_content_never_crashes_the_loader(fuzz_root: Path, data: st.DataObject, file: str, n: int) -> None:
    original = (builtin_content_dir() / file).read_text(encoding="utf-8")
    doc = tomllib.loads(original)
    _mutate(doc, data, n)
    target = fuzz_root / file
    target.write_text(toml_dumps(doc), encoding="utf-8")
    try:
        load_content(fuzz_root)
    except ContentError as exc:
        assert exc.problems
        assert all(LINE.match(str(p)) for p in exc.problems), exc.problems
    finally:
        shutil.copyfile(builtin_content_dir() / file, target)
