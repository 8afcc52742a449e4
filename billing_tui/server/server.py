"""`billing-tui serve`: a foreground server that warms up once and forks a ready worker per attached terminal."""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import socket
import time
import traceback
from collections.abc import Callable, Mapping
from typing import Any

from billing_tui.exit_codes import ExitCode
from billing_tui.server import admission, identity, protocol, spare, warm, worker
from billing_tui.server.options import ServerOptions, worker_argv
from billing_tui.server.sessions import Sessions, log
from billing_tui.server.socket_file import clear_stale, peer_uid
from billing_tui.server.spares import Prediction, SparePool, SpareProcess

HELLO_TIMEOUT = 1.0  # a client sends its hello at once; a silent peer is dropped after this
ORPHAN_CHECK = 1.0  # while a worker is stopped, how often to look whether its client is still there
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class Server:
    """The listening socket, the live sessions, and the decisions: attach, send away, or leave."""

    def __init__(self, options: ServerOptions, path: str) -> None:
        self.options = options
        self.path = path
        self.build = identity.build_id()
        self.environ = dict(os.environ)
        self.selector = selectors.DefaultSelector()
        self.pool = SparePool(options.spares, self.selector)
        self.sessions = Sessions(other_child=self.pool.forget)  # a reaped child that is no session: a spare
        self.listener: socket.socket | None = None
        self.inode: tuple[int, int] | None = None
        self.wake_r, self.wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self.signals: list[int] = []
        self.stop_deadline: float | None = None

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
            if self.sessions.stopped:  # a stopped worker's client may go without a word: look again each second
                due.append(ORPHAN_CHECK)
            timeouts = [t for t in due if t is not None]
            timeout = max(0.0, min(timeouts)) if timeouts else None
            for key, _ in self.selector.select(timeout):
                if key.data == "signal":
                    with contextlib.suppress(OSError):
                        os.read(self.wake_r, 512)
                elif key.data == "accept" and self.listener is not None:
                    self._accept()
                elif isinstance(key.data, int):
                    self.pool.on_link(key.data, key.fileobj)
            self._handle_signals()
            self.sessions.hang_up_orphans()
            self._refill()
            if self.stop_deadline is not None and time.monotonic() >= self.stop_deadline and self.sessions:
                self.sessions.end_leftovers()
                break
        log("exiting")
        return ExitCode.OK

    def _handle_signals(self) -> None:
        while self.signals:
            signum = self.signals.pop(0)
            if signum == signal.SIGCHLD:
                self.sessions.reap()
            else:
                self.stop_accepting(signal.Signals(signum).name)
        self.sessions.reap()

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
            hello, fds = protocol.receive(conn, want_fds=True, deadline=time.monotonic() + HELLO_TIMEOUT)
            self._answer(conn, hello, fds)
        except Exception as exc:  # whatever a client sends, only its connection ends: the server goes on serving
            log(f"closed a bad connection: {type(exc).__name__}: {exc}"[:300])
            protocol.close_all(fds)  # those not already handed on (close_all empties the list)
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
        accepting = self.listener is not None
        return admission.refusal(self.options, self.build, self.environ, hello, accepting, len(self.sessions))

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

        def session() -> int:
            worker.become_client(conn, fds, hello)
            return worker.run(conn, argv, worker.entry(kind))

        pid = self._fork_child(hello, session)
        protocol.close_all(fds)
        self.sessions.add(pid, conn, kind)
        if kind == "web":
            log(f"web tab forked: pid={pid}")
        conn.settimeout(None)
        with contextlib.suppress(OSError):  # a client gone now never sends its go-ahead: the worker just leaves
            protocol.send(conn, {"status": "attached", "pid": pid})

    def _fork_child(self, hello: Mapping[str, Any], body: Callable[[], int]) -> int:
        """Fork a worker or a spare; the child drops the server's fds, runs body and leaves with its code."""
        pid = os.fork()
        if pid:
            return pid
        code = 1
        try:
            ignored = [int(n) for n in hello.get("ignored") or [] if isinstance(n, int)]
            worker.reset_signals(ignored)  # first: the server's wakeup fd is about to close
            self._drop_server_fds()
            code = body()
        except BaseException:
            with contextlib.suppress(Exception):
                traceback.print_exc()
        finally:
            os._exit(code)

    def _drop_server_fds(self) -> None:
        """In a forked child: close the server's listener, selector, wake-up pipe, sessions' and spares' sockets."""
        self.selector.close()
        if self.listener is not None:
            self.listener.close()
        for conn in self.sessions.connections():
            conn.close()
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
            ready.link.settimeout(HELLO_TIMEOUT)  # a stopped or wedged spare cannot hold the accept loop
            spare.send_handoff(ready.link, hello, [*fds, conn.fileno()])
        except Exception as exc:  # died, wedged, or a hello too big to pass on: a forked worker serves this client
            log(f"a spare could not take a client ({type(exc).__name__}: {exc}); forking a worker")
            self.pool.discard(ready)
            return False
        self.pool.release(ready)
        protocol.close_all(fds)
        self.sessions.add(ready.pid, conn)
        conn.settimeout(None)
        with contextlib.suppress(OSError):
            protocol.send(conn, {"status": "attached", "pid": ready.pid})
        return True

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
        try:
            mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
        except OSError as exc:
            self._no_spare_for_now(exc)
            return

        def build() -> int:
            mine.close()
            return spare.run_spare(theirs, wanted.hello, list(wanted.argv), wanted.size)

        try:
            pid = self._fork_child(wanted.hello, build)
        except OSError as exc:  # EAGAIN at the process limit, ENOMEM: no spare now; sessions are still served
            mine.close()
            theirs.close()
            self._no_spare_for_now(exc)
            return
        theirs.close()
        self.pool.add(SpareProcess(pid, mine, wanted.key))

    def _no_spare_for_now(self, exc: OSError) -> None:
        """A spare could not be forked: say so once and try again after the pool's back-off."""
        log(f"no spare for now: {exc}")
        self.pool.back_off(time.monotonic())
