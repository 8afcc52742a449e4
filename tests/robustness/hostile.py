"""A hostile content directory: the English texts carry markup, escape sequences, controls, bidi, wide and long text.

Every string still validates (docs/content-safety.md explains why each is accepted and how the
display neutralises it). SHOWN lists what a user must see literally once the loader has removed
the control characters; NEVER_RAW lists byte sequences from the content that must never reach a
terminal (the app's own escape sequences are fine, so each one carries a marker of its own).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from robust_helpers import copy_content, toml_dumps

ESC, BEL, ST = "\x1b", "\x07", "\x1b\\"
OSC52 = f"{ESC}]52;c;SGFja2VkIQ=={BEL}"  # would set the clipboard to "Hacked!"
OSC8 = f"{ESC}]8;;https://evil.example/{ST}click{ESC}]8;;{ST}"  # a hidden link target
LONG_WORD = "W" * 3000
# The attacker's link the markup and OSC 8 texts point at: declared in graph.toml, because the validator
# rejects a URL in the prose that is not one of the content's links (the display must still neutralise it).
EVIL_LINK, EVIL_URL = "evil", "https://evil.example"

# (dotted key in texts/en.toml, hostile value)
EDITS: tuple[tuple[str, Any], ...] = (
    ("home.title", "[bold]T1[/] [link=https://evil.example]L1[/link] [@click=app.quit]Q1[/]"),
    ("home.intro", f"CSI:{ESC}[31mRED{ESC}[0m OSC52:{OSC52} OSC8:{OSC8} C1:\x9b7mC1REV\x9d0;C1TITLE\x9c END"),
    ("home.who_can_see", "BIDI:\u202eevil\u202c ISO:\u2066x\u2069 ZW:a\u200bb\u200dc\ufeffd CTL:\x00\x7f\x07\x08\tEND"),
    ("home.prompt", "[/] [ unbalanced"),
    ("flows.billing-center.label", "請登入 😀 👨\u200d👩\u200d👧 ＷＩＤＥ [b]B[/b]"),
    ("flows.admin-center.label", "[@click=app.quit]ADMIN[/]"),
    ("flows.billing-center.questions.outcome.title", f"[reverse]QT[/] {ESC}]0;WINDOWTITLE{BEL}"),
    ("flows.billing-center.questions.outcome.choices.subscriptions", f"[b]SUB[/b] {ESC}[7mREV"),
    ("flows.billing-center.questions.outcome.choices.invalid-page", "[$accent]VAR[/]"),
    ("flows.billing-center.questions.outcome.choices.unsure", "[/]"),
    ("flows.billing-center.questions.my-account.prompt", "[link=https://evil.example]PROMPT[/link]"),
    ("verdicts.billing-admin.title", f"[blink]V1[/] {ESC}]0;VTITLE{BEL}"),
    (
        "verdicts.billing-admin.body",
        f"BODY {OSC52} [@click=app.quit]X[/] https://billing.logmeininc.com " * 30 + f"LONG {LONG_WORD} end",
    ),
    ("links.corp-billing", "[u]LINK[/u]"),
    ("ui.app_title", "[red]APP[/]"),
    ("ui.keys_choose", "[@click=app.quit]choose[/]"),
    ("ui.help_title", "[/]Keys"),
    ("ui.save_title", f"[b]Save[/b] {ESC}[5mBLINK"),
    ("ui.cmd_start", "[/]Start: {flow}"),
    ("ui.cmd_start_help", "[reverse]help[/] [/]"),
    ("ui.language_changed", "[/]{language}"),
    ("ui.copied", f"[/]copied {OSC52}"),
)

# Literal text a user sees (a sample per kind of attack), after the loader has removed controls.
SHOWN = (
    "[bold]T1[/]",
    "[@click=app.quit]Q1[/]",
    "CSI:[31mRED[0m",
    "OSC52:]52;c;SGFja2VkIQ==",
    "BIDI:evil",
    "[/] [ unbalanced",
    "[@click=app.quit]ADMIN[/]",
)
# Byte sequences from the content that must never reach a terminal (each carries its own marker).
NEVER_RAW = (
    b"\x1b[31mRED",
    b"\x1b]52;c;SGFja2VkIQ",
    b"\x1b]8;;https://evil.example",
    b"\x1b[7mREV",
    b"\x1b[5mBLINK",
    b"\x1b]0;WINDOWTITLE",
    b"\x1b]0;VTITLE",
    "\x9b7mC1REV".encode(),
    "\x9d0;C1TITLE".encode(),
)
# Characters the app itself never writes, so none may appear anywhere in its output.
FORBIDDEN_CHARS = "\x00\x7f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c" + "".join(
    chr(c) for c in range(0x80, 0xA0)
)


def set_key(doc: dict[str, Any], dotted: str, value: Any) -> None:
    """Set a value by a dotted key path whose parts never contain dots themselves."""
    *tables, last = dotted.split(".")
    node = doc
    for name in tables:
        node = node[name]
    assert last in node, f"{dotted} is not in the content (the hostile edits need updating)"
    node[last] = value


def make_hostile_content(destination: Path, short_only: bool = False) -> Path:
    """Copy the built-in content to destination and make its English texts hostile (short_only: no long texts)."""
    copy_content(destination)
    declare_link(destination, EVIL_LINK, EVIL_URL)
    path = destination / "texts" / "en.toml"
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    for dotted, value in EDITS:
        if not (short_only and len(value) > 200):
            set_key(doc, dotted, value)
    path.write_text(toml_dumps(doc), encoding="utf-8")
    return destination


def declare_link(root: Path, link_id: str, url: str) -> None:
    """Add a link to graph.toml and its label to every language, so texts may name its URL in their prose."""
    graph = root / "graph.toml"
    doc = tomllib.loads(graph.read_text(encoding="utf-8"))
    doc["links"][link_id] = url
    graph.write_text(toml_dumps(doc), encoding="utf-8")
    for texts in sorted((root / "texts").glob("*.toml")):
        doc = tomllib.loads(texts.read_text(encoding="utf-8"))
        doc["links"][link_id] = link_id
        texts.write_text(toml_dumps(doc), encoding="utf-8")


def forbidden_in(text: str) -> list[str]:
    """The forbidden characters present in text, spelled out."""
    return [f"U+{ord(ch):04X}" for ch in sorted(set(text) & set(FORBIDDEN_CHARS))]
