"""The kiosk of docs/ssh-kiosk.md with its session server up, as written: the unit file, SetEnv, real logins.

The server runs with the unit's ExecStart options and socket variable (the socket moved into the test's
own directory, as the user name and billing-tui's path are); logins through the guide's Match block attach
to it: a walk in both languages, a resize, a killed client, and a server restart with a session live.
"""

from __future__ import annotations

import configparser
import os
import shlex
import signal

import procs
import pytest
from guide import GUIDE_PATH, GUIDE_SOCKET, GUIDE_USER, UNIT, guide_blocks
from serving import WarmServer
from sshd import SshServer
from tmux import TmuxSession
from tui import EXIT_TIMEOUT, Tui, lines_of, marked, resize, until_marker

from billing_tui.flow import Content

pytestmark = [pytest.mark.ssh, pytest.mark.terminal]

ORPHAN_DEADLINE = 5.0  # the worker's own bound is 1.5 s after its client's connection closes


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(UNIT, encoding="utf-8")
    return parser


def unit_serve_args() -> list[str]:
    """The options of the unit's `billing-tui serve`."""
    words = shlex.split(unit()["Service"]["ExecStart"])
    assert words[:2] == [GUIDE_PATH, "serve"], words
    return words[2:]


def test_the_unit_and_the_match_block_agree_on_the_socket() -> None:
    service = unit()["Service"]
    assert service["User"] == GUIDE_USER and service["Group"] == GUIDE_USER
    assert service["Environment"] == f"BILLING_TUI_SOCKET={GUIDE_SOCKET}"
    assert f"/run/{service['RuntimeDirectory']}" == os.path.dirname(GUIDE_SOCKET)
    assert service["RuntimeDirectoryMode"] == "0700"
    assert service["KillMode"] == "mixed"
    assert unit()["Unit"]["Before"] == "ssh.service"
    for block in guide_blocks():
        assert f"    SetEnv BILLING_TUI_SOCKET={GUIDE_SOCKET}" in block.splitlines()


@pytest.fixture
def unit_server(warm_server: WarmServer) -> WarmServer:
    """The test's server restarted with the unit's own options."""
    warm_server.stop()
    return warm_server.start(*unit_serve_args())


LOCALES = {"pt-BR": "pt_BR.UTF-8", "en": "en_US.UTF-8"}


def login(session: TmuxSession, kiosk: SshServer, lang: str) -> None:
    """`ssh -tt kiosk@host` in a pane, sending the language's UTF-8 LANG."""
    ssh = kiosk.ssh_argv(tty=True, options=["-o", "SendEnv=LANG"])
    session.start(marked(shlex.join(["env", "TERM=xterm-256color", f"LANG={LOCALES[lang]}", *ssh])))


@pytest.mark.parametrize("lang", ["pt-BR", "en"])
def test_a_login_attaches_and_walks_a_path(
    unit_server: WarmServer, kiosk_with_server: SshServer, tmux_session: TmuxSession, content: Content, lang: str
) -> None:
    login(tmux_session, kiosk_with_server, lang)
    tui = Tui(tmux_session, content.guide(lang))
    tui.wait_home()
    (worker,) = unit_server.wait_workers(1)
    final = tui.walk("admin-center", ("contact-billing-admin",))
    assert tui.quit() == 0
    assert final.verdict is not None
    assert procs.wait_gone([worker], 30) == set()
    assert f"session pid={worker} " in unit_server.wait_log(f"session pid={worker} ")


def test_a_resize_over_ssh_reaches_the_worker(
    warm_server: WarmServer, kiosk_with_server: SshServer, tmux_session: TmuxSession, content: Content
) -> None:
    login(tmux_session, kiosk_with_server, "en")
    tui = Tui(tmux_session, content.guide("en"))
    tui.wait_home()
    warm_server.wait_workers(1)
    resize(tmux_session, 100, 30)
    tui.wait(lambda s: len(lines_of(s)) == 30 and "quit" in lines_of(s)[-1], "home redrawn at 100x30")
    assert tui.quit() == 0


def test_a_killed_client_leaves_no_worker(
    warm_server: WarmServer, kiosk_with_server: SshServer, tmux_session: TmuxSession, content: Content
) -> None:
    login(tmux_session, kiosk_with_server, "en")
    Tui(tmux_session, content.guide("en")).wait_home()
    (worker,) = warm_server.wait_workers(1)
    (remote,) = procs.pids_with_argv_prefix(kiosk_with_server.launcher_argv)
    os.kill(remote, signal.SIGKILL)
    assert procs.wait_gone([worker], ORPHAN_DEADLINE) == set(), "the worker outlived its client"
    tmux_session.wait_exit(EXIT_TIMEOUT)


def test_a_dropped_connection_leaves_no_worker(
    warm_server: WarmServer, kiosk_with_server: SshServer, tmux_session: TmuxSession, content: Content
) -> None:
    login(tmux_session, kiosk_with_server, "en")
    Tui(tmux_session, content.guide("en")).wait_home()
    (worker,) = warm_server.wait_workers(1)
    ssh = [pid for pid in procs.descendants(tmux_session.pane_pid()) if procs.cmdline(pid)[:1] == ["ssh"]]
    assert len(ssh) == 1
    os.kill(ssh[0], signal.SIGKILL)
    assert procs.wait_gone([worker], ORPHAN_DEADLINE) == set(), "the worker outlived the connection"
    assert procs.wait_gone(procs.pids_with_argv_prefix(kiosk_with_server.launcher_argv), 30) == set()


def test_a_server_restart_keeps_the_live_session_and_serves_the_next_login(
    warm_server: WarmServer,
    kiosk_with_server: SshServer,
    tmux_session: TmuxSession,
    second_tmux: TmuxSession,
    content: Content,
) -> None:
    login(tmux_session, kiosk_with_server, "en")
    first = Tui(tmux_session, content.guide("en"))
    first.wait_home()
    (old_worker,) = warm_server.wait_workers(1)
    warm_server.signal(signal.SIGTERM)  # what `systemctl restart` sends first (KillMode=mixed)
    warm_server.wait_log("stopped accepting (SIGTERM)")
    new_server = WarmServer(warm_server.directory)
    try:
        new_server.start()
        login(second_tmux, kiosk_with_server, "pt-BR")
        second = Tui(second_tmux, content.guide("pt-BR"))
        second.wait_home()
        (new_worker,) = new_server.wait_workers(1)
        assert new_worker != old_worker
        final = first.walk("admin-center", ("contact-billing-admin",))
        assert first.quit() == 0
        first.assert_summary(until_marker(tmux_session), final)
        assert warm_server.wait_exit() == 0
        assert second.quit() == 0
    finally:
        new_server.stop()
