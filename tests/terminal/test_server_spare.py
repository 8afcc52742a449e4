"""Spare workers in a real terminal: a pre-built session serves a matching launch, a different one gets a forked worker.

A first launch in one tmux server teaches the session server what to expect (its prediction); the server then
builds a spare on a private pty. A second launch with the same command and environment, in another tmux
server, must be served by that very spare (its PID becomes the session's worker), behave exactly like a
forked or cold session (keys, resize, exit codes, signals, the summary, the terminal left sane), and the
server must build the next spare. Anything that differs from the prediction is served by a forked worker.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
from pathlib import Path

import procs
import pytest
from serving import WarmServer
from test_server_socket import _fd_kinds, _threads
from test_server_tmux import (
    GO_FILE,
    ORPHAN_DEADLINE,
    assert_terminal_sane,
    client_pid,
    start,
)
from tmux import TmuxSession
from tui import EXIT_TIMEOUT, Tui, launcher_argv, lines_of, resize, until_marker, write_launcher

from billing_tui.flow import Content

pytestmark = pytest.mark.terminal


def _own_ptys(pid: int) -> set[str]:
    """The pty slaves whose masters (/dev/ptmx fds) the process holds, by their fdinfo's tty-index."""
    found = set()
    for name in os.listdir(f"/proc/{pid}/fd"):
        with contextlib.suppress(OSError):
            if os.readlink(f"/proc/{pid}/fd/{name}") == "/dev/ptmx":
                fdinfo = Path(f"/proc/{pid}/fdinfo/{name}").read_text()
                info = dict(line.split(":\t", 1) for line in fdinfo.splitlines())
                found.add(f"/dev/pts/{info['tty-index'].strip()}")
    return found


def prime(session: TmuxSession, server: WarmServer, launcher: Path, content: Content, *args: str, **env: str) -> int:
    """Run one launch to its home screen and quit it; return the spare the server then builds for that launch."""
    start(session, server, launcher, "en", *args, **env)
    tui = Tui(session, content.guide("en"))
    tui.wait_home()
    assert tui.quit() == 0
    (spare,) = server.wait_ready_spares(1)
    return spare


# A foreground or background colour in tmux's capture (39 and 49, the defaults, are not colours).
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]")


def coloured(session: TmuxSession) -> bool:
    """Whether the pane shows any colour (NO_COLOR: none at all)."""
    return bool(COLOUR.search(session.tmux("capture-pane", "-p", "-e", "-t", "main").stdout))


def served_by_spare(server: WarmServer, spare: int) -> None:
    """The session's one worker is the spare, and a new spare is being built for the next launch."""
    assert server.wait_workers(1) == [spare]
    (following,) = server.wait_spares(1)
    assert following != spare


def attach_to_spare(
    session: TmuxSession, primer: TmuxSession, launcher: Path, server: WarmServer, content: Content
) -> tuple[int, Tui]:
    """Prime a spare, launch the same command in session, and check the spare serves it; the spare and the Tui."""
    spare = prime(primer, server, launcher, content)
    start(session, server, launcher)
    tui = Tui(session, content.guide("en"))
    tui.wait_home()
    served_by_spare(server, spare)
    return spare, tui


def test_a_spare_serves_a_matching_launch_through_to_its_summary(
    tmux_session: TmuxSession, primer_tmux: TmuxSession, launcher: Path, warm_server: WarmServer, content: Content
) -> None:
    spare, tui = attach_to_spare(tmux_session, primer_tmux, launcher, warm_server, content)
    assert coloured(tmux_session)  # the spare was built for a terminal with colour, as this one is
    final = tui.walk("billing-center", ("invalid-page", "corporate-portal", "logged-in"))
    assert tui.quit() == 0
    tui.assert_summary(until_marker(tmux_session), final)
    assert f"session pid={spare} " in warm_server.wait_log(f"session pid={spare} ")
    assert warm_server.log().count("session pid=") == 2  # one line per session; a spare's build logs nothing
    assert_terminal_sane(tmux_session)


def test_a_launch_that_differs_gets_a_forked_worker_and_a_new_prediction(
    tmux_session: TmuxSession,
    second_tmux: TmuxSession,
    primer_tmux: TmuxSession,
    launcher: Path,
    warm_server: WarmServer,
    content: Content,
) -> None:
    spare = prime(primer_tmux, warm_server, launcher, content)
    start(tmux_session, warm_server, launcher, "en", NO_COLOR="1")  # read when the app is built: no spare fits
    tui = Tui(tmux_session, content.guide("en"))
    tui.wait_home()
    (worker,) = warm_server.wait_workers(1)
    assert worker != spare
    assert procs.wait_gone([spare], 30) == set()  # built for the old prediction: let go
    (rebuilt,) = warm_server.wait_ready_spares(1)
    assert not coloured(tmux_session)
    assert tui.quit() == 0
    start(second_tmux, warm_server, launcher, "en", NO_COLOR="1")  # the new prediction: its spare serves it
    other = Tui(second_tmux, content.guide("en"))
    other.wait_home()
    served_by_spare(warm_server, rebuilt)
    assert not coloured(second_tmux)
    assert other.quit() == 0


def test_a_spare_built_at_another_size_draws_and_resizes_at_the_terminals(
    tmux_session: TmuxSession, primer_tmux: TmuxSession, launcher: Path, warm_server: WarmServer, content: Content
) -> None:
    spare = prime(primer_tmux, warm_server, launcher, content)  # built at the primer's 80x24
    tmux_session.width, tmux_session.height = 110, 30  # the pane starts at this size
    start(tmux_session, warm_server, launcher)
    tui = Tui(tmux_session, content.guide("en"))

    def drawn_at(rows: int, columns: int) -> bool:
        lines = lines_of(tui.screen())
        return len(lines) == rows and "quit" in lines[-1] and any(len(line) > 80 for line in lines) == (columns > 80)

    tui.wait(lambda _: drawn_at(30, 110), "the home screen drawn at 110x30")
    served_by_spare(warm_server, spare)
    resize(tmux_session, 80, 24)
    tui.wait(lambda _: drawn_at(24, 80), "the home screen redrawn at 80x24")
    tui.start_flow("admin-center")
    assert tui.quit() == 0
    assert_terminal_sane(tmux_session)


@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_a_signal_to_the_client_ends_a_spares_session_with_its_code(
    tmux_session: TmuxSession,
    primer_tmux: TmuxSession,
    launcher: Path,
    warm_server: WarmServer,
    content: Content,
    name: str,
) -> None:
    signum = signal.Signals[name]
    spare = prime(primer_tmux, warm_server, launcher, content)
    start(tmux_session, warm_server, launcher)
    Tui(tmux_session, content.guide("en")).wait_home()
    served_by_spare(warm_server, spare)
    os.kill(client_pid(launcher), signum)
    assert tmux_session.wait_exit(EXIT_TIMEOUT) == 128 + signum
    assert procs.wait_gone([spare], 30) == set()
    assert_terminal_sane(tmux_session)
    assert f"pid={spare} " in warm_server.wait_log(f"exit={128 + signum}")


def test_a_killed_client_takes_its_spare_worker_with_it(
    tmux_session: TmuxSession, primer_tmux: TmuxSession, launcher: Path, warm_server: WarmServer, content: Content
) -> None:
    spare = prime(primer_tmux, warm_server, launcher, content)
    start(tmux_session, warm_server, launcher, hold=True)
    Tui(tmux_session, content.guide("en")).wait_home()
    served_by_spare(warm_server, spare)
    os.kill(client_pid(launcher), signal.SIGKILL)
    assert procs.wait_gone([spare], ORPHAN_DEADLINE) == set(), "the spare's session outlived its client"
    (tmux_session.workdir / GO_FILE).touch()
    assert tmux_session.wait_exit(EXIT_TIMEOUT) == 128 + signal.SIGKILL
    assert_terminal_sane(tmux_session)


def test_server_and_spare_worker_killed_mid_session_restore_the_terminal_and_exit_1(
    tmux_session: TmuxSession, primer_tmux: TmuxSession, launcher: Path, warm_server: WarmServer, content: Content
) -> None:
    spare, tui = attach_to_spare(tmux_session, primer_tmux, launcher, warm_server, content)
    tui.start_flow("billing-center")
    (following,) = warm_server.wait_ready_spares(1)
    warm_server.signal(signal.SIGKILL)
    os.kill(spare, signal.SIGKILL)
    assert procs.wait_gone([following], 30) == set()  # the next spare leaves by itself with its server
    assert tmux_session.wait_exit(EXIT_TIMEOUT) == 1
    shown = [line for line in until_marker(tmux_session) if line.strip()]
    assert shown[-1:] == ["billing-tui: the session ended without an exit code (terminal restored)"], shown
    assert_terminal_sane(tmux_session)


def test_a_spare_touches_no_terminal_and_its_session_holds_what_a_cold_start_holds(
    tmux_session: TmuxSession,
    second_tmux: TmuxSession,
    primer_tmux: TmuxSession,
    launcher: Path,
    warm_server: WarmServer,
    content: Content,
) -> None:
    spare = prime(primer_tmux, warm_server, launcher, content)
    private = {os.readlink(f"/proc/{spare}/fd/{fd}") for fd in (0, 1, 2)}
    # Its own pty, no client's terminal: the one whose master the spare itself holds (a pane's closed pty's
    # number may be reused, so the path alone would not tell).
    assert len(private) == 1 and private == _own_ptys(spare), (private, _own_ptys(spare))
    assert set(_fd_kinds(spare)) <= {"tty", "socket", "anon_inode", "pipe", "/dev/ptmx"}
    start(tmux_session, warm_server, launcher)
    Tui(tmux_session, content.guide("en")).wait_home()
    served_by_spare(warm_server, spare)
    cold_launcher = write_launcher(second_tmux.workdir)
    start(second_tmux, warm_server, cold_launcher, "en", "--no-server")
    Tui(second_tmux, content.guide("en")).wait_home()
    (cold,) = procs.pids_with_argv_prefix(launcher_argv(cold_launcher))
    assert _threads(warm_server.pid) == 1  # the server forks spares too with no other thread alive
    expected = _fd_kinds(cold)
    expected["socket"] += 1  # the connection to the client
    assert _fd_kinds(spare) == expected  # the private pty, the link to the server: all closed
    assert _threads(spare) == _threads(cold) + 1  # the watcher of the client's connection
    pane_tty = tmux_session.tmux("display-message", "-p", "-t", "main", "#{pane_tty}").stdout.strip()
    assert {os.readlink(f"/proc/{spare}/fd/{fd}") for fd in (0, 1, 2)} == {pane_tty}
    assert os.getpgid(spare) == spare  # its own process group, for the client's signal relay
    assert Tui(second_tmux, content.guide("en")).quit() == 0
    assert Tui(tmux_session, content.guide("en")).quit() == 0


def test_with_no_spares_every_launch_gets_a_forked_worker(
    tmux_session: TmuxSession, primer_tmux: TmuxSession, launcher: Path, content: Content
) -> None:
    server = WarmServer(tmux_session.workdir)
    try:
        server.start("--spares", "0")
        start(primer_tmux, server, launcher)
        first = Tui(primer_tmux, content.guide("en"))
        first.wait_home()
        assert first.quit() == 0
        start(tmux_session, server, launcher)
        Tui(tmux_session, content.guide("en")).wait_home()
        server.wait_workers(1)
        assert server.spares() == []
        assert Tui(tmux_session, content.guide("en")).quit() == 0
    finally:
        server.stop()


def test_spares_do_not_count_against_max_sessions_and_their_sessions_do(
    tmux_session: TmuxSession, second_tmux: TmuxSession, primer_tmux: TmuxSession, launcher: Path, content: Content
) -> None:
    server = WarmServer(tmux_session.workdir)
    try:
        server.start("--max-sessions", "1")
        spare = prime(primer_tmux, server, launcher, content)  # a spare is up: the one session is still free
        start(tmux_session, server, launcher)
        first = Tui(tmux_session, content.guide("en"))
        first.wait_home()
        served_by_spare(server, spare)
        start(second_tmux, server, launcher)  # the spare's session is the one session; a new spare waits
        second = Tui(second_tmux, content.guide("en"))
        second.wait_home()
        assert "sent a client to start on its own: the server is serving its maximum of 1 sessions" in server.log()
        assert server.workers() == [spare]
        assert second.quit() == 0
        assert first.quit() == 0
    finally:
        server.stop()
