"""Benchmark a browser tab forked from the session server: tab opened → home shown, against the terminal's first
frame through the same server and against a cold tab, interleaved in one run (medians).

Run: `python -m benchmarks.web_warm` (needs chromium, chromedriver, selenium, textual-serve); writes
benchmarks/results/web_warm.json and web_warm.md.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import warm_server
from benchmarks.childenv import clean_env
from benchmarks.stats import median, ratio, summary
from benchmarks.targets import billing_tui
from benchmarks.web import RESULTS, terminal_first_frame, wait_shown

RUNS = 7


def _tab_to_home(driver: Any, server: Any, home: str) -> float:
    start = time.perf_counter()
    driver.get(server.url)
    seconds = wait_shown(driver, home, start)
    driver.get("about:blank")
    return seconds


def main() -> int:
    from browser import WebServer, chrome  # type: ignore[import-not-found]  # benchmarks.web put tests/web on the path

    home = billing_tui("en").first_marker
    tmp = Path(tempfile.mkdtemp(prefix="bt-webwarm-bench-"))
    (tmp / "warm").mkdir()
    (tmp / "cold").mkdir()
    with warm_server.running() as server:
        via = {"BILLING_TUI_SOCKET": server.socket}
        warm_web = WebServer.start(tmp / "warm", env={**clean_env(), **via})
        cold_web = WebServer.start(tmp / "cold", env=clean_env())
        driver = chrome(tmp, 1024, 768)
        terminal, warm, cold = [], [], []
        try:
            for _ in range(RUNS):  # interleaved, so load from elsewhere hits all three alike
                server.wait_idle()
                terminal.append(terminal_first_frame(home, via))
                server.wait_idle()
                warm.append(_tab_to_home(driver, warm_web, home))
                cold.append(_tab_to_home(driver, cold_web, home))
        finally:
            driver.quit()
            warm_web.stop()
            cold_web.stop()
    data = {
        "runs": RUNS,
        "terminal_via_server_first_frame_s": summary(terminal),
        "web_tab_via_server_to_home_s": summary(warm),
        "web_tab_cold_to_home_s": summary(cold),
        "via_server_web_to_terminal_ratio": ratio(median(warm), median(terminal)),
        "cold_to_via_server_web_ratio": ratio(median(cold), median(warm)),
        "goals": {"tab_to_home_at_most_2x_terminal_via_server": (ratio(median(warm), median(terminal)) or 99) <= 2.0},
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "web_warm.json").write_text(json.dumps(data, indent=2) + "\n")
    (RESULTS / "web_warm.md").write_text(to_markdown(data))
    sys.stdout.write(to_markdown(data))
    return 0


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 1000:.0f} ms"


def to_markdown(data: dict[str, Any]) -> str:
    """The results as a table for the README's Performance section."""
    met = "met" if data["goals"]["tab_to_home_at_most_2x_terminal_via_server"] else "missed"
    return "\n".join(
        [
            "| measure (median, loopback) | result | goal |",
            "| --- | --- | --- |",
            f"| terminal via the server → home (80x24 pty) | {_ms(data['terminal_via_server_first_frame_s']['median'])}"
            " | reference |",
            f"| browser tab via the server → home | {_ms(data['web_tab_via_server_to_home_s']['median'])} "
            f"({data['via_server_web_to_terminal_ratio']:.2f}x the terminal) | ≤ 2x: {met} |",
            f"| browser tab cold (spare session) → home | {_ms(data['web_tab_cold_to_home_s']['median'])} "
            f"({data['cold_to_via_server_web_ratio']:.2f}x the tab via the server) | measured |",
        ]
    ) + "\n"


if __name__ == "__main__":
    import argparse

    argparse.ArgumentParser(prog=f"python -m {__spec__.name}", description=__doc__).parse_args()
    raise SystemExit(main())
