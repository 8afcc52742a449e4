"""Neutralise text from content files before anyone displays it: no control or bidi characters reach a terminal."""

from __future__ import annotations

import re

# C0 controls except TAB and LF, DEL, C1 controls, and the bidi embedding,
# override and isolate characters (Trojan Source), plus LRM/RLM/ALM marks.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# For Input(restrict=...): a value holding none of those characters, nor a tab or newline. A paste with one is
# refused, so a pasted C1 control or bidi override never reaches the screen, a message or a file name.
SAFE_INPUT = "[^\t\n" + _UNSAFE.pattern[1:] + "*"


def clean_text(text: str) -> str:
    """Return text with tabs as spaces and every control, C1 and bidi-control character removed."""
    return _UNSAFE.sub("", text.replace("\t", " "))


def clean_line(text: str) -> str:
    """Return clean_text on one line: newlines become spaces, for labels and titles."""
    return clean_text(text.replace("\r\n", " ").replace("\n", " ")).strip()


# What escape_unsafe spells out: _UNSAFE plus tab and newline, which would break a one-line message.
_NOT_ON_ONE_LINE = re.compile("[\t\n]|" + _UNSAFE.pattern)
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")


def escape_unsafe(text: str) -> str:
    """Return text with every control, C1 and bidi-control character (and tab, newline) spelled as a \\uXXXX escape."""
    return _NOT_ON_ONE_LINE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def key_part(name: str) -> str:
    """A content key as one part of a dotted key path in a message: bare when TOML allows, else quoted and escaped."""
    if _BARE_KEY.match(name):
        return name
    return '"' + escape_unsafe(name.replace("\\", "\\\\").replace('"', '\\"')) + '"'


# One same-width ASCII stand-in for each typographic or symbol character the content and the UI use.
ASCII_LOOKALIKES: dict[str, str] = {
    "–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "~", "→": ">", "←": "<", "↑": "^",
    "↓": "v", "›": ">", "‹": "<", "·": ".", "•": "*", "×": "x", "✔": "+", "✓": "+", "✘": "x", "✗": "x",
    "⌫": "<", "⏎": "<", "▶": ">", "◀": "<", "▲": "^", "▼": "v", "❯": ">",
}  # fmt: skip
# In running text width does not matter, so a few read better as two or three characters.
_TEXT_TABLE = str.maketrans({**ASCII_LOOKALIKES, "…": "...", "→": "->", "←": "<-"})


def ascii_typography(text: str) -> str:
    """Replace dashes, curly quotes, arrows and symbols with ASCII, for terminals and files without Unicode."""
    return text.translate(_TEXT_TABLE)
