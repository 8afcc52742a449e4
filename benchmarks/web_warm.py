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
from benchmarks.web import PAGE_MARKS, RESULTS, page_marks, probe_pages, terminal_first_frame, wait_shown

RUNS = 7


def _tab_to_home(driver: Any, server: Any, home: str, marks: list[dict[str, float]]) -> float:
    """Seconds from asking the browser for the page to home in its terminal (WebDriver's view); the page's own
    marks (its clock, from navigation start to home painted) are appended to marks."""
    start = time.perf_counter()
    driver.get(server.url)
    seconds = wait_shown(driver, home, start)
    deadline = time.perf_counter() + 2.0
    while "home" not in page_marks(driver) and time.perf_counter() < deadline:
        time.sleep(0.01)
    marks.append(page_marks(driver))
    driver.get("about:blank")
    return seconds


BLANK_PAGE = "<!DOCTYPE html><html><head><title>blank</title></head><body><p>home</p></body></html>"
FIRST_PAINT = "const [e] = performance.getEntriesByName('first-contentful-paint'); return e ? e.startTime : null;"


def _blank_first_paint(driver: Any, url: str) -> float | None:
    """Seconds from navigation start to the blank page's first paint of its text, by the page's clock."""
    driver.get(url)
    deadline = time.perf_counter() + 2.0
    while (painted := driver.execute_script(FIRST_PAINT)) is None and time.perf_counter() < deadline:
        time.sleep(0.005)
    driver.get("about:blank")
    return None if painted is None else float(painted) / 1000


def _in_page(marks: list[dict[str, float]]) -> dict[str, Any]:
    """Each page mark's summary over the runs that reached it."""
    return {name: summary([run[name] for run in marks if name in run]) for name in PAGE_MARKS}


def main() -> int:
    from browser import WebServer, chrome, static_page  # type: ignore[import-not-found]  # benchmarks.web: tests/web

    home = billing_tui("en").first_marker
    tmp = Path(tempfile.mkdtemp(prefix="bt-webwarm-bench-"))
    (tmp / "warm").mkdir()
    (tmp / "cold").mkdir()
    with warm_server.running() as server, static_page(BLANK_PAGE) as blank_url:
        via = {"BILLING_TUI_SOCKET": server.socket}
        warm_web = WebServer.start(tmp / "warm", env={**clean_env(), **via})
        cold_web = WebServer.start(tmp / "cold", env=clean_env())
        driver = chrome(tmp, 1024, 768)
        probe_pages(driver, home)
        terminal, warm, cold, blank = [], [], [], []
        warm_marks: list[dict[str, float]] = []
        cold_marks: list[dict[str, float]] = []
        try:
            for _ in range(RUNS):  # interleaved, so load from elsewhere hits all three alike
                server.wait_idle()
                terminal.append(terminal_first_frame(home, via))
                server.wait_idle()
                warm.append(_tab_to_home(driver, warm_web, home, warm_marks))
                cold.append(_tab_to_home(driver, cold_web, home, cold_marks))
                if (painted := _blank_first_paint(driver, blank_url)) is not None:
                    blank.append(painted)
        finally:
            driver.quit()
            warm_web.stop()
            cold_web.stop()
    in_page = _in_page(warm_marks)
    in_page_ratio = ratio(in_page["home"]["median"], median(terminal))
    data = {
        "runs": RUNS,
        "terminal_via_server_first_frame_s": summary(terminal),
        "web_tab_via_server_to_home_s": summary(warm),
        "web_tab_cold_to_home_s": summary(cold),
        "via_server_web_to_terminal_ratio": ratio(median(warm), median(terminal)),
        "cold_to_via_server_web_ratio": ratio(median(cold), median(warm)),
        "in_page_via_server_s": in_page,
        "in_page_cold_s": _in_page(cold_marks),
        "in_page_via_server_to_terminal_ratio": in_page_ratio,
        # The floor: a one-line static page's first paint, and how far into the goal's budget the page's websocket
        # opens (before it opens, the worker has nothing to draw for: the page sends its size with it).
        "blank_page_first_paint_s": summary(blank),
        "socket_open_to_terminal_ratio": ratio(in_page["socket_open"]["median"], median(terminal)),
        "goals": {
            "tab_to_home_at_most_2x_terminal_via_server": (ratio(median(warm), median(terminal)) or 99) <= 2.0,
            "in_page_home_at_most_2x_terminal_via_server": (in_page_ratio or 99) <= 2.0,
        },
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
    goals = data["goals"]
    met = "met" if goals["tab_to_home_at_most_2x_terminal_via_server"] else "missed"
    page_met = "met" if goals["in_page_home_at_most_2x_terminal_via_server"] else "missed"
    marks = data["in_page_via_server_s"]
    steps = ", ".join(f"{name.replace('_', ' ')} {_ms(marks[name]['median'])}" for name in PAGE_MARKS)
    rows = [
        "| measure (median, loopback) | result | goal |",
        "| --- | --- | --- |",
        f"| terminal via the server → home (80x24 pty) | {_ms(data['terminal_via_server_first_frame_s']['median'])}"
        " | reference |",
        f"| browser tab via the server → home | {_ms(data['web_tab_via_server_to_home_s']['median'])} "
        f"({data['via_server_web_to_terminal_ratio']:.2f}x the terminal) | ≤ 2x: {met} |",
        "| … the same tabs by the page's own clock, navigation start → home painted | "
        f"{_ms(marks['home']['median'])} "
        f"({data['in_page_via_server_to_terminal_ratio']:.2f}x the terminal) | ≤ 2x: {page_met} |",
        f"| … where the page's time goes (medians from navigation start) | {steps} | measured |",
        f"| … the browser's floor: a one-line static page on 127.0.0.1, navigation → first paint | "
        f"{_ms(data['blank_page_first_paint_s']['median'])} | measured |",
        f"| … the page's websocket open (the worker learns the tab's size only then) | "
        f"{_ms(marks['socket_open']['median'])} ({data['socket_open_to_terminal_ratio']:.2f}x the terminal) "
        "| measured |",
        f"| browser tab cold (spare session) → home | {_ms(data['web_tab_cold_to_home_s']['median'])} "
        f"({data['cold_to_via_server_web_ratio']:.2f}x the tab via the server; by the page's clock "
        f"{_ms(data['in_page_cold_s']['home']['median'])}) | measured |",
    ]
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    import argparse

    argparse.ArgumentParser(prog=f"python -m {__spec__.name}", description=__doc__).parse_args()
    raise SystemExit(main())
