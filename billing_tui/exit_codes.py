"""The documented exit codes, the errors that carry one to the command line, and the checked write to stdout."""

from __future__ import annotations

from enum import IntEnum
from typing import TextIO


class ExitCode(IntEnum):
    """Process exit codes; the README documents them."""

    OK = 0
    FAILURE = 1
    USAGE = 2
    INCOMPLETE = 3
    CANNOT_WRITE = 4
    TERMINAL = 5
    INTERRUPTED = 130


class CliError(Exception):
    """A user error reported as one line on stderr with an exit code."""

    def __init__(self, message: str, code: int = ExitCode.USAGE) -> None:
        self.code = code
        super().__init__(message)


class OutputError(CliError):
    """The command's output could not be written (a full disk, a closed stdout): exit code 4, not a traceback."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"cannot write the output: {reason}", ExitCode.CANNOT_WRITE)


def write_out(out: TextIO | None, text: str) -> None:
    """Write text and flush at once, so a failure surfaces here as an OutputError.

    A closed pipe (BrokenPipeError) passes through unchanged: the reader stopped early, which the
    command line treats as success.
    """
    if out is None:  # Python's sys.stdout when the process started with fd 1 closed
        raise OutputError("standard output is closed")
    try:
        out.write(text)
        out.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:  # ValueError: the stream was closed
        raise OutputError(_reason(exc)) from None


def _reason(exc: Exception) -> str:
    """The operating system's words for a failed write (`No space left on device`), on one line."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
    return " ".join(reason.split())
