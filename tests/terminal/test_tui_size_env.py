"""Exported $COLUMNS and $LINES do not lie to the full-screen wizard about the terminal's size.

Found by exploratory testing: Textual asks shutil for the size, which believes $COLUMNS/$LINES before the
terminal, so `COLUMNS=200 LINES=50 billing-tui` in an 80x24 terminal drew a 200x50 screen (blank rows, the
verdict cut) and `COLUMNS=30 LINES=10` showed the too-small notice and exited 5. The terminal's own size wins.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import procs
import pytest
from tmux import TmuxSession
from tui import EXIT_TIMEOUT, START_TIMEOUT, Tui, launcher_argv, marked, pane_command, start_recorded, write_launcher

from billing_tui.flow import Content

pytestmark = pytest.mark.terminal


@pytest.fixture
def launcher(tmux_session: TmuxSession) -> Iterator[Path]:
    """This checkout's billing-tui in the test's own directory; any process still running from it is ended after."""
    path = write_launcher(tmux_session.workdir)
    yield path
    procs.end(procs.pids_with_argv_prefix(launcher_argv(path)))


@pytest.mark.parametrize("columns, lines", [(200, 50), (30, 10)], ids=["larger", "too-small"])
def test_the_terminals_own_size_wins_over_exported_columns_and_lines(
    tmux_session: TmuxSession, launcher: Path, content: Content, columns: int, lines: int
) -> None:
    """In an 80x24 pane, home is laid out for 80x24: its title near the top, its footer on row 24, no notice."""
    guide = content.guide("en")
    env = {"TERM": "xterm-256color", "LANG": "en_US.UTF-8", "COLUMNS": str(columns), "LINES": str(lines)}
    start_recorded(tmux_session, marked(pane_command(launcher, env, ["--no-server"])))
    tui = Tui(tmux_session, guide)
    footer = f"q {guide.text('keys_quit')}"
    screen = tui.wait(lambda shown: footer in shown and guide.home.title in shown, "home", START_TIMEOUT)
    rows = screen.rstrip("\n").split("\n")
    assert len(rows) == 24 and footer in rows[-1] and len(rows[-1].rstrip()) <= 80
    assert guide.home.title in "\n".join(rows[:4])
    assert "Terminal too small" not in screen
    # Not even for a moment: no frame laid out at the exported size (Rich sized its console by them).
    assert b"Terminal too small" not in tmux_session.raw()
    assert tui.quit(EXIT_TIMEOUT) == 0
