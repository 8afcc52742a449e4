"""The full-screen wizard over a real OpenSSH server: `ssh -tt` in a tmux pane, as people connect.

Paths in both languages (LANG set in the remote command, or sent with SendEnv), a resize from 80x24
to 40x12, below it and back, TERM=xterm-256color, linux and screen, `ssh -T` typed in a real terminal
(plain mode, no escape), and the guide's kiosk (ForceCommand) with a pty. Every test checks the exit
status that travels back through ssh, the summary left in the client's pane, and that the remote
billing-tui is gone once the user quit.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import procs
import pytest
from sshd import SshServer, client_env
from tmux import TmuxSession
from tui import (
    END_MARKER,
    EXIT_TIMEOUT,
    START_TIMEOUT,
    STEP_TIMEOUT,
    Tui,
    flat,
    has_line,
    lines_of,
    marked,
    resize,
    shows_truncated,
    start_recorded,
    until_marker,
    wait_raw,
)

from billing_tui.flow import Content, Wizard
from billing_tui.flow.transcript import to_text

pytestmark = [pytest.mark.ssh, pytest.mark.terminal]

LOCALES = {"pt-BR": "pt_BR.UTF-8", "en": "en_US.UTF-8"}
TWO_PATHS = {
    "billing-center": ("invalid-page", "corporate-portal", "cannot-log-in"),
    "admin-center": ("select-product", "logged-in"),
}


class RemoteProcesses:
    """The billing-tui processes a test starts on a server, told apart from others by PID (an anchored argv match)."""

    def __init__(self, server: SshServer) -> None:
        self.server = server
        self.before = procs.pids_with_argv_prefix(server.launcher_argv)

    def new(self) -> set[int]:
        """The server's billing-tui processes started since this test began."""
        return procs.pids_with_argv_prefix(self.server.launcher_argv) - self.before

    def assert_one_running(self) -> set[int]:
        """Exactly one remote billing-tui runs for this test: the one the user sees."""
        running = self.new()
        assert len(running) == 1, running
        return running

    def assert_gone(self, pids: set[int]) -> None:
        """These remote processes exited after the user quit (a bounded wait)."""
        assert procs.wait_gone(pids, EXIT_TIMEOUT) == set(), "the remote billing-tui outlived the session"


@contextmanager
def remote_processes(server: SshServer) -> Iterator[RemoteProcesses]:
    """Track the test's remote billing-tui processes and end any still running afterwards, by PID."""
    tracker = RemoteProcesses(server)
    try:
        yield tracker
    finally:
        procs.end(tracker.new())


@pytest.fixture
def remote(ssh_server: SshServer) -> Iterator[RemoteProcesses]:
    with remote_processes(ssh_server) as tracker:
        yield tracker


def ssh_command(
    server: SshServer,
    remote_words: Sequence[str] = (),
    term: str = "xterm-256color",
    client_vars: dict[str, str] | None = None,
    options: Sequence[str] = (),
    tty: bool = True,
) -> str:
    """The pane's command: `env -i` with the client's variables (TERM, maybe LANG), then ssh, ended by END_MARKER."""
    env = client_env(TERM=term, **(client_vars or {}))
    argv = server.ssh_argv(remote_words, tty=tty, options=options)
    return marked(shlex.join(["env", "-i", *(f"{name}={value}" for name, value in env.items()), *argv]))


def tui_command(server: SshServer, lang: str, term: str = "xterm-256color", *args: str) -> str:
    """ssh -tt to the server's billing-tui: pt-BR's locale set in the remote command, en's sent with SendEnv=LANG."""
    if lang == "pt-BR":
        return ssh_command(server, ["env", f"LANG={LOCALES[lang]}", *server.billing_tui(*args)], term)
    return ssh_command(
        server, server.billing_tui(*args), term, client_vars={"LANG": LOCALES[lang]}, options=["-o", "SendEnv=LANG"]
    )


def finish(tui: Tui, final: Wizard, remote: RemoteProcesses, running: set[int]) -> None:
    """q: ssh exits 0, the summary is in the client's pane and the remote process is gone."""
    assert tui.quit() == 0
    tui.assert_summary(until_marker(tui.session), final)
    remote.assert_gone(running)


@pytest.mark.parametrize("lang", LOCALES)
@pytest.mark.parametrize("flow", TWO_PATHS)
def test_two_paths_in_each_language_over_ssh_tt(
    ssh_server: SshServer, remote: RemoteProcesses, tmux_session: TmuxSession, content: Content, lang: str, flow: str
) -> None:
    tmux_session.start(tui_command(ssh_server, lang))
    tui = Tui(tmux_session, content.guide(lang))
    final = tui.walk(flow, TWO_PATHS[flow])
    finish(tui, final, remote, remote.assert_one_running())


@pytest.mark.parametrize(("term", "ascii_only"), [("xterm-256color", False), ("linux", True), ("screen", False)])
def test_each_term_walks_a_path_and_exits_0(
    ssh_server: SshServer,
    remote: RemoteProcesses,
    tmux_session: TmuxSession,
    content: Content,
    term: str,
    ascii_only: bool,
) -> None:
    """ssh sends the client's TERM with the pty; TERM=linux gets ASCII glyphs ([x] No), the others Unicode (✘ No)."""
    tmux_session.start(tui_command(ssh_server, "en", term))
    tui = Tui(tmux_session, content.guide("en"), ascii_only=ascii_only)
    final = tui.walk("admin-center", ("contact-billing-admin",))
    finish(tui, final, remote, remote.assert_one_running())


@pytest.mark.parametrize("lang", LOCALES)
def test_resizing_mid_session_keeps_the_state(
    ssh_server: SshServer, remote: RemoteProcesses, tmux_session: TmuxSession, content: Content, lang: str
) -> None:
    """80x24 -> 40x12 (still usable: a digit answers) -> 39x11 (the too-small notice) -> 80x24 (gone, same state)."""
    guide = content.guide(lang)
    tmux_session.start(tui_command(ssh_server, lang))
    tui = Tui(tmux_session, guide)
    tui.wait_home()
    wizard = tui.answer(tui.start_flow("billing-center"), "invalid-page")
    running = remote.assert_one_running()
    assert wizard.flow is not None
    topbar = f"{guide.text('app_title')} › {wizard.flow.label}  ·  {lang}"

    def wait_narrow(state: Wizard) -> None:
        """At 40x12: the top bar cut with an ellipsis, this question (its title, or its prompt above the choices
        once a resize has scrolled the focused choices into view) and its breadcrumb (cut too)."""
        question = state.question
        assert question is not None

        def narrow(screen: str) -> bool:
            lines = lines_of(screen)
            return (
                len(lines) == 12
                and lines[0].strip().endswith("…")
                and shows_truncated(lines[0], topbar)
                and (has_line(screen, question.title) or has_line(screen, question.prompt))
                and tui.breadcrumb_shown(screen, state)
            )

        tui.wait(narrow, f"question {question.id} at 40x12")

    resize(tmux_session, 40, 12)
    wait_narrow(wizard)
    assert wizard.question is not None
    tmux_session.send_keys(str(wizard.question.choice_ids.index("corporate-portal") + 1))
    wizard = wizard.choose("corporate-portal")
    wait_narrow(wizard)

    resize(tmux_session, 39, 11)
    notice = flat(guide.text("too_small", width=39, height=11, min_width=40, min_height=12))
    tui.wait(lambda screen: notice in flat(screen), "the too-small notice at 39x11")

    resize(tmux_session, 80, 24)
    screen = tui.wait_question(wizard)
    assert notice not in flat(screen)
    assert has_line(screen, topbar)
    final = tui.answer(wizard, "logged-in")
    finish(tui, final, remote, running)


def test_ssh_T_typed_in_a_terminal_gets_the_plain_mode_and_no_escape(
    ssh_server: SshServer, remote: RemoteProcesses, tmux_session: TmuxSession, content: Content
) -> None:
    """The user's terminal is real, but without a pty on the server billing-tui must not draw: numbered prompts only."""
    guide = content.guide("en")
    start_recorded(tmux_session, ssh_command(ssh_server, ssh_server.billing_tui("--lang", "en"), tty=False))
    screen = tmux_session.wait_for(f"{guide.text('plain_prompt')}:", START_TIMEOUT)
    assert guide.home.title in screen
    running = remote.assert_one_running()
    first = Wizard(guide, "admin-center")
    assert first.question is not None
    tmux_session.type("2")
    tmux_session.wait_for(first.question.choices[0].label, STEP_TIMEOUT)
    tmux_session.type("1")
    tmux_session.wait_for(to_text(first.choose("subscriptions")).splitlines()[0], STEP_TIMEOUT)
    tmux_session.type("q")
    assert tmux_session.wait_exit(EXIT_TIMEOUT) == 0
    raw = wait_raw(tmux_session, lambda raw: END_MARKER.encode() in raw, "the end marker")
    assert b"\x1b" not in raw, raw[:500]
    remote.assert_gone(running)


KIOSK_LOGINS = {
    "en-sent": ("en", "en_US.UTF-8", "admin-center", ("select-product", "cannot-log-in")),
    "pt-BR-sent": ("pt-BR", "pt_BR.UTF-8", "billing-center", ("invalid-page", "standard-account")),
    # No LANG reaches the server: the default language, and ASCII glyphs (no UTF-8 locale is known).
    "no-lang": ("pt-BR", None, "admin-center", ("subscriptions",)),
}


@pytest.mark.parametrize("login", KIOSK_LOGINS)
def test_the_kiosk_with_a_pty_serves_the_full_screen_wizard(
    kiosk_server: SshServer, tmux_session: TmuxSession, content: Content, login: str
) -> None:
    """The guide's ForceCommand block with `ssh -tt`: a LANG sent with SendEnv (its AcceptEnv) picks the language."""
    lang, locale, flow, answers = KIOSK_LOGINS[login]
    client_vars, options = ({"LANG": locale}, ["-o", "SendEnv=LANG"]) if locale else ({}, [])
    with remote_processes(kiosk_server) as remote:
        tmux_session.start(ssh_command(kiosk_server, client_vars=client_vars, options=options))
        tui = Tui(tmux_session, content.guide(lang), ascii_only=locale is None)
        final = tui.walk(flow, answers)
        finish(tui, final, remote, remote.assert_one_running())
