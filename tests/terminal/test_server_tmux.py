"""Sessions through the session server in a real terminal: attach, keys, resize, exit codes, deaths and restarts.

Each test starts its own `billing-tui serve` (socket in its own /tmp directory) and types `billing-tui`
in a tmux pane with BILLING_TUI_SOCKET pointing at it; the server's log and its children show whether
the launch attached. After the app, `stty -a` in the same pane shows the terminal modes it left.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import sys
from pathlib import Path

import procs
import pytest
from serving import WarmServer
from tmux import TmuxSession
from tui import (
    EXIT_TIMEOUT,
    START_TIMEOUT,
    Tui,
    flat,
    launcher_argv,
    lines_of,
    marked,
    pane_command,
    resize,
    until_marker,
    write_launcher,
)
from tui import poll as poll_screen

from billing_tui.flow import Content, builtin_content_dir

pytestmark = pytest.mark.terminal

LOCALES = {"pt-BR": "pt_BR.UTF-8", "en": "en_US.UTF-8"}
# After the client exits, the pane runs `stty -a` into this file (with the client's status kept).
STTY_FILE = "stty.txt"
# The worker leaves at most ORPHAN_GRACE (1.5 s) after its client's connection closes; slack for a busy host.
ORPHAN_DEADLINE = 5.0


# With a hold, the pane waits for this file before running `stty -a` (so a worker can finish restoring first).
GO_FILE = "go"


def client_command(
    server: WarmServer, launcher: Path, lang: str = "en", *args: str, hold: bool = False, **env: str
) -> str:
    """`billing-tui ARGS` for a pane, attached to this server, then `stty -a` into the pane's STTY_FILE."""
    variables = {"TERM": "xterm-256color", "LANG": LOCALES[lang], "BILLING_TUI_SOCKET": str(server.socket), **env}
    stty = shlex.quote(str(launcher.parent.parent / STTY_FILE))
    go = shlex.quote(str(launcher.parent.parent / GO_FILE))
    wait = f"while [ ! -e {go} ]; do sleep 0.05; done; " if hold else ""
    return f"{marked(pane_command(launcher, variables, args))}; rc=$?; {wait}stty -a > {stty}; (exit $rc)"


def start(
    session: TmuxSession,
    server: WarmServer,
    launcher: Path,
    lang: str = "en",
    *args: str,
    hold: bool = False,
    **env: str,
) -> None:
    session.start(client_command(server, launcher, lang, *args, hold=hold, **env))


def client_pid(launcher: Path) -> int:
    """The one billing-tui client started through this launcher."""
    found = poll_screen(
        lambda: " ".join(map(str, procs.pids_with_argv_prefix(launcher_argv(launcher)))),
        lambda text: len(text.split()) == 1,
        "one billing-tui client",
        START_TIMEOUT,
    )
    return int(found)


SANE_MODES = ("echo", "icanon", "isig", "icrnl")


def _sane(text: str) -> bool:
    modes = text.split()
    return all(mode in modes and f"-{mode}" not in modes for mode in SANE_MODES)


def assert_terminal_sane(session: TmuxSession) -> None:
    """`stty -a` run in the pane after the app shows echo, canonical input, signals and CR translation back on."""
    stty = session.workdir / STTY_FILE
    text = poll_screen(lambda: stty.read_text() if stty.exists() else "", lambda t: "echo" in t, "stty -a", 30)
    assert _sane(text), text


@pytest.mark.parametrize("lang", LOCALES)
def test_an_attached_session_walks_a_path_and_leaves_the_summary(
    tmux_session: TmuxSession, launcher: Path, warm_server: WarmServer, content: Content, lang: str
) -> None:
    start(tmux_session, warm_server, launcher, lang)
    tui = Tui(tmux_session, content.guide(lang))
    tui.wait_home()
    (worker,) = warm_server.wait_workers(1)
    assert worker != client_pid(launcher)
    final = tui.walk("billing-center", ("invalid-page", "corporate-portal", "logged-in"))
    assert tui.quit() == 0
    tui.assert_summary(until_marker(tmux_session), final)
    assert f"session pid={worker} " in warm_server.wait_log(f"session pid={worker} ")
    assert f"pid={worker} duration=" in warm_server.log() and warm_server.log().rstrip().endswith("exit=0")
    assert_terminal_sane(tmux_session)


def test_a_resize_reaches_the_worker(
    tmux_session: TmuxSession, launcher: Path, warm_server: WarmServer, content: Content
) -> None:
    start(tmux_session, warm_server, launcher)
    tui = Tui(tmux_session, content.guide("en"))
    tui.wait_home()
    warm_server.wait_workers(1)

    def drawn_to_row(rows: int, columns: int) -> bool:
        lines = lines_of(tui.screen())
        return len(lines) == rows and "quit" in lines[-1] and any(len(line) > 80 for line in lines) == (columns > 80)

    resize(tmux_session, 110, 30)
    tui.wait(lambda _: drawn_to_row(30, 110), "the home screen redrawn at 110x30")
    resize(tmux_session, 80, 24)
    tui.wait(lambda _: drawn_to_row(24, 80), "the home screen redrawn at 80x24")
    assert tui.quit() == 0


def test_a_bad_option_value_exits_2_with_one_line(
    tmux_session: TmuxSession, launcher: Path, warm_server: WarmServer
) -> None:
    start(tmux_session, warm_server, launcher, "en", "--flow", "nope")
    assert tmux_session.wait_exit(EXIT_TIMEOUT) == 2
    shown = [line for line in until_marker(tmux_session) if line.strip()]
    assert shown == ["billing-tui: unknown flow 'nope'; valid flows: billing-center, admin-center"]
    assert "exit=2" in warm_server.wait_log("exit=2")


@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_a_signal_to_the_client_ends_the_session_with_its_code(
    tmux_session: TmuxSession, launcher: Path, warm_server: WarmServer, content: Content, name: str
) -> None:
    signum = signal.Signals[name]
    start(tmux_session, warm_server, launcher)
    Tui(tmux_session, content.guide("en")).wait_home()
    (worker,) = warm_server.wait_workers(1)
    os.kill(client_pid(launcher), signum)
    assert tmux_session.wait_exit(EXIT_TIMEOUT) == 128 + signum
    assert procs.wait_gone([worker], 30) == set()
    assert_terminal_sane(tmux_session)
    assert f"exit={128 + signum}" in warm_server.wait_log(f"exit={128 + signum}")


def test_a_worker_killed_by_a_signal_gives_its_code_and_a_sane_terminal(
    tmux_session: TmuxSession, launcher: Path, warm_server: WarmServer, content: Content
) -> None:
    start(tmux_session, warm_server, launcher)
    Tui(tmux_session, content.guide("en")).wait_home()
    (worker,) = warm_server.wait_workers(1)
    os.kill(worker, signal.SIGKILL)
    assert tmux_session.wait_exit(EXIT_TIMEOUT) == 128 + signal.SIGKILL
    assert_terminal_sane(tmux_session)
    assert "exit=137" in warm_server.wait_log("exit=137")


def test_a_killed_client_takes_its_worker_with_it(
    tmux_session: TmuxSession, launcher: Path, warm_server: WarmServer, content: Content
) -> None:
    start(tmux_session, warm_server, launcher, hold=True)
    Tui(tmux_session, content.guide("en")).wait_home()
    (worker,) = warm_server.wait_workers(1)
    os.kill(client_pid(launcher), signal.SIGKILL)
    assert procs.wait_gone([worker], ORPHAN_DEADLINE) == set(), "the worker outlived its client"
    (tmux_session.workdir / GO_FILE).touch()
    assert tmux_session.wait_exit(EXIT_TIMEOUT) == 128 + signal.SIGKILL
    assert_terminal_sane(tmux_session)  # the worker, hung up by its watcher, restored the terminal as it left


def test_a_session_goes_on_when_the_server_is_killed(
    tmux_session: TmuxSession, launcher: Path, warm_server: WarmServer, content: Content
) -> None:
    start(tmux_session, warm_server, launcher)
    tui = Tui(tmux_session, content.guide("en"))
    tui.wait_home()
    (worker,) = warm_server.wait_workers(1)
    warm_server.signal(signal.SIGKILL)
    warm_server.wait_exit()
    final = tui.walk("admin-center", ("contact-billing-admin",))
    assert tui.quit() == 0
    tui.assert_summary(until_marker(tmux_session), final)
    assert procs.wait_gone([worker], 30) == set()


def test_server_and_worker_killed_mid_session_restore_the_terminal_and_exit_1(
    tmux_session: TmuxSession, launcher: Path, warm_server: WarmServer, content: Content
) -> None:
    """What systemd's stop (SIGKILL to the unit's cgroup) or the OOM killer does: nobody is left to say the code."""
    start(tmux_session, warm_server, launcher)
    tui = Tui(tmux_session, content.guide("en"))
    tui.wait_home()
    tui.start_flow("billing-center")
    (worker,) = warm_server.wait_workers(1)
    warm_server.signal(signal.SIGKILL)
    os.kill(worker, signal.SIGKILL)
    assert tmux_session.wait_exit(EXIT_TIMEOUT) == 1
    shown = [line for line in until_marker(tmux_session) if line.strip()]
    assert shown[-1:] == ["billing-tui: the session ended without an exit code (terminal restored)"], shown
    assert_terminal_sane(tmux_session)


def test_sigterm_stops_accepting_and_lets_the_live_session_finish(
    tmux_session: TmuxSession, second_tmux: TmuxSession, launcher: Path, warm_server: WarmServer, content: Content
) -> None:
    start(tmux_session, warm_server, launcher)
    tui = Tui(tmux_session, content.guide("en"))
    tui.wait_home()
    warm_server.wait_workers(1)
    warm_server.signal(signal.SIGTERM)
    warm_server.wait_log("stopped accepting (SIGTERM)")
    assert not warm_server.socket.exists()
    start(second_tmux, warm_server, write_launcher(second_tmux.workdir))  # no socket: it starts on its own
    other = Tui(second_tmux, content.guide("en"))
    other.wait_home()
    assert other.quit() == 0
    final = tui.walk("admin-center", ("contact-billing-admin",))
    assert tui.quit() == 0
    tui.assert_summary(until_marker(tmux_session), final)
    assert warm_server.wait_exit() == 0
    assert warm_server.log().count("session pid=") == 1


def test_the_grace_period_bounds_a_stop(tmux_session: TmuxSession, launcher: Path, content: Content) -> None:
    server = WarmServer(tmux_session.workdir)
    try:
        server.start("--grace", "0.5")
        start(tmux_session, server, launcher)
        Tui(tmux_session, content.guide("en")).wait_home()
        server.wait_workers(1)
        server.signal(signal.SIGTERM)
        assert tmux_session.wait_exit(EXIT_TIMEOUT) == 128 + signal.SIGTERM
        assert server.wait_exit() == 0
        assert "grace over: ending 1 sessions" in server.log()
        assert_terminal_sane(tmux_session)
    finally:
        server.stop()


def test_past_max_sessions_a_launch_starts_on_its_own(
    tmux_session: TmuxSession, second_tmux: TmuxSession, launcher: Path, content: Content
) -> None:
    server = WarmServer(tmux_session.workdir)
    try:
        server.start("--max-sessions", "1")
        start(tmux_session, server, launcher)
        first = Tui(tmux_session, content.guide("en"))
        first.wait_home()
        server.wait_workers(1)
        start(second_tmux, server, write_launcher(second_tmux.workdir))
        second = Tui(second_tmux, content.guide("en"))
        second.wait_home()
        assert "sent a client to start on its own: the server is serving its maximum of 1 sessions" in server.log()
        assert len(server.workers()) == 1
        assert second.quit() == 0
        assert first.quit() == 0
    finally:
        server.stop()


def test_an_import_time_variable_of_its_own_makes_a_launch_start_on_its_own(
    tmux_session: TmuxSession, launcher: Path, warm_server: WarmServer, content: Content
) -> None:
    start(tmux_session, warm_server, launcher, "en", TEXTUAL_FPS="30")
    tui = Tui(tmux_session, content.guide("en"))
    tui.wait_home()
    assert warm_server.workers() == []
    assert "start on its own: TEXTUAL_FPS differs from the server's" in warm_server.log()
    assert tui.quit() == 0


def test_a_stale_server_sends_the_launch_away_and_leaves(
    tmux_session: TmuxSession, launcher: Path, content: Content
) -> None:
    """A server whose build differs (here: another path to the interpreter) must not serve, and must go."""
    alias = tmux_session.workdir / "venv"
    alias.symlink_to(Path(sys.prefix))
    server = WarmServer(tmux_session.workdir, python=str(alias / "bin" / "python"))
    try:
        server.start()
        start(tmux_session, server, launcher)
        tui = Tui(tmux_session, content.guide("en"))
        tui.wait_home()
        assert server.wait_exit() == 0
        assert "a newer build is installed" in server.log()
        assert not server.socket.exists()
        assert tui.quit() == 0
    finally:
        server.stop()


def test_the_servers_language_is_the_default_when_the_locale_names_none(
    tmux_session: TmuxSession, launcher: Path, content: Content
) -> None:
    """`serve --lang en`: a login whose locale names no language gets English (cold, it would get pt-BR)."""
    server = WarmServer(tmux_session.workdir)
    try:
        server.start("--lang", "en", "--theme", "high-contrast")
        start(tmux_session, server, launcher, "en", LANG="C.UTF-8")
        tui = Tui(tmux_session, content.guide("en"))
        tui.wait_home()
        server.wait_workers(1)
        assert tui.quit() == 0
    finally:
        server.stop()


def test_another_content_directory_starts_on_its_own(
    tmux_session: TmuxSession, launcher: Path, warm_server: WarmServer, content: Content
) -> None:
    other = tmux_session.workdir / "content"
    shutil.copytree(builtin_content_dir(), other)
    start(tmux_session, warm_server, launcher, "en", "--content", str(other))
    tui = Tui(tmux_session, content.guide("en"))
    tui.wait_home()
    assert warm_server.workers() == []
    assert "start on its own: --content names another content directory than the server's" in warm_server.log()
    assert tui.quit() == 0


@pytest.mark.parametrize("name", ["SIGINT", "SIGHUP"])
def test_signals_the_server_ignores_still_reach_a_session(
    tmux_session: TmuxSession, launcher: Path, content: Content, name: str
) -> None:
    """A server started under nohup or as a shell's background job ignores SIGHUP or SIGINT; its workers must not."""
    signum = signal.Signals[name]
    ignoring = ["sh", "-c", 'trap "" HUP INT; exec "$0" "$@"', sys.executable, "-m", "billing_tui"]
    server = WarmServer(tmux_session.workdir, command=ignoring)
    try:
        server.start()
        start(tmux_session, server, launcher)
        Tui(tmux_session, content.guide("en")).wait_home()
        (worker,) = server.wait_workers(1)
        os.kill(client_pid(launcher), signum)
        assert tmux_session.wait_exit(EXIT_TIMEOUT) == 128 + signum
        assert procs.wait_gone([worker], 30) == set()
        assert_terminal_sane(tmux_session)
    finally:
        server.stop()


@pytest.mark.parametrize("served", [True, False], ids=["via-server", "cold"])
def test_quitting_from_the_too_small_notice_exits_5_with_one_line(
    tmux_session: TmuxSession, launcher: Path, warm_server: WarmServer, content: Content, served: bool
) -> None:
    """Exit code 5, "the terminal cannot show the app", and one line saying why, attached or cold alike."""
    guide = content.guide("en")
    start(tmux_session, warm_server, launcher, "en", *(() if served else ("--no-server",)))
    tui = Tui(tmux_session, guide)
    tui.wait_home()
    workers = warm_server.wait_workers(1) if served else []
    resize(tmux_session, 36, 10)
    limits = {"width": 36, "height": 10, "min_width": 40, "min_height": 12}
    notice = flat(guide.text("too_small", **limits))
    tui.wait(lambda screen: notice in flat(screen), "the too-small notice at 36x10")
    tmux_session.send_keys("q")
    assert tmux_session.wait_exit(EXIT_TIMEOUT) == 5
    # The pane is 36 columns wide, so the terminal wraps the line anywhere: compare it without spaces.
    shown = "".join(line for line in until_marker(tmux_session) if line.strip()).replace(" ", "")
    line = "billing-tui: " + guide.text("too_small_exit", **limits)
    assert shown.endswith(line.replace(" ", "")), shown
    assert_terminal_sane(tmux_session)
    if served:
        assert f"session pid={workers[0]} " in warm_server.wait_log("exit=5") and "exit=5" in warm_server.log()
    else:
        assert not warm_server.workers(), "a --no-server launch attached"
