"""Burst fuzzing: any burst of keys and pastes ends in the same state as the same steps typed one at a time.

Each hypothesis example runs the app twice from the same start: once with every step posted at
once (a whole burst in one read), once typing slowly (each step sent only when the app has
settled and holds no typed-ahead key). The two must agree on what a user could tell apart
(tests/typing_keys.py `app_state`: the wizard's path and verdict, the screen stack, the focused
widget, every field's value, the list's highlight, the theme, the clipboard) and on the files
a save wrote. The steps reuse test_key_fuzz's keys, letters and pastes, plus typed text.

The normal suite runs 30 examples (five starts of 6, shared out by pytest-xdist);
BILLING_TUI_FUZZ_EXAMPLES=N raises the total to N/5 per start, as for the key fuzz.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_key_fuzz import CONTENT, KEY_STEPS, LETTER_STEPS, PASTES, TOTAL, fuzz_settings
from typing_keys import Step, app_state, burst, sequence_text, settled, type_slowly, unstamped

from billing_tui.ui.app import create_app

# Text typed into the e-mail and save fields (no "/" or "~": a typed save path stays in the run's directory).
TEXT_STEPS = st.sampled_from([*"az09 .-_@", "tab", "shift+tab", "ctrl+u", "home", "end"]).map(lambda key: ("key", key))
STEPS = st.one_of(KEY_STEPS, KEY_STEPS, LETTER_STEPS, TEXT_STEPS, TEXT_STEPS, PASTES)

# Where each test starts: (language, flow, steps typed slowly first), so dialogs are reached often.
STARTS = {
    "home": ("en", None, ()),
    "question": ("pt-BR", "billing-center", ()),
    "verdict": ("en", "admin-center", ("2",)),
    "email": ("en", "admin-center", ("2", "e")),
    "save": ("pt-BR", "billing-center", ("1", "s")),
}
PER_START = max(6, math.ceil(TOTAL / len(STARTS)))


async def end_state(
    start: tuple[str, str | None, tuple[str, ...]], steps: list[Step], slowly: bool
) -> dict[str, object]:
    """Run the app from start, send the steps in one burst or one at a time, and read the state."""
    lang, flow, before = start
    app = create_app(lang, content=CONTENT, flow=flow)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_slowly(pilot, before)
        if slowly:
            await type_slowly(pilot, steps)
        else:
            burst(app, steps)
            await settled(pilot)
        return app_state(app)


def run_in(directory: Path, start: tuple[str, str | None, tuple[str, ...]], steps: list[Step], slowly: bool) -> object:
    """The end state and the files saved, in a fresh working directory."""
    directory.mkdir()
    with contextlib.chdir(directory):
        state = asyncio.run(end_state(start, steps, slowly))
    files = {unstamped(path.name): unstamped(path.read_text(encoding="utf-8")) for path in directory.iterdir()}
    return state, files


@pytest.mark.parametrize("start", list(STARTS))
@fuzz_settings(PER_START)
@given(steps=st.lists(STEPS, min_size=2, max_size=8))
def test_a_burst_ends_where_slow_typing_does(
    tmp_path_factory: pytest.TempPathFactory, start: str, steps: list[Step]
) -> None:
    root = tmp_path_factory.mktemp("burst")
    burst_result = run_in(root / "burst", STARTS[start], steps, slowly=False)
    slow_result = run_in(root / "slow", STARTS[start], steps, slowly=True)
    assert burst_result == slow_result, sequence_text(steps)
