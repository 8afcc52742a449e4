"""Fixtures for tests in real terminals and over real SSH; see README.md in this directory for how to reuse them.

- `ssh_server` (session): an OpenSSH server on 127.0.0.1 that accepts the test key for root and
  the LANG, LC_*, COLORTERM and BILLING_TUI_LANG variables; run this checkout's billing-tui with
  `ssh_server.run(ssh_server.billing_tui("--plain"), stdin=..., tty=False)`.
- `kiosk_server` (session): a server whose only extra config is docs/ssh-kiosk.md's kiosk block
  (user root instead of kiosk), so every login runs billing-tui.
- `refusing_kiosk_server` (session): the same with the guide's block that refuses no-pty logins.
- `kiosk_host` (session): the guide's kiosk for a real unprivileged user (kiosk_host.KioskHost): the
  guide's root-owned install, a useradd user, and an sshd with the guide's block for that user.
- `tmux_session` (function): a detached 80x24 tmux session on its own socket, killed afterwards
  (`second_tmux`, `primer_tmux`: others); `launcher`: this checkout's billing-tui in tmux_session's directory.
- `warm_server` (function): `billing-tui serve` on a socket in its own short /tmp directory (serving.py);
  `kiosk_with_server`: the kiosk block with its SetEnv pointing at that server.

Each skips, with the reason, when sshd, ssh, ssh-keygen or tmux is missing (scripts/test.sh installs them),
and the SSH ones when not run as root.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import procs
import pytest
from guide import for_test_server, guide_blocks
from kiosk_host import KioskHost, why_not
from serving import WarmServer
from sshd import SshServer, missing_tools
from tmux import TmuxSession, tmux_missing
from tui import launcher_argv, write_launcher

from billing_tui.flow import Content, load_content


@pytest.fixture(scope="session")
def content() -> Content:
    """The built-in content, loaded once."""
    return load_content()


def _require_ssh() -> None:
    missing = missing_tools()
    if missing:
        pytest.skip(f"OpenSSH is not installed (missing: {', '.join(missing)}); scripts/test.sh installs it")
    if os.geteuid() != 0:
        pytest.skip("the SSH tests run sshd and log in as root: run them as root")


def _require_tmux() -> None:
    if tmux_missing():
        pytest.skip("tmux is not installed; scripts/test.sh installs it")


def _serve(extra_config: str = "", accept_env: bool = True, socket_path: str | None = None) -> Iterator[SshServer]:
    _require_ssh()
    server = SshServer.start(extra_config, accept_env=accept_env, socket_path=socket_path)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def ssh_server() -> Iterator[SshServer]:
    """A plain OpenSSH server for root with the test key; commands run as given."""
    yield from _serve()


@pytest.fixture(scope="session")
def kiosk_server() -> Iterator[SshServer]:
    """An OpenSSH server configured with the guide's kiosk block only (no global AcceptEnv)."""
    yield from _serve(for_test_server(guide_blocks()[0]), accept_env=False)


@pytest.fixture(scope="session")
def refusing_kiosk_server() -> Iterator[SshServer]:
    """An OpenSSH server configured with the guide's block that refuses logins without a terminal."""
    yield from _serve(for_test_server(guide_blocks()[1]), accept_env=False)


@pytest.fixture(scope="session")
def kiosk_host() -> Iterator[KioskHost]:
    """A real kiosk user served by the guide's block and install (root only; removed afterwards)."""
    _require_ssh()
    reason = why_not()
    if reason:
        pytest.skip(reason)
    host = KioskHost.create()
    try:
        yield host
    finally:
        host.remove()


@pytest.fixture
def tmux_session() -> Iterator[TmuxSession]:
    """A fresh detached tmux session (not started yet: call .start(command)); its server is killed afterwards."""
    yield from _tmux()


def _tmux() -> Iterator[TmuxSession]:
    _require_tmux()
    workdir = Path(tempfile.mkdtemp(prefix="bt-tmux-", dir="/tmp"))
    session = TmuxSession(workdir)
    try:
        yield session
    finally:
        session.kill()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def warm_server() -> Iterator[WarmServer]:
    """A session server of this checkout on a socket in its own short /tmp directory, started; ended afterwards."""
    directory = Path(tempfile.mkdtemp(prefix="bts-", dir="/tmp"))
    server = WarmServer(directory)
    try:
        yield server.start()
    finally:
        print(f"the session server's log:\n{server.log()}")  # shown with a failing test's output
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def second_tmux() -> Iterator[TmuxSession]:
    """A second detached tmux session, for tests that need two terminals at once."""
    yield from _tmux()


@pytest.fixture
def primer_tmux() -> Iterator[TmuxSession]:
    """A third tmux session: test_server_spare.py's launch that sets the session server's prediction."""
    yield from _tmux()


@pytest.fixture
def launcher(tmux_session: TmuxSession) -> Iterator[Path]:
    """This checkout's billing-tui in tmux_session's directory; any process still running from it is ended after."""
    path = write_launcher(tmux_session.workdir)
    yield path
    procs.end(procs.pids_with_argv_prefix(launcher_argv(path)))


@pytest.fixture
def kiosk_with_server(warm_server: WarmServer) -> Iterator[SshServer]:
    """The guide's kiosk block whose SetEnv names the socket of this test's session server (warm_server)."""
    yield from _serve(for_test_server(guide_blocks()[0]), accept_env=False, socket_path=str(warm_server.socket))
