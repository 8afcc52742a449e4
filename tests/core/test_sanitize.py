"""No control, escape or bidi character from a content file reaches a terminal; accents, emoji and CJK survive."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
from core_helpers import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from billing_tui.flow import Guide, Wizard, load_content
from billing_tui.flow.sanitize import clean_line, clean_text
from billing_tui.flow.transcript import to_dict, to_markdown, to_text

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def is_unsafe(char: str) -> bool:
    """What must never be printed: C0 controls except LF, DEL, C1 controls and bidi controls."""
    code = ord(char)
    return (code < 0x20 and char != "\n") or 0x7F <= code <= 0x9F or char in BIDI_CONTROLS


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\x1b[31mred\x1b[0m", "[31mred[0m"),  # CSI colour: the ESC goes, the rest is inert text
        ("\x1b]52;c;aGk=\x07done", "]52;c;aGk=done"),  # OSC 52 clipboard write with BEL
        ("\x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\", "]8;;https://evil\\link]8;;\\"),  # OSC 8 hyperlink
        ("\x9b31mC1 CSI\x9dOSC\x90DCS\x85NEL", "31mC1 CSIOSCDCSNEL"),
        ("a\x00b\x07c\x08d\x0be\x0cf\rg\x7fh", "abcdefgh"),
        ("tab\there", "tab here"),
        ("line one\nline two", "line one\nline two"),
        ("abc\u202edcba\u202c", "abcdcba"),  # Trojan Source override
        ("\u2066isolated\u2069 \u200eLRM\u200f \u061cALM", "isolated LRM ALM"),
        ("Administração, cobrança, você", "Administração, cobrança, você"),
        ("e\u0301 (combining accent)", "e\u0301 (combining accent)"),
        ("👩\u200d💻 🇧🇷 👍🏽", "👩\u200d💻 🇧🇷 👍🏽"),  # ZWJ sequence, flag, skin tone
        ("請求の担当者 计费联系人 청구 담당자", "請求の担当者 计费联系人 청구 담당자"),
        ("“quotes” – dashes — and …", "“quotes” – dashes — and …"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_clean_line_joins_lines() -> None:
    assert clean_line("  one\r\ntwo\nthree\x1b[K  ") == "one two three[K"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_clean_text_removes_exactly_the_unsafe_characters(text: str) -> None:
    cleaned = clean_text(text)
    assert not any(is_unsafe(c) for c in cleaned)
    assert cleaned == "".join(c for c in text.replace("\t", " ") if not is_unsafe(c))
    assert clean_text(cleaned) == cleaned
    line = clean_line(text)
    assert "\n" not in line and not any(is_unsafe(c) for c in line)


def all_strings(value: Any) -> list[str]:
    """Every string inside a guide (models, tuples, dicts)."""
    if attrs.has(type(value)):
        return all_strings(attrs.asdict(value, recurse=True))
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in all_strings(k) + all_strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in all_strings(v)]
    return []


HOSTILE = r"\u001b[31m\u001b]52;c;aGk=\u0007\u009b2J\u202e\u0000"


def poison(root: Path) -> None:
    """Put escape, C1, bidi and NUL characters (as TOML escapes) in many strings of both languages."""
    for lang in ("pt-BR", "en"):
        path = root / "texts" / f"{lang}.toml"
        text = path.read_text(encoding="utf-8")
        keys = r"title|body|label|prompt|intro|who_can_see|audience|subscriptions|logged-in|corp-billing|yes|no|unsure"
        text, count = re.subn(rf'^((?:{keys}) = ")', lambda m: m.group(1) + HOSTILE, text, flags=re.MULTILINE)
        assert count > 20
        text = re.sub(r'^(  ")', lambda m: m.group(1) + HOSTILE, text, flags=re.MULTILINE)  # every step
        text = re.sub(r'^(verdict_heading = ")', lambda m: m.group(1) + HOSTILE, text, flags=re.MULTILINE)
        path.write_text(text, encoding="utf-8")


def test_hostile_content_loads_clean(content_copy: Path) -> None:
    poison(content_copy)
    raw = (content_copy / "texts" / "en.toml").read_text(encoding="utf-8")
    assert r"\u001b" in raw  # the escapes are really in the file
    content = load_content(content_copy)
    for lang in ("pt-BR", "en"):
        guide: Guide = content.guide(lang)
        strings = all_strings(guide)
        assert any("[31m" in s for s in strings)  # the poisoned strings were loaded...
        for s in strings:
            assert not any(is_unsafe(c) for c in s), repr(s)  # ...without a single unsafe character
        wizard = Wizard(guide).start("admin-center").choose("select-product").choose("logged-in")
        for rendered in (to_text(wizard), to_text(wizard, ascii_only=True), to_markdown(wizard)):
            assert not any(is_unsafe(c) for c in rendered.replace("\n", "")), rendered
        assert "\x1b" not in json.dumps(to_dict(wizard), ensure_ascii=False)


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_hostile_content_through_the_cli(content_copy: Path, fmt: str) -> None:
    poison(content_copy)
    result = run_cli("--content", str(content_copy), "answer", "billing-center", "unsure", "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert not any(is_unsafe(c) for c in result.stdout), repr(result.stdout)
    assert "[31m" in result.stdout
    if fmt == "json":
        assert "\\u001b" not in result.stdout
        assert "\x1b" not in json.loads(result.stdout)["verdict"]["title"]


def test_cjk_and_emoji_content_is_kept(content_copy: Path) -> None:
    path = content_copy / "texts" / "en.toml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(
        r'^(\[verdicts\.billing-admin\]\ntitle = ")[^"]*"', r'\1請求管理者です 👩‍💻 🇧🇷"', text, flags=re.MULTILINE
    )
    path.write_text(text, encoding="utf-8")
    guide = load_content(content_copy).guide("en")
    title = guide.verdict("billing-admin").title
    assert title == "請求管理者です 👩‍💻 🇧🇷"
    assert "\u200d" in title
