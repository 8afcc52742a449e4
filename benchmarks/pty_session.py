"""One command in a pseudo-terminal of a fixed size, with timestamped reads, key presses and exit timing."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType

from benchmarks.terminal import Terminal

# Output that may hold a query the app is waiting on; only then is the screen parsed during a burst.
_QUERY = re.compile(rb"\x1b\[(?:>?0?c|[56]n|\?[0-9;]*\$p)")
_QUERY_OVERLAP = 16
_READ_SIZE = 65536
_MAX_READS_PER_WAKE = 64
# Output arriving this long after the previous read starts a new frame (one frame's writes come within ~1 ms).
FRAME_GAP = 0.005


class HarnessError(Exception):
    """A measurement could not be taken; the message says why."""


class ProcessExited(HarnessError):
    """The command exited while the harness was waiting for it."""


class Timeout(HarnessError):
    """The expected output did not come in time."""


@dataclass(frozen=True)
class Burst:
    """The output that followed a key press (or the launch): when it ended, its size, and how many frames."""

    started: float
    last_byte: float
    nbytes: int
    frames: int
    first_byte: float | None = None

    @property
    def latency(self) -> float:
        """Seconds from the write (or launch) to the last byte of the burst."""
        return self.last_byte - self.started

    @property
    def first_byte_latency(self) -> float:
        """Seconds from the write (or launch) to the first byte of the burst."""
        return (self.last_byte if self.first_byte is None else self.first_byte) - self.started


def _take_controlling_tty() -> None:
    """In the child, after setsid: make the pty on stdin the controlling terminal, as sshd does."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtySession:
    """A child process on a pty of `columns` x `lines`, read through a Terminal that answers its queries."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        cwd: str | None = None,
        columns: int = 80,
        lines: int = 24,
    ) -> None:
        master, slave = os.openpty()
        try:
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
            self.tty_name = os.ttyname(slave)
            self.spawned_at = time.perf_counter()
            self.process = subprocess.Popen(
                list(argv),
                stdin=slave,
                stdout=slave,
                stderr=slave,
                cwd=cwd,
                env=dict(env),
                start_new_session=True,
                preexec_fn=_take_controlling_tty,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        os.set_blocking(master, False)
        self.fd = master
        self.pid = self.process.pid
        self.terminal = Terminal(columns, lines)
        self.total_bytes = 0
        self.last_byte_at: float | None = None
        self.eof = False
        self.exited_at: float | None = None
        self._unparsed = bytearray()
        self._pidfd = self._open_pidfd()

    def _open_pidfd(self) -> int | None:
        """A pidfd that becomes readable when the child exits, for precise exit times (None if unsupported)."""
        try:
            return os.pidfd_open(self.pid)
        except (AttributeError, OSError):
            return None

    def __enter__(self) -> PtySession:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @property
    def running(self) -> bool:
        """Whether the child has not exited yet."""
        return self._poll_exit() is None

    def _poll_exit(self) -> float | None:
        """The time the child exited, noticing the exit now if it just happened."""
        if self.exited_at is None and self.process.poll() is not None:
            self.exited_at = time.perf_counter()
        return self.exited_at

    def read_some(self, timeout: float) -> int:
        """Wait up to `timeout` for output, read what is there, answer queries; return the byte count."""
        watched = [] if self.eof else [self.fd]
        if self._pidfd is not None and self.exited_at is None:
            watched.append(self._pidfd)
        if not watched:
            time.sleep(max(0.0, min(timeout, 0.002)))
            self._poll_exit()
            return 0
        ready, _, _ = select.select(watched, [], [], max(0.0, timeout))
        now = time.perf_counter()
        if self._pidfd is not None and self._pidfd in ready and self.exited_at is None:
            self.exited_at = now
            self.process.poll()
        return self.read_available(now) if self.fd in ready else 0

    def read_available(self, now: float) -> int:
        """Read every byte available without blocking (bounded), timestamped `now`."""
        got = bytearray()
        for _ in range(_MAX_READS_PER_WAKE):
            try:
                chunk = os.read(self.fd, _READ_SIZE)
            except BlockingIOError:
                break
            except OSError as exc:
                if exc.errno != errno.EIO:
                    raise
                chunk = b""
            if not chunk:
                self.eof = True
                break
            got += chunk
        if got:
            self.total_bytes += len(got)
            self.last_byte_at = now
            # A query may be split across reads, its start already parsed and held back by the terminal.
            tail = (self.terminal.held + bytes(self._unparsed))[-_QUERY_OVERLAP:]
            self._unparsed += got
            if _QUERY.search(tail + got):
                self.flush()
        return len(got)

    def flush(self) -> None:
        """Parse the output read so far into the screen and write back any replies the terminal owes."""
        if not self._unparsed:
            return
        data = bytes(self._unparsed)
        self._unparsed.clear()
        replies = self.terminal.feed(data)
        if replies and not self.eof:
            with contextlib.suppress(OSError):
                os.write(self.fd, replies)

    def shows(self, marker: str) -> bool:
        """Whether the marker text is on screen now."""
        self.flush()
        return self.terminal.shows(marker)

    def screen_tail(self, lines: int = 3) -> str:
        """The last non-empty lines of the screen, for error messages."""
        self.flush()
        text = [line.strip() for line in self.terminal.text().splitlines() if line.strip()]
        return " | ".join(text[-lines:]) or "(blank screen)"

    def wait_settled(self, since: float, settle: float, timeout: float, marker: str | None = None) -> Burst:
        """Wait for output after `since`, then for `settle` seconds of silence with the marker on screen."""
        deadline = since + timeout
        nbytes = frames = 0
        first: float | None = None
        last: float | None = None
        while True:
            now = time.perf_counter()
            if last is not None and now - last >= settle and (marker is None or self.shows(marker)):
                return Burst(since, last, nbytes, frames, first)
            if now >= deadline:
                wanted = f"{marker!r} on screen" if marker else "output"
                raise Timeout(f"no {wanted} within {timeout:.0f} s; screen ends: {self.screen_tail()}")
            if self._poll_exit() is not None and self.eof:
                raise ProcessExited(f"exited with code {self.process.returncode}; screen ends: {self.screen_tail()}")
            wait = deadline - now if last is None or now - last >= settle else last + settle - now
            got = self.read_some(min(wait, deadline - now))
            if got:
                assert self.last_byte_at is not None
                if last is None or self.last_byte_at - last > FRAME_GAP:
                    frames += 1
                nbytes += got
                last = self.last_byte_at
                first = last if first is None else first

    def send(self, key: str) -> float:
        """Write one key as the terminal encodes it (after parsing pending output, for DECCKM); return when."""
        self.flush()
        data = self.terminal.key(key)
        started = time.perf_counter()
        os.write(self.fd, data)
        return started

    def press(self, key: str, settle: float, timeout: float, marker: str | None = None) -> Burst:
        """Send one key as the terminal would encode it and wait for the screen to settle."""
        if marker is not None and self.shows(marker):
            raise HarnessError(f"{marker!r} is on screen before {key!r} was pressed: cannot time the change")
        return self.wait_settled(self.send(key), settle, timeout, marker)

    def drain(self, seconds: float) -> int:
        """Keep reading for `seconds` (the app at rest); return the bytes that came."""
        end = time.perf_counter() + seconds
        nbytes = 0
        while (now := time.perf_counter()) < end:
            nbytes += self.read_some(end - now)
        return nbytes

    def quit(self, key: str, timeout: float) -> float:
        """Send the quit key and return the seconds until the process exited, draining its output meanwhile."""
        started = self.send(key)
        deadline = started + timeout
        while self._poll_exit() is None:
            now = time.perf_counter()
            if now >= deadline:
                raise Timeout(f"still running {timeout:.0f} s after {key!r}; screen ends: {self.screen_tail()}")
            self.read_some(min(deadline - now, 0.05 if self._pidfd is not None else 0.002))
        assert self.exited_at is not None
        return self.exited_at - started

    def close(self) -> None:
        """Kill the child's process group if it still runs, reap it and close the descriptors."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        for fd in (self.fd, self._pidfd):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._pidfd = None
        self.fd = -1
