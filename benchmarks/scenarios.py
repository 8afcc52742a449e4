"""One measured session of a target: launch, screen changes, navigation keys, rest, quit."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from benchmarks import procstat
from benchmarks.childenv import clean_env
from benchmarks.pty_session import Burst, HarnessError, PtySession
from benchmarks.targets import REPO, Step, Target


@dataclass(frozen=True)
class Settings:
    """How hard to measure: settle window, key counts, pauses, idle window, timeouts."""

    settle: float = 0.04
    pause: float = 0.06
    launch_pause: float = 0.2
    nav_presses: int = 20
    state_cycles: int = 3
    idle_seconds: float = 10.0
    timeout: float = 30.0
    key_timeout: float = 5.0
    columns: int = 80
    lines: int = 24


@dataclass
class KeyStats:
    """Per key press of one kind: latency (s), bytes (the burst and what came in the pause after) and frames."""

    latency: list[float] = field(default_factory=list)
    first_byte: list[float] = field(default_factory=list)
    nbytes: list[int] = field(default_factory=list)
    frames: list[int] = field(default_factory=list)

    def add(self, burst: Burst, late: int) -> None:
        """Record one press."""
        self.latency.append(burst.latency)
        self.first_byte.append(burst.first_byte_latency)
        self.nbytes.append(burst.nbytes + late)
        self.frames.append(burst.frames)


@dataclass
class RoundResult:
    """Everything one session measured; times in seconds, sizes in bytes and KiB."""

    first_frame: float = 0.0
    first_frame_bytes: int = 0
    first_frame_frames: int = 0
    first_frame_cpu: float = 0.0
    late_bytes: int = 0
    nav: KeyStats = field(default_factory=KeyStats)
    change: KeyStats = field(default_factory=KeyStats)
    state: KeyStats = field(default_factory=KeyStats)
    state_steps: dict[str, KeyStats] = field(default_factory=dict)
    idle_cpu_pct: float | None = None
    idle_bytes_per_s: float | None = None
    peak_rss_kib: int = 0
    cpu_seconds: float = 0.0
    quit: float = 0.0
    exit_code: int | None = None
    # The session's own processes: the client alone when cold, the client plus its worker via a server.
    session_first_frame_cpu: float = 0.0
    worker_first_frame_cpu: float | None = None
    session_cpu_seconds: float = 0.0
    pss_kib: int = 0


def _timed_key(
    session: PtySession, key: str, marker: str | None, settings: Settings, into: KeyStats, result: RoundResult
) -> None:
    """Press one key, wait for the screen to settle, pause, and record the press."""
    timeout = settings.timeout if marker is not None else settings.key_timeout
    burst = session.press(key, settings.settle, timeout, marker)
    late = session.drain(settings.pause)
    into.add(burst, late)
    result.late_bytes += late


def _change_screens(session: PtySession, steps: tuple[Step, ...], settings: Settings, result: RoundResult) -> None:
    """Press each screen-changing key, waiting for its marker."""
    for step in steps:
        _timed_key(session, step.key, step.marker, settings, result.change, result)


def _change_states(session: PtySession, target: Target, settings: Settings, result: RoundResult) -> None:
    """Press the target's state-changing keys, `state_cycles` times over, each waiting for its marker."""
    for _ in range(settings.state_cycles if target.states else 0):
        for step in target.states:
            _timed_key(session, step.key, step.marker, settings, result.state, result)
            own = result.state_steps.setdefault(step.name, KeyStats())
            own.latency.append(result.state.latency[-1])
            own.first_byte.append(result.state.first_byte[-1])
            own.nbytes.append(result.state.nbytes[-1])
            own.frames.append(result.state.frames[-1])


def _navigate(session: PtySession, target: Target, settings: Settings, result: RoundResult) -> None:
    """Press the navigation keys in turn (Down, Up, Down, ...)."""
    for index in range(settings.nav_presses if target.nav_keys else 0):
        key = target.nav_keys[index % len(target.nav_keys)]
        _timed_key(session, key, None, settings, result.nav, result)


def _rest(session: PtySession, seconds: float, result: RoundResult, workers: list[int]) -> None:
    """Leave the app alone for `seconds` and record its CPU use (% of one core, worker included) and output rate."""
    pids = [session.pid, *workers]
    cpu_before = sum(procstat.cpu_seconds(pid) for pid in pids)
    started = time.perf_counter()
    nbytes = session.drain(seconds)
    elapsed = time.perf_counter() - started
    result.idle_cpu_pct = 100 * (sum(procstat.cpu_seconds(pid) for pid in pids) - cpu_before) / elapsed
    result.idle_bytes_per_s = nbytes / elapsed


def _workers(target: Target) -> list[int]:
    """The worker serving this session (a served target), found as the server's one live child."""
    if target.workers is None:
        return []
    workers = target.workers()
    if len(workers) != 1:
        raise HarnessError(f"{len(workers)} workers alive for one session (want 1)")
    return workers


def run_session(target: Target, settings: Settings, idle: bool) -> RoundResult:
    """Launch the target in a fresh pty and measure one full session; the child is killed on any error."""
    result = RoundResult()
    env = {**clean_env(), **dict(target.env)}
    if target.wait_idle is not None:
        target.wait_idle()  # the previous session's worker is gone: this session's is the only one
    before = target.cpu_before() if target.cpu_before is not None else {}
    with PtySession(target.argv, env=env, cwd=str(REPO), columns=settings.columns, lines=settings.lines) as session:
        first = session.wait_settled(session.spawned_at, settings.settle, settings.timeout, target.first_marker)
        result.first_frame, result.first_frame_bytes, result.first_frame_frames = (
            first.latency,
            first.nbytes,
            first.frames,
        )
        result.first_frame_cpu = procstat.cpu_seconds(session.pid)
        workers = _workers(target)
        if target.workers is not None:
            result.worker_first_frame_cpu = sum(procstat.cpu_seconds(pid) - before.get(pid, 0.0) for pid in workers)
        result.session_first_frame_cpu = result.first_frame_cpu + (result.worker_first_frame_cpu or 0.0)
        result.late_bytes += session.drain(settings.launch_pause)
        _change_screens(session, target.to_list, settings, result)
        _change_states(session, target, settings, result)
        _navigate(session, target, settings, result)
        if idle and settings.idle_seconds > 0 and target.nav_keys:
            _rest(session, settings.idle_seconds, result, workers)
        _change_screens(session, target.after_list, settings, result)
        result.peak_rss_kib = procstat.peak_rss_kib(session.pid)
        result.cpu_seconds = procstat.cpu_seconds(session.pid)
        result.session_cpu_seconds = result.cpu_seconds + sum(
            procstat.cpu_seconds(pid) - before.get(pid, 0.0) for pid in workers
        )
        result.pss_kib = sum(procstat.pss_kib(pid) for pid in [session.pid, *workers])
        result.quit = session.quit(target.quit_key, settings.timeout)
        result.exit_code = session.process.returncode
    return result
