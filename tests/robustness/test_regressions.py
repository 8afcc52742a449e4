"""Regression tests, one per bug the robustness fuzzers (or the hostile-content review) found in billing_tui/flow/."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from robust_helpers import copy_content, run_cli, toml_dumps

from billing_tui.flow import ContentError, load_content

PROBLEM_LINE = re.compile(r"^(\S[^:\n]*): (\S[^\n]*?): (\S[^\n]*)$")


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    return copy_content(tmp_path / "content")


def edit(root: Path, file: str, old: str, new: str) -> None:
    """Replace the first occurrence of old in one content file (failing loudly when it is not there)."""
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_rejected(root: Path, *expected: str) -> list[str]:
    """`billing-tui validate DIR` exits 2 with clean `FILE: KEY: message` lines containing each expected text."""
    code, out, err = run_cli(["validate", str(root)])
    assert code == 2, (code, out, err)
    lines = out.splitlines()
    for line in lines:
        assert PROBLEM_LINE.match(line), line
        assert not re.search("[\x00-\x1f\x7f-\x9f]", line), line
    for text in expected:
        assert any(text in line for line in lines), (text, lines)
    with pytest.raises(ContentError):
        load_content(root)
    return lines


Edit = Callable[[Path], None]


def test_an_unparsable_url_is_a_problem_not_a_traceback(content_copy: Path) -> None:
    """Content fuzzing: `https://[` made urlsplit raise ValueError (Invalid IPv6 URL) out of `validate`."""
    edit(content_copy, "graph.toml", '"https://billing.logmeininc.com"', '"https://[billing.logmeininc.com"')
    assert_rejected(content_copy, "graph.toml: links.billing-center: URL 'https://[billing.logmeininc.com'")


def test_an_id_with_a_trailing_newline_is_invalid(content_copy: Path) -> None:
    """Content fuzzing: ID_PATTERN ended in '$', which also matches before a final newline, so 'x\\n' was an id."""
    edit(content_copy, "graph.toml", 'id = "subscriptions"', 'id = "subscriptions\\n"')
    for lang in ("en", "pt-BR"):
        edit(content_copy, f"texts/{lang}.toml", "subscriptions = ", '"subscriptions\\n" = ')
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert any(
        p.file == "graph.toml" and p.key.endswith(".id") and "invalid id 'subscriptions\\n'" in p.message
        for p in caught.value.problems
    ), caught.value.problems


@pytest.mark.parametrize("invisible", ["\\u202e", "\\u001b\\u0007", "\\u200b\\u2060", " \\u00ad ", "\\u009b"])
def test_a_text_that_sanitises_to_nothing_is_empty(content_copy: Path, invisible: str) -> None:
    """Content fuzzing: language_name = "\\u202e" passed the non-empty check, then showed as '' once sanitised."""
    edit(content_copy, "texts/en.toml", 'language_name = "English"', f'language_name = "{invisible}"')
    edit(content_copy, "texts/pt-BR.toml", 'title = "', f'title = "{invisible}')  # visible text remains: fine
    lines = assert_rejected(content_copy, "texts/en.toml: language_name: must be a non-empty string")
    assert not any(line.startswith("texts/pt-BR.toml") for line in lines), lines


@pytest.mark.parametrize("invisible", ["\\u202e", "\\u200b", "\\u001b"])
def test_a_step_that_sanitises_to_nothing_is_empty(content_copy: Path, invisible: str) -> None:
    edit(content_copy, "texts/en.toml", '"One of the following will happen:"', f'"{invisible}"')
    assert_rejected(content_copy, "texts/en.toml: flows.billing-center.questions.outcome.steps: must be a non-empty")


@pytest.mark.parametrize(
    ("file", "anchor", "key", "shown"),
    [
        # A raw OSC 52 in a key reached the terminal: `validate` could set the reader's clipboard.
        ("texts/en.toml", "[kinds]\n", "\\u001b]52;c;SGk=\\u0007", 'texts/en.toml: kinds."\\u001b]52;c;SGk=\\u0007": '),
        ("graph.toml", "[links]\n", "evil\\u001b[31m", 'graph.toml: links."evil\\u001b[31m": invalid link id'),
        # A newline in a key split one problem over two lines.
        ("graph.toml", "schema = 1\n", "a\\nb", 'graph.toml: "a\\u000ab": unknown key'),
        # A blank key made an unreadable line ("graph.toml:  : unknown key").
        ("graph.toml", "schema = 1\n", " ", 'graph.toml: " ": unknown key'),
        ("graph.toml", "schema = 1\n", "", 'graph.toml: "": unknown key'),
        ("texts/en.toml", "[kinds]\n", 'q\\"uote\\\\', 'texts/en.toml: kinds."q\\"uote\\\\": unknown kind id'),
        ("texts/en.toml", "[kinds]\n", "\\u202eevil", 'texts/en.toml: kinds."\\u202eevil": unknown kind id'),
    ],
)
def test_problem_lines_quote_hostile_keys(content_copy: Path, file: str, anchor: str, key: str, shown: str) -> None:
    """Content fuzzing: keys from content went into `FILE: KEY: message` lines raw (ESC, newlines, blanks)."""
    value = '"https://example.com"' if file == "graph.toml" and "links" in anchor else "1"
    edit(content_copy, file, anchor, f'{anchor}"{key}" = {value}\n')
    assert_rejected(content_copy, shown)


def test_problem_str_escapes_what_is_left() -> None:
    """Any control character still in a problem (a hostile file name, say) is spelled out, never written raw."""
    from billing_tui.flow import Problem

    line = str(Problem("texts/e\x1b]52;c;SGk=\x07.toml", "-", "bad\nthing\u202e"))
    assert line == "texts/e\\u001b]52;c;SGk=\\u0007.toml: -: bad\\u000athing\\u202e"


@pytest.mark.parametrize("name", ["e\x1b]52;c;SGk=\x07", "x", "en\n", "pt BR", "[bold]en", "é", "en_US"])
def test_a_language_file_name_must_be_a_language_tag(content_copy: Path, name: str) -> None:
    """Content fuzzing: texts/<name>.toml made <name> a language shown raw in the top bar, JSON and `validate`."""
    (content_copy / "texts" / "en.toml").rename(content_copy / "texts" / f"{name}.toml")
    lines = assert_rejected(content_copy, "the file name must be a language tag")
    assert len(lines) == 1, lines


@pytest.mark.parametrize("name", ["fr", "pt-PT", "zh-Hant-TW", "es-419"])
def test_real_language_tags_are_accepted(content_copy: Path, name: str) -> None:
    (content_copy / "texts" / "en.toml").rename(content_copy / "texts" / f"{name}.toml")
    assert name in load_content(content_copy).langs


def test_content_without_any_link_loads(content_copy: Path) -> None:
    """Review of the loader: with no [links] in graph.toml nor in the texts, validation passed and then build_guide
    raised KeyError('links') out of `validate` (texts_check rightly requires no links table then)."""
    graph = tomllib.loads((content_copy / "graph.toml").read_text(encoding="utf-8"))
    del graph["links"]
    for flow in graph["flows"]:
        for question in flow["questions"]:
            question["links"] = []
    for verdict in graph["verdicts"]:
        verdict["links"] = []
    (content_copy / "graph.toml").write_text(toml_dumps(graph), encoding="utf-8")
    for lang in ("en", "pt-BR"):
        path = content_copy / "texts" / f"{lang}.toml"
        texts = tomllib.loads(path.read_text(encoding="utf-8"))
        del texts["links"]
        # With no links declared, a URL in the prose would be an unlisted one: the texts name none.
        prose = re.sub(r"https://[^\s\"]*[^\s\".]", "the portal", toml_dumps(texts))
        path.write_text(prose, encoding="utf-8")
    code, out, err = run_cli(["validate", str(content_copy)])
    assert (code, err) == (0, ""), out + err
    assert load_content(content_copy).guide("en").links == ()


@pytest.mark.parametrize(
    "url",
    [
        "https://b\u0456lling.logmeininc.com",  # Cyrillic і: looks exactly like the real host
        "https://billing.logmeininc.com\u200b.evil.example",  # a zero-width space hides nothing, but is invisible
        "https://billing.logmeininc.com/\u00e9",
        "https://xn--\u00e9.example",
    ],
)
def test_a_non_ascii_url_is_rejected(content_copy: Path, url: str) -> None:
    """Hostile-content review: a homograph or invisible character in a link target must not pass for the real host."""
    edit(content_copy, "graph.toml", '"https://billing.logmeininc.com"', f'"{url}"')
    assert_rejected(content_copy, "graph.toml: links.billing-center: URL", "non-ASCII")


def test_a_punycode_url_is_accepted(content_copy: Path) -> None:
    punycode = "https://xn--bcher-kva.example/a%C3%A9"
    edit(content_copy, "graph.toml", '"https://billing.logmeininc.com"', f'"{punycode}"')
    for lang in ("en", "pt-BR"):  # the prose names the declared link, so it follows
        path = content_copy / "texts" / f"{lang}.toml"
        path.write_text(path.read_text(encoding="utf-8").replace("https://billing.logmeininc.com", punycode), "utf-8")
    assert load_content(content_copy).guide("en").links[0].url == "https://xn--bcher-kva.example/a%C3%A9"


def chain_content(root: Path, length: int, loop: bool) -> None:
    """Make billing-center's 'unsure' choice lead into a chain of questions q0..q{length-1} (looping back if asked)."""
    graph = tomllib.loads((root / "graph.toml").read_text(encoding="utf-8"))
    flow = graph["flows"][0]
    flow["questions"][0]["choices"][2] = {"id": "unsure", "question": "q0"}
    for n in range(length):
        last = n == length - 1
        follow = {"question": "q0"} if last and loop else {"verdict": "unsure"} if last else {"question": f"q{n + 1}"}
        flow["questions"].append({"id": f"q{n}", "choices": [{"id": "next", **follow}]})
    (root / "graph.toml").write_text(toml_dumps(graph), encoding="utf-8")
    for lang in ("en", "pt-BR"):
        path = root / "texts" / f"{lang}.toml"
        texts = tomllib.loads(path.read_text(encoding="utf-8"))
        questions = texts["flows"]["billing-center"]["questions"]
        for n in range(length):
            questions[f"q{n}"] = {"title": f"Q{n}", "steps": ["Step."], "prompt": "Next?", "choices": {"next": "Next"}}
        path.write_text(toml_dumps(texts), encoding="utf-8")


def test_a_very_long_flow_validates_without_recursion(content_copy: Path) -> None:
    """Hostile-content review: _find_cycle recursed once per question, so 3,000 chained questions made `validate`
    die with RecursionError. It now walks with an explicit stack."""
    chain_content(content_copy, 3000, loop=False)
    code, out, err = run_cli(["validate", str(content_copy)])
    assert code == 0, out + err
    from billing_tui.flow import Wizard

    # Every move replays the walk (O(n^2) for n answers), so the test stops 20 steps in; real flows are 3 deep.
    wizard = Wizard(load_content(content_copy).guide("en")).start("billing-center").choose("unsure")
    for _ in range(20):
        wizard = wizard.choose("next")
    assert wizard.question is not None and wizard.question.id == "q20"


def test_a_very_long_cycle_is_reported(content_copy: Path) -> None:
    chain_content(content_copy, 3000, loop=True)
    lines = assert_rejected(content_copy, "graph.toml: flows.billing-center.questions.")
    assert any("cycle: q0 -> q1 -> " in line and line.endswith("q2999 -> q0") for line in lines), lines
