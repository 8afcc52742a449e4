"""The app as a whole: the command palette, quitting, the too-small notice, hostile content and the exit summary."""

from __future__ import annotations

import tomllib
from pathlib import Path
from time import monotonic
from typing import Any

import pytest
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from ui_helpers import Recorder, question, screen_text, settle, squash, widget_text

from billing_tui import cli, commands
from billing_tui.exit_codes import ExitCode
from billing_tui.flow import Content
from billing_tui.flow.transcript import to_text
from billing_tui.ui import launch, messages
from billing_tui.ui.app import BillingApp, create_app
from billing_tui.ui.screens.flow import AdminCenterScreen, BillingCenterScreen
from billing_tui.ui.screens.help import HelpScreen
from billing_tui.ui.widgets.choice_list import ChoiceList
from billing_tui.ui.widgets.state_list import StateList

# -- command palette ------------------------------------------------------------------------------


async def found_in_palette(pilot: Pilot[Any], text: str, timeout: float = 30.0) -> None:
    """Wait until the palette's search has listed and highlighted a command containing text (it searches async)."""
    deadline = monotonic() + timeout
    while monotonic() < deadline:
        lists = pilot.app.screen.query(CommandList)
        option = lists.first().highlighted_option if lists else None
        if option is not None and text.lower() in str(option.prompt).lower():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"the palette never offered {text!r}")


async def test_palette_starts_a_flow_and_switches_language(content: Content) -> None:
    """Ctrl+P, a few letters of a command and Enter post the same domain messages as the keys."""
    recorder = Recorder()
    app = create_app(lang="en", content=content)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await settle(pilot, "Input")
        await pilot.press(*"admin")
        await found_in_palette(pilot, "admin")
        await pilot.press("enter")
        await settle(pilot)
        assert [m.flow_id for m in recorder.of(messages.StartFlow)] == ["admin-center"]
        assert isinstance(app.screen, AdminCenterScreen)
        await pilot.press("3", "ctrl+p")
        await settle(pilot, "Input")
        await pilot.press(*"lang")
        await found_in_palette(pilot, "language")
        await pilot.press("enter")
        await settle(pilot)
        assert len(recorder.of(messages.SwitchLanguage)) == 1
        assert app.wizard.guide.lang == "pt-BR" and app.wizard.answers == ("select-product",)
        assert isinstance(app.screen, AdminCenterScreen)
        assert question(content, "pt-BR", "admin-center", "corporate-login").prompt in screen_text(app)


# -- quitting ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("keys", [("q",), ("1", "2", "q"), ("ctrl+q",), ("question_mark", "q", "q")])
async def test_quitting_returns_0(content: Content, keys: tuple[str, ...]) -> None:
    """q (on home, at a verdict, after closing help) and Ctrl+Q end the app with return code 0."""
    app = create_app(lang="en", content=content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
    assert app.return_code == 0


async def test_help_lists_the_keys_and_closes(content: Content) -> None:
    """? shows every key in the current language; Esc closes it."""
    app = create_app(lang="pt-BR", content=content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        guide = content.guide("pt-BR")
        for key in ("help_digits", "help_back", "help_history", "help_email", "help_palette", "help_close"):
            assert guide.text(key) in shown
        await pilot.press("escape")
        assert app.wizard.at_home and not isinstance(app.screen, HelpScreen)


# -- the too-small notice ---------------------------------------------------------------------------


async def test_too_small_notice_blocks_everything_but_q(content: Content) -> None:
    """At 30x10 a notice replaces the layout and every key but q is ignored; at 80x24 all comes back."""
    recorder = Recorder()
    app = create_app(lang="en", content=content, flow="admin-center")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await pilot.press("3")
        await settle(pilot)
        before = app.wizard
        await pilot.resize_terminal(30, 10)
        await pilot.pause()
        assert app.screen.has_class("-too-small")
        guide = content.guide("en")
        notice = guide.text("too_small", width=30, height=10, min_width=40, min_height=12)
        assert squash(screen_text(app)) == notice
        recorder.clear()
        await pilot.press("1", "enter", "down", "b", "r", "l", "h", "c", "s", "question_mark", "tab", "ctrl+p")
        assert app.wizard == before and isinstance(app.screen, AdminCenterScreen)
        assert not [m for m in recorder.messages if type(m).__module__ == messages.__name__]
        await pilot.resize_terminal(80, 24)
        await settle(pilot)  # the focus comes back too: arrows and Enter work without first pressing Tab
        assert not app.screen.has_class("-too-small")
        assert app.wizard == before
        assert question(content, "en", "admin-center", "corporate-login").prompt in screen_text(app)
        await pilot.press("down", "enter")
        assert app.wizard.verdict is not None and app.wizard.verdict.id == "corporate-not-admin"
        await pilot.resize_terminal(30, 10)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == ExitCode.TERMINAL  # quit from the notice: 5, "the terminal cannot show the app"


async def test_started_too_small_nothing_hidden_has_the_focus_and_growing_gives_it_to_the_choices(
    content: Content,
) -> None:
    """A launch in a tiny terminal: no hidden list takes the keys; once it is big enough, arrows and Enter work."""
    app = create_app(lang="en", content=content)
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("-too-small") and app.focused is None
        await pilot.resize_terminal(80, 24)
        choices = await settle(pilot)
        assert choices.id == "choices"
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.wizard.flow_id == content.guide("en").flow_ids[1]


@pytest.mark.parametrize("key", ["q", "ctrl+q"])
async def test_quitting_exits_5_from_the_too_small_notice_and_0_once_the_app_shows(content: Content, key: str) -> None:
    for size, code in (((30, 10), ExitCode.TERMINAL), ((80, 24), ExitCode.OK)):
        app = create_app(lang="en", content=content)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            assert app.screen.has_class("-too-small") == (code == ExitCode.TERMINAL)
            await pilot.press(key)
            await pilot.pause()
        assert app.return_code == code, size


# -- hostile content --------------------------------------------------------------------------------

# Link targets without a scheme: the validator rejects an unlisted https:// URL in the prose.
HOSTILE = "[bold]x[/bold] [link=e.vil]y[/link] [@click=app.quit]z[/]"


@pytest.fixture
def hostile_content(content_copy: Path) -> Path:
    """A content copy whose billing-admin verdict (en) has markup in its title and escape sequences in its body."""
    texts = content_copy / "texts" / "en.toml"
    source = texts.read_text(encoding="utf-8")
    old_title = 'title = "You are the billing admin"'
    old_body = 'body = "You were redirected to your account\'s Subscriptions page: you are the billing admin."'
    assert old_title in source and old_body in source
    source = source.replace(old_title, f'title = "{HOSTILE}"')
    source = source.replace(old_body, 'body = "\\u001b[31mred\\u001b]8;;e.vil\\u0007link [b]b[/b]"')
    texts.write_text(source, encoding="utf-8")
    assert tomllib.loads(source)["verdicts"]["billing-admin"]["title"] == HOSTILE
    return content_copy


async def test_markup_and_escapes_in_content_show_literally(hostile_content: Path) -> None:
    """Markup shows as typed, no ESC reaches the screen or the clipboard, and clicking the text quits nothing."""
    app = create_app(lang="en", content_dir=hostile_content, flow="billing-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        state = app.screen.query_one(StateList)
        shown = widget_text(app, state)
        assert HOSTILE in squash(shown)
        assert "[31mred" in shown and "[b]b[/b]" in shown
        assert "\x1b" not in app.export_screenshot() and "\x07" not in app.export_screenshot()
        title_row = next(y for y, line in enumerate(shown.splitlines()) if HOSTILE[:20] in line)
        for part in ("[@click", "z[/]", "[link"):  # where a parsed link or action would be, on the title's rows
            at = shown.splitlines()[title_row].index(HOSTILE[:20]) + HOSTILE.index(part)
            await pilot.click(state, offset=(at % state.size.width, title_row + at // state.size.width))
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, BillingCenterScreen)
        await pilot.press("c")
        assert HOSTILE in app.clipboard and "\x1b" not in app.clipboard
    assert app.return_code is None


async def test_markup_in_a_choice_label_shows_literally(content_copy: Path) -> None:
    """Choice labels are content too: brackets stay brackets in the list."""
    texts = content_copy / "texts" / "en.toml"
    old = 'unsure = "None of these / not sure"'
    source = texts.read_text(encoding="utf-8")
    assert old in source
    texts.write_text(source.replace(old, 'unsure = "[red]None[/red] of these"', 1), encoding="utf-8")
    app = create_app(lang="en", content_dir=content_copy, flow="billing-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "3 [red]None[/red] of these" in widget_text(app, app.screen.query_one(ChoiceList))


# -- the exit summary -------------------------------------------------------------------------------


class HeadlessRun:
    """Stands in for a terminal: App.run_async drives the app headless, pressing keys, and keeps each app it ran."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.apps: list[BillingApp] = []

    async def run(self, app: BillingApp) -> int | None:
        async def press_keys(pilot: Pilot[Any]) -> None:
            await pilot.press(*self.keys)

        self.apps.append(app)
        return await App.run_async(app, headless=True, size=(80, 24), auto_pilot=press_keys)


@pytest.fixture
def headless(monkeypatch: pytest.MonkeyPatch) -> HeadlessRun:
    """Run the full-screen app from launch.run_app (and the CLI) without a terminal."""
    runner = HeadlessRun()
    monkeypatch.setattr(BillingApp, "run_async", lambda self, **_: runner.run(self))
    monkeypatch.setattr(commands, "wants_plain", lambda args, env: False)
    return runner


@pytest.mark.parametrize("lang", ["pt-BR", "en"])
def test_run_app_prints_the_summary_after_a_verdict(
    content: Content, lang: str, headless: HeadlessRun, capsys: pytest.CaptureFixture[str]
) -> None:
    """After a verdict and q, the plain summary (verdict, path, links) is left on the normal screen."""
    headless.keys = ["3", "1", "q"]
    assert launch.run_app(content, lang, flow="admin-center", theme=None, summary=True) == 0
    (app,) = headless.apps
    out = capsys.readouterr().out
    assert out == "\n" + to_text(app.wizard, ascii_only=app.ascii_only)
    assert content.guide(lang).verdict("corporate-billing-admin").title in out
    assert "https://link.logmeininc.com/corp-billing" in out


def test_run_app_prints_nothing_without_a_verdict(
    content: Content, headless: HeadlessRun, capsys: pytest.CaptureFixture[str]
) -> None:
    """Quitting at a question leaves no summary."""
    headless.keys = ["3", "q"]
    assert launch.run_app(content, "en", flow="admin-center", theme=None, summary=True) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("flag, printed", [((), True), (("--no-summary",), False)], ids=["default", "no-summary"])
def test_cli_no_summary_suppresses_the_summary(
    headless: HeadlessRun, capsys: pytest.CaptureFixture[str], flag: tuple[str, ...], printed: bool
) -> None:
    """billing-tui --flow admin-center prints the summary on exit, --no-summary does not; both exit 0."""
    headless.keys = ["1", "q"]
    assert cli.run(["--lang", "en", "--flow", "admin-center", *flag]) == 0
    out = capsys.readouterr().out
    assert ("You are the billing admin" in out) is printed
    assert ("Verdict: ✔ Yes" in out or "Verdict: [+] Yes" in out) is printed
