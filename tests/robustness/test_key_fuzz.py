"""Key and resize fuzzing: random key sequences, pastes and terminal sizes never crash the app or desynchronise it.

Each hypothesis example drives one `App.run_test()` through the Pilot. After every step the
machine's state must be legal (replaying its answers from the flow's start reaches the same
node) and the wizard screen must show exactly what the machine says: home with the flows,
one question with exactly its choices, or one verdict, with at most one dialog above it.

The normal suite runs 204 key-fuzz examples (six starting points of 34, so that pytest-xdist can
share them out) and 36 key-and-resize examples; BILLING_TUI_FUZZ_EXAMPLES=N raises the key-fuzz
total to N (and the resize fuzz to N/10) for a long run.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import string
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from robust_helpers import assert_screen_matches, is_too_small, top_is_modal
from textual import events
from textual.command import CommandPalette
from textual.pilot import Pilot

from billing_tui.exit_codes import ExitCode
from billing_tui.flow import Content, load_content
from billing_tui.ui.app import BillingApp, create_app

CONTENT: Content = load_content()

# Keys the wizard binds or that widgets react to; Escape costs ~100 ms in Textual, so it is listed once.
KEYS = [str(n) for n in range(10)] + [
    "up",
    "down",
    "left",
    "right",
    "enter",
    "backspace",
    "b",
    "r",
    "l",
    "question_mark",
    "c",
    "tab",
    "shift+tab",
    "escape",
    "ctrl+p",
]
# Every lowercase letter ("q" quits, "s" saves, "e" writes e-mail, "h" opens the history) and a few others.
LETTERS = [*string.ascii_lowercase, "B", "R", "space", "slash", "f1"]
# Pasted text: markup, controls, escapes, wide and zero-width characters; no "/" or "~", so a pasted save
# path always stays inside the test's working directory.
PASTE_ALPHABET = st.sampled_from(
    [
        *"abz019 .-_[]@=:;",
        *("[bold]", "[/]", "[@click=app.quit]", "\x1b", "\x1b]52;c;SGk=\x07", "\x07", "\r", "\n"),
        *("\t", "\x00", "\x9b", "\u202e", "\u200b", "界", "😀", "é"),
    ]
)
PASTES = st.lists(PASTE_ALPHABET, min_size=1, max_size=8).map(lambda parts: ("paste", "".join(parts)))
KEY_STEPS = st.sampled_from(KEYS).map(lambda key: ("key", key))
LETTER_STEPS = st.sampled_from(LETTERS).map(lambda key: ("key", key))
# one_of picks a branch uniformly, so listing keys three times makes them most of the steps.
STEPS = st.one_of(KEY_STEPS, KEY_STEPS, KEY_STEPS, LETTER_STEPS, PASTES)
SIZES = st.tuples(st.integers(10, 250), st.integers(5, 80)).map(lambda size: ("resize", size))

# Where each key-fuzz test starts: (language, flow). Six small tests share out well over pytest-xdist workers.
STARTS = [("en", None), ("pt-BR", None), ("en", "billing-center"), ("pt-BR", "billing-center")]
STARTS += [("en", "admin-center"), ("pt-BR", "admin-center")]
RESIZE_FLOWS = [None, "billing-center", "admin-center"]
TOTAL = int(os.environ.get("BILLING_TUI_FUZZ_EXAMPLES") or 0)
PER_TEST = max(34, math.ceil(TOTAL / len(STARTS)))  # 204 key-fuzz examples in the normal suite
RESIZE_EXAMPLES = max(12, math.ceil(TOTAL / 10 / len(RESIZE_FLOWS)))

Step = tuple[str, object]


def fuzz_settings(examples: int) -> settings:
    """Hypothesis settings for UI fuzzing: no per-example deadline (the UI is slow), fixtures reused on purpose."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


async def apply_step(pilot: Pilot[int], step: Step) -> None:
    """Press a key, paste text (as a terminal's bracketed paste would) or resize the terminal."""
    kind, value = step
    if kind == "key":
        await pilot.press(str(value))  # no wait for Ctrl+P's palette: text may land while it mounts or closes
    elif kind == "paste":
        pilot.app.post_message(events.Paste(str(value)))
        await pilot.pause()
    else:
        width, height = value  # type: ignore[misc]
        await pilot.resize_terminal(width, height)
        await pilot.pause()


def quit_key(app: BillingApp, step: Step) -> bool:
    """Whether this step may legitimately end the app: q on the wizard screen, or Enter on the palette's Quit."""
    if isinstance(app.screen, CommandPalette):
        return step == ("key", "enter")
    return step == ("key", "q") and not top_is_modal(app)


async def walk(
    steps: Sequence[Step], lang: str = "en", flow: str | None = None, size: tuple[int, int] = (80, 24)
) -> None:
    """Run the app, apply the steps and check the invariant after each; frozen state while too small."""
    app = create_app(lang, content=CONTENT, flow=flow)
    async with app.run_test(size=size) as pilot:
        assert_screen_matches(app)
        for step in steps:
            before = app.wizard
            frozen = is_too_small(app) and not top_is_modal(app) and step[0] == "key"
            may_quit = quit_key(app, step)
            # Quitting from the too-small notice exits 5 (the app could not be shown), else 0.
            quit_code = ExitCode.TERMINAL if is_too_small(app) else ExitCode.OK
            await apply_step(pilot, step)
            if app.return_code is not None:
                assert may_quit, f"the app exited after {step!r}"
                assert app.return_code == quit_code, (step, app.size)
                break
            assert_screen_matches(app)
            if frozen:
                # "While the terminal is too small, only quitting works": no key may move the wizard.
                assert app.wizard == before, (step, before.answers, app.wizard.answers)


def run_walk(tmp_path: Path, steps: Sequence[Step], **kwargs: object) -> None:
    """Run one walk in tmp_path (a save dialog may write its file there)."""
    with contextlib.chdir(tmp_path):
        asyncio.run(walk(steps, **kwargs))  # type: ignore[arg-type]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.mark.parametrize(("lang", "flow"), STARTS)
@fuzz_settings(PER_TEST)
@given(steps=st.lists(STEPS, min_size=1, max_size=5))
def test_keys(workdir: Path, lang: str, flow: str | None, steps: list[Step]) -> None:
    run_walk(workdir, steps, lang=lang, flow=flow)


@pytest.mark.parametrize("flow", RESIZE_FLOWS)
@fuzz_settings(RESIZE_EXAMPLES)
@given(
    start=st.tuples(st.integers(10, 250), st.integers(5, 80)),
    steps=st.lists(st.one_of(STEPS, SIZES, SIZES), min_size=1, max_size=7),
)
@example(start=(10, 5), steps=[("key", "q")])  # found by the fuzz: q on the too-small notice exits 5, as documented
def test_keys_and_resizes(workdir: Path, flow: str | None, start: tuple[int, int], steps: list[Step]) -> None:
    run_walk(workdir, steps, lang="en", flow=flow, size=start)


@pytest.mark.parametrize(
    ("width", "height", "small"),
    [(39, 24, True), (40, 12, False), (80, 11, True), (10, 5, True), (250, 80, False), (40, 11, True)],
)
async def test_too_small_notice_follows_the_size(tmp_path: Path, width: int, height: int, small: bool) -> None:
    """The notice appears below 40x12 and disappears again when the terminal grows, keeping the state."""
    app = create_app("en", content=CONTENT, flow="billing-center")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        answers = app.wizard.answers
        await pilot.resize_terminal(width, height)
        await pilot.pause()
        assert is_too_small(app) == small
        assert_screen_matches(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not is_too_small(app)
        assert_screen_matches(app)
        assert app.wizard.answers == answers == ("invalid-page",)
