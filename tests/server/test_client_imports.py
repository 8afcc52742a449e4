"""The client imports nothing heavy before it attaches: a launch that finds a server pays no Textual start-up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from billing_tui.server import identity, options

PROBE = """
import json, sys
from billing_tui.server import client
client.hello("attach", [], None)
client.available_socket()
import billing_tui.cli, billing_tui.mode
print(json.dumps(sorted(sys.modules)))
"""
HEAVY = ("textual", "rich", "attrs", "billing_tui.flow", "billing_tui.ui", "billing_tui.commands", "asyncio")


def test_the_client_path_loads_no_textual_rich_attrs_or_flow() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True)
    loaded = json.loads(done.stdout)
    heavy = [name for name in loaded if name.split(".")[0] in HEAVY or name.startswith(HEAVY)]
    assert heavy == []
    assert "billing_tui.server.client" in loaded


def test_interpreter_rewritten_variables_do_not_count_but_textuals_do() -> None:
    server = {"LC_CTYPE": "C.UTF-8", "TERM_PROGRAM": "tmux", "TEXTUAL_FPS": "30"}
    assert identity.env_mismatch(server, {"TERM_PROGRAM": "xterm", "TEXTUAL_FPS": "30"}) is None
    assert identity.env_mismatch(server, {"TEXTUAL_FPS": "60"}) == (
        "TEXTUAL_FPS differs from the server's (read once when Textual is imported)"
    )
    assert identity.env_mismatch(server, {"TEXTUAL_FPS": "30", "ESCDELAY": "25"}) is not None
    assert identity.env_mismatch(server, {"TEXTUAL_FPS": "30", "TERM_PROGRAM": "iTerm.app"}) is not None
    assert identity.env_mismatch(server, {"TEXTUAL_FPS": "30", "LC_TERMINAL": "iTerm2"}) is not None


def test_the_servers_admin_options_fill_only_what_the_client_left_open() -> None:
    admin = options.ServerOptions(content="/srv/content", lang="en", theme="high-contrast")
    assert options.worker_argv(admin, ["--flow", "admin-center"], {}) == [
        "--flow", "admin-center", "--content", "/srv/content", "--theme", "high-contrast", "--lang", "en",
        "--no-server",
    ]  # fmt: skip
    mine = ["--theme", "default", "--lang", "pt-BR"]
    assert options.worker_argv(admin, mine, {}) == [*mine, "--content", "/srv/content", "--no-server"]
    assert "--lang" not in options.worker_argv(admin, [], {"LANG": "pt_BR.UTF-8"})
    assert "--lang" not in options.worker_argv(admin, [], {"BILLING_TUI_LANG": "pt-BR"})


def test_the_build_description_changes_with_any_file_of_a_tree(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    module = tmp_path / "pkg" / "mod.py"
    module.write_text("x = 1\n")
    (tmp_path / "pkg" / "texts.toml").write_text("")
    before = identity._tree(str(tmp_path))
    assert len(before) == 2
    module.write_text("x = 22\n")
    assert identity._tree(str(tmp_path)) != before
    assert "billing-tui" in identity.build_id() and sys.executable in identity.build_id()
