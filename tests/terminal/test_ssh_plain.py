"""billing-tui over a real OpenSSH server: plain-mode fallback, piped answers, `answer --format json`, a dumb pty."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import time
from typing import IO

import procs
import pytest
from sshd import SshServer, client_env
from tmux import TmuxSession

from billing_tui.flow import Content, Wizard
from billing_tui.flow.transcript import to_text

pytestmark = pytest.mark.ssh

TWO_PATHS = [
    ("billing-center", ("invalid-page", "corporate-portal", "logged-in")),
    ("admin-center", ("select-product", "cannot-log-in")),
]


def numbers_for(content: Content, lang: str, flow: str, answers: tuple[str, ...]) -> str:
    """The lines a user types for a path: the flow's number, then each choice's number."""
    guide = content.guide(lang)
    lines = [str(guide.flow_ids.index(flow) + 1)]
    wizard = Wizard(guide).start(flow)
    for answer in answers:
        assert wizard.question is not None
        lines.append(str(wizard.question.choice_ids.index(answer) + 1))
        wizard = wizard.choose(answer)
    return "".join(f"{line}\n" for line in lines)


def test_no_pty_falls_back_to_plain_mode_and_does_not_hang(ssh_server: SshServer, content: Content) -> None:
    done = ssh_server.run(ssh_server.billing_tui("--lang", "en"), stdin="2\n1\n", tty=False)
    assert done.returncode == 0, done.stderr + ssh_server.log()
    assert to_text(Wizard(content.guide("en"), "admin-center", ("subscriptions",))) in done.stdout
    assert "Your choice: " in done.stdout
    assert "\x1b" not in done.stdout + done.stderr


def test_no_pty_input_that_ends_early_exits_3_through_ssh(ssh_server: SshServer, content: Content) -> None:
    done = ssh_server.run(ssh_server.billing_tui("--lang", "en"), stdin="1\n2\n", tty=False)
    assert done.returncode == 3, done.stderr
    assert done.stdout.endswith(content.guide("en").text("plain_eof") + "\n")


@pytest.mark.parametrize("lang", ["pt-BR", "en"])
@pytest.mark.parametrize(("flow", "answers"), TWO_PATHS, ids=[flow for flow, _ in TWO_PATHS])
def test_piped_answers_walk_a_full_path(
    ssh_server: SshServer, content: Content, lang: str, flow: str, answers: tuple[str, ...]
) -> None:
    """`ssh host billing-tui --plain < answers`: ssh gets no pty because its input is a pipe."""
    answers_file = numbers_for(content, lang, flow, answers)
    done = ssh_server.run(ssh_server.billing_tui("--plain", "--lang", lang), stdin=answers_file)
    assert done.returncode == 0, done.stderr
    final = Wizard(content.guide(lang), flow, answers)
    for step in final.steps:
        assert step.question.title in done.stdout
    assert to_text(final) in done.stdout
    assert "\x1b" not in done.stdout


def test_answer_json_over_ssh(ssh_server: SshServer) -> None:
    args = ["answer", "billing-center", "invalid-page", "corporate-portal", "logged-in", "--format", "json"]
    done = ssh_server.run(ssh_server.billing_tui(*args, "--lang", "en"))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["lang"], data["complete"], data["verdict"]["id"]) == ("en", True, "corporate-billing-admin")
    assert [step["choice"] for step in data["path"]] == ["invalid-page", "corporate-portal", "logged-in"]


def test_answer_json_over_ssh_takes_the_language_sent_with_sendenv_and_exits_3_when_incomplete(
    ssh_server: SshServer,
) -> None:
    done = ssh_server.run(
        ssh_server.billing_tui("answer", "admin-center", "select-product", "--format", "json"),
        options=["-o", "SendEnv=LANG"],
        env=client_env(LANG="pt_BR.UTF-8"),
    )
    assert done.returncode == 3, done.stderr
    data = json.loads(done.stdout)
    assert (data["lang"], data["complete"], data["question"]["id"]) == ("pt-BR", False, "corporate-login")


def test_doctor_over_ssh_sees_the_connection_and_the_sent_variables(ssh_server: SshServer) -> None:
    done = ssh_server.run(
        ssh_server.billing_tui("doctor"),
        tty=False,
        options=["-o", "SendEnv=COLORTERM", "-o", "SendEnv=LANG"],
        env=client_env(COLORTERM="truecolor", LANG="en_US.UTF-8"),
    )
    assert done.returncode == 0, done.stderr
    assert "SSH                    yes: from 127.0.0.1 port " in done.stdout
    assert "no pty (ssh -T or a piped command)" in done.stdout
    assert "COLORTERM              truecolor" in done.stdout
    assert "language               en (from the locale: LANG)" in done.stdout


def test_closing_a_no_pty_client_mid_session_ends_the_remote_billing_tui(ssh_server: SshServer) -> None:
    before = procs.pids_with_argv_prefix(ssh_server.launcher_argv)
    client = subprocess.Popen(
        ssh_server.ssh_argv(ssh_server.billing_tui("--lang", "en"), tty=False),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=client_env(),
    )
    try:
        assert client.stdout is not None and client.stdin is not None
        _read_until(client.stdout, b"Your choice: ")
        remote = _new_remote(ssh_server, before)
        client.kill()
        client.wait(timeout=30)
        assert procs.wait_gone(remote, 30.0) == set(), "the remote billing-tui outlived its ssh client"
    finally:
        if client.poll() is None:
            client.kill()
        client.wait(timeout=30)


@pytest.mark.terminal
@pytest.mark.parametrize("lang", ["pt-BR", "en"])
def test_term_dumb_over_ssh_tt_in_tmux_shows_plain_prompts_and_walks_a_path(
    ssh_server: SshServer, tmux_session: TmuxSession, content: Content, lang: str
) -> None:
    """A real pty on both sides (tmux, ssh -tt) with TERM=dumb: billing-tui picks plain mode by itself."""
    guide = content.guide(lang)
    ssh = ssh_server.ssh_argv(ssh_server.billing_tui("--lang", lang), tty=True)
    tmux_session.start("read go; " + shlex.join(["env", "TERM=dumb", *ssh]))
    tmux_session.record_raw()
    tmux_session.type("")
    prompt = guide.text("plain_prompt") + ":"
    tmux_session.wait_for(prompt)
    final = Wizard(guide, "admin-center", ("select-product", "logged-in"))
    tmux_session.type("2")
    tmux_session.wait_for(final.steps[0].question.title)
    tmux_session.type("3")
    tmux_session.wait_for(final.steps[1].question.title)
    tmux_session.type("1")
    assert final.verdict is not None
    screen = tmux_session.wait_for(final.verdict.body)
    assert guide.text("plain_keys") in screen
    tmux_session.type("q")
    assert tmux_session.wait_exit() == 0
    raw = tmux_session.raw()
    assert prompt.encode() in raw
    assert b"\x1b" not in raw


@pytest.mark.terminal
def test_killing_the_ssh_client_ends_the_remote_billing_tui(ssh_server: SshServer, tmux_session: TmuxSession) -> None:
    before = procs.pids_with_argv_prefix(ssh_server.launcher_argv)
    ssh = ssh_server.ssh_argv(ssh_server.billing_tui("--plain", "--lang", "en"), tty=True)
    tmux_session.start("exec " + shlex.join(ssh), record_status=False)
    tmux_session.wait_for("Your choice:")
    tmux_session.type("1")
    tmux_session.wait_for("Question 1: Log in to the Billing Center")
    remote = _new_remote(ssh_server, before)
    client = tmux_session.pane_pid()
    assert procs.cmdline(client)[:1] == ["ssh"]
    os.kill(client, signal.SIGKILL)
    # Generous: sshd sees the closed connection and hangs the session up; a busy machine only delays it.
    assert procs.wait_gone(remote, 30.0) == set(), "the remote billing-tui outlived its ssh client"


def _new_remote(server: SshServer, before: set[int]) -> set[int]:
    """The billing-tui started by this test on the server side (an anchored argv match, new since `before`)."""
    remote = procs.pids_with_argv_prefix(server.launcher_argv) - before
    assert len(remote) == 1, remote
    return remote


def _read_until(stream: IO[bytes], marker: bytes, timeout: float = 15.0) -> bytes:
    """Read a pipe until the marker shows up (bounded by a deadline)."""
    fd = stream.fileno()
    os.set_blocking(fd, False)
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        if time.monotonic() > deadline:
            raise AssertionError(f"{marker!r} not received in {timeout}s; got {seen[-500:]!r}")
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            time.sleep(0.02)
            continue
        if not chunk:
            raise AssertionError(f"the stream closed before {marker!r}; got {seen[-500:]!r}")
        seen += chunk
    return seen
