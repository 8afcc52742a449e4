"""The full-screen wizard in a real terminal (a tmux pane, 80x24, no status line), driven keyboard-only.

Each test types `billing-tui` (this checkout's, see tui.write_launcher) in a clean environment, walks
a FLOWS.md path by digits, arrows or j/k, reads every question and the verdict off the screen, quits
with q and checks the exit status and the summary left on the normal screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import procs
import pytest
from tmux import TmuxSession
from tui import (
    END_MARKER,
    EXIT_TIMEOUT,
    START_TIMEOUT,
    STEP_TIMEOUT,
    Tui,
    launcher_argv,
    marked,
    pane_command,
    start_recorded,
    until_marker,
    wait_raw,
    write_launcher,
)

from billing_tui.flow import Content, Wizard
from billing_tui.flow.transcript import to_text
from billing_tui.wrap import cell_width

pytestmark = pytest.mark.terminal

LOCALES = {"pt-BR": "pt_BR.UTF-8", "en": "en_US.UTF-8"}
PATHS = {
    "corporate": ("billing-center", ("invalid-page", "corporate-portal", "logged-in")),
    "contact": ("admin-center", ("contact-billing-admin",)),
}


@pytest.fixture
def launcher(tmux_session: TmuxSession) -> Iterator[Path]:
    """This checkout's billing-tui in the test's own directory; any process still running from it is ended after."""
    path = write_launcher(tmux_session.workdir)
    yield path
    procs.end(procs.pids_with_argv_prefix(launcher_argv(path)))


def start(session: TmuxSession, launcher: Path, lang: str, *args: str) -> None:
    """Type `billing-tui ARGS` in the pane, with TERM=xterm-256color and the language's UTF-8 locale in LANG."""
    session.start(marked(pane_command(launcher, {"TERM": "xterm-256color", "LANG": LOCALES[lang]}, args)))


@pytest.mark.parametrize("lang", LOCALES)
@pytest.mark.parametrize("path", PATHS, ids=list(PATHS))
def test_a_path_by_digits_reaches_its_verdict_and_leaves_the_summary(
    tmux_session: TmuxSession, launcher: Path, content: Content, lang: str, path: str
) -> None:
    """The language comes from LANG; each question shows (title, prompt, breadcrumb), then the kind and title."""
    flow, answers = PATHS[path]
    start(tmux_session, launcher, lang)
    tui = Tui(tmux_session, content.guide(lang))
    final = tui.walk(flow, answers, by="digits")
    assert final.verdict is not None
    assert f" {tui.badge(final)} " in tui.screen()  # the kind as symbol and word, never colour alone
    assert tui.quit() == 0
    normal = until_marker(tmux_session)
    tui.assert_summary(normal, final)
    assert f"{final.guide.text('verdict_heading')}: {tui.badge(final)} — {final.verdict.title}" in normal


@pytest.mark.parametrize(
    ("lang", "path", "by"),
    [("en", "corporate", "arrows"), ("pt-BR", "contact", "arrows"), ("pt-BR", "corporate", "jk")],
)
def test_a_path_by_moving_the_highlight_and_pressing_enter(
    tmux_session: TmuxSession, launcher: Path, content: Content, lang: str, path: str, by: str
) -> None:
    """↓/↑ (or j/k) move the highlight, read back as the bold option row; Enter chooses it."""
    flow, answers = PATHS[path]
    start(tmux_session, launcher, lang)
    tui = Tui(tmux_session, content.guide(lang))
    final = tui.walk(flow, answers, by=by)
    assert tui.quit() == 0
    tui.assert_summary(until_marker(tmux_session), final)


def test_no_summary_leaves_the_normal_screen_empty(tmux_session: TmuxSession, launcher: Path, content: Content) -> None:
    start(tmux_session, launcher, "en", "--no-summary")
    tui = Tui(tmux_session, content.guide("en"))
    final = tui.walk(*PATHS["contact"])
    assert tui.quit() == 0
    normal = until_marker(tmux_session)
    assert [line for line in normal if line.strip()] == [], normal
    assert final.verdict is not None and final.verdict.title not in "\n".join(normal)


def test_quitting_at_a_question_exits_0_without_a_summary(
    tmux_session: TmuxSession, launcher: Path, content: Content
) -> None:
    start(tmux_session, launcher, "pt-BR")
    tui = Tui(tmux_session, content.guide("pt-BR"))
    tui.wait_home()
    wizard = tui.answer(tui.start_flow("billing-center"), "invalid-page")
    assert wizard.question is not None and wizard.question.id == "my-account"
    assert tui.quit() == 0
    assert [line for line in until_marker(tmux_session) if line.strip()] == []


# -- started without a terminal on one side: the plain mode, never escape sequences --------------------------


def test_stdout_a_pipe_gives_the_plain_mode_in_a_real_terminal(
    tmux_session: TmuxSession, launcher: Path, content: Content
) -> None:
    """`billing-tui | cat`: stdin is the terminal but stdout is not, so numbered prompts, not the full-screen UI."""
    guide = content.guide("en")
    command = pane_command(launcher, {"TERM": "xterm-256color", "LANG": "en_US.UTF-8"})
    start_recorded(tmux_session, f"( {command}; echo billing-tui-exit=$? ) | cat")
    screen = tmux_session.wait_for(f"{guide.text('plain_prompt')}:", START_TIMEOUT)
    assert guide.home.title in screen
    tmux_session.type("2")
    first = Wizard(guide, "admin-center")
    assert first.question is not None
    tmux_session.wait_for(first.question.choices[0].label, STEP_TIMEOUT)
    tmux_session.type("2")
    final = first.choose("contact-billing-admin")
    tmux_session.wait_for(to_text(final).splitlines()[0], STEP_TIMEOUT)
    tmux_session.type("q")
    assert tmux_session.wait_exit(EXIT_TIMEOUT) == 0
    raw = wait_raw(tmux_session, lambda raw: b"billing-tui-exit=0" in raw, "billing-tui's exit status 0")
    assert b"\x1b" not in raw, raw[:500]


def test_stdin_a_pipe_gives_the_plain_mode_in_a_real_terminal(
    tmux_session: TmuxSession, launcher: Path, content: Content
) -> None:
    """`printf '2\\n1\\n' | billing-tui`: stdout is the terminal, stdin is not; it answers, ends, writes no escape."""
    guide = content.guide("en")
    command = pane_command(launcher, {"TERM": "xterm-256color", "LANG": "en_US.UTF-8"})
    start_recorded(tmux_session, marked(f"printf '2\\n1\\n' | {command}"))
    assert tmux_session.wait_exit(START_TIMEOUT) == 0
    normal = until_marker(tmux_session)
    assert guide.home.title in normal
    assert to_text(Wizard(guide, "admin-center", ("subscriptions",))).splitlines()[0] in normal
    raw = wait_raw(tmux_session, lambda raw: END_MARKER.encode() in raw, "the end marker")
    assert b"\x1b" not in raw, raw[:500]


def shows_words(screen: str, text: str) -> bool:
    """Whether the screen shows text's first three words, wherever the narrow layout wrapped them."""
    return " ".join(text.split()[:3]) in " ".join(screen.split())


@pytest.mark.parametrize("lang", LOCALES)
def test_the_summary_wraps_at_words_in_a_narrow_terminal(
    tmux_session: TmuxSession, launcher: Path, content: Content, lang: str
) -> None:
    """At 44 columns the summary's long paragraphs would be cut mid-word by the terminal ("entre em con / tato"):
    each row must end at a word, the rows read the summary's words in order, and the URL stays whole."""
    tmux_session.width = 44
    start(tmux_session, launcher, lang)
    flow_id, answers = PATHS["corporate"]
    wizard = Wizard(content.guide(lang))
    keys = [str(1 + [flow.id for flow in wizard.guide.flows].index(flow_id))]
    wizard = wizard.start(flow_id)
    for answer in answers:
        assert wizard.question is not None
        keys.append(str(1 + [choice.id for choice in wizard.question.choices].index(answer)))
        wizard = wizard.choose(answer)
    final = wizard
    assert final.verdict is not None
    # The Tui helper reads screens laid out at 80 columns; here each key waits for the next state's first words.
    states = [Wizard(content.guide(lang)).start(flow_id)]
    for answer in answers:
        states.append(states[-1].choose(answer))
    tmux_session.wait_for(lambda screen: shows_words(screen, content.guide(lang).home.prompt), START_TIMEOUT)
    for key, state in zip(keys, states, strict=True):
        tmux_session.send_keys(key)
        words = state.question.title if state.question is not None else state.verdict.title  # type: ignore[union-attr]
        tmux_session.wait_for(lambda screen, words=words: shows_words(screen, words), STEP_TIMEOUT)
    tmux_session.type("q")
    until_marker(tmux_session)
    # The pane's rows as drawn (no -J, which would join rows the terminal itself wrapped).
    drawn = tmux_session.tmux("capture-pane", "-p", "-t", "main", "-S", "-").stdout
    rows = [row.rstrip() for row in drawn.splitlines()]
    heading = f"{final.guide.text('verdict_heading')}:"
    first = next(n for n, row in enumerate(rows) if row.startswith(heading))
    summary_rows = [row for row in rows[first : rows.index(END_MARKER)] if row]
    summary = to_text(final)
    assert " ".join(summary_rows).split() == summary.split(), "\n".join(summary_rows)
    assert all(cell_width(row) <= 44 for row in summary_rows), "\n".join(summary_rows)
    assert any(len(row.split()) < len(line.split()) for row in summary_rows for line in summary.splitlines()[:2])
    for link in final.verdict.links:
        assert any(link.url in row for row in summary_rows), (link.url, summary_rows)


def test_plain_mode_wraps_its_paragraphs_at_words_in_a_narrow_terminal(
    tmux_session: TmuxSession, launcher: Path, content: Content
) -> None:
    """`--plain` on a 44-column terminal: the home text, the steps and the verdict are wrapped at words."""
    tmux_session.width = 44
    guide = content.guide("en")
    start(tmux_session, launcher, "en", "--plain")
    prompt = guide.text("plain_prompt") + ":"
    tmux_session.wait_for(prompt)
    final = Wizard(guide, "billing-center", ("subscriptions",))
    assert final.verdict is not None
    tmux_session.type("1")
    tmux_session.wait_for(final.steps[0].question.title)
    tmux_session.type("1")
    tmux_session.wait_for(final.verdict.body)
    tmux_session.type("q")
    assert tmux_session.wait_exit(EXIT_TIMEOUT) == 0
    until_marker(tmux_session)
    drawn = tmux_session.tmux("capture-pane", "-p", "-t", "main", "-S", "-").stdout
    rows = [row.rstrip() for row in drawn.splitlines()]
    rows = rows[next(n for n, row in enumerate(rows) if row == guide.home.title) : rows.index(END_MARKER)]
    assert all(cell_width(row) <= 44 for row in rows), "\n".join(rows)
    words = " ".join(rows).split()
    for paragraph in (guide.home.intro, *final.steps[0].question.steps, final.verdict.body):
        expected = paragraph.split()
        assert any(words[n : n + len(expected)] == expected for n in range(len(words))), (paragraph, rows)
