"""Every path of FLOWS.md in both languages, through the Wizard and `billing-tui answer`; CLI errors and options."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from core_helpers import (
    FLOWS_MD,
    LANGS,
    PATHS,
    VERDICT_KINDS,
    VERDICT_LINKS,
    assert_one_line_error,
    clean_env,
    path_id,
    run_cli,
)

from billing_tui import __version__
from billing_tui.flow import Content, Wizard
from billing_tui.flow.language import resolve_lang

OTHER_LANG = {"pt-BR": "en", "en": "pt-BR"}

# Sentences FLOWS.md quotes for two verdicts: the pt-BR content must say exactly this.
QUOTED_VERDICTS = {
    "corporate-not-admin": "Se não conseguir efetuar login no Portal de Cobrança Corporativa, "
    "você não é o administrador de cobrança.",
    "unsure": "Se você ainda não tiver certeza de quem é o contato de cobrança, entre em contato com seu "
    "administrador que gerencia a conta do GoToAssist Remote Support v5.",
}


def test_contract_paths_match_flows_md() -> None:
    """The hard-coded paths are exactly the list at the end of FLOWS.md (vendored in docs/design/)."""
    section = FLOWS_MD.read_text(encoding="utf-8").split("## Paths a test must cover", 1)[1]
    listed = re.findall(r"^- ([a-z-]+): `([a-z -]+)` → `([a-z-]+)`$", section, flags=re.MULTILINE)
    assert listed, "no paths found in FLOWS.md"
    assert [(flow, tuple(answers.split()), verdict) for flow, answers, verdict in listed] == [
        (flow, answers, verdict) for flow, answers, _, verdict in PATHS
    ]


# -- (a) through the Wizard --------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PATHS, ids=path_id)
def test_wizard_walks_path(content: Content, lang: str, path: tuple) -> None:
    flow_id, answers, questions, verdict_id = path
    guide = content.guide(lang)
    home = Wizard(guide)
    assert home.at_home and home.question is None and home.verdict is None
    assert home.valid_moves == ("billing-center", "admin-center")

    wizard = home.start(flow_id)
    assert not wizard.at_home
    assert wizard.flow is not None and wizard.flow.id == flow_id
    for index, (question_id, choice_id) in enumerate(zip(questions, answers, strict=True)):
        assert wizard.verdict is None
        assert wizard.question is not None
        assert wizard.question.id == question_id
        assert choice_id in wizard.question.choice_ids
        assert len(wizard.steps) == index
        wizard = wizard.choose(choice_id)

    assert wizard.question is None
    verdict = wizard.verdict
    assert verdict is not None
    assert verdict.id == verdict_id
    assert verdict.kind == VERDICT_KINDS[verdict_id]
    assert verdict.title.strip() and verdict.body.strip() and verdict.kind_label.strip()
    assert tuple(link.id for link in verdict.links) == VERDICT_LINKS.get(verdict_id, ())
    assert all(link.url.startswith("https://") for link in verdict.links)
    assert [(s.question.id, s.choice.id) for s in wizard.steps] == list(zip(questions, answers, strict=True))
    assert wizard.valid_moves == ()
    if lang == "pt-BR" and verdict_id in QUOTED_VERDICTS:
        assert verdict.body == QUOTED_VERDICTS[verdict_id]

    # Going back from the verdict lands on the last question, with one answer fewer.
    back = wizard.back()
    assert back.verdict is None and back.question is not None and back.question.id == questions[-1]
    assert back.answers == answers[:-1]
    # back_to(0) is the flow's first question; restart is home.
    first = wizard.back_to(0)
    assert first == home.start(flow_id)
    assert first.question is not None and first.question.id == "outcome" and first.steps == ()
    assert wizard.restart() == home and wizard.restart().at_home

    # Switching language keeps the verdict and the path, with the other language's words.
    other = content.guide(OTHER_LANG[lang])
    switched = wizard.with_guide(other)
    assert switched.guide.lang == OTHER_LANG[lang]
    assert switched.verdict is not None and switched.verdict.id == verdict_id
    assert switched.verdict.title == other.verdict(verdict_id).title != verdict.title
    assert [(s.question.id, s.choice.id) for s in switched.steps] == list(zip(questions, answers, strict=True))
    assert switched.with_guide(guide) == wizard


# -- (b) through `billing-tui answer ... --format json` -------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PATHS, ids=path_id)
def test_cli_answer_json(content: Content, lang: str, path: tuple) -> None:
    flow_id, answers, questions, verdict_id = path
    result = run_cli("answer", flow_id, *answers, "--format", "json", "--lang", lang)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    guide = content.guide(lang)

    assert data["flow"] == flow_id
    assert data["lang"] == lang
    assert [(step["question"], step["choice"]) for step in data["path"]] == list(zip(questions, answers, strict=True))
    flow = guide.flow(flow_id)
    assert flow is not None
    for step in data["path"]:
        question = flow.question(step["question"])
        choice = question.choice(step["choice"])
        assert choice is not None
        assert step["question_text"] == question.prompt
        assert step["choice_text"] == choice.label

    verdict = data["verdict"]
    assert {"id", "kind", "title", "body", "links"} <= set(verdict)
    expected = guide.verdict(verdict_id)
    assert verdict["id"] == verdict_id
    assert verdict["kind"] == VERDICT_KINDS[verdict_id]
    assert verdict["title"] == expected.title
    assert verdict["body"] == expected.body
    assert [link["id"] for link in verdict["links"]] == list(VERDICT_LINKS.get(verdict_id, ()))
    for link in verdict["links"]:
        assert set(link) >= {"id", "label", "url"}
        assert link["url"].startswith("https://") and link["label"].strip()
    if lang == "pt-BR" and verdict_id in QUOTED_VERDICTS:
        assert verdict["body"] == QUOTED_VERDICTS[verdict_id]


# -- answers that stop at a question: exit 3 ------------------------------------------


@pytest.mark.parametrize(
    ("flow_id", "answers", "question_id", "choice_ids"),
    [
        ("admin-center", (), "outcome", ("subscriptions", "contact-billing-admin", "select-product", "unsure")),
        ("billing-center", ("invalid-page",), "my-account", ("standard-account", "corporate-portal", "unsure")),
        ("admin-center", ("select-product",), "corporate-login", ("logged-in", "cannot-log-in", "unsure")),
    ],
)
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_cli_incomplete_exits_3_with_the_question(
    content: Content, flow_id: str, answers: tuple[str, ...], question_id: str, choice_ids: tuple[str, ...], fmt: str
) -> None:
    result = run_cli("answer", flow_id, *answers, "--format", fmt)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    question = content.guide("pt-BR").flow(flow_id).question(question_id)  # type: ignore[union-attr]
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["complete"] is False
        assert data["verdict"] is None
        assert data["question"]["id"] == question_id
        assert data["question"]["text"] == question.prompt
        assert [c["id"] for c in data["question"]["choices"]] == list(choice_ids)
        assert [step["choice"] for step in data["path"]] == list(answers)
    else:
        assert question.prompt in result.stdout
        for number, choice_id in enumerate(choice_ids, 1):
            label = question.choice(choice_id).label  # type: ignore[union-attr]
            assert f"{number}. {label} [{choice_id}]" in result.stdout


# -- user errors: exit 2, one line on stderr naming the valid ids ----------------------


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("answer", "nope"), ("'nope'", "billing-center, admin-center")),
        (("answer", "billing-center", "nope"), ("'nope'", "subscriptions, invalid-page, unsure")),
        (
            ("answer", "admin-center", "select-product", "typo"),
            ("'typo'", "corporate-login", "logged-in, cannot-log-in, unsure"),
        ),
        (("answer", "billing-center", "subscriptions", "unsure"), ("'unsure'", "ended at the verdict 'billing-admin'")),
        (("answer", "billing-center", "subscriptions", "--format", "yaml"), ("'yaml'", "text", "json", "markdown")),
        (("answer", "billing-center", "--lang", "fr"), ("'fr'", "pt-BR, en")),
        (("graph", "nope"), ("'nope'", "billing-center, admin-center")),
        (("--flow", "nope", "--plain"), ("'nope'", "billing-center, admin-center")),
        (("--kios", "--plain"), ("unrecognized arguments: --kios",)),  # long options are spelled out
        (("answer", "billing-center", "subscriptions", "--form", "json"), ("unrecognized arguments: --form",)),
    ],
    ids=[
        "unknown-flow",
        "unknown-choice",
        "unknown-second-choice",
        "choice-after-verdict",
        "bad-format",
        "unknown-lang",
        "graph-unknown-flow",
        "launch-unknown-flow",
        "abbreviated-option",
        "abbreviated-subcommand-option",
    ],
)
def test_cli_user_errors(args: tuple[str, ...], fragments: tuple[str, ...]) -> None:
    line = assert_one_line_error(run_cli(*args))
    assert line.startswith("billing-tui")
    for fragment in fragments:
        assert fragment in line


def test_cli_invalid_content_exits_2_listing_problems(tmp_path: Path) -> None:
    broken = tmp_path / "content"
    (broken / "texts").mkdir(parents=True)
    result = run_cli("--content", str(broken), "answer", "billing-center", "subscriptions")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "invalid content" in result.stderr
    assert "graph.toml: -: file not found" in result.stderr
    assert result.stdout == ""


# -- other formats and options ------------------------------------------------------


def test_cli_markdown(content: Content) -> None:
    answers = ("invalid-page", "corporate-portal", "logged-in")
    result = run_cli("answer", "billing-center", *answers, "--format", "markdown")
    assert result.returncode == 0, result.stderr
    guide = content.guide("pt-BR")
    verdict = guide.verdict("corporate-billing-admin")
    out = result.stdout
    assert out.startswith(f"# {guide.text('transcript_title')}\n")
    assert "(`billing-center`)" in out
    assert "(`outcome` → `invalid-page`)" in out
    assert "(`my-account` → `corporate-portal`)" in out
    assert "(`corporate-login` → `logged-in`)" in out
    assert f"## {guide.text('verdict_heading')}: ✔ {verdict.kind_label}" in out
    assert f"**{verdict.title}** (`corporate-billing-admin`)" in out
    assert verdict.body in out
    assert "(<https://link.logmeininc.com/corp-billing>)" in out
    assert re.search(r"^1\. \*\*", out, flags=re.MULTILINE) and re.search(r"^3\. \*\*", out, flags=re.MULTILINE)


def test_cli_text(content: Content) -> None:
    result = run_cli("answer", "admin-center", "contact-billing-admin", "--lang", "en")
    assert result.returncode == 0, result.stderr
    guide = content.guide("en")
    verdict = guide.verdict("contact-billing-admin")
    lines = result.stdout.splitlines()
    assert lines[0] == f"{guide.text('verdict_heading')}: ✘ {verdict.kind_label} — {verdict.title}"
    assert verdict.body in result.stdout
    assert "[outcome: contact-billing-admin]" in result.stdout


@pytest.mark.parametrize(
    ("encoding", "fmt", "lang", "expected"),
    [
        ("ascii", "text", "en", "Verdict: [+] Yes - "),
        ("ascii", "text", "pt-BR", "Veredicto: [+] Sim - Voce e o administrador de cobranca"),
        ("ascii", "markdown", "pt-BR", "## Veredicto: \\[+\\] Sim"),  # Markdown-escaped: renders as [+]
        ("latin-1", "text", "pt-BR", "Veredicto: [+] Sim - Você é o administrador de cobrança"),
        ("latin-1", "markdown", "en", "## Verdict: \\[+\\] Yes"),
    ],
)
def test_cli_output_fits_a_non_utf8_stdout(encoding: str, fmt: str, lang: str, expected: str) -> None:
    """On an ASCII or Latin-1 stdout the ✔ of a yes verdict must not turn into '?' (the unsure symbol)."""
    args = ("answer", "admin-center", "subscriptions", "--format", fmt, "--lang", lang)
    outputs = {}
    for enc in (encoding, "utf-8"):
        result = subprocess.run(
            [sys.executable, "-m", "billing_tui", *args],
            capture_output=True,
            env=clean_env({"PYTHONIOENCODING": enc}),
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        outputs[enc] = result.stdout.decode(enc)
    assert expected in outputs[encoding]
    # No character was replaced by '?': the only ones are the content's own question marks.
    assert outputs[encoding].count("?") == outputs["utf-8"].count("?")


def test_cli_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout == f"billing-tui {__version__}\n"


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_cli_graph(content: Content, fmt: str) -> None:
    result = run_cli("graph", "admin-center", "--format", fmt)
    assert result.returncode == 0, result.stderr
    flow = content.guide("pt-BR").flow("admin-center")
    assert flow is not None
    for question in flow.questions:
        assert question.id in result.stdout
        for choice in question.choices:
            target = choice.target.verdict or choice.target.question
            assert str(target) in result.stdout
    assert "my-account" not in result.stdout  # a billing-center question
    assert result.stdout.startswith("flowchart TD" if fmt == "mermaid" else 'digraph "admin-center"')


@pytest.mark.parametrize("where", ["before", "after"])
def test_cli_content_dir_rewords_the_output(content_copy: Path, where: str) -> None:
    for lang, title in (("pt-BR", "Sim: é você quem cuida da cobrança"), ("en", "Yes: billing is yours")):
        path = content_copy / "texts" / f"{lang}.toml"
        text = path.read_text(encoding="utf-8")
        old = re.search(r'\[verdicts\.billing-admin\]\ntitle = "([^"]*)"', text)
        assert old is not None
        path.write_text(text.replace(old.group(0), f'[verdicts.billing-admin]\ntitle = "{title}"'), encoding="utf-8")
    common = ("answer", "billing-center", "subscriptions", "--format", "json", "--lang", "en")
    args = ("--content", str(content_copy), *common) if where == "before" else (*common, "--content", str(content_copy))
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["verdict"]["title"] == "Yes: billing is yours"
    assert data["verdict"]["id"] == "billing-admin"


# -- language resolution ---------------------------------------------------------------

AVAILABLE = ("pt-BR", "en")


@pytest.mark.parametrize(
    ("requested", "env", "expected"),
    [
        ("en", {}, "en"),
        ("EN", {}, "en"),
        ("pt-br", {}, "pt-BR"),
        ("pt-BR", {"BILLING_TUI_LANG": "en", "LANG": "en_US.UTF-8"}, "pt-BR"),
        (None, {"BILLING_TUI_LANG": "en", "LANG": "pt_BR.UTF-8"}, "en"),
        (None, {"BILLING_TUI_LANG": "pt-BR", "LC_ALL": "en_US.UTF-8"}, "pt-BR"),
        (None, {"BILLING_TUI_LANG": "", "LANG": "en_US.UTF-8"}, "en"),
        (None, {"LC_ALL": "en_GB.UTF-8", "LC_MESSAGES": "pt_BR.UTF-8", "LANG": "pt_BR.UTF-8"}, "en"),
        (None, {"LC_ALL": "pt_PT.UTF-8", "LANG": "en_US.UTF-8"}, "pt-BR"),
        (None, {"LC_MESSAGES": "en_US.UTF-8", "LANG": "pt_BR.UTF-8"}, "en"),
        (None, {"LC_ALL": "", "LC_MESSAGES": "en_US", "LANG": "pt_BR"}, "en"),
        (None, {"LANG": "en"}, "en"),
        (None, {"LANG": "pt_BR.UTF-8"}, "pt-BR"),
        (None, {"LANG": "fr_FR.UTF-8"}, "pt-BR"),
        (None, {"LANG": "C.UTF-8"}, "pt-BR"),
        (None, {"LC_ALL": "C", "LANG": "en_US.UTF-8"}, "pt-BR"),
        (None, {}, "pt-BR"),
    ],
)
def test_resolve_lang(requested: str | None, env: dict[str, str], expected: str) -> None:
    assert resolve_lang(requested, env, AVAILABLE) == expected


@pytest.mark.parametrize(("requested", "env"), [("fr", {}), (None, {"BILLING_TUI_LANG": "xx", "LANG": "en_US"})])
def test_resolve_lang_rejects_unknown_languages(requested: str | None, env: dict[str, str]) -> None:
    with pytest.raises(LookupError, match="pt-BR, en"):
        resolve_lang(requested, env, AVAILABLE)


def test_resolve_lang_without_pt_br_uses_the_first_available() -> None:
    assert resolve_lang(None, {"LANG": "de_DE"}, ("en",)) == "en"


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        ((), {}, "pt-BR"),
        ((), {"LANG": "en_US.UTF-8"}, "en"),
        ((), {"BILLING_TUI_LANG": "en", "LANG": "pt_BR.UTF-8"}, "en"),
        (("--lang", "pt-BR"), {"BILLING_TUI_LANG": "en"}, "pt-BR"),
    ],
)
def test_cli_language(args: tuple[str, ...], env: dict[str, str], expected: str) -> None:
    result = run_cli(*args, "answer", "admin-center", "subscriptions", "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["lang"] == expected


def test_cli_unknown_language_from_the_environment() -> None:
    line = assert_one_line_error(run_cli("answer", "admin-center", env={"BILLING_TUI_LANG": "xx"}))
    assert "'xx'" in line and "pt-BR, en" in line
