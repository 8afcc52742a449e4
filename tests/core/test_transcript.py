"""Summaries of a walk: the JSON-ready dict, plain text (Unicode or ASCII symbols) and Markdown that escapes content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from core_helpers import LANGS, PATHS, VERDICT_KINDS, path_id, run_cli

from billing_tui.flow import Content, Wizard, load_content
from billing_tui.flow.transcript import kind_badge, md_escape, to_dict, to_markdown, to_text

SYMBOLS = {"yes": "✔", "no": "✘", "unsure": "?"}
ASCII_SYMBOLS = {"yes": "[+]", "no": "[x]", "unsure": "[?]"}


def walk(content: Content, lang: str, flow_id: str, answers: tuple[str, ...]) -> Wizard:
    wizard = Wizard(content.guide(lang)).start(flow_id)
    for answer in answers:
        wizard = wizard.choose(answer)
    return wizard


def test_kind_badge_is_a_symbol_and_a_word() -> None:
    assert kind_badge("yes", "Sim") == "✔ Sim"
    assert kind_badge("no", "No") == "✘ No"
    assert kind_badge("unsure", "Incerto") == "? Incerto"
    assert kind_badge("yes", "Yes", ascii_only=True) == "[+] Yes"
    assert kind_badge("no", "Não", ascii_only=True) == "[x] Não"
    assert kind_badge("unsure", "Unsure", ascii_only=True) == "[?] Unsure"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PATHS, ids=path_id)
def test_text_shows_the_kind_as_symbol_and_word(content: Content, lang: str, path: tuple) -> None:
    flow_id, answers, questions, verdict_id = path
    wizard = walk(content, lang, flow_id, answers)
    guide = content.guide(lang)
    verdict = guide.verdict(verdict_id)
    kind = VERDICT_KINDS[verdict_id]

    unicode_text = to_text(wizard)
    first = unicode_text.splitlines()[0]
    assert first == f"{guide.text('verdict_heading')}: {SYMBOLS[kind]} {verdict.kind_label} — {verdict.title}"
    assert verdict.body in unicode_text
    for number, (question_id, choice_id) in enumerate(zip(questions, answers, strict=True), 1):
        assert re.search(rf"^  {number}\. .* → .* \[{question_id}: {choice_id}\]$", unicode_text, re.MULTILINE)

    ascii_text = to_text(wizard, ascii_only=True)
    assert ascii_text.splitlines()[0].startswith(
        f"{guide.text('verdict_heading')}: {ASCII_SYMBOLS[kind]} {verdict.kind_label} - "
    )
    assert not set("✔✘→—") & set(ascii_text)
    assert f"[{questions[0]}: {answers[0]}]" in ascii_text

    markdown = to_markdown(wizard)
    assert (
        f"## {md_escape(guide.text('verdict_heading'))}: {md_escape(kind_badge(kind, verdict.kind_label))}" in markdown
    )


def test_kind_words_differ_by_language(content: Content) -> None:
    words = {lang: {v.kind: v.kind_label for v in content.guide(lang).verdicts} for lang in LANGS}
    assert set(words["pt-BR"]) == set(words["en"]) == {"yes", "no", "unsure"}
    assert words["pt-BR"] != words["en"]
    assert len(set(words["en"].values())) == 3  # three different words, not colour, tell the kinds apart


def test_text_and_markdown_list_the_links(content: Content) -> None:
    wizard = walk(content, "en", "billing-center", ("invalid-page", "corporate-portal", "logged-in"))
    link = content.guide("en").verdict("corporate-billing-admin").links[0]
    assert f"  {link.label}: {link.url}" in to_text(wizard)
    assert f"- [{md_escape(link.label)}](<{link.url}>)" in to_markdown(wizard)


def test_summaries_of_an_unfinished_walk(content: Content) -> None:
    wizard = walk(content, "en", "admin-center", ("select-product",))
    question = wizard.question
    assert question is not None
    text = to_text(wizard)
    assert text.startswith(f"{question.title}: {question.prompt}\n{content.guide('en').text('incomplete')}\n")
    assert "  3. " in text and "[unsure]" in text
    markdown = to_markdown(wizard)
    assert f"## {md_escape(question.title)}" in markdown
    assert all(f"(`{c.id}`)" in markdown for c in question.choices)
    data = to_dict(wizard)
    assert data["complete"] is False and data["verdict"] is None
    assert data["question"]["id"] == "corporate-login"
    assert [link["url"] for link in data["question"]["links"]] == ["https://link.logmeininc.com/corp-billing"]
    assert data["question"]["steps"] == list(question.steps)


def test_dict_at_a_verdict(content: Content) -> None:
    wizard = walk(content, "pt-BR", "admin-center", ("contact-billing-admin",))
    data = to_dict(wizard)
    assert data["complete"] is True and data["question"] is None
    assert data["verdict"]["kind"] == "no"
    assert data["verdict"]["kind_label"] == content.guide("pt-BR").verdict("contact-billing-admin").kind_label
    assert data["path"] == [
        {
            "question": "outcome",
            "choice": "contact-billing-admin",
            "question_text": wizard.steps[0].question.prompt,
            "question_title": wizard.steps[0].question.title,
            "choice_text": wizard.steps[0].choice.label,
        }
    ]


def test_markdown_header_and_timestamp(content: Content) -> None:
    wizard = walk(content, "pt-BR", "billing-center", ("unsure",))
    markdown = to_markdown(wizard, timestamp="2026-01-02 03:04")
    guide = content.guide("pt-BR")
    assert markdown.startswith(f"# {md_escape(guide.text('transcript_title'))}\n")
    assert "- 2026-01-02 03:04\n" in markdown
    assert f"- {md_escape(guide.language_name)} (`pt-BR`)" in markdown


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("**bold**", r"\*\*bold\*\*"),
        ("_em_", r"\_em\_"),
        ("[x](https://evil.example)", r"\[x\](https://evil.example)"),
        ("<img src=x onerror=alert(1)>", r"\<img src=x onerror=alert(1)\>"),
        ("# heading", r"\# heading"),
        ("a | b", r"a \| b"),
        ("`code`", r"\`code\`"),
        ("~~strike~~", r"\~\~strike\~\~"),
        ("back\\slash", r"back\\slash"),
        ("Você – “aspas”", "Você – “aspas”"),
    ],
)
def test_md_escape(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped


# The link is one the content declares: the validator rejects an unlisted URL in the prose.
MARKDOWN_TRAP = "**Sim** _x_ [clique](https://billing.logmeininc.com) <b>oi</b> # título | `rm -rf` ~~no~~"


def test_markdown_escapes_content(content_copy: Path) -> None:
    for lang in LANGS:
        path = content_copy / "texts" / f"{lang}.toml"
        text = path.read_text(encoding="utf-8")
        for table, key in (
            ("verdicts.billing-admin", "title"),
            ("verdicts.billing-admin", "body"),
            ("flows.billing-center.questions.outcome.choices", "subscriptions"),
        ):
            text, count = re.subn(
                rf'(^\[{re.escape(table)}\]\n(?:[^\[][^\n]*\n)*?){key} = "[^"\n]*"',
                lambda m, key=key: f'{m.group(1)}{key} = "{MARKDOWN_TRAP}"',
                text,
                flags=re.MULTILINE,
            )
            assert count == 1, (lang, table, key)
        path.write_text(text, encoding="utf-8")
    wizard = walk(load_content(content_copy), "pt-BR", "billing-center", ("subscriptions",))
    markdown = to_markdown(wizard)
    assert markdown.count(md_escape(MARKDOWN_TRAP)) == 3
    for raw in ("**Sim**", "[clique](", "<b>", "`rm -rf`", "~~no~~"):
        assert raw not in markdown
    # The ids stay code spans and the verdict title stays bold: only content is escaped.
    assert f"**{md_escape(MARKDOWN_TRAP)}** (`billing-admin`)" in markdown
    assert "(`outcome` → `subscriptions`)" in markdown

    result = run_cli(
        "--content", str(content_copy), "answer", "billing-center", "subscriptions", "--format", "markdown"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == markdown
