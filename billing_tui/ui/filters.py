"""Line filters applied to everything the app draws: ASCII glyphs for limited terminals, no colour for NO_COLOR."""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from billing_tui.flow.sanitize import ASCII_LOOKALIKES


def _ascii_table() -> dict[int, str]:
    """One ASCII character for each non-ASCII glyph the UI and Textual draw, keeping every cell's width."""
    table: dict[int, str] = {}
    for code in range(0x2500, 0x2580):  # box drawing
        name_char = chr(code)
        if name_char in "─━┄┅┈┉╌╍═╴╶╸╺":
            table[code] = "-"
        elif name_char in "│┃┆┇┊┋╎╏║╵╷╹╻":
            table[code] = "|"
        else:
            table[code] = "+"
    for code in range(0x2580, 0x25A0):  # block elements (scrollbars, tall/wide borders)
        table[code] = " " if code != 0x2588 else "#"
    table.update({ord(glyph): ascii_char for glyph, ascii_char in ASCII_LOOKALIKES.items()})
    table[ord("🔎")] = "> "  # the command palette's search icon, two cells wide
    return table


ASCII_TABLE = _ascii_table()


class AsciiGlyphs(LineFilter):
    """Replace box drawing, blocks, arrows, quotes and symbols with ASCII look-alikes of the same width."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        table = ASCII_TABLE
        return [Segment(text.translate(table), style, control) for text, style, control in segments]


class StripColor(LineFilter):
    """Drop every foreground and background colour, keeping bold, italic, underline and reverse."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(text, None if style is None else style.without_color, control) for text, style, control in segments
        ]
