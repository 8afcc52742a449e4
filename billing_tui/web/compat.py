"""The one place that reaches inside textual-serve 1.1.3: its AppService keeps the tab's process private.

Checked against textual-serve==1.1.3 (pinned in the `web` extra); re-check on an upgrade.
"""

from __future__ import annotations

from asyncio.subprocess import Process

from textual_serve.app_service import AppService


def process_of(service: AppService) -> Process | None:
    """The tab's subprocess, once started (AppService._process in textual-serve 1.1.3)."""
    process = getattr(service, "_process", None)
    return process if isinstance(process, Process) else None
