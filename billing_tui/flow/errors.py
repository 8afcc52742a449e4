"""Typed errors of the flow core, so callers can tell bad content from an illegal move."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from billing_tui.flow.sanitize import escape_unsafe


@attrs.frozen
class Problem:
    """One thing wrong with a content directory, located by file and key."""

    file: str
    key: str
    message: str

    def __str__(self) -> str:
        """`FILE: KEY: message` on one line, with any control character from content spelled as an escape."""
        return escape_unsafe(f"{self.file}: {self.key}: {self.message}")


class ContentError(Exception):
    """Raised when a content directory is invalid; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class IllegalMove(ValueError):
    """Raised when the wizard is asked for a move its current state does not allow."""

    def __init__(self, message: str, valid: Sequence[str] = ()) -> None:
        self.valid: tuple[str, ...] = tuple(valid)
        super().__init__(message)
