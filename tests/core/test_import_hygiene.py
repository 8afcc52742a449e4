"""The flow core and the non-interactive commands never load textual or rich (fast start, usable without a UI)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from core_helpers import REPO, clean_env

FLOW_DIR = REPO / "billing_tui" / "flow"

PROBE = r"""
import contextlib, importlib, io, json, pkgutil, sys

import billing_tui.flow
modules = ["billing_tui.flow"]
for info in pkgutil.iter_modules(billing_tui.flow.__path__):
    importlib.import_module(f"billing_tui.flow.{info.name}")
    modules.append(f"billing_tui.flow.{info.name}")
import billing_tui.commands
import billing_tui.cli

codes = {}
for argv in (
    ["answer", "billing-center", "subscriptions", "--format", "json"],
    ["answer", "admin-center", "select-product", "--format", "markdown"],
    ["answer", "admin-center", "contact-billing-admin"],
    ["validate"],
    ["graph", "admin-center"],
    ["graph", "billing-center", "--format", "dot"],
):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        codes[" ".join(argv)] = billing_tui.cli.run(argv)
    assert out.getvalue(), argv

loaded = sorted(
    name for name in sys.modules
    if name.split(".")[0] in {"textual", "rich"} or name.startswith("billing_tui.ui")
)
print(json.dumps({"modules": modules, "codes": codes, "loaded": loaded}))
"""


def test_core_and_commands_do_not_load_the_ui() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=clean_env(),
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["loaded"] == []
    assert "billing_tui.flow.machine" in report["modules"]
    assert "billing_tui.flow.loader" in report["modules"]
    assert report["codes"] == {
        "answer billing-center subscriptions --format json": 0,
        "answer admin-center select-product --format markdown": 3,
        "answer admin-center contact-billing-admin": 0,
        "validate": 0,
        "graph admin-center": 0,
        "graph billing-center --format dot": 0,
    }


UI_IMPORT = re.compile(r"^\s*(import|from)\s+(textual|rich)\b", re.MULTILINE)


def test_no_ui_import_in_the_flow_core_source() -> None:
    files = sorted(FLOW_DIR.rglob("*.py"))
    assert len(files) >= 10
    offenders = [str(path.relative_to(REPO)) for path in files if UI_IMPORT.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_static_check_would_catch_an_import() -> None:
    for line in (
        "import textual",
        "from rich.text import Text",
        "    import rich.console",
        "from textual.app import App",
    ):
        assert UI_IMPORT.search(line), line
    for line in ("import textwrap", "from richer import x", "# the UI uses textual"):
        assert not UI_IMPORT.search(line), line
