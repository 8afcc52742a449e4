"""Neutralise text from content files before anyone displays it: no control or bidi characters reach a terminal."""

from __future__ import annotations

import re

# C0 controls except TAB and LF, DEL, C1 controls, and the bidi embedding,
# override and isolate characters (Trojan Source), plus LRM/RLM/ALM marks.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """Return text with tabs as spaces and every control, C1 and bidi-control character removed."""
    return _UNSAFE.sub("", text.replace("\t", " "))


def clean_line(text: str) -> str:
    """Return clean_text on one line: newlines become spaces, for labels and titles."""
    return clean_text(text.replace("\r\n", " ").replace("\n", " ")).strip()
