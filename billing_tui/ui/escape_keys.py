"""Escape followed at once by another key is Escape, then that key: not one Alt key, except in a text field.

A terminal sends Alt+X as ESC then X, so Textual (8.2, pinned) reads ESC and any key that follows within
its escape delay as one key: Escape then `2` typed fast, or arriving in one read over a laggy link, became
`™` (its macOS Option table), Escape then `b` became Ctrl+Left and Escape then Enter lost the Escape. The
help stayed open and the `2` was gone, where the same keys typed slowly close the help and answer 2.
billing-tui binds no Alt key, so `EscapeAwareParser` reads every such pair as the two keys they are
typed as. Textual's own reading of the pair is kept on the Escape (`escape_pair`): in a text field, the
pairs terminals send for editing (Alt+Backspace deletes a word, Alt+B and Alt+F move by words) still act
as one key there, which the app decides when the Escape's turn comes (key_queue.py).

Inside a bracketed paste an ESC is no key at all. Textual's parser left paste mode for any ESC in the pasted
text and typed what followed it as keys: pasting `x`, ESC `[0m`, `q` (text copied with its colour codes)
quit the app, and `2` after such a code answered 2. `PasteEscapes` drops each ESC between the paste's start
and end markers, so the pasted text arrives as one Paste, without them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual import events
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual._xterm_parser import BRACKETED_PASTE_END, BRACKETED_PASTE_START, XTermParser
from textual.message import Message
from textual.widget import Widget

ESC = "\x1b"
# What may follow ESC in a sequence a terminal sends (CSI, SS3, OSC, DCS, APC, PM, ST), and ESC ESC: not a pair.
SEQUENCE_STARTS = frozenset("[O]P_^\\" + ESC)
# The pairs a text field keeps as one key, as Textual reads them: Alt+Backspace deletes a word, Alt+B and Alt+F
# move by words. Not Textual's Option characters (ESC 2 as ™...): Alt+digit types no ™ in a terminal that sends
# ESC for Alt, and ESC then a digit is what Escape then 2 typed fast looks like (the command palette's field).
EDITING_PAIRS = frozenset({ESC + "\x7f", ESC + "b", ESC + "f"}) & frozenset(ANSI_SEQUENCES_KEYS)


@dataclass
class EscapePair:
    """An Escape read together with the key after it: Textual's reading of the two as one key, and that key."""

    sequence: str
    as_one: tuple[events.Key, ...]
    tail: tuple[events.Key, ...]
    read_as_one: bool = False


def escape_pair(event: events.Event) -> EscapePair | None:
    """The pair this Escape begins (None for any other event, or an Escape typed alone)."""
    pair = getattr(event, "_escape_pair", None)
    return pair if isinstance(pair, EscapePair) else None


def absorbed(event: events.Event) -> bool:
    """Whether this key followed an Escape that was read, with it, as one key: it must not act again."""
    pair = getattr(event, "_escape_tail_of", None)
    return isinstance(pair, EscapePair) and pair.read_as_one


def reads_as_one(pair: EscapePair, focused: Widget | None) -> bool:
    """Whether the pair acts as Textual's one key: only a pair for text editing, only in a text field."""
    if pair.sequence not in EDITING_PAIRS or len(pair.as_one) != 1 or focused is None:
        return False
    from textual.widgets import Input, TextArea  # only when such a pair comes: not at start-up

    return isinstance(focused, (Input, TextArea))


def _pair_of(sequence: str, alt: bool) -> str | None:
    """ESC and the key after it, when the parser is reading them as one key; else None."""
    if alt and len(sequence) == 1:  # Textual re-reading what followed an ESC, with its Alt flag
        return ESC + sequence
    if not alt and len(sequence) == 2 and sequence[0] == ESC and sequence[1] not in SEQUENCE_STARTS:
        return sequence
    return None


def _partial_end(text: str) -> int:
    """The length of the longest end of text that could be the start of the paste's end marker."""
    for length in range(min(len(text), len(BRACKETED_PASTE_END) - 1), 0, -1):
        if BRACKETED_PASTE_END.startswith(text[-length:]):
            return length
    return 0


class PasteEscapes:
    """Removes ESC from the text of bracketed pastes in a stream read piece by piece; the markers stay.

    An end marker split between two reads is held back until the rest comes. A start marker split between
    two reads is not recognised (holding its first ESC back would delay an Escape key): that rare paste is
    read as Textual reads it.
    """

    def __init__(self) -> None:
        self.in_paste = False
        self._held = ""

    def clean(self, text: str) -> str:
        """This piece of the stream, with the ESCs of pasted text left out."""
        text, self._held = self._held + text, ""
        out: list[str] = []
        while text:
            if not self.in_paste:
                start = text.find(BRACKETED_PASTE_START)
                if start < 0:
                    out.append(text)
                    break
                start += len(BRACKETED_PASTE_START)
                out.append(text[:start])
                text, self.in_paste = text[start:], True
                continue
            end = text.find(BRACKETED_PASTE_END)
            if end < 0:
                held = _partial_end(text)
                body, self._held = text[: len(text) - held], text[len(text) - held :]
                out.append(body.replace(ESC, ""))
                break
            out.append(text[:end].replace(ESC, "") + BRACKETED_PASTE_END)
            text, self.in_paste = text[end + len(BRACKETED_PASTE_END) :], False
        return "".join(out)


class EscapeAwareParser(XTermParser):
    """Textual's parser, except that ESC then a key that starts no sequence gives Escape, then that key,
    and that an ESC inside a bracketed paste is left out of it (`PasteEscapes`)."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._pastes = PasteEscapes()

    def feed(self, data: str) -> Iterable[Message]:
        return super().feed(self._pastes.clean(data) if data else data)

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        pair_sequence = _pair_of(sequence, alt)
        if pair_sequence is None:
            yield from super()._sequence_to_key_events(sequence, alt)
            return
        as_one = tuple(super()._sequence_to_key_events(sequence, alt))
        pair = EscapePair(pair_sequence, as_one, tuple(super()._sequence_to_key_events(pair_sequence[1])))
        escape = events.Key("escape", ESC)
        escape._escape_pair = pair  # type: ignore[attr-defined]  # read back through escape_pair()
        yield escape
        for key in pair.tail:
            key._escape_tail_of = pair  # type: ignore[attr-defined]  # read back through absorbed()
            yield key
