"""The plain line mode, driven through in-memory streams: every path of FLOWS.md, bad input, EOF, back and restart."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from contract import LANGS, PATHS
from hypothesis import given, settings
from hypothesis import strategies as st

from billing_tui.exit_codes import ExitCode
from billing_tui.flow import Content, Wizard
from billing_tui.flow.transcript import to_text
from billing_tui.plain import render, run_plain

REPO = Path(__file__).resolve().parents[2]
# Anything but printable text and newlines: escape sequences, carriage returns, bells, C1 controls.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def play(content: Content, lang: str, lines: list[str], flow: str | None = None) -> tuple[int, str]:
    """Run the plain mode on these input lines (then EOF) and return the exit code and everything written."""
    out = io.StringIO()
    code = run_plain(content, lang, flow, io.StringIO("".join(f"{line}\n" for line in lines)), out)
    text = out.getvalue()
    assert "\x1b" not in text
    assert not CONTROL.search(text), CONTROL.findall(text)
    return code, text


def numbers_for(content: Content, lang: str, flow: str, answers: tuple[str, ...]) -> list[str]:
    """The numbers a user types for this path: the flow's place on the home screen, then each choice's place."""
    guide = content.guide(lang)
    numbers = [str(guide.flow_ids.index(flow) + 1)]
    wizard = Wizard(guide).start(flow)
    for answer in answers:
        assert wizard.question is not None
        numbers.append(str(wizard.question.choice_ids.index(answer) + 1))
        wizard = wizard.choose(answer)
    return numbers


def hint(content: Content, lang: str, key: str, count: int | None = None) -> str:
    text = content.guide(lang).text(key)
    return text.replace("{count}", str(count)) if count is not None else text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("flow", "answers", "verdict"), PATHS, ids=[f"{p[0]}:{'/'.join(p[1])}" for p in PATHS])
@pytest.mark.parametrize("typed", ["numbers", "ids"])
def test_every_documented_path_reaches_its_verdict(
    content: Content, lang: str, flow: str, answers: tuple[str, ...], verdict: str, typed: str
) -> None:
    lines = numbers_for(content, lang, flow, answers) if typed == "numbers" else [flow, *answers]
    code, text = play(content, lang, lines)
    final = Wizard(content.guide(lang), flow, answers)
    assert final.verdict is not None and final.verdict.id == verdict
    assert code == ExitCode.OK
    assert to_text(final) in text
    assert content.guide(lang).text("plain_eof") not in text


@pytest.mark.parametrize("lang", LANGS)
def test_home_shows_title_intro_who_can_see_and_numbered_flows(content: Content, lang: str) -> None:
    guide = content.guide(lang)
    _, text = play(content, lang, [])
    for part in (guide.home.title, guide.home.intro, guide.home.who_can_see, guide.home.prompt):
        assert part in text
    for number, flow in enumerate(guide.flows, 1):
        assert f"  {number}) {flow.label}\n" in text
    assert f"\n{guide.text('plain_keys_home')}\n{guide.text('plain_prompt')}: " in text


@pytest.mark.parametrize("lang", LANGS)
def test_a_question_shows_title_numbered_steps_prompt_choices_and_keys(content: Content, lang: str) -> None:
    guide = content.guide(lang)
    question = Wizard(guide).start("admin-center").question
    assert question is not None
    _, text = play(content, lang, ["2"])
    block = text.split(f"{guide.text('plain_prompt')}: ")[1]
    expected = [f"{guide.text('question_heading')} 1: {question.title}"]
    expected += [f"{n}. {step}" for n, step in enumerate(question.steps, 1)]
    expected += ["", f"{question.prompt} {guide.text('choices_heading')}:"]
    expected += [f"  {n}) {choice.label}" for n, choice in enumerate(question.choices, 1)]
    expected += [guide.text("plain_keys")]
    assert block.strip("\n").split("\n") == expected


@pytest.mark.parametrize("lang", LANGS)
def test_each_state_is_printed_in_order(content: Content, lang: str) -> None:
    guide = content.guide(lang)
    start = Wizard(guide)
    states = [start, start.start("billing-center")]
    states += [states[-1].choose("invalid-page"), states[-1].choose("invalid-page").choose("unsure")]
    code, text = play(content, lang, ["1", "2", "3"])
    assert code == ExitCode.OK
    assert text == "".join(render(state) for state in states) + "\n"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "bad",
    ["x", "0", "4", "99", "", "   ", "-1", "1.5", "logged-in", "subscriptions!", "\x1b[A", "9" * 5000],
    ids=lambda bad: repr(bad[:16]),
)
def test_invalid_input_re_asks_with_one_line_and_keeps_the_place(content: Content, lang: str, bad: str) -> None:
    guide = content.guide(lang)
    code, text = play(content, lang, ["1", bad, "1"])
    question = Wizard(guide).start("billing-center")
    expected_hint = f"{hint(content, lang, 'plain_invalid', 3)} ({guide.text('plain_keys')})"
    re_ask = f"{expected_hint}\n{guide.text('plain_prompt')}: "
    assert text == render(Wizard(guide)) + render(question) + re_ask + render(question.choose("subscriptions")) + "\n"
    assert code == ExitCode.OK


@pytest.mark.parametrize("lang", LANGS)
def test_invalid_input_at_home_and_after_the_verdict(content: Content, lang: str) -> None:
    guide = content.guide(lang)
    code, text = play(content, lang, ["b", "3", "logged-in", "1", "1", "1", "x"])
    home_hint = f"{hint(content, lang, 'plain_invalid', 2)} ({guide.text('plain_keys_home')})\n"
    assert text.count(home_hint) == 3
    assert text.count(guide.text("plain_invalid_verdict") + "\n") == 2
    assert code == ExitCode.OK


def test_choice_ids_and_keys_ignore_case_and_spaces(content: Content) -> None:
    code, text = play(content, "en", ["  Admin-Center ", "SELECT-PRODUCT", " Logged-In"])
    assert code == ExitCode.OK
    assert to_text(Wizard(content.guide("en"), "admin-center", ("select-product", "logged-in"))) in text
    code, _ = play(content, "en", ["1", " Q "])
    assert code == ExitCode.OK


@pytest.mark.parametrize("lang", LANGS)
def test_end_of_input_before_a_verdict_exits_3_with_a_line(content: Content, lang: str) -> None:
    eof = content.guide(lang).text("plain_eof")
    for lines in ([], ["1"], ["2", "3"], ["1", "1", "b"], ["1", "1", "r"]):
        code, text = play(content, lang, lines)
        assert code == ExitCode.INCOMPLETE, lines
        assert text.endswith(f": \n{eof}\n"), lines


@pytest.mark.parametrize("lang", LANGS)
def test_end_of_input_at_a_verdict_exits_0(content: Content, lang: str) -> None:
    code, text = play(content, lang, ["1", "1"])
    assert code == ExitCode.OK
    assert text.endswith(f"{content.guide(lang).text('plain_prompt')}: \n")


def test_input_without_a_final_newline_still_counts(content: Content) -> None:
    out = io.StringIO()
    assert run_plain(content, "en", None, io.StringIO("1\n1"), out) == ExitCode.OK
    assert "You are the billing admin" in out.getvalue()


@pytest.mark.parametrize("where", [[], ["1"], ["1", "2"], ["1", "1"]], ids=["home", "question", "second", "verdict"])
def test_q_quits_with_0_anywhere(content: Content, where: list[str]) -> None:
    code, text = play(content, "en", [*where, "q", "1"])
    assert code == ExitCode.OK
    assert text.endswith(f"{content.guide('en').text('plain_prompt')}: \n")


def test_back_walks_back_one_step_at_a_time_to_home(content: Content) -> None:
    guide = content.guide("en")
    home = Wizard(guide)
    first = home.start("billing-center")
    second = first.choose("invalid-page")
    third = second.choose("corporate-portal")
    verdict = third.choose("cannot-log-in")
    lines = ["1", "2", "2", "2", "b", "b", "b", "b", "b"]
    code, text = play(content, "en", lines)
    order = [home, first, second, third, verdict, third, second, first, home]
    home_hint = f"{hint(content, 'en', 'plain_invalid', 2)} ({guide.text('plain_keys_home')})\n"
    assert text == "".join(render(s) for s in order) + home_hint + f"{guide.text('plain_prompt')}: \n" + (
        guide.text("plain_eof") + "\n"
    )
    assert code == ExitCode.INCOMPLETE


def test_back_from_a_verdict_then_another_answer(content: Content) -> None:
    code, text = play(content, "en", ["2", "1", "b", "2"])
    guide = content.guide("en")
    assert code == ExitCode.OK
    assert text.endswith(render(Wizard(guide, "admin-center", ("contact-billing-admin",))) + "\n")


@pytest.mark.parametrize("lang", LANGS)
def test_restart_returns_home_from_a_question_and_a_verdict(content: Content, lang: str) -> None:
    home = render(Wizard(content.guide(lang)))
    code, text = play(content, lang, ["1", "2", "r", "2", "1", "r", "r"])
    assert text.count(home) == 4
    assert code == ExitCode.INCOMPLETE


def test_a_flow_from_the_command_line_starts_at_its_question_and_back_goes_home(content: Content) -> None:
    guide = content.guide("pt-BR")
    first = Wizard(guide).start("admin-center")
    code, text = play(content, "pt-BR", ["b"], flow="admin-center")
    assert text.startswith(render(first) + render(Wizard(guide)))
    assert code == ExitCode.INCOMPLETE


def test_ascii_output_uses_ascii_verdict_symbols(content: Content) -> None:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii", errors="replace", newline="\n")
    code = run_plain(content, "en", None, io.StringIO("1\n1\n"), out)
    out.flush()
    text = raw.getvalue().decode("ascii")
    assert code == ExitCode.OK
    assert "Verdict: [+] Yes" in text
    assert "✔" not in text


def test_undecodable_input_is_an_invalid_answer(content: Content) -> None:
    data = io.TextIOWrapper(io.BytesIO(b"\xff\xfe\n1\n1\n"), encoding="utf-8", errors="surrogateescape")
    out = io.StringIO()
    assert run_plain(content, "en", None, data, out) == ExitCode.OK
    assert content.guide("en").text("plain_invalid").replace("{count}", "2") in out.getvalue()


def test_ctrl_c_ends_the_line_and_propagates(content: Content) -> None:
    class Interrupting(io.StringIO):
        def readline(self, size: int | None = -1, /) -> str:  # type: ignore[override]
            raise KeyboardInterrupt

    out = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        run_plain(content, "en", None, Interrupting(), out)
    assert out.getvalue().endswith(": \n")


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(st.text(max_size=12) | st.sampled_from(["1", "2", "3", "4", "b", "r", "unsure"]), max_size=14))
def test_no_input_ever_makes_it_write_control_characters(content: Content, lines: list[str]) -> None:
    clean = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    for lang in LANGS:
        code, _ = play(content, lang, [line for line in clean if line.strip().lower() != "q"])
        assert code in (ExitCode.OK, ExitCode.INCOMPLETE)


# --- the command line: the fallback to plain mode, and no UI imports ------------------------------


def _cli(args: list[str], stdin: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(REPO), "TERM": "xterm-256color"}
    return subprocess.run(
        [sys.executable, "-m", "billing_tui", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**base, **env},
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(("stdin", "code"), [("1\n1\n", 0), ("1\n", 3), ("q\n", 0), ("", 3)])
def test_cli_without_a_terminal_falls_back_to_plain_mode(stdin: str, code: int) -> None:
    done = _cli(["--lang", "en"], stdin)
    assert done.returncode == code, done.stderr
    assert "Who is my account's billing contact?" in done.stdout
    assert "\x1b" not in done.stdout + done.stderr


def test_cli_plain_honours_flow_and_the_locale() -> None:
    done = _cli(["--plain", "--flow", "admin-center"], "4\n", LANG="en_US.UTF-8")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("\nQuestion 1: Log in to the Admin Center\n")
    assert "Verdict: ? Unsure — Still not sure" in done.stdout


def test_cli_plain_mode_never_imports_textual_or_rich() -> None:
    code = (
        "import io, sys\n"
        "sys.stdin = io.StringIO('1\\n1\\nq\\n')\n"
        "from billing_tui.cli import run\n"
        "rc = run(['--plain', '--lang', 'en'])\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'})\n"
        "print('LOADED', loaded, rc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60, check=False
    )
    assert done.stdout.strip().splitlines()[-1] == "LOADED [] 0", done.stdout + done.stderr
