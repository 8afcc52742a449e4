"""`--kiosk` reads nothing from the environment but TERM, COLORTERM, NO_COLOR, LANG, LC_* and what sshd sets.

billing_tui.kiosk as a function; the CLI as a subprocess (doctor, the plain mode, a refused option);
the full-screen UI in tmux, where TEXTUAL_LOG would write a file; and over SSH, with a server that
(unlike the guide's) lets BILLING_TUI_LANG through: kiosk mode still ignores it. Each case has its
control without --kiosk, so the variable is shown to matter when kiosk mode is off.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sshd import SshServer, client_env
from test_doctor import doctor, doctor_env, row
from tmux import TmuxSession
from tui import START_TIMEOUT, Tui, pane_command, write_launcher

from billing_tui import kiosk
from billing_tui.flow import Content

SENT = {
    "TERM": "xterm-256color",
    "COLORTERM": "truecolor",
    "NO_COLOR": "1",
    "LANG": "pt_BR.UTF-8",
    "LC_ALL": "pt_BR.UTF-8",
    "LC_MESSAGES": "en_US.UTF-8",
    "HOME": "/home/kiosk",
    "PATH": "/usr/bin:/bin",
    "USER": "kiosk",
    "SSH_CONNECTION": "127.0.0.1 5000 127.0.0.1 22",
    "SSH_TTY": "/dev/pts/3",
}
DROPPED = {
    "BILLING_TUI_LANG": "en",
    "TEXTUAL_LOG": "/tmp/log",
    "TEXTUAL_DRIVER": "evil:Driver",
    "TEXTUAL_SCREENSHOT": "1",
    "TEXTUAL_PRESS": "q",
    "FORCE_COLOR": "1",
    "COLUMNS": "300",
    "PYTHONPATH": "/tmp/evil",
    "TMUX": "/tmp/tmux-0/default,1,0",
    "XLC_ALL": "x",
}


def test_the_kiosk_environment_keeps_only_the_documented_variables() -> None:
    env = {**SENT, **DROPPED}
    assert kiosk.session_env(env) == SENT
    assert kiosk.ignored(env) == sorted(DROPPED)
    kiosk.enter(env)
    assert env == SENT


def test_every_save_text_has_its_kiosk_wording_in_both_languages(content: Content) -> None:
    for lang in content.langs:
        guide = content.guide(lang)
        for key in kiosk.SAVE_TEXT_KEYS:
            assert kiosk.text_key(key, on=False) == key
            assert guide.text(kiosk.text_key(key, on=True)) != guide.text(key)


@pytest.mark.parametrize("argv", [("--kiosk", "doctor"), ("doctor", "--kiosk")])
def test_doctor_says_kiosk_mode_is_on_and_lists_what_it_ignores(argv: tuple[str, ...]) -> None:
    out = _billing_tui(*argv, BILLING_TUI_LANG="en", LANG="pt_BR.UTF-8", TEXTUAL_LOG="/nonexistent/log")
    assert row(out, "kiosk mode").startswith("on: no file is saved")
    ignored = row(out, "ignored variables").split(", ")
    assert {"BILLING_TUI_LANG", "TEXTUAL_LOG", "PYTHONPATH"} <= set(ignored) and "LANG" not in ignored
    assert row(out, "language") == "pt-BR (from the locale: LANG)"


def test_doctor_without_kiosk_says_it_is_off() -> None:
    out = doctor(BILLING_TUI_LANG="en", LANG="pt_BR.UTF-8")
    assert row(out, "kiosk mode").startswith("off:")
    assert row(out, "language") == "en (from $BILLING_TUI_LANG)"


@pytest.mark.parametrize(("kiosk_on", "lang_option", "prompt"), [
    (True, (), "Sua escolha:"),
    (False, (), "Your choice:"),
    (True, ("--lang", "en"), "Your choice:"),
])  # fmt: skip
def test_billing_tui_lang_is_ignored_in_kiosk_mode_but_lang_is_not(
    kiosk_on: bool, lang_option: tuple[str, ...], prompt: str
) -> None:
    """The plain mode (no terminal): the admin's --lang counts, the environment's BILLING_TUI_LANG does not."""
    flags = ("--kiosk",) if kiosk_on else ()
    out = _billing_tui(*flags, *lang_option, "--plain", stdin="q\n", BILLING_TUI_LANG="en", LANG="pt_BR.UTF-8")
    assert prompt in out


def test_kiosk_refuses_no_summary() -> None:
    done = _run("--kiosk", "--no-summary", "--plain", stdin="q\n")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "--kiosk" in done.stderr and "--no-summary" in done.stderr


@pytest.fixture
def scratch() -> Iterator[Path]:
    """A short folder under /tmp for a launcher and a log file (pane commands stay short)."""
    folder = Path(tempfile.mkdtemp(prefix="bt-kenv-", dir="/tmp"))
    try:
        yield folder
    finally:
        subprocess.run(["rm", "-rf", str(folder)], check=False, timeout=30)


@pytest.mark.terminal
@pytest.mark.parametrize("kiosk_on", [True, False], ids=["kiosk", "control"])
def test_textual_log_writes_no_file_in_kiosk_mode(
    tmux_session: TmuxSession, scratch: Path, content: Content, kiosk_on: bool
) -> None:
    """TEXTUAL_LOG makes Textual write a log file; --kiosk removes the variable before Textual loads."""
    launcher = write_launcher(scratch)
    log = scratch / "textual.log"
    env = {"TERM": "xterm-256color", "LANG": "en_US.UTF-8", "TEXTUAL_LOG": str(log)}
    tmux_session.start(pane_command(launcher, env, ["--kiosk"] if kiosk_on else []))
    tui = Tui(tmux_session, content.guide("en"))
    tui.wait_home(START_TIMEOUT)
    assert tui.quit() == 0
    assert log.exists() is not kiosk_on


@pytest.mark.ssh
@pytest.mark.parametrize("kiosk_on", [True, False], ids=["kiosk", "control"])
def test_a_variable_sshd_lets_through_is_still_ignored_in_kiosk_mode(
    ssh_server: SshServer, content: Content, kiosk_on: bool
) -> None:
    """This server's AcceptEnv includes BILLING_TUI_LANG (the guide's does not): --kiosk ignores it anyway."""
    remote = ssh_server.billing_tui(*(["--kiosk"] if kiosk_on else []), "--plain")
    sent = client_env(BILLING_TUI_LANG="en")
    done = ssh_server.run(remote, stdin="q\n", tty=False, options=["-o", "SendEnv=BILLING_TUI_LANG"], env=sent)
    assert done.returncode == 0, done.stderr
    lang = "pt-BR" if kiosk_on else "en"
    assert content.guide(lang).home.title in done.stdout


def _run(*argv: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "billing_tui", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=doctor_env(**env),
        timeout=60,
        check=False,
    )


def _billing_tui(*argv: str, stdin: str = "", **env: str) -> str:
    """Run billing-tui without a terminal; it must exit 0."""
    done = _run(*argv, stdin=stdin, **env)
    assert done.returncode == 0, done.stderr
    return done.stdout
