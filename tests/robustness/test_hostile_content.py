"""Hostile content: what the validator rejects, and how every display neutralises what it accepts.

The decisions are written down in docs/content-safety.md. The display tests use one hostile
content directory (hostile.py) and check, for the full-screen app in a real pty, plain mode and
the answer/graph commands, that no escape sequence or control character from content reaches
the terminal and that the sanitised text is shown literally (markup included).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile import EDITS, EVIL_LINK, EVIL_URL, NEVER_RAW, SHOWN, declare_link, forbidden_in, make_hostile_content
from pty_app import PtyApp
from robust_helpers import REPO, copy_content, run_cli, wait_until
from textual import events
from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from billing_tui.flow import ContentError, Wizard, load_content
from billing_tui.flow.sanitize import clean_line, clean_text
from billing_tui.ui.app import create_app

EN = "texts/en.toml"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_hostile_content(tmp_path_factory.mktemp("hostile") / "content")


def clean_env() -> dict[str, str]:
    """The environment without language hints, in UTF-8, for a child billing-tui."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "BILLING_TUI", "PYTHONIO"))}
    env.update(LANG="C.UTF-8", PYTHONUTF8="1", TERM="xterm-256color", COLORTERM="truecolor")
    return env


def assert_clean_bytes(raw: bytes, allow_escapes: bool) -> None:
    """No payload from content, no control or bidi character the app never writes itself; no ESC at all if asked."""
    present = [marker for marker in NEVER_RAW if marker in raw]
    assert not present, present
    text = raw.decode("utf-8")
    assert not forbidden_in(text), forbidden_in(text)
    if not allow_escapes:
        assert "\x1b" not in text and "\x07" not in text
        assert not re.search("[\x00-\x08\x0b-\x1f]", text.replace("\r\n", "\n"))


# -- 1. the validator's decisions ------------------------------------------------------------------

REJECTED = [
    ("empty string", EN, "home.title", ""),
    ("only spaces", EN, "home.title", "   "),
    ("only controls", EN, "home.title", "\x1b\x07\x00"),
    ("only a bidi override", EN, "home.title", "\u202e"),
    ("only zero-width characters", EN, "home.title", "\u200b\u200d\ufeff"),
    ("an empty step", EN, "flows.billing-center.questions.outcome.steps", ["ok", ""]),
    ("a number instead of text", EN, "home.title", 7),
    ("an http URL", "graph.toml", "links.billing-center", "http://billing.logmeininc.com"),
    ("a javascript: URL", "graph.toml", "links.billing-center", "javascript:alert(1)"),
    ("an ESC in a URL", "graph.toml", "links.billing-center", "https://x.example/\x1b]52;c;SGk=\x07"),
    ("a space in a URL", "graph.toml", "links.billing-center", "https://x.example/a b"),
    ("a homograph URL", "graph.toml", "links.billing-center", "https://b\u0456lling.logmeininc.com"),
    ("a zero-width space in a URL", "graph.toml", "links.billing-center", "https://x.example\u200b.evil"),
    ("a bidi override in a URL", "graph.toml", "links.billing-center", "https://x.example/\u202etxt.exe"),
    ("a Markdown-breaking URL", "graph.toml", "links.billing-center", "https://x.example/a>)[y](https://evil"),
    ("an unparsable URL", "graph.toml", "links.billing-center", "https://[x.example"),
]
ACCEPTED = [
    ("Rich/Textual markup", "[bold]x[/] [link=https://evil.example]y[/link] [@click=app.quit]z[/]"),
    ("unbalanced markup", "[/] ["),
    ("ANSI CSI", "\x1b[31mred\x1b[0m \x1b[2J"),
    ("OSC 52 and OSC 8", "\x1b]52;c;SGk=\x07 \x1b]8;;https://evil.example\x1b\\x\x1b]8;;\x1b\\"),
    ("C0 and C1 controls", "a\x00b\x07c\x08d\x7fe\x85f\x9b31mg\x9dh\x9c"),
    ("bidi overrides and isolates", "a\u202eb\u202cc\u2066d\u2069e\u200ff"),
    ("zero-width characters", "a\u200bb\u200dc\ufeffd"),
    ("a very long word", "W" * 20000),
    ("a very long line", "word " * 20000),
    ("emoji and wide CJK", "請登入 😀 👨\u200d👩\u200d👧 ＷＩＤＥ"),
    ("stray placeholders and braces", "{not_a_placeholder} {} {{ }}"),
]


def set_raw(root: Path, file: str, dotted: str, value: object) -> None:
    """Set one value in a content file, parsing and rewriting it (the value may hold any character)."""
    import tomllib

    from hostile import set_key
    from robust_helpers import toml_dumps

    path = root / file
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    set_key(doc, dotted, value)
    path.write_text(toml_dumps(doc), encoding="utf-8")


@pytest.mark.parametrize(("case", "file", "key", "value"), REJECTED, ids=[case[0] for case in REJECTED])
def test_the_validator_rejects(tmp_path: Path, case: str, file: str, key: str, value: object) -> None:
    root = copy_content(tmp_path / "content")
    set_raw(root, file, key, value)
    code, out, err = run_cli(["validate", str(root)])
    assert code == 2, (case, out, err)
    assert out.startswith(f"{file}: {key}: ") or f"\n{file}: {key}: " in out, out
    assert "\x1b" not in out + err


@pytest.mark.parametrize(("case", "value"), ACCEPTED, ids=[case[0] for case in ACCEPTED])
def test_the_validator_accepts_and_the_loader_neutralises(tmp_path: Path, case: str, value: str) -> None:
    root = copy_content(tmp_path / "content")
    declare_link(root, EVIL_LINK, EVIL_URL)  # the markup and OSC 8 cases point at it
    set_raw(root, EN, "verdicts.billing-admin.body", value)
    set_raw(root, EN, "verdicts.billing-admin.title", value)
    code, out, err = run_cli(["validate", str(root)])
    assert code == 0, (case, out, err)
    verdict = load_content(root).guide("en").verdict("billing-admin")
    assert verdict.body == clean_text(value) and verdict.title == clean_line(value)
    for text in (verdict.body, verdict.title):
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]", text)


def test_the_hostile_content_itself_validates(hostile: Path) -> None:
    """Every hostile string is accepted: the display, not the validator, must neutralise it."""
    code, out, err = run_cli(["validate", str(hostile)])
    assert code == 0, out + err
    guide = load_content(hostile).guide("en")
    assert guide.home.title == EDITS[0][1]  # markup is kept as text: it is only ever shown literally


# -- 2. the full-screen app, in-process: widgets that parse markup ------------------------------------


async def test_the_command_palette_shows_content_literally(hostile: Path) -> None:
    """Hostile-content test: the palette parsed titles and help as markup, so a flow label holding '[/]'
    crashed the app on Ctrl+P (MarkupError) and '[@click=app.quit]' became a live action."""
    app = create_app("en", content_dir=hostile)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette) and app.screen.has_class("-ready"))
        prompts = [str(option.prompt) for option in app.screen.query_one(CommandList).options]
        assert any("[/]Start: 請登入" in prompt and "[reverse]help[/] [/]" in prompt for prompt in prompts), prompts
        assert any("[/]Start: [@click=app.quit]ADMIN[/]" in prompt for prompt in prompts), prompts
        await pilot.press(*"start")  # searching highlights the titles through the fuzzy matcher
        await pilot.pause()
        assert app.return_code is None
        await pilot.press("escape")
    assert app.return_code is None


async def test_notifications_show_content_literally(hostile: Path) -> None:
    """The language and copy notifications carry content ('[/]{language}', '[/]copied ...') and must not crash."""
    app = create_app("en", content_dir=hostile, flow="billing-center")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("1", "c")
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert any(m.startswith("[/]copied ]52;c;SGFja2VkIQ==") for m in messages), messages
        await pilot.press("l", "l")
        await pilot.pause()
        assert app.return_code is None


# -- 3. the full-screen app in a real terminal: the bytes it writes -------------------------------------


def osc52_payloads(raw: bytes) -> Iterator[str]:
    """The texts the app put on the clipboard (OSC 52 ... BEL), decoded."""
    for match in re.finditer(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07", raw):
        yield base64.b64decode(match.group(1)).decode("utf-8")


def test_no_escape_from_content_reaches_the_terminal(hostile: Path, tmp_path: Path) -> None:
    """Walk home, a question, a verdict, copy, help, save, history and the palette in a pty; check every byte."""
    app = PtyApp(["--content", str(hostile), "--lang", "en"], clean_env(), cols=110, rows=32, cwd=str(tmp_path))
    try:
        app.wait_for(lambda screen: "[@click=app.quit]choose[/]" in screen and all(text in screen for text in SHOWN))
        app.send("1")
        app.wait_text("[/]")
        app.wait_text("[$accent]VAR[/]")  # each wait, not a look: the question may draw over several frames
        app.wait_text("[reverse]QT[/] ]0;WINDOWTITLE")
        app.wait_text("[b]SUB[/b] [7mREV")
        app.send("1")
        app.wait_text("[blink]V1[/] ]0;VTITLE")
        app.wait_text("BODY ]52;c;SGFja2VkIQ== [@click=app.quit]X[/]")
        app.send("c")  # the app's own OSC 52: base64, so content cannot break out of it
        app.wait_for(lambda _: b"\x1b]52;c;" in app.raw)
        app.send("?")
        app.wait_text("[/]Keys")
        app.send("\x1b")
        app.wait_for(lambda screen: "[/]Keys" not in screen)
        app.send("s")
        app.wait_text("[b]Save[/b] [5mBLINK")
        app.send("\x1b")
        app.wait_for(lambda screen: "BLINK" not in screen)
        app.send("h")
        app.wait_text("Go back to an earlier question")
        app.send("\x1b")  # a lone ESC: wait for it to act, or the next key would read as Alt+key
        app.wait_for(lambda screen: "Go back to an earlier question" not in screen)
        app.send("\x10")  # Ctrl+P
        app.wait_text("Search for commands")
        app.send("start")  # the search highlights matches through Textual's fuzzy matcher
        app.wait_text("[/]Start: [@click=app.quit]ADMIN[/]")
        app.send("\x1b")
        app.wait_for(lambda screen: "Start:" not in screen)
        app.send("q")
        assert app.wait_exit() == 0
    finally:
        app.close()
    raw = bytes(app.raw)
    assert_clean_bytes(raw, allow_escapes=True)
    copies = list(osc52_payloads(raw))
    assert copies and all("[blink]V1[/]" in text for text in copies), copies
    for text in copies:
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", text) and not forbidden_in(text), text
    summary = raw[raw.rindex(b"\x1b[?1049l") :]  # after leaving the alternate screen: the exit summary
    assert b"[blink]V1[/] ]0;VTITLE" in summary


# -- 4. plain mode and the non-interactive commands --------------------------------------------------


def test_plain_mode_writes_only_printable_text(hostile: Path) -> None:
    """`billing-tui --plain --content DIR < answers` through home, a question, the verdict, back and restart."""
    result = subprocess.run(
        [sys.executable, "-m", "billing_tui", "--plain", "--content", str(hostile), "--lang", "en"],
        input=b"1\n1\nb\n2\n2\n1\nr\n2\n2\n",
        capture_output=True,
        env=clean_env(),
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert_clean_bytes(result.stdout, allow_escapes=False)
    out = result.stdout.decode()
    for text in (*SHOWN, "[b]SUB[/b] [7mREV", "[blink]V1[/] ]0;VTITLE", "[link=https://evil.example]PROMPT[/link]"):
        assert text in out, text
    assert result.stderr == b""


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
@pytest.mark.parametrize("answers", [["subscriptions"], ["invalid-page"], []])
def test_answer_output_is_clean(hostile: Path, fmt: str, answers: list[str]) -> None:
    code, out, err = run_cli(
        ["answer", "--content", str(hostile), "--lang", "en", "billing-center", *answers, "--format", fmt]
    )
    assert code == (0 if answers == ["subscriptions"] else 3), out + err
    assert_clean_bytes(out.encode(), allow_escapes=False)
    if fmt == "json":
        data = json.loads(out)
        if data["verdict"]:
            assert data["verdict"]["title"] == "[blink]V1[/] ]0;VTITLE"
        elif answers:
            assert data["question"]["text"] == "[link=https://evil.example]PROMPT[/link]"
        else:
            assert [c["text"] for c in data["question"]["choices"]][:2] == ["[b]SUB[/b] [7mREV", "[$accent]VAR[/]"]
    elif fmt == "markdown":
        shown = {(): "\\[b\\]SUB\\[/b\\]", ("subscriptions",): "\\[blink\\]V1\\[/\\]"}
        assert shown.get(tuple(answers), "\\[link=https://evil.example\\]PROMPT\\[/link\\]") in out, out


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_graph_output_is_clean(hostile: Path, fmt: str) -> None:
    code, out, err = run_cli(["graph", "--content", str(hostile), "--lang", "en", "billing-center", "--format", fmt])
    assert code == 0, err
    assert_clean_bytes(out.encode(), allow_escapes=False)
    assert "[b]SUB[/b] [7mREV" in out


def test_an_invalid_hostile_directory_lists_problems_without_escapes(tmp_path: Path) -> None:
    """Rejected content is echoed in problem lines: spelled out, never raw."""
    root = copy_content(tmp_path / "content")
    set_raw(root, EN, "home.title", "\x1b\u202e")
    set_raw(root, "graph.toml", "links.billing-center", "https://x.example/\x1b]52;c;SGk=\x07")
    with pytest.raises(ContentError):
        load_content(root)
    code, out, err = run_cli(["validate", str(root)])
    assert code == 2
    assert_clean_bytes((out + err).encode(), allow_escapes=False)
    assert "\\x1b]52;c;SGk=\\x07" in out  # repr'd in the message


def test_the_copied_summary_and_transcript_are_clean(hostile: Path) -> None:
    """What c copies and s saves (to_text and to_markdown) holds the sanitised text only."""
    from billing_tui.flow.transcript import to_markdown, to_text

    wizard = Wizard(load_content(hostile).guide("en")).start("billing-center").choose("subscriptions")
    for text in (to_text(wizard), to_markdown(wizard)):
        assert_clean_bytes(text.encode(), allow_escapes=False)


# -- 5. pasted text: the only other way characters reach the screen -------------------------------------

PASTES = ["zz\x9b31mC1", "zz\u202eevil", "zz\x1b]52;c;SGk=\x07", "zz\x9d52;c;SGk=\x9c", "zz\tz", "zz\x00z"]


@pytest.mark.parametrize("payload", PASTES)
async def test_a_paste_with_control_or_bidi_characters_is_refused(tmp_path: Path, payload: str) -> None:
    """Hostile-content tests: a bracketed paste of U+009B (8-bit CSI) or U+202E into the save dialog reached the
    terminal raw (in the field, the error message, the toast) and ended up in the saved file's name."""
    app = create_app("en", flow="billing-center")
    with contextlib.chdir(tmp_path):
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("1", "s")
            await wait_until(pilot, lambda: isinstance(app.focused, Input) and app.focused.id == "path")
            path = app.screen.query_one("#path", Input)
            before = path.value
            app.post_message(events.Paste(payload))
            await pilot.pause()
            assert path.value == before, repr(path.value)
            app.post_message(events.Paste("-ok"))
            await pilot.pause()
            assert path.value == before + "-ok"
            await pilot.press("escape", "e")  # a verdict with no e-mail: nothing opens; go to the one that has it
    app = create_app("en", flow="admin-center")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "e")
        await pilot.pause()
        for field in app.screen.query(Input):
            field.focus()
            await pilot.pause()
            app.post_message(events.Paste(payload))
            await pilot.pause()
            assert field.value == "", (field.id, repr(field.value))


def test_a_pasted_c1_control_never_reaches_the_terminal(tmp_path: Path) -> None:
    """The same through a real terminal's bracketed paste, checking the bytes the app writes."""
    app = PtyApp(["--lang", "en", "--flow", "billing-center"], clean_env(), cols=100, rows=30, cwd=str(tmp_path))
    try:
        app.wait_text("What happened?")
        app.send("1")
        app.wait_text("Copy summary")
        app.send("s")
        app.wait_text("Save the transcript")
        app.send("\x1b[200~zz\u009b7mC1MARK\u202eBIDIMARK\x1b[201~".encode())
        app.send("\x1b[200~-pasted-ok\x1b[201~")
        app.wait_text("-pasted-ok")
        app.send("\r")
        app.wait_text("Transcript saved")
        app.send("q")
        assert app.wait_exit() == 0
    finally:
        app.close()
    raw = bytes(app.raw)
    assert b"C1MARK" not in raw and b"BIDIMARK" not in raw
    assert not forbidden_in(raw.decode("utf-8"))
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith("-pasted-ok")]
