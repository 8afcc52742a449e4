"""`python -m benchmarks`: run every target in interleaved rounds and write results/latest.md and latest.json."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks import machine, oneshot, report, warm_server
from benchmarks.scenarios import Settings
from benchmarks.suite import run_rounds
from benchmarks.targets import VIA_SERVER, Target, all_targets, via_server

RESULTS = Path(__file__).resolve().parent / "results"


def build_parser() -> argparse.ArgumentParser:
    """The command-line options."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smoke round: 1 round, few keys, 1 s idle")
    parser.add_argument("--rounds", type=int, help="recorded rounds per target (default 25; quick 1)")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"output directory (default {RESULTS})")
    parser.add_argument(
        "--targets", help="comma-separated subset: billing-tui,billing-tui via server,bare-textual,whiptail,dialog"
    )
    parser.add_argument("--lang", default="en", help="billing-tui's language and markers (default en)")
    parser.add_argument(
        "--marker",
        action="append",
        default=[],
        metavar="TARGET.NAME=TEXT",
        help="replace a marker, e.g. billing-tui.verdict='You are the billing admin' (names: first, step names)",
    )
    parser.add_argument("--settle", type=float, default=0.04, help="settle window in seconds (default 0.04)")
    parser.add_argument("--nav-presses", type=int, help="Down/Up presses per session (default 20; quick 6)")
    parser.add_argument("--idle", type=float, help="idle window in seconds (default 10; quick 1)")
    parser.add_argument("--idle-rounds", type=int, help="rounds that measure idle CPU (default 3; quick 1)")
    parser.add_argument("--oneshot-runs", type=int, help="runs per non-interactive command (default 30; quick 3)")
    parser.add_argument("--skip-oneshot", action="store_true", help="do not time the non-interactive commands")
    parser.add_argument("--spares", type=int, default=1, help="the session server's --spares (default 1)")
    return parser


def _pick(value: int | float | None, full: int | float, quick: int | float, is_quick: bool) -> int | float:
    """The explicit option, else the quick or full default."""
    if value is not None:
        return value
    return quick if is_quick else full


def _wanted(args: argparse.Namespace) -> list[str] | None:
    """The target names asked for with --targets, or None for all."""
    return [name.strip() for name in args.targets.split(",") if name.strip()] if args.targets else None


def _targets(args: argparse.Namespace, server: warm_server.WarmServer | None) -> list[Target]:
    """The selected targets with any marker overrides applied."""
    served = (
        via_server(args.lang, server.socket, server.workers, server.wait_idle, server.spare_cpu, server.spares)
        if server
        else None
    )
    targets = all_targets(args.lang, served)
    if args.targets:
        wanted = [name.strip() for name in args.targets.split(",") if name.strip()]
        unknown = set(wanted) - {t.name for t in targets}
        if unknown:
            raise SystemExit(f"unknown targets: {', '.join(sorted(unknown))}")
        targets = [t for t in targets if t.name in wanted]
    for override in args.marker:
        spec, _, text = override.partition("=")
        name, _, marker = spec.partition(".")
        if not text or not marker:
            raise SystemExit(f"--marker wants TARGET.NAME=TEXT, got {override!r}")
        try:
            targets = [t.with_marker(marker, text) if t.name == name else t for t in targets]
        except KeyError as exc:
            raise SystemExit(str(exc.args[0])) from None
    return targets


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write the report; return 0 when the files were written."""
    args = build_parser().parse_args(argv)
    quick = args.quick
    rounds = int(_pick(args.rounds, 25, 1, quick))
    settings = Settings(
        settle=args.settle,
        nav_presses=int(_pick(args.nav_presses, 20, 6, quick)),
        idle_seconds=float(_pick(args.idle, 10.0, 1.0, quick)),
    )
    options = {
        "quick": quick,
        "rounds": rounds,
        "warmup": 0 if quick else 1,
        "idle_rounds": int(_pick(args.idle_rounds, 3, 1, quick)),
        "oneshot_runs": 0 if args.skip_oneshot else int(_pick(args.oneshot_runs, 30, 3, quick)),
        "lang": args.lang,
        "interactive_launcher": "sys.executable -m billing_tui, run from the repository root",
    }
    described = machine.describe()
    wanted = _wanted(args)
    with contextlib.ExitStack() as stack:
        serving = wanted is None or VIA_SERVER in wanted
        server = stack.enter_context(warm_server.running(spares=args.spares)) if serving else None
        runs = run_rounds(_targets(args, server), settings, rounds, options["warmup"], options["idle_rounds"])
    commands = oneshot.default_commands()
    timed = (
        oneshot.run_commands(commands, options["oneshot_runs"], warmup=0 if quick else 1)
        if options["oneshot_runs"]
        else []
    )
    data = report.build(described, settings, options, runs, timed)
    json_path, md_path = report.write(data, args.out)
    print(report.to_markdown(data))
    print(f"wrote {md_path} and {json_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
