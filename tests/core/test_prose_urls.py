"""URLs in the texts' prose: an http:// or an unlisted link in a question or verdict is rejected by `validate DIR`."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from core_helpers import copy_content, run_cli
from toml_writer import toml_dumps

from billing_tui.flow.prose_urls import urls_in

LANGS = ["pt-BR", "en"]
FIRST_STEPS = "flows.billing-center.questions.outcome.steps"  # where each language first writes a URL
ADMIN_STEPS = "flows.admin-center.questions.outcome.steps"


def edit_first(root: Path, lang: str, old: str, new: str) -> None:
    path = root / "texts" / f"{lang}.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, (lang, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rejected_with(root: Path) -> list[str]:
    result = run_cli("validate", str(root))
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stdout.splitlines()


@pytest.mark.parametrize("lang", LANGS)
def test_an_http_url_in_the_prose_is_rejected(tmp_path: Path, lang: str) -> None:
    root = copy_content(tmp_path / "content")
    edit_first(root, lang, "https://", "http://")
    assert rejected_with(root) == [
        f"texts/{lang}.toml: {FIRST_STEPS}: URL 'http://billing.logmeininc.com' is not https"
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_an_unlisted_url_in_the_prose_is_reported(tmp_path: Path, lang: str) -> None:
    root = copy_content(tmp_path / "content")
    edit_first(root, lang, "https://admin.logmeininc.com", "https://admin.example.com/login")
    assert rejected_with(root) == [
        f"texts/{lang}.toml: {ADMIN_STEPS}: URL 'https://admin.example.com/login' is not one of the content's links"
        " (declare it in graph.toml [links])"
    ]


def test_a_url_in_a_verdict_body_is_checked_too(tmp_path: Path) -> None:
    root = copy_content(tmp_path / "content")
    path = root / "texts" / "en.toml"
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    doc["verdicts"]["unsure"]["body"] += " Or write to ftp://files.example/x."
    path.write_text(toml_dumps(doc), encoding="utf-8")
    assert rejected_with(root) == ["texts/en.toml: verdicts.unsure.body: URL 'ftp://files.example/x' is not https"]


def test_the_builtin_content_still_validates_clean() -> None:
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok: ")


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("go to https://admin.logmeininc.com.", ["https://admin.logmeininc.com"]),
        ("(see https://x.example/a_(b)) and http://y.example, then", ["https://x.example/a_(b", "http://y.example"]),
        ("[link=https://evil.example]L[/link]", ["https://evil.example"]),
        ("vá a HTTPS://Billing.example/ok!", ["HTTPS://Billing.example/ok"]),
        ("a\x1b]8;;https://hidden.example/\x1b\\x", ["https://hidden.example/"]),
        ("no url: billing.logmeininc.com, mailto:x@y.example", []),
    ],
)
def test_urls_in_finds_what_a_reader_sees(text: str, urls: list[str]) -> None:
    assert list(urls_in(text)) == urls
