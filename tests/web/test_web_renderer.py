"""The page's terminal draws with xterm.js's DOM renderer: textual.js is served without its WebGL and canvas addons.

Why (billing_tui/web/bundle.py): in Chromium without a GPU the canvas renderer's first draw of a frame took
300-500 ms. Checked here: the served script is textual-serve 1.1.3's with exactly those two loads removed (an
upgrade that changes the script shows up as a failure, not as a silent fallback), a script that does not match
is served as shipped, and a real tab draws the wizard in DOM rows, with no canvas.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from browser import STEP_TIMEOUT, Tab, TabTerm, WebServer
from tui import Tui

from billing_tui.flow import Content

pytestmark = pytest.mark.web
textual_serve = pytest.importorskip("textual_serve", reason="textual-serve (the [web] extra) is not installed")

from billing_tui.web.bundle import RENDERER_ADDONS, terminal_script  # noqa: E402
from billing_tui.web.server import TEXTUAL_STATIC  # noqa: E402

ADDON_LOADS = (
    b"this.terminal.loadAddon(this.webglAddon),",
    b"this.terminal.loadAddon(this.canvasAddon),",
)


def test_the_served_script_is_textual_serves_without_the_two_renderer_addons() -> None:
    shipped = (TEXTUAL_STATIC / "js" / "textual.js").read_bytes()
    served = terminal_script(TEXTUAL_STATIC)
    assert all(load in shipped for load in ADDON_LOADS)
    assert not any(load in served for load in ADDON_LOADS)
    removed = [match.group(0).encode() for match in RENDERER_ADDONS.finditer(shipped.decode())]
    assert len(removed) == 2
    assert len(served) == len(shipped) - sum(len(cut) for cut in removed)
    assert b"this.fitAddon=new" in served and b"new v.Terminal(" in served  # the rest is untouched


def test_a_script_other_than_the_expected_one_is_served_as_shipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "js").mkdir()
    other = b"console.log('a textual.js of another textual-serve');"
    (tmp_path / "js" / "textual.js").write_bytes(other)
    with caplog.at_level(logging.WARNING, logger="billing-tui.web"):
        assert terminal_script(tmp_path) == other
    assert "renderer addons stay" in caplog.text


def test_a_tab_draws_the_wizard_with_the_dom_renderer(driver: Any, server: WebServer, content: Content) -> None:
    with urllib.request.urlopen(server.url + "/static/js/textual.js", timeout=STEP_TIMEOUT) as response:
        assert response.read() == terminal_script(TEXTUAL_STATIC)
        assert response.headers["Content-Type"].startswith("application/javascript")
    driver.get(server.url + "/")
    Tui(TabTerm(Tab(driver)), content.guide("en")).wait_home()  # type: ignore[arg-type]
    drawn = driver.execute_script(
        "return {canvases: document.querySelectorAll('.xterm-screen canvas').length,"
        " rows: document.querySelectorAll('.xterm-rows > div').length,"
        " text: document.querySelector('.xterm-rows').innerText}"
    )
    assert drawn["canvases"] == 0
    assert drawn["rows"] >= 24
    assert content.guide("en").home.prompt in " ".join(drawn["text"].split())
    driver.get("about:blank")


def test_the_script_is_revalidated_not_sent_again(server: WebServer) -> None:
    """A page loaded again costs a 304 for the script, not its 500 KB; a changed script has another ETag."""
    url = server.url + "/static/js/textual.js"
    with urllib.request.urlopen(url, timeout=STEP_TIMEOUT) as response:
        etag = response.headers["ETag"]
        assert response.headers["Cache-Control"] == "no-cache"
        assert len(response.read()) > 100_000
    again = urllib.request.Request(url, headers={"If-None-Match": etag})
    with pytest.raises(urllib.error.HTTPError) as not_modified:  # urllib reports a 304 as an error
        urllib.request.urlopen(again, timeout=STEP_TIMEOUT)
    assert not_modified.value.code == 304
    assert not_modified.value.read() == b""
    stale = urllib.request.Request(url, headers={"If-None-Match": '"0"'})
    with urllib.request.urlopen(stale, timeout=STEP_TIMEOUT) as response:
        assert response.status == 200 and response.headers["ETag"] == etag
