"""The one place that reaches inside textual-serve 1.1.3: its AppService keeps the tab's process private.

Checked against textual-serve==1.1.3 (pinned in the `web` extra); re-check on an upgrade.
"""

from __future__ import annotations

from asyncio.subprocess import Process
from collections.abc import Sequence
from typing import Any

from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from billing_tui.web.attached import WorkerProcess, attach


class TabService(AppService):
    """textual-serve's AppService whose process is a session server's warm worker when one takes the tab.

    Attached from here, a tab costs no Python start of its own; with no session server (or a refusal) it runs
    AppService's own subprocess, `command`, as before.
    """

    def __init__(self, command: str, argv: Sequence[str], content: str | None, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.session_argv = list(argv)
        self.content = content

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        """The warm worker (AppService._open_app_process's job in textual-serve 1.1.3), else its subprocess."""
        worker = await attach(self.session_argv, self.content, self._build_environment(width, height))
        if worker is None:
            return await super()._open_app_process(width, height)
        self._process = worker  # type: ignore[assignment]  # the Process duck: see WorkerProcess
        self._stdin = worker.stdin
        return worker


def process_of(service: AppService) -> Process | WorkerProcess | None:
    """The tab's process (a subprocess, or a warm worker), once started (AppService._process in textual-serve 1.1.3)."""
    process = getattr(service, "_process", None)
    return process if isinstance(process, (Process, WorkerProcess)) else None


def forget_downloads(manager: DownloadManager, service: AppService, streaming: set[str]) -> int:
    """Drop the downloads an ended session offered that no browser is fetching; return how many.

    textual-serve 1.1.3 removes a download (DownloadManager._active_downloads) only once it has been streamed, so
    a transcript the browser never fetched kept its entry, and with it the whole ended session, for as long as the
    server ran. One being streamed (its key in `streaming`) is left to the stream, which removes it itself.
    """
    active = manager._active_downloads
    stale = [key for key, download in active.items() if download.app_service is service and key not in streaming]
    for key in stale:
        del active[key]
    return len(stale)
