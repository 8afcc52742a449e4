"""No secrets, no network: no field is a password field, and no mode of billing-tui opens a network socket.

The network guard replaces socket.socket with a class that refuses internet sockets, and makes
connect, create_connection, DNS lookups and webbrowser refuse too; every attempt is recorded, so
an attempt that some code catches and swallows still fails the test. asyncio's self-pipe (an
AF_UNIX socketpair) stays allowed: it is how the event loop wakes itself, not a connection.
"""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
import socket
import webbrowser
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from contract import PATHS
from robust_helpers import all_inputs, run_cli, wait_until
from textual.command import CommandPalette
from textual.screen import Screen
from textual.widgets import Input

import billing_tui.ui.screens
from billing_tui.flow import load_content
from billing_tui.plain import run_plain
from billing_tui.ui.app import BillingApp, create_app

CONTENT = load_content()


class NetworkUsed(AssertionError):
    """billing-tui tried to reach the network."""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Forbid every way to the network for the test; yield the list of attempts (which must stay empty)."""
    attempts: list[str] = []
    real_socket = socket.socket

    def refuse(what: str) -> Any:
        def refused(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{what}{args!r}")
            raise NetworkUsed(f"billing-tui tried {what}")

        return refused

    class GuardedSocket(real_socket):
        def __init__(self, family: int = -1, type: int = -1, proto: int = -1, fileno: int | None = None) -> None:
            if fileno is None and family in (-1, socket.AF_INET, socket.AF_INET6):
                attempts.append(f"socket(family={family})")
                raise NetworkUsed("billing-tui tried to open an internet socket")
            super().__init__(family, type, proto, fileno)

        connect = refuse("socket.connect")
        connect_ex = refuse("socket.connect_ex")
        sendto = refuse("socket.sendto")

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    for name in ("create_connection", "create_server", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        monkeypatch.setattr(socket, name, refuse(f"socket.{name}"))
    for name in ("open", "open_new", "open_new_tab"):
        monkeypatch.setattr(webbrowser, name, refuse(f"webbrowser.{name}"))
    yield attempts
    assert attempts == [], attempts


def test_the_guard_catches_a_connection(no_network: list[str]) -> None:
    """The guard itself works: an internet socket, a connection and a lookup are all refused and recorded."""
    for attempt in (
        lambda: socket.socket(),
        lambda: socket.create_connection(("127.0.0.1", 9)),
        lambda: socket.getaddrinfo("example.com", 443),
    ):
        with pytest.raises(NetworkUsed):
            attempt()
    assert len(no_network) == 3
    no_network.clear()
    left, right = socket.socketpair()  # the event loop's self-pipe is still possible
    left.close()
    right.close()


# -- the full-screen app ------------------------------------------------------------------------


def digit_for(app: BillingApp, move_id: str) -> str:
    """The digit that picks a flow or choice id here."""
    return str(app.wizard.valid_moves.index(move_id) + 1)


@pytest.mark.parametrize(("flow", "answers", "verdict"), PATHS, ids=["+".join((p[0], *p[1])) for p in PATHS])
async def test_every_path_with_copy_save_and_email_opens_no_socket(
    no_network: list[str], tmp_path: Path, flow: str, answers: tuple[str, ...], verdict: str
) -> None:
    app = create_app("en", content=CONTENT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(digit_for(app, flow))
        for answer in answers:
            await pilot.press(digit_for(app, answer))
        assert app.wizard.verdict is not None and app.wizard.verdict.id == verdict
        await pilot.press("c", "s")
        await wait_until(pilot, lambda: isinstance(app.screen.query_one("#path", Input), Input))
        app.screen.query_one("#path", Input).value = str(tmp_path / "t.md")
        await pilot.press("enter")
        await wait_until(pilot, lambda: (tmp_path / "t.md").exists())
        if app.wizard.verdict.email_draft:
            await pilot.press("e")
            await wait_until(pilot, lambda: bool(app.screen.query("#address")))
            for field, value in (("name", "Ana"), ("address", "ana@example.com"), ("request", "Two licenses")):
                app.screen.query_one(f"#{field}", Input).value = value
            await pilot.press("enter")  # on the name field: moves on; then build from the last field
            app.screen.query_one("#request", Input).focus()
            await pilot.press("enter")
            await wait_until(pilot, lambda: getattr(app.screen, "draft", None) is not None)
        assert app.return_code is None


async def test_help_history_palette_and_language_open_no_socket(no_network: list[str]) -> None:
    app = create_app("pt-BR", content=CONTENT, flow="billing-center")
    async with app.run_test(size=(100, 30)) as pilot:
        for keys in (("2",), ("question_mark",), ("escape",), ("h",), ("escape",), ("l",), ("ctrl+p",)):
            await pilot.press(*keys)
            await pilot.pause()
        await pilot.press("escape", "q")


# -- plain mode and the commands ------------------------------------------------------------------


@pytest.mark.parametrize(("flow", "answers", "verdict"), PATHS[:3] + PATHS[5:7])
def test_plain_mode_opens_no_socket(no_network: list[str], flow: str, answers: tuple[str, ...], verdict: str) -> None:
    out = io.StringIO()
    code = run_plain(CONTENT, "en", None, io.StringIO("\n".join((flow, *answers, "b", "r", "q")) + "\n"), out)
    assert code == 0 and "Verdict:" in out.getvalue(), out.getvalue()[-500:]


@pytest.mark.parametrize(
    "argv",
    [
        ["answer", "billing-center", "invalid-page", "corporate-portal", "logged-in", "--format", "json"],
        ["answer", "admin-center", "contact-billing-admin", "--format", "markdown"],
        ["answer", "admin-center", "select-product"],
        ["validate"],
        ["graph", "billing-center", "--format", "dot"],
        ["graph", "admin-center"],
        ["doctor"],
        ["--version"],
    ],
)
def test_the_commands_open_no_socket(no_network: list[str], argv: list[str]) -> None:
    code, out, err = run_cli(argv)
    assert code in (0, 3), (code, out, err)


# -- no password field anywhere ----------------------------------------------------------------------


def screen_classes() -> set[type[Screen[Any]]]:
    """Every screen and dialog class billing-tui defines."""
    found: set[type[Screen[Any]]] = set()
    for module_info in pkgutil.iter_modules(billing_tui.ui.screens.__path__):
        module = importlib.import_module(f"billing_tui.ui.screens.{module_info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__:
                found.add(cls)
    return found


async def test_no_screen_or_dialog_has_a_password_field() -> None:
    """Walk every screen and dialog (home, both flows' questions and verdicts, help, history, save, e-mail, the
    command palette, kiosk mode's transcript view) and check every Input: billing-tui never asks for a password."""
    visited: set[type[Screen[Any]]] = set()
    inputs: list[Input] = []

    async def look(app: BillingApp, pilot: Any) -> None:
        await pilot.pause()
        visited.update(type(screen) for screen in app.screen_stack)
        inputs.extend(all_inputs(app))

    for lang, flow, keys in (("en", "billing-center", ("2", "2")), ("pt-BR", "admin-center", ("2",))):
        app = create_app(lang, content=CONTENT)
        async with app.run_test(size=(100, 30)) as pilot:
            await look(app, pilot)
            for dialog in ("question_mark", "ctrl+p"):
                await pilot.press(dialog)
                await look(app, pilot)
                await pilot.press("escape")
            await pilot.press("1" if flow == "billing-center" else "2")
            for key in keys:
                await look(app, pilot)
                await pilot.press(key)
            for dialog in ("question_mark", "h", "s", "e"):
                await pilot.press(dialog)
                await look(app, pilot)
                await pilot.press("escape")
                await pilot.pause()
    kiosk = create_app("en", content=CONTENT, flow="billing-center", kiosk=True)  # s opens the transcript view
    async with kiosk.run_test(size=(100, 30)) as pilot:
        await pilot.press("1", "s")
        await look(kiosk, pilot)
    assert any(issubclass(cls, CommandPalette) for cls in visited), visited
    missing = {cls.__name__ for cls in screen_classes() if not any(issubclass(v, cls) for v in visited)}
    assert not missing, f"screens never visited by this test: {missing}"
    assert inputs and {i.id for i in inputs} >= {"path", "name", "address", "request"}
    assert [i for i in inputs if i.password] == []
