"""textual-serve's terminal script, served to draw with xterm.js's DOM renderer instead of its WebGL or canvas addon.

textual.js (textual-serve 1.1.3, pinned) loads xterm.js's WebGL addon and then its canvas addon, whose renderer
replaces it. In a Chromium without a GPU (headless here; a VM or a thin client at a help desk) the canvas
renderer's first draw of a Textual frame kept the page's main thread busy for 300-500 ms. With those two addons
left out, xterm.js draws with its default DOM renderer: same run, a tab through the session server showed home in
261-270 ms instead of 477-497 ms (`python -m benchmarks.web_warm`), with the same text, colours and layout
(screenshots/web-*.png); borders of box characters (the help, the dialogs) show thin gaps between rows, as the
DOM renderer takes them from the font. Only the two addons' loading is removed; the rest is served as shipped.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

log = logging.getLogger("billing-tui.web")

RENDERER_ADDONS = re.compile(
    r"this\.(?P<name>webgl|canvas)Addon=new \w+\.(?:Webgl|Canvas)Addon,"
    r"this\.terminal\.loadAddon\(this\.(?P=name)Addon\),"
)
EXPECTED_LOADS = 2  # the WebGL addon's and the canvas addon's


def terminal_script(static: Path) -> bytes:
    """textual.js without its renderer addons; as shipped (with a warning) if its code is not the one expected."""
    shipped = (static / "js" / "textual.js").read_text(encoding="utf-8")
    patched, loads = RENDERER_ADDONS.subn("", shipped)
    if loads != EXPECTED_LOADS:
        log.warning("textual.js is not textual-serve 1.1.3's: its renderer addons stay (%d found)", loads)
        return shipped.encode("utf-8")
    return patched.encode("utf-8")
