"""`billing-tui serve`: a foreground server that warms up once and forks a ready worker per attached terminal."""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from billing_tui.exit_codes import ExitCode
from billing_tui.server import identity, paths, protocol, spare, warm, worker
from billing_tui.server.options import ServerOptions, content_mismatch, worker_argv
from billing_tui.server.socket_file import AlreadyServing, clear_stale, peer_uid
from billing_tui.server.spares import Prediction, SparePool, SpareProcess

HELLO_TIMEOUT = 1.0  # a client sends its hello at once; a silent peer is dropped after this
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
LEFTOVER_WAIT = 3.0  # after the grace period, how long signalled workers get to restore their terminals


def log(message: str) -> None:
    """One line on stderr: the server's whole log."""
    print(f"billing-tui serve: {message}", file=sys.stderr, flush=True)


@dataclass
class Session:
    """A live worker: the connection to its client (kept to report a death by signal) and when it started."""

    conn: socket.socket
    kind: str = "attach"
    started: float = field(default_factory=time.monotonic)


class Server:
    """The listening socket, the live sessions, and the decisions: attach, send away, or leave."""

    def __init__(self, options: ServerOptions, path: str) -> None:
        self.options = options
        self.path = path
        self.build = identity.build_id()
        self.environ = dict(os.environ)
        self.sessions: dict[int, Session] = {}
        self.selector = selectors.DefaultSelector()
        self.listener: socket.socket | None = None
        self.inode: tuple[int, int] | None = None
        self.wake_r, self.wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self.signals: list[int] = []
        self.stop_deadline: float | None = None
        self.pool = SparePool(options.spares, self.selector)

    # -- set-up and tear-down ---------------------------------------------------------

    def listen(self) -> None:
        """Bind the socket 0600 (after clearing a stale one) and start accepting."""
        clear_stale(self.path)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
        old_umask = os.umask(0o177)
        try:
            listener.bind(self.path)
        finally:
            os.umask(old_umask)
        listener.listen(128)
        info = os.stat(self.path)
        self.inode = (info.st_dev, info.st_ino)
        self.listener = listener
        self.selector.register(listener, selectors.EVENT_READ, "accept")
        self.selector.register(self.wake_r, selectors.EVENT_READ, "signal")
        signal.set_wakeup_fd(self.wake_w, warn_on_full_buffer=False)
        for signum in (*STOP_SIGNALS, signal.SIGCHLD):
            signal.signal(signum, self._on_signal)

    def _on_signal(self, signum: int, frame: object) -> None:
        self.signals.append(signum)

    def stop_accepting(self, why: str) -> None:
        """Close the listener and remove the socket if it is still ours; live sessions go on until the grace ends."""
        if self.listener is None:
            return
        self.selector.unregister(self.listener)
        self.listener.close()
        self.listener = None
        self.pool.retire_all()
        with contextlib.suppress(OSError):
            info = os.stat(self.path)
            if (info.st_dev, info.st_ino) == self.inode:
                os.unlink(self.path)
        self.stop_deadline = time.monotonic() + self.options.grace
        log(f"stopped accepting ({why}); {len(self.sessions)} live sessions, grace {self.options.grace:g} s")

    # -- the loop ---------------------------------------------------------------------------

    def serve(self) -> int:
        """Serve until told to stop and the last session ended (or the grace ran out); 0 then."""
        log(f"listening on {self.path} (pid {os.getpid()}, at most {self.options.max_sessions} sessions)")
        while self.listener is not None or self.sessions:
            now = time.monotonic()
            due = [self.pool.timeout(now), None if self.stop_deadline is None else self.stop_deadline - now]
            timeouts = [t for t in due if t is not None]
            timeout = max(0.0, min(timeouts)) if timeouts else None
            for key, _ in self.selector.select(timeout):
                if key.data == "signal":
                    with contextlib.suppress(OSError):
                        os.read(self.wake_r, 512)
                elif key.data == "accept" and self.listener is not None:
                    self._accept()
                elif isinstance(key.data, int):
                    self._on_spare_link(key.data)
            self._handle_signals()
            self._refill()
            if self.stop_deadline is not None and time.monotonic() >= self.stop_deadline and self.sessions:
                self._end_leftovers()
                break
        log("exiting")
        return ExitCode.OK

    def _handle_signals(self) -> None:
        while self.signals:
            signum = self.signals.pop(0)
            if signum == signal.SIGCHLD:
                self._reap()
            else:
                self.stop_accepting(signal.Signals(signum).name)
        self._reap()

    def _end_leftovers(self) -> None:
        """The grace is over: hang up the remaining sessions (each restores its terminal) and wait a little."""
        log(f"grace over: ending {len(self.sessions)} sessions")
        for pid in list(self.sessions):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + LEFTOVER_WAIT
        while self.sessions and time.monotonic() < deadline:
            time.sleep(0.02)
            self._reap()

    def _reap(self) -> None:
        """Collect ended workers: tell a client whose worker died by a signal, and log each session."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            session = self.sessions.pop(pid, None)
            if session is None:
                self._forget_spare(pid)
                continue
            code = os.waitstatus_to_exitcode(status)
            code = 128 - code if code < 0 else code
            protocol.send_exit_code(session.conn, code)  # harmless when the worker already said it
            session.conn.close()
            kind = "web session" if session.kind == "web" else "session"
            log(f"{kind} pid={pid} duration={time.monotonic() - session.started:.1f}s exit={code}")

    # -- one connection -------------------------------------------------------------------------

    def _accept(self) -> None:
        assert self.listener is not None
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        fds: list[int] = []
        try:
            conn.settimeout(HELLO_TIMEOUT)
            uid = peer_uid(conn)
            if uid != os.getuid():
                log(f"refused a connection from uid {uid}")
                conn.close()
                return
            hello, fds = protocol.receive(conn, want_fds=True)
            self._answer(conn, hello, fds)
        except (protocol.ProtocolError, OSError, ValueError, TypeError) as exc:
            log(f"closed a bad connection: {exc}")
            protocol.close_all(fds)
            conn.close()

    def _answer(self, conn: socket.socket, hello: dict[str, Any], fds: list[int]) -> None:
        """Attach (fork a worker), answer a probe, or send the client to start on its own."""
        kind = hello.get("kind")
        if kind not in protocol.KINDS:
            raise protocol.ProtocolError(f"unknown message kind {str(kind)[:40]!r}")
        if kind in protocol.WITH_FDS and len(fds) != protocol.FD_COUNT:
            raise protocol.ProtocolError(f"a {kind} message carries {len(fds)} fds, not {protocol.FD_COUNT}")
        refusal, stale = self.refusal(hello)
        if kind == "probe":
            protocol.close_all(fds)
            reply = {"status": "cold", "reason": refusal} if refusal else {"status": "would-attach"}
            ready = sum(1 for s in self.pool.spares.values() if s.ready)
            protocol.send(conn, {**reply, "pid": os.getpid(), "sessions": len(self.sessions), "spares": ready})
            conn.close()
        elif refusal:
            protocol.close_all(fds)
            protocol.send(conn, {"status": "cold", "reason": refusal})
            conn.close()
            log(f"sent a client to start on its own: {refusal}")
        else:
            self._fork(conn, hello, fds)
        if stale:
            self.stop_accepting("a newer build is installed")

    def refusal(self, hello: dict[str, Any]) -> tuple[str | None, bool]:
        """Why this client must start on its own (None: it may attach), and whether this server is stale."""
        if hello.get("build") != self.build:
            return "the installed billing-tui differs from the server's (the server is leaving)", True
        env = hello.get("env")
        if not isinstance(env, dict):
            raise protocol.ProtocolError("no environment")
        web = hello.get("kind") == "web"
        mismatch = (identity.web_env_mismatch if web else identity.env_mismatch)(self.environ, env)
        if mismatch:
            return mismatch, False
        content = hello.get("content")
        content = content if isinstance(content, str) else None
        mismatch = content_mismatch(self.options, content, str(hello.get("cwd")))
        if web and content is None and self.options.content is not None:  # a tab keeps its web server's content
            mismatch = "the web server serves the built-in content, not the server's --content"
        if mismatch:
            return mismatch, False
        if self.listener is None:
            return "the server is stopping", False
        if len(self.sessions) >= self.options.max_sessions:
            return f"the server is serving its maximum of {self.options.max_sessions} sessions", False
        return None, False

    def _fork(self, conn: socket.socket, hello: dict[str, Any], fds: list[int]) -> None:
        """Fork a worker for this client; the parent replies with its pid and keeps the connection."""
        kind = str(hello.get("kind"))
        client_argv = [str(a) for a in hello.get("argv") or []]
        # A tab's options are its web server's, complete (session_command); a terminal's get the admin defaults.
        argv = client_argv if kind == "web" else worker_argv(self.options, client_argv, hello["env"])
        if kind == "attach" and self._hand_to_spare(conn, hello, fds, argv):
            return
        try:
            warm.assert_forkable()
        except RuntimeError as exc:
            protocol.close_all(fds)
            protocol.send(conn, {"status": "cold", "reason": f"the server cannot fork safely: {exc}"})
            conn.close()
            log(f"refused to fork: {exc}")
            return
        pid = os.fork()
        if pid == 0:
            self._in_worker(conn, hello, fds, argv)
        protocol.close_all(fds)
        self.sessions[pid] = Session(conn, kind)
        if kind == "web":
            log(f"web tab forked: pid={pid}")
        conn.settimeout(None)
        with contextlib.suppress(OSError):  # a client gone now never sends its go-ahead: the worker just leaves
            protocol.send(conn, {"status": "attached", "pid": pid})

    def _in_worker(self, conn: socket.socket, hello: dict[str, Any], fds: list[int], argv: list[str]) -> None:
        """The child's whole life: drop the server's sockets, become the client's process, run, leave."""
        code = 1
        try:
            ignored = [int(n) for n in hello.get("ignored") or [] if isinstance(n, int)]
            worker.reset_signals(ignored)  # first: the server's wakeup fd is about to close
            self._drop_server_fds()
            worker.become_client(conn, fds, hello)
            code = worker.run(conn, argv, _entry(str(hello.get("kind"))))
        except BaseException:
            with contextlib.suppress(Exception):
                import traceback

                traceback.print_exc()
        finally:
            os._exit(code)

    def _drop_server_fds(self) -> None:
        """In a forked child: close the server's listener, selector, wake-up pipe, sessions' and spares' sockets."""
        self.selector.close()
        if self.listener is not None:
            self.listener.close()
        for session in self.sessions.values():
            session.conn.close()
        for link in self.pool.links():
            link.close()
        os.close(self.wake_r)
        os.close(self.wake_w)

    # -- spares (spares.py decides, spare.py is the spare's own side) ------------------------------

    def _hand_to_spare(self, conn: socket.socket, hello: dict[str, Any], fds: list[int], argv: list[str]) -> bool:
        """Give this client to a ready spare built for exactly its launch; False when there is none."""
        ttys = [os.isatty(fd) for fd in fds]
        key = spare.prediction_key(hello, argv, ttys)
        size = spare.terminal_size(fds[0])
        if size is not None and all(ttys):
            self.pool.predict(Prediction(key, hello, argv, size))
        ready = self.pool.take(key)
        if ready is None:
            return False
        try:
            spare.send_handoff(ready.link, hello, [*fds, conn.fileno()])
        except OSError:
            self.pool.add(ready)
            self.pool.retire(ready.pid)
            return False
        self.pool.release(ready)
        protocol.close_all(fds)
        self.sessions[ready.pid] = Session(conn)
        conn.settimeout(None)
        with contextlib.suppress(OSError):
            protocol.send(conn, {"status": "attached", "pid": ready.pid})
        return True

    def _on_spare_link(self, pid: int) -> None:
        self.pool.on_link(pid)

    def _forget_spare(self, pid: int) -> None:
        """A reaped child that was no session: a spare that ended (killed by the pool, or died)."""
        self.pool.forget(pid)

    def _refill(self) -> None:
        """Fork a spare when one is missing and the server has been quiet since the last connection."""
        if self.listener is None:
            return
        wanted = self.pool.wanted(time.monotonic())
        if wanted is None:
            return
        try:
            warm.assert_forkable()
        except RuntimeError as exc:
            log(f"no spare: {exc}")
            self.pool.retire_all()
            return
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                mine.close()
                ignored = [int(n) for n in wanted.hello.get("ignored") or [] if isinstance(n, int)]
                worker.reset_signals(ignored)
                self._drop_server_fds()
                code = spare.run_spare(theirs, wanted.hello, list(wanted.argv), wanted.size)
            finally:
                os._exit(code)
        theirs.close()
        self.pool.add(SpareProcess(pid, mine, wanted.key))


def _entry(kind: str) -> Callable[[list[str]], int]:
    """What a worker runs with its argv: the CLI for a terminal launch, the cold tab's session for a web one."""
    if kind == "web":
        from billing_tui.server.webtab import run_tab

        return run_tab
    from billing_tui.cli import run

    return run


def run_server(options: ServerOptions, env: dict[str, str]) -> int:
    """`billing-tui serve`: check the socket directory, warm up, listen, serve; one line and exit 2 on refusal."""
    try:
        path = paths.prepare_dir(paths.socket_path(env))
        clear_stale(path)
    except paths.InsecureSocketDir as exc:
        print(f"billing-tui: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    except AlreadyServing as exc:
        print(f"billing-tui: {exc}", file=sys.stderr)
        return ExitCode.FAILURE
    started = time.monotonic()
    warm.warm_up(options)
    log(f"warmed up in {time.monotonic() - started:.1f} s")
    server = Server(options, path)
    server.listen()
    return server.serve()
