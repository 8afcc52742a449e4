"""Many users on one host: N concurrent sessions in ptys; total memory, idle CPU and first frame under load."""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import select
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import machine, procstat, stats, warm_server
from benchmarks.childenv import clean_env
from benchmarks.pty_session import HarnessError, PtySession
from benchmarks.scenarios import Settings, run_session
from benchmarks.targets import REPO, Target, bare, billing_tui, via_server
from benchmarks.warm_server import WarmServer

RESULTS = Path(__file__).resolve().parent / "results"


def _pump(sessions: Sequence[PtySession], timeout: float) -> None:
    """Wait up to `timeout` for output from any session and read it (answering queries)."""
    fds = [s.fd for s in sessions if not s.eof]
    if not fds:
        time.sleep(max(0.0, min(timeout, 0.01)))
        return
    ready, _, _ = select.select(fds, [], [], max(0.0, timeout))
    now = time.perf_counter()
    for session in sessions:
        if session.fd in ready:
            session.read_available(now)


def wait_first_frames(
    sessions: Sequence[PtySession], marker: str, settle: float, timeout: float
) -> tuple[dict[int, float], dict[int, str]]:
    """Each session's first-frame time (spawn → last byte of the settled burst showing the marker), or why not."""
    ready: dict[int, float] = {}
    failed: dict[int, str] = {}
    checked_at: dict[int, int] = {}
    deadline = time.perf_counter() + timeout
    while len(ready) + len(failed) < len(sessions):
        now = time.perf_counter()
        if now >= deadline:
            break
        waits = [deadline - now]
        for index, session in enumerate(sessions):
            if index in ready or index in failed:
                continue
            last = session.last_byte_at
            if last is None or checked_at.get(index) == session.total_bytes:
                if session.eof or not session.running:
                    failed[index] = f"exited with code {session.process.returncode}: {session.screen_tail()}"
                continue
            if now - last < settle:
                waits.append(last + settle - now)
            elif session.shows(marker):
                ready[index] = last - session.spawned_at
            else:
                checked_at[index] = session.total_bytes
        if len(ready) + len(failed) < len(sessions):
            _pump(sessions, min(waits))
    for index in range(len(sessions)):
        if index not in ready and index not in failed:
            failed[index] = f"no {marker!r} within {timeout:.0f} s: {sessions[index].screen_tail()}"
    return ready, failed


def _cpu(pids: Sequence[int]) -> float:
    """Summed CPU seconds of these processes, skipping any that just left."""
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError, LookupError):
            total += procstat.cpu_seconds(pid)
    return total


def _rest(sessions: Sequence[PtySession], seconds: float, workers: Sequence[int] = ()) -> dict[str, float]:
    """CPU used by all sessions (and their workers) over an idle window, as % of one core (total and per session)."""
    pids = [s.pid for s in sessions] + list(workers)
    before = _cpu(pids)
    started = time.perf_counter()
    end = started + seconds
    while (now := time.perf_counter()) < end:
        _pump(sessions, end - now)
    elapsed = time.perf_counter() - started
    total = 100 * (_cpu(pids) - before) / elapsed
    return {"idle_cpu_pct_total": total, "idle_cpu_pct_per_session": total / max(1, len(sessions))}


def _quit_all(sessions: Sequence[PtySession], key: str, timeout: float) -> int:
    """Send the quit key to every session and wait (bounded) for them to exit; return how many did not."""
    for session in sessions:
        with contextlib.suppress(OSError):
            session.send(key)
    deadline = time.perf_counter() + timeout
    while any(s.running for s in sessions) and time.perf_counter() < deadline:
        _pump(sessions, 0.05)
    return sum(1 for s in sessions if s.running)


def _memory(pids: Sequence[int], kind: str) -> float:
    """Summed VmRSS or PSS of these processes (MiB), skipping any that just left."""
    read = procstat.rss_kib if kind == "rss" else procstat.pss_kib
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, LookupError):
            total += read(pid)
    return total / 1024


def measure_load(
    target: Target, users: int, settings: Settings, idle_seconds: float, server: WarmServer | None = None
) -> dict[str, Any]:
    """Start `users` sessions at once, time their first frames, then measure memory and idle CPU at rest.

    Via a server, memory counts the clients, their workers and the server itself (its pages are what the
    workers share), and idle CPU the clients and workers.
    """
    sessions: list[PtySession] = []
    timeout = settings.timeout + 2.0 * users
    env = {**clean_env(), **dict(target.env)}
    try:
        if server is not None:
            server.wait_idle()
        for _ in range(users):
            sessions.append(
                PtySession(target.argv, env=env, cwd=str(REPO), columns=settings.columns, lines=settings.lines)
            )
        ready, failed = wait_first_frames(sessions, target.first_marker, settings.settle, timeout)
        alive = [s for i, s in enumerate(sessions) if i in ready and s.running]
        end = time.perf_counter() + 1.0
        while (now := time.perf_counter()) < end:
            _pump(sessions, end - now)
        workers = server.children() if server is not None else []  # spares too: memory the server keeps
        pids = [s.pid for s in alive] + workers + ([server.pid] if server is not None else [])
        rss, pss = _memory(pids, "rss"), _memory(pids, "pss")
        idle = _rest(alive, idle_seconds, workers) if alive else {}
        not_quit = _quit_all(sessions, target.quit_key, timeout)
    finally:
        for session in sessions:
            session.close()
    first = [seconds * 1000 for seconds in ready.values()]
    return {
        "users": users,
        "ready": len(ready),
        "failures": sorted(set(failed.values())),
        "first_frame_ms": stats.summary(first),
        "total_rss_mib": rss,
        "total_pss_mib": pss,
        "rss_per_session_mib": rss / max(1, len(alive)),
        "pss_per_session_mib": pss / max(1, len(alive)),
        **idle,
        "did_not_quit": not_quit,
    }


def pick_target(settings: Settings) -> tuple[Target, str]:
    """billing-tui when one session of it runs end to end, else the bare app, with a label saying which."""
    app = billing_tui()
    try:
        run_session(app, Settings(nav_presses=2, idle_seconds=0, timeout=settings.timeout), idle=False)
    except (HarnessError, OSError) as exc:
        return bare(), f"bare-textual (billing-tui unavailable: {exc})"
    return app, "billing-tui"


def _bare_cold_starts(settings: Settings, runs: int) -> list[float]:
    """First frames (ms) of the bare Textual app started alone, the reference for the many-logins goal."""
    quick = Settings(nav_presses=0, idle_seconds=0, timeout=settings.timeout)
    firsts = []
    for _ in range(runs):
        with contextlib.suppress(HarnessError, OSError):
            firsts.append(run_session(bare(), quick, idle=False).first_frame * 1000)
    return firsts


def interpreter_start_cpu(runs: int) -> list[float]:
    """CPU seconds (user + system) of `python -c pass` with the sessions' environment: what every client pays
    before its first line of billing-tui, the floor of a burst of logins through the server."""
    cpu = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", "pass"], env=clean_env(), check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return cpu


def _run_mode(
    target: Target, label: str, counts: list[int], settings: Settings, idle: float, server: WarmServer | None
) -> dict[str, Any]:
    """Every load in turn for one mode."""
    loads = []
    for users in counts:
        print(f"{label}: {users} sessions ...", file=sys.stderr, flush=True)
        loads.append(measure_load(target, users, settings, idle, server))
        time.sleep(1.0)
    return {"label": label, "command": " ".join(target.argv), "loads": loads}


def _fmt(value: float | None) -> str:
    """A number for a table cell."""
    return "–" if value is None else f"{value:,.1f}"


def to_markdown(data: dict[str, Any]) -> str:
    """The results as a Markdown page: one table per mode."""
    m = data["machine"]
    lines = [
        "# billing-tui: many users on one host",
        "",
        f"{m['date']} · {m['cpu']}, {m['cores']} cores · Python {m['python']} · Textual {m['textual']} · "
        f"commit {m['commit']}",
        "",
        f"All sessions start at once in 80x24 ptys; first frame is spawn → marker shown and {data['settle_ms']:.0f} "
        "ms of silence; memory is summed over the sessions once all are up (VmRSS counts shared pages in every "
        "process, PSS splits them; via the server it sums clients, workers and the server); idle CPU is over "
        f"{data['idle_seconds']:g} s with no input, as % of one core. Reference in the same run: one cold start "
        f"of the bare Textual app, first frame {_fmt(data.get('bare_first_frame_ms'))} ms (median of "
        f"{data.get('bare_runs', 0)}).",
        "",
    ]
    for mode in data["modes"]:
        lines += _mode_table(mode, data.get("bare_first_frame_ms"))
    return "\n".join(lines + _floor(data))


def _floor(data: dict[str, Any]) -> list[str]:
    """What a burst costs before any session has attached: one Python interpreter start-up per client."""
    cpu_ms, bare_ms = data.get("interpreter_start_cpu_ms"), data.get("bare_first_frame_ms")
    cores = max(1, int(data["machine"]["cores"]))
    if cpu_ms is None:
        return []
    lines = [
        "## The floor of a burst through the server",
        "",
        f"Every login runs a Python client: here `python -c pass` alone takes {cpu_ms:.1f} ms of CPU (median of "
        f"{data['interpreter_runs']}, the sessions' environment, site-packages' .pth files included).",
        "",
        "| sessions | interpreter start-ups alone, CPU ÷ cores (ms) | ÷ one bare cold start |",
        "|---|---|---|",
    ]
    counts = sorted({row["users"] for mode in data["modes"] for row in mode["loads"]})
    for users in counts:
        floor_ms = users * cpu_ms / cores
        lines.append(f"| {users} | {floor_ms:,.0f} | {_fmt(stats.ratio(floor_ms, bare_ms))} |")
    return [*lines, ""]


def _mode_table(mode: dict[str, Any], bare_ms: float | None) -> list[str]:
    """One mode's table (cold, or via the session server) and its failures."""
    lines = [
        f"## {mode['label']}",
        "",
        f"`{mode['command']}`",
        "",
        "| sessions | ready | first frame median ms | p95 ms | max ms | p95 ÷ one bare cold start | total RSS MiB | "
        "total PSS MiB | PSS per session MiB | idle CPU % (all) | idle CPU % per session |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in mode["loads"]:
        first = row["first_frame_ms"]
        lines.append(
            f"| {row['users']} | {row['ready']} | {_fmt(first['median'])} | {_fmt(first['p95'])} | "
            f"{_fmt(first['max'])} | {_fmt(stats.ratio(first['p95'], bare_ms))} | "
            f"{_fmt(row['total_rss_mib'])} | {_fmt(row['total_pss_mib'])} | "
            f"{_fmt(row['pss_per_session_mib'])} | {_fmt(row.get('idle_cpu_pct_total'))} | "
            f"{row.get('idle_cpu_pct_per_session', 0):.2f} |"
        )
    failures = [f"- {row['users']} sessions: {reason}" for row in mode["loads"] for reason in row["failures"]]
    return [*lines, "", *(["Failures:", "", *failures, ""] if failures else [])]


def build_parser() -> argparse.ArgumentParser:
    """The command-line options."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.many_users", description=__doc__)
    parser.add_argument("--users", default=None, help="comma-separated session counts (default 10,25,50; quick 3)")
    parser.add_argument("--quick", action="store_true", help="3 sessions, 2 s idle window")
    parser.add_argument("--idle", type=float, help="idle window in seconds (default 10; quick 2)")
    parser.add_argument("--bare", action="store_true", help="measure the bare Textual app instead of billing-tui")
    parser.add_argument("--modes", default="cold,server", help="comma-separated: cold, server (default both)")
    parser.add_argument("--spares", type=int, default=1, help="the session server's --spares (default 1)")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"output directory (default {RESULTS})")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Measure each load in turn and write many_users.md and many_users.json."""
    args = build_parser().parse_args(argv)
    counts = [int(n) for n in (args.users or ("3" if args.quick else "10,25,50")).split(",") if n.strip()]
    idle_seconds = args.idle if args.idle is not None else (2.0 if args.quick else 10.0)
    settings = Settings()
    modes = [name.strip() for name in args.modes.split(",") if name.strip()]
    bare_first = _bare_cold_starts(settings, 3 if args.quick else 5)
    interpreter = interpreter_start_cpu(5 if args.quick else 20)
    results = []
    if "cold" in modes:
        target, label = (bare(), "bare-textual (asked for with --bare)") if args.bare else pick_target(settings)
        results.append(_run_mode(target, label, counts, settings, idle_seconds, None))
    if "server" in modes and not args.bare:
        with warm_server.running(max_sessions=max(counts) + 10, spares=args.spares) as server:
            target = via_server("en", server.socket, server.workers, server.wait_idle, server.spare_cpu, args.spares)
            results.append(_run_mode(target, "billing-tui via server", counts, settings, idle_seconds, server))
    data = {
        "machine": machine.describe(),
        "settle_ms": settings.settle * 1000,
        "idle_seconds": idle_seconds,
        "bare_first_frame_ms": stats.median(bare_first),
        "bare_runs": len(bare_first),
        "interpreter_start_cpu_ms": stats.median([seconds * 1000 for seconds in interpreter]),
        "interpreter_runs": len(interpreter),
        "modes": results,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "many_users.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    markdown = to_markdown(data)
    (args.out / "many_users.md").write_text(markdown, encoding="utf-8")
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
