"""`python -m benchmarks.client_check`: what a cold start pays for the session-server check when no server runs.

Times cli's attach decision (mode check, socket path, one lstat) in-process, and the import cost of the two
modules it loads (`python -X importtime`), medians over many runs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import timeit

from benchmarks import stats
from benchmarks.childenv import clean_env

IMPORTS = ("billing_tui.mode", "billing_tui.server.paths", "billing_tui.server")


def decision_us(runs: int = 2000) -> float:
    """Median µs of cli._attach for a full-screen launch with no socket at BILLING_TUI_SOCKET."""
    os.environ["BILLING_TUI_SOCKET"] = clean_env()["BILLING_TUI_SOCKET"]
    from billing_tui import cli

    args = cli.build_parser().parse_args([])
    args.plain = False
    timer = timeit.Timer(lambda: cli._attach([], args))
    samples = [timer.timeit(1) * 1e6 for _ in range(runs)]
    return stats.median(samples) or 0.0


def import_us(runs: int = 15) -> float:
    """Median µs (self + children, as -X importtime reports) of importing the modules the check needs."""
    totals = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import billing_tui.mode, billing_tui.server.paths"],
            capture_output=True,
            text=True,
            check=True,
            env=clean_env(),
        )
        total = 0
        for line in done.stderr.splitlines():
            match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)$", line)
            if match and match.group(2) in IMPORTS:
                total += int(match.group(1))
        totals.append(float(total))
    return stats.median(totals) or 0.0


def main() -> int:
    print(f"attach decision with no server: {decision_us():.1f} µs (median)")
    print(f"importing billing_tui.mode and billing_tui.server.paths: {import_us():.0f} µs (median, self time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
