"""Benchmark `billing-tui web` in headless Chromium: tab opened → home shown (against the terminal's cold first
frame in the same run), a key → the new state on the page, and 20 tabs opened at once.

Run: `python -m benchmarks.web` (needs chromium, chromedriver, selenium, textual-serve); writes
benchmarks/results/web.json and web.md.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.childenv import clean_env
from benchmarks.pty_session import PtySession
from benchmarks.stats import median, ratio, summary
from benchmarks.targets import billing_tui

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "web")]
from browser import READ_SCREEN, WebServer, chrome, new_tab  # type: ignore[import-not-found]  # noqa: E402

RESULTS = Path(__file__).with_name("results")
RUNS, KEYS, TABS = 7, 21, 20
TIMEOUT = 90.0
# In the page: send one key straight into the tab's websocket and resolve once xterm has parsed a frame that
# shows the wanted text, with the elapsed milliseconds (browser clock, no WebDriver round trip inside).
KEY_TO_TEXT = """
const [key, wanted, done] = arguments;
const client = window.__clients[0], term = client.terminal;
const shows = () => { const b = term.buffer.active; for (let y = 0; y < term.rows; y++) {
  const line = b.getLine(b.viewportY + y); if (line && line.translateToString(true).includes(wanted)) return true; }
  return false; };
const start = performance.now();
const sub = term.onWriteParsed(() => { if (shows()) { sub.dispose(); done(performance.now() - start); } });
client.socket.send(JSON.stringify(["stdin", key]));
"""


# Installed in each new page (CDP): the page's own clock, in ms from the start of its navigation, at the moments
# that tell where a tab's time goes: "frame_in" is the first message big enough to carry a frame, "rows" the moment
# xterm's rows show the marker and "home" the animation frame after it, i.e. when the browser paints it, without
# the WebDriver round trips the outside measure includes.
PAGE_PROBE = """
window.__bt = {};
const mark = (k) => { if (!(k in window.__bt)) window.__bt[k] = performance.now(); };
document.addEventListener('DOMContentLoaded', () => mark('parsed'));
const NativeSocket = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new NativeSocket(...args);
  socket.addEventListener('open', () => mark('socket_open'));
  socket.addEventListener('message', (event) => {
    mark('first_message');
    const data = event.data, size = typeof data === 'string' ? data.length : (data.byteLength || data.size || 0);
    if (size > FRAME_BYTES) mark('frame_in');
  });
  return socket;
};
window.WebSocket.prototype = NativeSocket.prototype;
const watch = () => {
  const rows = document.querySelector('.xterm-rows');
  if (rows && rows.textContent.replace(/\u00a0/g, ' ').includes(MARKER)) {
    mark('rows');
    requestAnimationFrame(() => mark('home'));
  } else {
    requestAnimationFrame(watch);
  }
};
requestAnimationFrame(watch);
"""
PAGE_MARKS = ("parsed", "socket_open", "first_message", "frame_in", "rows", "home")
FRAME_BYTES = 1500  # a message bigger than this carries (part of) a frame, not the protocol's small talk


def probe_pages(driver: Any, marker: str) -> None:
    """Time every page the current tab loads from now on (read back with page_marks)."""
    source = PAGE_PROBE.replace("MARKER", json.dumps(marker)).replace("FRAME_BYTES", str(FRAME_BYTES))
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": source})


def page_marks(driver: Any) -> dict[str, float]:
    """The current page's probe marks, in seconds from its navigation start (only those reached)."""
    marks = driver.execute_script("return window.__bt || {}") or {}
    return {name: float(marks[name]) / 1000 for name in PAGE_MARKS if name in marks}


def terminal_first_frame(home: str, env: dict[str, str] | None = None) -> float:
    """Seconds from spawning `billing-tui` on an 80x24 pty to its home screen (cold, or with env's server)."""
    target = billing_tui("en")
    env = {**clean_env(), "BILLING_TUI_LANG": "en", **(env or {})}
    with PtySession(target.argv, env=env, cwd=str(ROOT)) as session:
        burst = session.wait_settled(session.spawned_at, 0.05, TIMEOUT, home)
        return float(burst.latency)


def _screen(driver: Any) -> str:
    result = driver.execute_script(READ_SCREEN)
    return str(result["text"]) if result else ""


def wait_shown(driver: Any, text: str, since: float) -> float:
    """Seconds from `since` until the current tab's terminal shows text."""
    while text not in _screen(driver):
        if time.perf_counter() - since > TIMEOUT:
            raise TimeoutError(f"{text!r} not shown")
        time.sleep(0.005)
    return time.perf_counter() - since


def main() -> int:
    target = billing_tui("en")
    home = target.first_marker
    question = target.to_list[0].marker
    tmp = Path(tempfile.mkdtemp(prefix="bt-web-bench-"))
    server = WebServer.start(tmp, "--max-sessions", str(TABS + 5))
    driver = chrome(tmp, 1024, 768)
    data: dict[str, Any] = {}
    try:
        terminal, web = [], []
        for _ in range(RUNS):  # interleaved, so load from elsewhere hits both alike
            terminal.append(terminal_first_frame(home))
            start = time.perf_counter()
            driver.get(server.url)
            web.append(wait_shown(driver, home, start))
        keys = []
        for index in range(KEYS):
            key, wanted = ("1", question) if index % 2 == 0 else ("b", home)
            keys.append(float(driver.execute_async_script(KEY_TO_TEXT, key, wanted)) / 1000)
        driver.get("about:blank")
        start = time.perf_counter()
        handles = []
        for index in range(TABS):
            if index:
                new_tab(driver)
            driver.get(server.url)
            handles.append(driver.current_window_handle)
        tab_home = []
        for handle in handles:
            driver.switch_to.window(handle)
            tab_home.append(wait_shown(driver, home, start))
        many_keys = []
        for handle in handles:
            driver.switch_to.window(handle)
            many_keys.append(float(driver.execute_async_script(KEY_TO_TEXT, "1", question)) / 1000)
        data = {
            "runs": RUNS,
            "terminal_first_frame_s": summary(terminal),
            "web_tab_to_home_s": summary(web),
            "web_to_terminal_ratio": ratio(median(web), median(terminal)),
            "key_to_new_state_s": summary(keys),
            "tabs_at_once": TABS,
            "tabs_all_home_s": max(tab_home),
            "tabs_home_s": summary(tab_home),
            "tabs_key_to_new_state_s": summary(many_keys),
            "goals": {
                "tab_to_home_at_most_2x_terminal": (ratio(median(web), median(terminal)) or 99) <= 2.0,
                "key_median_at_most_100ms": (median(keys) or 99) <= 0.100,
            },
        }
    finally:
        driver.quit()
        server.stop()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "web.json").write_text(json.dumps(data, indent=2) + "\n")
    (RESULTS / "web.md").write_text(to_markdown(data))
    sys.stdout.write(to_markdown(data))
    return 0


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 1000:.0f} ms"


def _met(ok: bool) -> str:
    return "met" if ok else "missed"


def to_markdown(data: dict[str, Any]) -> str:
    """The results as the README's Performance table."""
    goals, keys, n = data["goals"], data["key_to_new_state_s"], data["tabs_at_once"]
    rows = [
        "| measure (median, loopback) | result | goal |",
        "| --- | --- | --- |",
        f"| terminal cold start → home (80x24 pty) | {_ms(data['terminal_first_frame_s']['median'])} | reference |",
        f"| browser tab opened → home shown | {_ms(data['web_tab_to_home_s']['median'])} "
        f"({data['web_to_terminal_ratio']:.2f}x the terminal) "
        f"| ≤ 2x: {_met(goals['tab_to_home_at_most_2x_terminal'])} |",
        f"| key → new state on the page | {_ms(keys['median'])} (p95 {_ms(keys['p95'])}) "
        f"| ≤ 100 ms: {_met(goals['key_median_at_most_100ms'])} |",
        f"| {n} tabs opened at once → all show home | {_ms(data['tabs_all_home_s'])} "
        f"(median tab {_ms(data['tabs_home_s']['median'])}) | measured |",
        f"| key → new state, each of the {n} live tabs | {_ms(data['tabs_key_to_new_state_s']['median'])} | measured |",
    ]
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    import argparse

    argparse.ArgumentParser(prog=f"python -m {__spec__.name}", description=__doc__).parse_args()
    raise SystemExit(main())
