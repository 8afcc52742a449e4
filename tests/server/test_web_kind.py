"""The "web" message kind: a browser tab's pipes are taken, its textual-serve settings are the worker's to apply,
anything else that differs sends it to start on its own; and a tab's process stays light until it starts cold."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from billing_tui.server import client, identity, protocol
from billing_tui.server.options import ServerOptions
from billing_tui.server.server import Server

TAB_PROBE = """
import json, sys
import billing_tui.web.session
from billing_tui.server import client
client.hello("web", ["--lang", "en"], None)
client.available_socket()
print(json.dumps(sorted(sys.modules)))
"""
HEAVY = ("textual", "rich", "attrs", "billing_tui.flow", "billing_tui.ui", "billing_tui.commands", "asyncio")


@pytest.fixture
def server() -> Iterator[Server]:
    made = Server(ServerOptions(), "/nonexistent/s.sock")
    made.listener = socket.socket(socket.AF_UNIX)  # "accepting": refusal() checks only that it is there
    made.environ = {"PATH": "/usr/bin", "LANG": "C.UTF-8"}
    yield made
    made.listener.close()
    os.close(made.wake_r)
    os.close(made.wake_w)


def tab_hello(**env: str) -> dict[str, object]:
    """What a tab's process sends: its own environment, which textual-serve gave its settings."""
    message = client.hello("web", ["--lang", "en"], None)
    message["env"] = {"PATH": "/usr/bin", "LANG": "C.UTF-8", **identity.WEB_SESSION_ENV, **env}
    return message


def test_a_tab_with_textual_serves_settings_may_be_forked(server: Server) -> None:
    assert server.refusal(tab_hello()) == (None, False)


def test_the_same_environment_in_a_terminal_launch_starts_on_its_own(server: Server) -> None:
    terminal = {**tab_hello(), "kind": "attach"}
    reason, stale = server.refusal(terminal)
    assert reason is not None and reason.startswith("TEXTUAL_COLOR_SYSTEM differs") and not stale


def test_any_other_import_time_difference_sends_a_tab_away(server: Server) -> None:
    assert server.refusal(tab_hello(TEXTUAL_FPS="30"))[0] == (
        "TEXTUAL_FPS differs from the server's (read once when Textual is imported)"
    )
    assert server.refusal(tab_hello(ESCDELAY="10"))[0] is not None
    server.environ["TEXTUAL_COLOR_SYSTEM"] = "256"  # a server started with it cannot give a tab truecolor
    assert server.refusal(tab_hello())[0] is not None


def test_a_tab_keeps_its_web_servers_content(server: Server, tmp_path: Path) -> None:
    server.options = ServerOptions(content=str(tmp_path))
    assert server.refusal(tab_hello())[0] == "the web server serves the built-in content, not the server's --content"
    same = {**tab_hello(), "content": str(tmp_path)}
    assert server.refusal(same) == (None, False)


def test_a_web_message_must_carry_the_three_pipes(server: Server) -> None:
    a, b = socket.socketpair()
    try:
        with pytest.raises(protocol.ProtocolError, match="a web message carries 0 fds, not 3"):
            server._answer(a, tab_hello(), [])
    finally:
        a.close()
        b.close()


def test_a_refused_tab_is_told_to_start_cold_and_its_fds_are_closed(server: Server) -> None:
    a, b = socket.socketpair()
    fds = [os.open(os.devnull, os.O_RDONLY) for _ in range(3)]
    try:
        b.settimeout(5)
        server._answer(a, tab_hello(TEXTUAL_FPS="30"), fds)
        reply, _ = protocol.receive(b)
        assert reply["status"] == "cold" and "TEXTUAL_FPS" in reply["reason"]
        for fd in fds:
            with pytest.raises(OSError):
                os.fstat(fd)
    finally:
        b.close()


def test_a_tabs_process_loads_nothing_heavy_before_it_attaches() -> None:
    done = subprocess.run([sys.executable, "-c", TAB_PROBE], capture_output=True, text=True, timeout=60, check=True)
    loaded = json.loads(done.stdout)
    assert [name for name in loaded if name.split(".")[0] in HEAVY or name.startswith(HEAVY)] == []
