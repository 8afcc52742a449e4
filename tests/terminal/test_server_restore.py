"""An attached session's terminal, byte by byte in a real pty: left whole when its worker dies, given back on a stop.

The client runs in a pty of its own as a login shell's job would (its own session, the pty as its controlling
terminal, in the foreground), and the test plays a modern terminal: it answers Textual's queries for synchronized
output (2026) and in-band resize (2048), so every mode Textual can switch on is switched on. Every byte the
client and its worker write is kept, so what the terminal was told last can be checked mode by mode:

- a worker killed by a signal (alone, or with its server): the client undoes every mode Textual switched on,
  line wrap included, after the last byte the worker wrote (once, `ESC[?7h` was missing: the shell's long
  lines were cut at the window's edge);
- killed by a signal: one line says which, and the exit code is 128+N;
- `kill -TSTP` to the client: the worker gives the terminal back and stops, then the client stops (the shell
  sees a stopped job); keys typed meanwhile are nobody's; SIGCONT (`fg`) brings the wizard back, every row of it.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import procs
import pyte
import pytest
from serving import WarmServer
from sshd import REPO
from tmux import TmuxSession
from tui import launcher_argv

from benchmarks.screen_rows import screen_lines

pytestmark = pytest.mark.terminal

COLUMNS, LINES = 80, 24
START_TIMEOUT = 60.0  # Python, the client and the worker's first frame on a busy machine
STEP_TIMEOUT = 30.0
FIRST_QUESTION = "What happened?"
QUESTION = "What does the My Account page show?"
# What the terminal answers to Textual's mode queries: supported, currently off (so Textual switches them on).
ANSWERS = {b"\x1b[?2026$p": b"\x1b[?2026;2$y", b"\x1b[?2048$p": b"\x1b[?2048;2$y"}
# Each mode Textual's LinuxDriver sets in application mode, and what undoes it.
MODES = {
    b"\x1b[?1049h": b"\x1b[?1049l",  # alternate screen
    b"\x1b[?1000h": b"\x1b[?1000l",  # mouse
    b"\x1b[?1003h": b"\x1b[?1003l",
    b"\x1b[?1015h": b"\x1b[?1015l",
    b"\x1b[?1006h": b"\x1b[?1006l",
    b"\x1b[?1016h": b"\x1b[?1016l",  # mouse in pixels (after the in-band resize answer)
    b"\x1b[?2004h": b"\x1b[?2004l",  # bracketed paste
    b"\x1b[?1004h": b"\x1b[?1004l",  # focus events
    b"\x1b[?2048h": b"\x1b[?2048l",  # in-band resize
    b"\x1b[?2026h": b"\x1b[?2026l",  # a synchronized update
    b"\x1b[?25l": b"\x1b[?25h",  # the cursor hidden
    b"\x1b[?7l": b"\x1b[?7h",  # line wrap off
    b"\x1b[>25u": b"\x1b[<u",  # kitty keyboard flags pushed
}
# Modes switched on only in a synchronized-output / in-band-resize terminal; the others Textual always sets.
ANSWERED_MODES = (b"\x1b[?1016h", b"\x1b[?2048h", b"\x1b[?2026h")


# Textual's own stop_application_mode (a cold start's exit and job-control stop) leaves mouse pixels (1016) on;
# harmless once mouse reporting (1000, 1003) is off. Only the client's restore after a death switches it off too.
LEFT_ON_BY_TEXTUAL = (b"\x1b[?1016h",)


def modes_left_on(output: bytes, textuals_own: bool = False) -> list[bytes]:
    """The modes whose last switching on is not followed by their switching off (with textuals_own, what
    Textual's own restore leaves on is not counted)."""
    left = [on for on, off in MODES.items() if on in output and output.rindex(on) > output.rfind(off)]
    return [on for on in left if not (textuals_own and on in LEFT_ON_BY_TEXTUAL)]


class PtyClient:
    """`billing-tui` in a pty of its own, as a terminal's foreground job; the test reads and answers the pty."""

    def __init__(self, server: WarmServer, *args: str) -> None:
        self.master, self.slave = pty.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        # setsid -c: a session of its own with this pty as its controlling terminal (no fork: not a group leader).
        self.process = subprocess.Popen(
            ["setsid", "-c", sys.executable, "-m", "billing_tui", "--lang", "en", *args],
            stdin=self.slave,
            stdout=self.slave,
            stderr=self.slave,
            env={**server.env(), "TERM": "xterm-256color", "COLORTERM": "truecolor"},
            cwd=str(REPO),
        )
        self.pid = self.process.pid
        self.output = bytearray()
        self.answered = {query: 0 for query in ANSWERS}

    def read(self, timeout: float) -> None:
        """Read what is there (waiting up to timeout for something), answering the terminal queries in it."""
        if not select.select([self.master], [], [], timeout)[0]:
            return
        try:
            data = os.read(self.master, 65536)
        except OSError:
            return
        self.output += data
        for query, answer in ANSWERS.items():
            asked = self.output.count(query)
            if asked > self.answered[query]:
                self.answered[query] = asked
                os.write(self.master, answer)

    def poll(self, done: Callable[[], bool], what: str, timeout: float = STEP_TIMEOUT, since: int = 0) -> None:
        """Read the pty until done() holds (or fail saying what was awaited, showing the screen since `since`)."""
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                shown = "\n".join(self.screen(since))
                pytest.fail(
                    f"{what} not within {timeout:.0f}s; the pty showed:\n{shown}\n{bytes(self.output[since:])!r}"
                )
            self.read(0.05)

    def screen(self, since: int = 0) -> list[str]:
        """The 80x24 screen a fresh terminal would show after the bytes written from offset `since` on."""
        screen = pyte.Screen(COLUMNS, LINES)
        pyte.ByteStream(screen).feed(bytes(self.output[since:]))
        return [row.rstrip() for row in screen_lines(screen)]

    def wait_text(self, text: str, since: int = 0, timeout: float = STEP_TIMEOUT) -> list[str]:
        self.poll(lambda: text in "\n".join(self.screen(since)), repr(text), timeout, since)
        return self.screen(since)

    def whole_frame(self, text: str) -> list[str]:
        """The screen once it shows text and no frame is half-written (each is a synchronized update, 2026)."""

        def done() -> bool:
            output = bytes(self.output)
            return text in "\n".join(self.screen()) and output.rfind(b"\x1b[?2026h") < output.rfind(b"\x1b[?2026l")

        self.poll(done, f"a whole frame showing {text!r}")
        return self.screen()

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def wait_exit(self, timeout: float = STEP_TIMEOUT) -> int:
        """The client's exit code, reading the pty meanwhile (so its last bytes are kept and it never blocks)."""
        self.poll(lambda: self.process.poll() is not None, "the client's exit", timeout)
        while True:  # what it wrote last is in the pty already: read until nothing is left
            before = len(self.output)
            self.read(0)
            if len(self.output) == before:
                return self.process.returncode

    def close(self) -> None:
        if self.process.poll() is None:
            procs.end([self.pid])
            self.process.wait(10)
        for fd in (self.master, self.slave):
            os.close(fd)


def state(pid: int) -> str:
    """The process's state letter in /proc/PID/stat (T: stopped), "" once it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return raw[raw.rindex(")") + 2 :].split()[0]


def wait_state(pid: int, letter: str, timeout: float = STEP_TIMEOUT) -> None:
    """Poll until the process is in that state."""
    deadline = time.monotonic() + timeout
    while state(pid) != letter:
        assert time.monotonic() < deadline, f"pid {pid} is in state {state(pid)!r}, not {letter!r}"
        time.sleep(0.02)


@pytest.fixture
def server() -> Iterator[WarmServer]:
    """`billing-tui serve` on a socket in its own 0700 directory under /tmp; ended by pid afterwards."""
    directory = Path(tempfile.mkdtemp(prefix="fixsrv-", dir="/tmp"))  # mkdtemp makes it 0700
    warm = WarmServer(directory)
    try:
        yield warm.start()
    finally:
        print(f"the session server's log:\n{warm.log()}")
        warm.stop()
        shutil.rmtree(directory, ignore_errors=True)


def session_at_question(server: WarmServer) -> PtyClient:
    """An attached session at its first question (--flow billing-center, then 2)."""
    launched = PtyClient(server, "--flow", "billing-center")
    try:
        launched.wait_text(FIRST_QUESTION, timeout=START_TIMEOUT)
        launched.type(b"2")
        launched.wait_text(QUESTION)
    except BaseException:
        launched.close()
        raise
    return launched


@pytest.fixture(params=["forked", "spare"])
def client(request: pytest.FixtureRequest, server: WarmServer) -> Iterator[PtyClient]:
    """A session at its first question, served by a worker forked for it, or by a spare: a first launch the
    same in every way (quit at once) makes the server build a spare for it, which serves the second."""
    spare = None
    if request.param == "spare":
        primer = session_at_question(server)
        primer.type(b"q")
        assert primer.wait_exit() == 0
        primer.close()
        (spare,) = server.wait_ready_spares(1)
    launched = session_at_question(server)
    try:
        if spare is not None:
            assert server.wait_workers(1) == [spare], "the launch was not served by the spare"
        yield launched
    finally:
        launched.close()


def worker_of(server: WarmServer) -> int:
    (worker,) = server.wait_workers(1)
    return worker


def assert_modern_terminal(client: PtyClient) -> None:
    """The terminal's answers were read: every mode Textual can switch on was switched on."""
    missing = [on for on in (*MODES, *ANSWERED_MODES) if on not in client.output]
    assert missing == [], f"the app never switched on {missing}"


@pytest.mark.parametrize("server_too", [False, True], ids=["worker-killed", "server-and-worker-killed"])
def test_a_killed_worker_leaves_every_mode_switched_off_line_wrap_included(
    server: WarmServer, client: PtyClient, server_too: bool
) -> None:
    worker = worker_of(server)
    client.wait_text(QUESTION)
    assert_modern_terminal(client)
    if server_too:
        server.signal(signal.SIGKILL)
        server.wait_exit()
    os.kill(worker, signal.SIGKILL)
    assert client.wait_exit() == (1 if server_too else 128 + signal.SIGKILL)
    output = bytes(client.output)
    assert modes_left_on(output) == []
    # The kitty flags are popped on the alternate screen, whose stack they were pushed on, before it is left.
    assert output.rindex(b"\x1b[<u") < output.rindex(b"\x1b[?1049l")
    # Line wrap back on is the client's own (the worker never wrote it: it was killed in full-screen mode).
    assert output.rindex(b"\x1b[?7h") > output.rindex(b"\x1b[?7l")


def test_a_worker_killed_by_a_signal_says_so_in_one_line_and_exits_128_plus_n(
    server: WarmServer, client: PtyClient
) -> None:
    worker = worker_of(server)
    os.kill(worker, signal.SIGKILL)
    assert client.wait_exit() == 128 + signal.SIGKILL
    after = bytes(client.output[client.output.rindex(b"\x1b[?1049l") :])
    lines = [line.strip() for line in after.decode(errors="replace").splitlines() if line.strip()]
    assert lines[-1:] == ["billing-tui: the session was ended by signal SIGKILL (terminal restored)"], lines
    assert "exit=137" in server.wait_log("exit=137")  # the server's log keeps 128+N


def test_a_job_control_stop_gives_the_terminal_back_and_fg_brings_the_wizard_back(
    server: WarmServer, client: PtyClient
) -> None:
    worker = worker_of(server)
    before = client.whole_frame(QUESTION)
    assert_modern_terminal(client)
    stop_mark = len(client.output)

    os.kill(client.pid, signal.SIGTSTP)  # `kill -TSTP`: in raw mode Ctrl+Z is a key, so a stop comes from outside
    client.poll(lambda: state(client.pid) == "T", "the client stopped (state T)")
    client.poll(lambda: state(worker) == "T", "the worker stopped (state T)")
    client.poll(lambda: modes_left_on(bytes(client.output), textuals_own=True) == [], "the terminal given back")
    assert b"\x1b[?1049l" in client.output[stop_mark:]  # by the worker's own restore, as a cold start does it
    attrs = termios.tcgetattr(client.slave)
    assert attrs[3] & termios.ICANON and attrs[3] & termios.ECHO, "the terminal left in raw mode while stopped"

    typed_mark = len(client.output)
    client.type(b"3\r")  # typed at the shell's prompt: echoed by the terminal, read by nobody
    client.wait_text("3", since=typed_mark)
    pending = struct.unpack("i", fcntl.ioctl(client.slave, termios.FIONREAD, b"\0\0\0\0"))[0]
    assert pending == 2, "a key typed while stopped was read"
    assert state(client.pid) == "T" and state(worker) == "T"
    termios.tcflush(client.slave, termios.TCIFLUSH)  # the shell took the line

    resume_mark = len(client.output)
    os.killpg(client.pid, signal.SIGCONT)  # `fg`: the shell continues the job's process group
    client.poll(lambda: state(client.pid) not in ("T", "") and state(worker) not in ("T", ""), "both continued")
    # Every row again: a terminal that saw only what was written since `fg` shows the whole wizard as it was.
    client.poll(lambda: client.screen(resume_mark) == before, "the whole wizard repainted", since=resume_mark)
    client.type(b"b")  # keys reach the app again: back to the first question
    client.wait_text(FIRST_QUESTION, since=resume_mark)
    client.type(b"q")
    assert client.wait_exit() == 0
    assert modes_left_on(bytes(client.output), textuals_own=True) == []
    assert "exit=0" in server.wait_log("exit=0")


def test_a_client_killed_while_stopped_takes_its_stopped_worker_with_it(server: WarmServer, client: PtyClient) -> None:
    """A stopped session whose client dies (killed, an SSH drop) is hung up by the server: the worker, which
    cannot run to notice its client is gone, would otherwise wait stopped forever, holding a session."""
    worker = worker_of(server)
    os.kill(client.pid, signal.SIGTSTP)
    client.poll(lambda: state(client.pid) == "T" and state(worker) == "T", "client and worker stopped")
    os.kill(client.pid, signal.SIGKILL)
    client.poll(lambda: client.process.poll() is not None, "the client gone")
    deadline = time.monotonic() + 10.0  # the server looks once a second; the worker then ends as a hang-up
    while state(worker) not in ("", "Z"):
        assert time.monotonic() < deadline, f"the stopped worker {worker} is still there, state {state(worker)!r}"
        time.sleep(0.05)
    assert f"pid={worker}" in server.wait_log(f"pid={worker}")
    assert server.wait_workers(0) == []


def test_in_a_shell_a_stopped_session_shows_stopped_at_a_clean_prompt_and_fg_brings_it_back(
    tmux_session: TmuxSession, launcher: Path, server: WarmServer
) -> None:
    """test_tui_suspend.py's walk, attached: bash's job control sees the job Stopped and `fg` reaches the app."""
    env = [f"PATH={launcher.parent}:/usr/bin:/bin", f"HOME={launcher.parent.parent}", "TERM=xterm-256color"]
    env.append(f"BILLING_TUI_SOCKET={server.socket}")
    shell = shlex.join(["env", "-i", *env, "LANG=C.UTF-8", "PS1=PROMPT$ ", "bash", "--norc", "--noprofile", "-i"])
    tmux_session.start(shell, record_status=False)
    tmux_session.wait_for("PROMPT$")
    tmux_session.type("billing-tui --lang en --flow billing-center")
    tmux_session.wait_for(FIRST_QUESTION, history=False)
    worker = worker_of(server)
    tmux_session.send_keys("2")
    before = tmux_session.wait_for(QUESTION, history=False)

    (app,) = procs.pids_with_argv_prefix(launcher_argv(launcher))
    os.kill(app, signal.SIGTSTP)
    tmux_session.wait_for(lambda screen: "Stopped" in screen and QUESTION not in screen, history=False)
    wait_state(worker, "T")  # stopped too (before its client, unless it took over a second): it draws no more
    tmux_session.type("clear")  # read by the shell, not the app
    tmux_session.wait_for(lambda screen: QUESTION not in screen and "Stopped" not in screen, history=False)
    wrap = tmux_session.tmux("display-message", "-p", "-t", "main", "#{wrap_flag}").stdout.strip()
    assert wrap == "1", "line wrap left off at the shell's prompt"

    tmux_session.type("fg")  # the first try: never eaten by the app
    tmux_session.wait_for(lambda screen: rows(screen) == rows(before), history=False)
    tmux_session.send_keys("q")
    tmux_session.wait_for("PROMPT$", history=False)
    tmux_session.type("echo rc=$?")
    tmux_session.wait_for("rc=0", history=False)


def rows(screen: str) -> list[str]:
    """The pane's rows without trailing blanks (tmux pads a row it has not drawn to differently)."""
    return [row.rstrip() for row in screen.splitlines()]
