"""A minimal xterm stand-in: keeps the screen with pyte, answers the queries an app waits for, encodes keys."""

from __future__ import annotations

import codecs
import re

import pyte

from benchmarks.screen_rows import screen_lines

# A complete CSI sequence: parameter bytes, intermediate bytes, one final byte.
_CSI = re.compile(rb"\x1b\[([\x30-\x3f]*)([\x20-\x2f]*)([\x40-\x7e])")
_CSI_UNFINISHED = re.compile(rb"\x1b\[[\x20-\x3f]*\Z")
_MAX_HELD_BACK = 4096
_QUERY_FINALS = (b"c", b"n", b"p")

# Replies of an xterm-256color terminal (xterm patch 390) to the queries apps send.
PRIMARY_DEVICE_ATTRIBUTES = b"\x1b[?64;1;2;6;9;15;18;21;22c"
SECONDARY_DEVICE_ATTRIBUTES = b"\x1b[>41;390;0c"

_KEYS_NORMAL = {
    "up": b"\x1b[A",
    "down": b"\x1b[B",
    "right": b"\x1b[C",
    "left": b"\x1b[D",
    "enter": b"\r",
    "escape": b"\x1b",
    "tab": b"\t",
}
_CURSOR_KEYS_APPLICATION = {"up": b"\x1bOA", "down": b"\x1bOB", "right": b"\x1bOC", "left": b"\x1bOD"}


def _unfinished_tail(data: bytes) -> int:
    """Where an escape sequence cut off by the end of a chunk starts (len(data) when there is none)."""
    start = data.rfind(b"\x1b")
    if start < 0 or len(data) - start > _MAX_HELD_BACK:
        return len(data)
    tail = data[start:]
    unfinished = (
        tail == b"\x1b"
        or _CSI_UNFINISHED.match(tail) is not None
        or (tail.startswith(b"\x1b]") and b"\x07" not in tail)
        or (len(tail) == 2 and 0x20 <= tail[1] <= 0x2F)
    )
    return start if unfinished else len(data)


class Terminal:
    """An 80x24-style screen fed with raw output, which returns the bytes a real terminal would answer."""

    def __init__(self, columns: int, lines: int) -> None:
        self.columns = columns
        self.lines = lines
        self.screen = pyte.Screen(columns, lines)
        self._stream = pyte.Stream(self.screen)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._held = b""
        self.application_cursor_keys = False
        self.queries_answered = 0

    def feed(self, data: bytes) -> bytes:
        """Take raw output from the app and return the replies to write back to it (often empty)."""
        data = self._held + data
        self._held = b""
        cut = _unfinished_tail(data)
        data, self._held = data[:cut], data[cut:]
        replies = bytearray()
        start = 0
        for match in _CSI.finditer(data):
            params, intermediates, final = match.group(1), match.group(2), match.group(3)
            keep = self._pyte_understands(params, intermediates)
            self._track_modes(params, final)
            if final not in _QUERY_FINALS and keep:
                continue
            # A possible query, or a sequence pyte misreads: draw what precedes it first (a CPR reply needs it).
            self._draw(data[start : match.start()] + (match.group(0) if keep else b""))
            start = match.end()
            reply = self._reply(params, intermediates, final)
            if reply is not None:
                replies += reply
                self.queries_answered += 1
        self._draw(data[start:])
        return bytes(replies)

    @property
    def held(self) -> bytes:
        """The start of an escape sequence cut off by the end of the last chunk, kept until it completes."""
        return self._held

    def _draw(self, data: bytes) -> None:
        """Feed bytes to the pyte screen."""
        if data:
            self._stream.feed(self._decoder.decode(data))

    def _reply(self, params: bytes, intermediates: bytes, final: bytes) -> bytes | None:
        """The answer to a query sequence, or None when the sequence is not a query."""
        if final == b"c" and not intermediates and params in (b"", b"0"):
            return PRIMARY_DEVICE_ATTRIBUTES
        if final == b"c" and not intermediates and params in (b">", b">0"):
            return SECONDARY_DEVICE_ATTRIBUTES
        if final == b"n" and not intermediates and params == b"6":
            return f"\x1b[{self.screen.cursor.y + 1};{self.screen.cursor.x + 1}R".encode()
        if final == b"n" and not intermediates and params == b"5":
            return b"\x1b[0n"
        if final == b"p" and intermediates == b"$" and params.startswith(b"?"):
            # DECRQM: like xterm for a private mode it does not know, answer "not recognized" (0).
            return b"\x1b[" + params + b";0$y"
        return None

    @staticmethod
    def _pyte_understands(params: bytes, intermediates: bytes) -> bool:
        """Whether pyte parses this CSI cleanly (it prints the final byte of '<', '>', '=' or '$' sequences)."""
        return not intermediates and params[:1] not in (b"<", b">", b"=")

    def _track_modes(self, params: bytes, final: bytes) -> None:
        """Follow DECCKM (CSI ?1h / ?1l), which switches the cursor keys to ESC O A."""
        if final in (b"h", b"l") and params.startswith(b"?") and b"1" in params[1:].split(b";"):
            self.application_cursor_keys = final == b"h"

    def key(self, name: str) -> bytes:
        """The bytes this terminal sends for a key: a named key (down, enter, ...) or literal text."""
        lowered = name.lower()
        if self.application_cursor_keys and lowered in _CURSOR_KEYS_APPLICATION:
            return _CURSOR_KEYS_APPLICATION[lowered]
        if lowered in _KEYS_NORMAL:
            return _KEYS_NORMAL[lowered]
        return name.encode()

    def text(self) -> str:
        """The screen as one string, lines joined by newlines."""
        return "\n".join(line.rstrip() for line in screen_lines(self.screen))

    def shows(self, marker: str) -> bool:
        """Whether the marker is on screen, allowing it to wrap across lines at spaces."""
        flat = " ".join(self.text().split())
        return " ".join(marker.split()) in flat
