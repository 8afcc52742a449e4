"""The session server's socket under abuse and across users, its fork hygiene, and what doctor says about it."""

from __future__ import annotations

import collections
import os
import random
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import procs
import pytest
from serving import WarmServer
from sshd import REPO
from tmux import TmuxSession
from tui import EXIT_TIMEOUT, Tui, launcher_argv, pane_command, write_launcher

from billing_tui.flow import Content
from billing_tui.server import client, protocol

pytestmark = pytest.mark.terminal

NOBODY = 65534
HELLO_TIMEOUT_SLACK = 10.0


def attach_in(session: TmuxSession, server: WarmServer, launcher: Path, *args: str) -> None:
    env = {"TERM": "xterm-256color", "LANG": "en_US.UTF-8", "BILLING_TUI_SOCKET": str(server.socket)}
    session.start(pane_command(launcher, env, args))


def connect(server: WarmServer) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(HELLO_TIMEOUT_SLACK)
    sock.connect(str(server.socket))
    return sock


def closed_without_reply(sock: socket.socket) -> bool:
    """Whether the server closed this connection without sending anything."""
    with sock:
        try:
            return sock.recv(100) == b""
        except ConnectionResetError:
            return True


def a_session_attaches_and_exits_0(session: TmuxSession, server: WarmServer, launcher: Path, content: Content) -> None:
    attach_in(session, server, launcher)
    tui = Tui(session, content.guide("en"))
    tui.wait_home()
    server.wait_workers(1)
    assert tui.quit() == 0


def test_garbage_huge_lengths_and_missing_fds_leave_the_server_serving(
    tmux_session: TmuxSession, launcher: Path, warm_server: WarmServer, content: Content
) -> None:
    rng = random.Random(12)
    good = protocol.encode(client.hello("attach", [], None))
    bad_messages = [
        bytes(rng.randrange(256) for _ in range(5000)),  # random bytes
        struct.pack(">I", 0xFFFFFFF0) + b"x" * 64,  # a huge length
        struct.pack(">I", protocol.MAX_FRAME + 1),
        good,  # a valid attach, but no fds with it
        good[: len(good) // 2],  # cut short
        protocol.encode({"kind": "shell", "argv": ["id"]}),
        b"",  # connect and say nothing
    ]
    for data in bad_messages:
        sock = connect(warm_server)
        if data:
            sock.sendall(data)
        if data is good or data == good[: len(good) // 2]:
            sock.shutdown(socket.SHUT_WR)
        assert closed_without_reply(sock)
    r, w = os.pipe()
    try:
        sock = connect(warm_server)  # the right message with two fds instead of three
        protocol.send(sock, client.hello("attach", [], None), [r, w])
        assert closed_without_reply(sock)
    finally:
        os.close(r)
        os.close(w)
    assert warm_server.process is not None and warm_server.process.poll() is None
    assert warm_server.log().count("closed a bad connection") == len(bad_messages) + 1
    assert warm_server.workers() == []
    a_session_attaches_and_exits_0(tmux_session, warm_server, launcher, content)


def test_a_hello_the_server_cannot_use_closes_only_that_connection(
    tmux_session: TmuxSession, launcher: Path, warm_server: WarmServer, content: Content
) -> None:
    """Well-framed, with its three fds, but with values of the wrong types: each once crashed the server."""
    env = warm_server.env()  # the server's own: nothing else would send this client away before the fork
    broken = [
        {**client.hello("attach", [], None), "env": {**env, "LANG": 1}},
        {**client.hello("attach", [], None), "env": {**env, "LC_ALL": None}},
        {**client.hello("attach", [], None), "env": ["LANG=C"]},
    ]
    for message in broken:
        pipes = [os.pipe() for _ in range(2)]
        fds = [pipes[0][0], pipes[0][1], pipes[1][1]]
        try:
            sock = connect(warm_server)
            protocol.send(sock, message, fds)
            assert closed_without_reply(sock)
        finally:
            for r, w in pipes:
                os.close(r)
                os.close(w)
    assert warm_server.process is not None and warm_server.process.poll() is None
    assert warm_server.log().count("closed a bad connection") == len(broken)
    a_session_attaches_and_exits_0(tmux_session, warm_server, launcher, content)


def test_a_hello_that_trickles_in_is_cut_off_at_the_hello_timeout(warm_server: WarmServer) -> None:
    """One byte at a time, each well within the per-read timeout: the whole hello still has one second."""
    sock = connect(warm_server)
    started = time.monotonic()
    sock.sendall(struct.pack(">I", 4096))
    closed = False
    with sock:
        while not closed and time.monotonic() - started < HELLO_TIMEOUT_SLACK:
            try:
                sock.sendall(b" ")
            except OSError:
                closed = True
                break
            ready, _, _ = select.select([sock], [], [], 0.2)
            if ready:
                try:
                    closed = sock.recv(100) == b""
                except ConnectionResetError:
                    closed = True
    assert closed, "the server still waited for the rest of a hello trickling in"
    assert warm_server.log().count("closed a bad connection") == 1


def _as_nobody() -> None:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


NOBODY_PROBE = """
import socket, struct, sys
sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
sock.settimeout(10)
try:
    sock.connect(sys.argv[1])
except PermissionError:
    print("no access"); sys.exit(0)
body = b'{"kind":"probe"}'
try:
    sock.sendall(struct.pack(">I", len(body)) + body)
    print("refused" if sock.recv(100) == b"" else "answered")
except (BrokenPipeError, ConnectionResetError):
    print("refused")
"""


def _probe_as_nobody(path: Path) -> str:
    """Run NOBODY_PROBE as nobody with the system's Python (the test's may sit in a directory only root can enter)."""
    python = shutil.which("python3", path="/usr/bin:/bin")
    if python is None:
        pytest.skip("no system python3 for the nobody user")
    done = subprocess.run(
        [python, "-I", "-c", NOBODY_PROBE, str(path)],
        preexec_fn=_as_nobody,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
        cwd="/",
    )
    return done.stdout.strip()


@pytest.mark.skipif(os.geteuid() != 0, reason="running a client as another user needs root")
def test_another_user_cannot_reach_the_socket(warm_server: WarmServer) -> None:
    assert _probe_as_nobody(warm_server.socket) == "no access"


@pytest.mark.skipif(os.geteuid() != 0, reason="running a client as another user needs root")
def test_another_user_is_refused_even_when_the_files_let_it_connect(warm_server: WarmServer) -> None:
    """SO_PEERCRED is the second lock: with the directory and socket opened up by hand, the peer's uid still counts."""
    warm_server.socket.parent.chmod(0o711)
    warm_server.socket.chmod(0o666)
    assert _probe_as_nobody(warm_server.socket) == "refused"
    assert f"refused a connection from uid {NOBODY}" in warm_server.wait_log("refused a connection")


def test_a_socket_that_is_no_longer_the_servers_is_left_in_place(warm_server: WarmServer) -> None:
    moved = warm_server.socket.with_name("old.sock")
    warm_server.socket.rename(moved)
    replacement = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        replacement.bind(str(warm_server.socket))
        warm_server.signal(signal.SIGTERM)
        assert warm_server.wait_exit() == 0
        assert warm_server.socket.exists(), "the server removed a socket it did not create"
        assert moved.exists()
    finally:
        replacement.close()


def test_a_second_server_on_the_same_socket_is_refused(warm_server: WarmServer) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "billing_tui", "serve"],
        env=warm_server.env(),
        cwd=str(REPO),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == f"billing-tui: a server is already listening on {warm_server.socket}\n"


def test_an_insecure_socket_directory_is_refused_with_one_line() -> None:
    directory = Path(tempfile.mkdtemp(prefix="bts-", dir="/tmp"))
    try:
        directory.chmod(0o777)
        done = subprocess.run(
            [sys.executable, "-m", "billing_tui", "serve"],
            env={**WarmServer(directory).env(), "BILLING_TUI_SOCKET": str(directory / "s.sock")},
            cwd=str(REPO),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        directory.chmod(0o700)
        directory.rmdir()
    assert done.returncode == 2
    assert done.stderr == f"billing-tui: insecure socket directory {directory}: mode 0o777 lets others in (want 0700)\n"


def _fd_kinds(pid: int) -> collections.Counter[str]:
    """What each open fd of a process is, by kind: tty, socket, pipe, an anon inode's name, or a file."""
    kinds: collections.Counter[str] = collections.Counter()
    for name in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{name}")
        except OSError:
            continue
        if target.startswith("/dev/pts/"):
            kinds["tty"] += 1
        else:
            kinds[target.split(":")[0] if ":" in target else target] += 1
    return kinds


def _threads(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("Threads:"))


def test_a_worker_holds_what_a_cold_start_holds_plus_its_connection(
    tmux_session: TmuxSession, second_tmux: TmuxSession, launcher: Path, warm_server: WarmServer, content: Content
) -> None:
    attach_in(tmux_session, warm_server, launcher)
    Tui(tmux_session, content.guide("en")).wait_home()
    (worker,) = warm_server.wait_workers(1)
    cold_launcher = write_launcher(second_tmux.workdir)
    attach_in(second_tmux, warm_server, cold_launcher, "--no-server")
    Tui(second_tmux, content.guide("en")).wait_home()
    (cold,) = procs.pids_with_argv_prefix(launcher_argv(cold_launcher))
    assert _threads(warm_server.pid) == 1  # the server forks with no other thread alive
    expected = _fd_kinds(cold)
    expected["socket"] += 1  # the connection to the client
    assert _fd_kinds(worker) == expected
    assert _threads(worker) == _threads(cold) + 1  # the watcher of the client's connection
    pane_tty = tmux_session.tmux("display-message", "-p", "-t", "main", "#{pane_tty}").stdout.strip()
    assert {os.readlink(f"/proc/{worker}/fd/{fd}") for fd in (0, 1, 2)} == {pane_tty}
    assert Tui(second_tmux, content.guide("en")).quit() == 0
    assert Tui(tmux_session, content.guide("en")).quit() == 0


ATEXIT_SERVER = (
    "import atexit, os, sys\n"
    "atexit.register(lambda: open(os.environ['BT_ATEXIT'], 'a').write(f'{os.getpid()}\\n'))\n"
    "from billing_tui.__main__ import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def test_no_server_atexit_handler_runs_in_a_worker(tmux_session: TmuxSession, launcher: Path, content: Content) -> None:
    mark = tmux_session.workdir / "atexit.txt"
    server = WarmServer(tmux_session.workdir, {"BT_ATEXIT": str(mark)}, command=[sys.executable, "-c", ATEXIT_SERVER])
    try:
        server.start()
        attach_in(tmux_session, server, launcher, "--flow", "nope")  # a worker that ends through cli.run's return
        assert tmux_session.wait_exit(EXIT_TIMEOUT) == 2
        a_session = server.wait_log("exit=2")
        assert "session pid=" in a_session
        server.signal(signal.SIGTERM)
        assert server.wait_exit() == 0
        assert mark.read_text().split() == [str(server.pid)]
    finally:
        server.stop()


def _doctor(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "billing_tui", "doctor"],
        env=env,
        cwd=str(REPO),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.split("\nSession server\n", 1)[1]


def test_doctor_says_whether_a_server_runs_and_why_a_launch_would_not_attach(warm_server: WarmServer) -> None:
    section = _doctor(warm_server.env())
    assert f"socket                 {warm_server.socket}" in section
    assert f"server                 running (pid {warm_server.pid}, 0 live sessions)" in section
    assert "this launch            would start on its own: the plain line mode never attaches" in section
    section = _doctor({**warm_server.env(), "ESCDELAY": "10"})
    assert "would start on its own: ESCDELAY differs from the server's" in section
    section = _doctor({**warm_server.env(), "BILLING_TUI_SOCKET": str(warm_server.socket.with_name("none.sock"))})
    assert "server                 not running (no socket)" in section
    assert "would start on its own: no server is running" in section


def test_doctor_in_a_terminal_says_this_launch_would_attach(
    tmux_session: TmuxSession, launcher: Path, warm_server: WarmServer
) -> None:
    attach_in(tmux_session, warm_server, launcher, "doctor")
    assert tmux_session.wait_exit(EXIT_TIMEOUT) == 0
    screen = tmux_session.wait_for("this launch")
    assert "would attach to the server" in screen, screen
