"""Word wrapping for text written to a terminal, so the terminal never cuts a word (or a URL) at its edge.

Only a line wider than the terminal is rewrapped, at spaces, counting wide characters as two cells;
a word (a URL is one) longer than the width stays whole on its own line. Continuation lines keep the
line's indentation and list marker ("  1. ", "  2) "), so a wrapped step still reads as one item.
Output to a pipe or a file is never wrapped: one line per paragraph, for scripts.
"""

from __future__ import annotations

import os
import re
import unicodedata
from typing import TextIO

# A line's leading indentation and list marker: continuation lines are indented to match.
_HANGING = re.compile(r"[ ]*(?:\d+[.)][ ]+|[-*•][ ]+)?")


def char_width(char: str) -> int:
    """The cells one character takes in a terminal: 0 for combining and format characters, 2 for wide ones."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cell_width(text: str) -> int:
    """The cells a string takes in a terminal."""
    return sum(char_width(char) for char in text)


def wrap_line(line: str, width: int) -> list[str]:
    """One line as lines of at most width cells, broken at spaces only; a line that fits is returned unchanged."""
    if width <= 0 or cell_width(line) <= width:
        return [line]
    prefix = _HANGING.match(line)
    hang = cell_width(prefix.group()) if prefix else 0
    hang = hang if hang <= width // 3 else 0
    body, trailing = line.rstrip(" "), line[len(line.rstrip(" ")) :]
    lead = body[: len(body) - len(body.lstrip(" "))]
    words = body.split()
    lines: list[str] = []
    current, used = lead + words[0], cell_width(lead + words[0])
    for word in words[1:]:
        size = cell_width(word)
        if used + 1 + size <= width:
            current, used = f"{current} {word}", used + 1 + size
            continue
        lines.append(current)
        indent = " " * hang if hang + size <= width else ""
        current, used = indent + word, len(indent) + size
    lines.append(current + trailing)  # trailing spaces stay: a prompt's cursor goes after them
    return lines


def wrap_text(text: str, width: int | None) -> str:
    """Every line of text wrapped to width (None: unchanged), keeping newlines, blank lines and an open last line."""
    if width is None:
        return text
    return "\n".join("\n".join(wrap_line(line, width)) for line in text.split("\n"))


def terminal_width(stream: TextIO) -> int | None:
    """The width of the terminal the stream writes to, or None for a pipe or a file (which are never wrapped)."""
    try:
        if not stream.isatty():
            return None
        return os.get_terminal_size(stream.fileno()).columns or None
    except (AttributeError, OSError, ValueError):
        return None
