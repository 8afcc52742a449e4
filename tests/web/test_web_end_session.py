"""Ending a tab's process never reaps it behind asyncio's back: no "Unknown child process" line on the server's
stderr and no made-up exit code 255 when a tab's process dies just before the server ends it (as a killpg does)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal

import pytest

pytest.importorskip("textual_serve", reason="textual-serve is not installed (pip install -e '.[test]')")

from billing_tui.web.pipe import end_session

ROUNDS = 100  # the old Popen.kill() path logged the warning in about one round in eight here


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class _Service:
    """The little of textual-serve's AppService that end_session uses: its process, and a stop that is never heard."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self._process = process

    async def stop(self) -> None:
        return None


async def test_a_process_that_just_died_is_reported_as_it_died() -> None:
    records = _Records()
    logging.getLogger("asyncio").addHandler(records)
    try:
        codes = []
        for _ in range(ROUNDS):
            process = await asyncio.create_subprocess_exec("sleep", "30")
            os.kill(process.pid, signal.SIGTERM)  # dies now; asyncio's watcher has not reaped it yet
            await end_session(_Service(process))  # type: ignore[arg-type]
            codes.append(process.returncode)
    finally:
        logging.getLogger("asyncio").removeHandler(records)
    assert records.messages == []
    assert set(codes) <= {-signal.SIGTERM, -signal.SIGKILL}, codes


async def test_a_process_that_will_not_quit_is_killed() -> None:
    process = await asyncio.create_subprocess_exec("sleep", "30")
    await end_session(_Service(process))  # type: ignore[arg-type]
    assert process.returncode == -signal.SIGKILL
