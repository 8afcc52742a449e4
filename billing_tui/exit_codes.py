"""The documented exit codes of billing-tui, and the error that carries one to the command line."""

from enum import IntEnum


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
