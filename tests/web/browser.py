"""Drive `billing-tui web` in real headless Chromium (Selenium, Debian's chromedriver): start, read, type, wait.

- `WebServer.start(tmp, *args)`: `billing-tui web --port 0 ARGS` as a subprocess; `.url` once it says where.
- `chrome(tmp, width, height)`: a fresh headless Chromium whose pages expose their xterm client (see CAPTURE)
  and log every request; `missing_browser()` says why the browser tests must skip.
- `Tab(driver)`: one page's terminal: `screen()` text, `press(*keys)` typed into xterm's textarea, `wait`.
- `static_page(html)`: the URL of one page on another port of 127.0.0.1 (another site, or the browser's floor).
- `TabTerm(tab)`: the little of TmuxSession that tests/terminal/tui.py's `Tui` needs, so the browser tests
  walk the wizard with the very checks the tmux tests use.

Every wait polls with a deadline; nothing sleeps a fixed time.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

POLL = 0.03
START_TIMEOUT = 60.0  # the server and then a tab's process start on a busy 2-core machine
STEP_TIMEOUT = 30.0
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

# textual.js keeps its xterm client in a closure; its constructor assigns `websocket_url` first thing, so a
# setter on Object.prototype sees the client object and keeps it on window for the test to read.
CAPTURE = """
Object.defineProperty(Object.prototype, 'websocket_url', {
  configurable: true,
  set(value) {
    Object.defineProperty(this, 'websocket_url', {value, writable: true, configurable: true, enumerable: true});
    window.__clients = window.__clients || [];
    window.__clients.push(this);
  },
});
"""
READ_SCREEN = """
const client = (window.__clients || [])[0];
if (!client || !client.terminal) return null;
const buffer = client.terminal.buffer.active, lines = [];
for (let y = 0; y < client.terminal.rows; y++) {
  const line = buffer.getLine(buffer.viewportY + y);
  lines.push(line ? line.translateToString(true) : '');
}
return {text: lines.join('\\n'), cols: client.terminal.cols, rows: client.terminal.rows};
"""


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    try:
        import textual_serve  # noqa: F401
    except ImportError:
        return "textual-serve is not installed (pip install -e '.[test]')"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            return f"{path} is missing; scripts/test.sh installs chromium and chromium-driver (as root)"
    return None


def poll(read: Callable[[], Any], check: Callable[[Any], bool], what: str, timeout: float = STEP_TIMEOUT) -> Any:
    """Call read until check holds for its value; fail after timeout with the last value read."""
    deadline = time.monotonic() + timeout
    value = read()
    while not check(value):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; last seen:\n{value}")
        time.sleep(POLL)
        value = read()
    return value


@contextlib.contextmanager
def static_page(html: str) -> Iterator[str]:
    """The URL of a page of this HTML on a stdlib server on another port of 127.0.0.1, served until the block ends."""
    body = html.encode("utf-8")

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Logs nothing: a test's or a benchmark's output is its own."""

    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{site.server_address[1]}/"
    finally:
        site.shutdown()
        site.server_close()


@dataclass
class WebServer:
    """A `billing-tui web` subprocess on a free 127.0.0.1 port."""

    process: subprocess.Popen[str]
    url: str
    log: Path
    stderr: Path
    cwd: Path  # the server's working and home directory: a tab's save must leave nothing here

    @classmethod
    def start(cls, tmp: Path, *args: str, env: dict[str, str] | None = None) -> WebServer:
        log, err, home = tmp / "server.out", tmp / "server.err", tmp / "server-home"
        home.mkdir(exist_ok=True)
        base = {**os.environ, "BILLING_TUI_LANG": "en", "HOME": str(home)}
        command = [sys.executable, "-m", "billing_tui", "web", "--port", "0", *args]
        process = subprocess.Popen(
            command,
            stdout=log.open("w"),
            stderr=err.open("w"),
            stdin=subprocess.DEVNULL,
            text=True,
            env={**base, **(env or {})},
            cwd=home,
            start_new_session=True,
        )

        def where() -> str:
            if process.poll() is not None:
                raise AssertionError(f"billing-tui web exited {process.returncode}: {err.read_text()}")
            return log.read_text()

        text = poll(where, lambda out: "serving the wizard on " in out, "the server's address", START_TIMEOUT)
        url = text.split("serving the wizard on ", 1)[1].split()[0]
        return cls(process, url, log, err, home)

    def children(self) -> list[int]:
        """The tabs' live app processes (the server's children)."""
        from terminal.procs import descendants

        return descendants(self.process.pid)

    def app_processes(self) -> set[int]:
        """The children running a tab's app: several threads (a spare session waits, single-threaded, for a page)."""
        return {pid for pid in self.children() if len(list(Path(f"/proc/{pid}/task").glob("*"))) > 1}

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def chrome(tmp: Path, width: int = 1024, height: int = 768, downloads: Path | None = None) -> Any:
    """A fresh headless Chromium (own profile, no outside request possible) that captures each page's terminal."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        f"--window-size={width},{height}",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--metrics-recording-only",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--disable-features=Translate,OptimizationHints,MediaRouter",
        "--disable-popup-blocking",
        "--disable-background-timer-throttling",
        "--disable-renderer-backgrounding",
        "--disable-backgrounding-occluded-windows",
        f"--user-data-dir={tmp / 'chrome-profile'}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    capture(driver)
    if downloads is not None:
        driver.execute_cdp_cmd(
            "Browser.setDownloadBehavior",
            {"behavior": "allow", "downloadPath": str(downloads), "eventsEnabled": True},
        )
    return driver


def capture(driver: Any) -> None:
    """Make the current tab's next pages keep their xterm client where READ_SCREEN finds it."""
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CAPTURE})


def new_tab(driver: Any) -> None:
    """Open another tab and switch to it; its pages are captured like the first tab's (CDP is per tab)."""
    driver.switch_to.new_window("tab")
    capture(driver)


KEYS = {"Enter": "\ue007", "Up": "\ue013", "Down": "\ue015", "Escape": "\ue00c", "BSpace": "\ue003", "Tab": "\ue004"}


def toast_shown(screen: str, text: str) -> bool:
    """Whether a notification shows this text, wrapped over its lines at the screen's right edge (over whatever)."""
    want = " ".join(text.split())
    pieces = []
    for line in screen.splitlines():
        for start in range(len(line)):
            piece = line[start:].strip(" ▌▐▎▍")
            if len(piece) >= 3 and piece in want:
                pieces.append(piece)
                break
    return want in " ".join(pieces)


@dataclass
class Tab:
    """One browser tab showing the wizard: its screen text and its keyboard."""

    driver: Any
    handle: str = field(default="")

    def __post_init__(self) -> None:
        self.handle = self.handle or self.driver.current_window_handle

    def focus(self) -> None:
        if self.driver.current_window_handle != self.handle:
            self.driver.switch_to.window(self.handle)

    def read(self) -> dict[str, Any] | None:
        self.focus()
        result: dict[str, Any] | None = self.driver.execute_script(READ_SCREEN)
        return result

    def screen(self) -> str:
        result = self.read()
        return result["text"] if result else ""

    def size(self) -> tuple[int, int]:
        result = self.read()
        return (result["cols"], result["rows"]) if result else (0, 0)

    def wait(self, check: Callable[[str], bool], what: str, timeout: float = STEP_TIMEOUT) -> str:
        text: str = poll(self.screen, check, what, timeout)
        return text

    def wait_text(self, text: str, timeout: float = STEP_TIMEOUT) -> str:
        return self.wait(lambda screen: text in screen, repr(text), timeout)

    def wait_toast(self, text: str, timeout: float = STEP_TIMEOUT) -> str:
        return self.wait(lambda screen: toast_shown(screen, text), f"the notification {text!r}", timeout)

    def press(self, *keys: str) -> None:
        """Type into the terminal as a keyboard does (xterm's hidden textarea has the focus)."""
        from selenium.webdriver.common.by import By

        self.focus()
        box = self.driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
        box.send_keys(*(KEYS.get(key, key) for key in keys))

    def body_classes(self) -> list[str]:
        self.focus()
        return str(self.driver.execute_script("return document.body.className")).split()


class TabTerm:
    """A browser tab posing as the TmuxSession that tests/terminal/tui.py's Tui reads and types into."""

    def __init__(self, tab: Tab) -> None:
        self.tab = tab

    def screen(self, history: bool = False) -> str:
        return self.tab.screen()

    def send_keys(self, *keys: str) -> None:
        self.tab.press(*keys)

    def tmux(self, *args: str) -> SimpleNamespace:
        """Only `display-message -p #{pane_width}` is asked (for the breadcrumb's width): the terminal's columns."""
        assert args[-1] == "#{pane_width}", args
        return SimpleNamespace(stdout=f"{self.tab.size()[0]}\n")


def requested_urls(driver: Any) -> list[str]:
    """Every URL the browser asked for since the last call (Chrome's performance log)."""
    import json

    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            params = message["params"]
            urls.append(params["request"]["url"] if "request" in params else params["url"])
    return urls
