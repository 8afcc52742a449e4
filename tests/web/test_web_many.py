"""Ten tabs at once, in one browser, each walking the wizard to a verdict."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import Tab, TabTerm, WebServer, chrome, new_tab
from contract import PATHS
from tui import Tui

from billing_tui.flow import Content

pytestmark = pytest.mark.web

TABS = 10


def test_ten_tabs_at_once_all_reach_their_verdict(tmp_path: Path, content: Content) -> None:
    server = WebServer.start(tmp_path)
    browser = chrome(tmp_path, 900, 700)
    guide = content.guide("en")
    try:
        tabs: list[Tab] = []
        for index in range(TABS):
            if index:
                new_tab(browser)
            browser.get(server.url)
            tabs.append(Tab(browser))
        tuis = [Tui(TabTerm(tab), guide) for tab in tabs]  # type: ignore[arg-type]
        for tui in tuis:
            tui.wait_home()
        paths = [PATHS[index % len(PATHS)] for index in range(TABS)]
        states = [tui.start_flow(flow_id) for tui, (flow_id, _, _) in zip(tuis, paths, strict=True)]
        for step in range(max(len(answers) for _, answers, _ in paths)):
            for index, (tui, (_, answers, _)) in enumerate(zip(tuis, paths, strict=True)):
                if step < len(answers):
                    states[index] = tui.answer(states[index], answers[step])
        reached = [state.verdict.id if state.verdict else None for state in states]
        assert reached == [verdict for _, _, verdict in paths]
        assert len(server.children()) >= TABS
    finally:
        browser.quit()
        server.stop()
