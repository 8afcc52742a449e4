"""`billing-tui web` on the command line: one line and exit 2 without textual-serve, no web import for other
commands, bad options as one line, and the one-line warning when bound beyond loopback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from browser import WebServer

from billing_tui.web import MISSING
from billing_tui.web.origin import allowed_hosts, origin_allowed

BLOCKED = "import sys; sys.modules['textual_serve'] = None; from billing_tui.cli import run; raise SystemExit(run())"


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )


def test_without_textual_serve_web_says_so_in_one_line_and_exits_2() -> None:
    result = _run(BLOCKED, "web")
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"billing-tui: {MISSING}\n")


def test_other_commands_never_import_the_web_layer() -> None:
    code = (
        "import sys; from billing_tui.cli import run; run(['answer', 'billing-center', 'subscriptions']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual_serve', 'aiohttp', 'jinja2')"
        " or m.startswith('billing_tui.web')))"
    )
    assert _run(code).stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--max-sessions", "0"], "--max-sessions must be at least 1, not 0"),
        (["--theme", "neon"], "unknown theme 'neon'"),
        (["--public-url", "ftp://x"], "--public-url must be an http:// or https:// address"),
        (["--lang", "xx"], "unknown language 'xx'"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = _run("from billing_tui.cli import run; raise SystemExit(run())", "web", "--port", "0", *args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def test_a_host_beyond_the_default_warns_in_one_line(tmp_path: Path) -> None:
    pytest.importorskip("textual_serve", reason="textual-serve is not installed (pip install -e '.[test]')")
    from billing_tui.web.serve import PUBLIC_WARNING

    server = WebServer.start(tmp_path, "--host", "127.0.0.2")
    try:
        assert server.url.startswith("http://127.0.0.2:")
        assert server.stderr.read_text() == PUBLIC_WARNING.format(host="127.0.0.2") + "\n"
    finally:
        server.stop()
    (tmp_path / "default").mkdir()
    default = WebServer.start(tmp_path / "default")
    default.stop()
    assert default.stderr.read_text() == ""


def test_origins_and_hosts() -> None:
    assert origin_allowed("http://127.0.0.1:8000", "127.0.0.1:8000", None)
    assert not origin_allowed("http://evil.example", "127.0.0.1:8000", None)
    assert not origin_allowed(None, "127.0.0.1:8000", None)
    assert origin_allowed("https://help.example.com", "whatever", "https://help.example.com/")
    assert not origin_allowed("http://help.example.com", "help.example.com", "https://help.example.com")
    assert allowed_hosts("127.0.0.1", 8000, None) == {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}
    assert allowed_hosts("0.0.0.0", 8000, "https://help.example.com") == {"help.example.com"}
    assert allowed_hosts("0.0.0.0", 8000, None) is None


def test_a_port_in_use_is_one_line_and_exit_1(tmp_path: Path) -> None:
    pytest.importorskip("textual_serve", reason="textual-serve is not installed (pip install -e '.[test]')")
    server = WebServer.start(tmp_path)
    try:
        port = server.url.rsplit(":", 1)[1]
        result = _run("from billing_tui.cli import run; raise SystemExit(run())", "web", "--port", port)
        assert result.returncode == 1 and result.stdout == ""
        assert result.stderr.startswith(f"billing-tui: cannot listen on 127.0.0.1:{port}: ")
        assert result.stderr.count("\n") == 1
    finally:
        server.stop()
