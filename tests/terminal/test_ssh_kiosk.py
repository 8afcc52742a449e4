"""The SSH kiosk of docs/ssh-kiosk.md, run as written: ForceCommand, AcceptEnv, no forwarding, no-pty logins."""

from __future__ import annotations

import shlex
import subprocess

import pytest
from guide import GUIDE_KEYS, GUIDE_PATH, for_test_server, guide_blocks
from sshd import SSHD, SshServer, client_env
from tmux import TmuxSession

from billing_tui.flow import Content, Wizard
from billing_tui.flow.transcript import to_text

pytestmark = pytest.mark.ssh

# The directives the guide promises; the test servers must run each of them.
PROMISED = {
    "permittty": "yes",
    "allowtcpforwarding": "no",
    "allowstreamlocalforwarding": "no",
    "allowagentforwarding": "no",
    "x11forwarding": "no",
    "permittunnel": "no",
    "gatewayports": "no",
    "permituserrc": "no",
}


def effective_config(server: SshServer) -> dict[str, list[str]]:
    """What sshd would apply to a root login from 127.0.0.1 (sshd -T -C), keyword to values."""
    done = subprocess.run(
        [SSHD, "-T", "-C", "user=root,host=localhost,addr=127.0.0.1", "-f", str(server.workdir / "sshd_config")],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    config: dict[str, list[str]] = {}
    for line in done.stdout.splitlines():
        keyword, _, value = line.partition(" ")
        config.setdefault(keyword, []).append(value)
    return config


def test_the_guide_has_the_kiosk_block_and_the_refusing_block() -> None:
    blocks = guide_blocks()
    assert len(blocks) == 2
    for block in blocks:
        lines = [line.strip() for line in block.splitlines()]
        assert lines[0] == "Match User kiosk"
        assert "AcceptEnv LANG LC_* COLORTERM NO_COLOR" in lines
        assert f"AuthorizedKeysFile {GUIDE_KEYS}/%u" in lines
        for keyword, value in PROMISED.items():
            assert any(line.lower() == f"{keyword} {value}" for line in lines), keyword
        changed = for_test_server(block)
        restored = changed.replace("Match User root", "Match User kiosk").replace("{launcher}", GUIDE_PATH)
        assert restored.replace("{keys}", GUIDE_KEYS) == block
        assert f"{GUIDE_PATH} --kiosk" in block
    assert blocks[0].splitlines()[1].strip() == f"ForceCommand {GUIDE_PATH} --kiosk"


def test_the_kiosk_server_runs_every_directive_of_the_guide(kiosk_server: SshServer) -> None:
    config = effective_config(kiosk_server)
    assert config["forcecommand"] == [f"{kiosk_server.launcher} --kiosk"]
    assert config["acceptenv"] == ["LANG", "LC_*", "COLORTERM", "NO_COLOR"]
    assert config["authorizedkeysfile"] == [f"{kiosk_server.workdir}/keys/%u"]
    for keyword, value in PROMISED.items():
        assert config[keyword] == [value], keyword


def test_a_no_pty_login_gets_plain_mode_in_pt_br_by_default(kiosk_server: SshServer, content: Content) -> None:
    done = kiosk_server.run(stdin="1\n3\n", tty=False)
    assert done.returncode == 0, done.stderr + kiosk_server.log()
    guide = content.guide("pt-BR")
    assert guide.home.title in done.stdout
    assert to_text(Wizard(guide, "billing-center", ("unsure",))) in done.stdout
    assert "\x1b" not in done.stdout


def test_the_language_comes_from_lang_sent_with_sendenv(kiosk_server: SshServer, content: Content) -> None:
    done = kiosk_server.run(
        stdin="2\n2\n", tty=False, options=["-o", "SendEnv=LANG"], env=client_env(LANG="en_US.UTF-8")
    )
    assert done.returncode == 0, done.stderr
    assert to_text(Wizard(content.guide("en"), "admin-center", ("contact-billing-admin",))) in done.stdout


def test_force_command_ignores_the_clients_command(kiosk_server: SshServer, content: Content) -> None:
    done = kiosk_server.run(["sh", "-c", "echo INJECTED; id"], stdin="q\n")
    assert done.returncode == 0, done.stderr
    assert content.guide("pt-BR").home.title in done.stdout
    assert "INJECTED" not in done.stdout + done.stderr
    assert "uid=" not in done.stdout


def test_a_client_option_cannot_bring_another_variable_in(kiosk_server: SshServer, content: Content) -> None:
    """BILLING_TUI_LANG is not in the guide's AcceptEnv, so the server drops it and the default language stays."""
    done = kiosk_server.run(
        stdin="q\n", tty=False, options=["-o", "SendEnv=BILLING_TUI_LANG"], env=client_env(BILLING_TUI_LANG="en")
    )
    assert done.returncode == 0, done.stderr
    assert content.guide("pt-BR").home.title in done.stdout


def test_tcp_forwarding_is_refused(kiosk_server: SshServer, ssh_server: SshServer) -> None:
    """`ssh -W` asks the server to open a TCP connection (here to its own port, which answers with a banner)."""
    target = ["-W", f"127.0.0.1:{kiosk_server.port}"]
    allowed = ssh_server.run(tty=False, options=target, timeout=30)
    assert allowed.stdout.startswith("SSH-2.0"), allowed.stderr
    refused = kiosk_server.run(tty=False, options=target, timeout=30)
    assert refused.returncode == 255
    assert refused.stdout == ""
    assert "stdio forwarding failed" in refused.stderr


@pytest.mark.terminal
def test_a_pty_login_with_term_dumb_walks_a_path_in_english(
    kiosk_server: SshServer, tmux_session: TmuxSession, content: Content
) -> None:
    guide = content.guide("en")
    ssh = kiosk_server.ssh_argv(tty=True, options=["-o", "SendEnv=LANG"])
    tmux_session.start(shlex.join(["env", "TERM=dumb", "LANG=en_US.UTF-8", *ssh]))
    tmux_session.wait_for("Your choice:")
    tmux_session.type("1")
    tmux_session.wait_for("Question 1: Log in to the Billing Center")
    tmux_session.type("1")
    tmux_session.wait_for(guide.verdict("billing-admin").body)
    tmux_session.type("q")
    assert tmux_session.wait_exit() == 0


def test_the_refusing_block_turns_away_a_no_pty_login(refusing_kiosk_server: SshServer) -> None:
    done = refusing_kiosk_server.run(stdin="1\n1\n", tty=False)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "billing-tui needs a terminal: ssh -t kiosk@" in done.stderr


@pytest.mark.terminal
def test_the_refusing_block_serves_a_pty_login(refusing_kiosk_server: SshServer, tmux_session: TmuxSession) -> None:
    tmux_session.start(shlex.join(["env", "TERM=dumb", *refusing_kiosk_server.ssh_argv(tty=True)]))
    tmux_session.wait_for("Sua escolha:")
    tmux_session.type("q")
    assert tmux_session.wait_exit() == 0
