"""Typing into a Pilot app in one burst or one key at a time, and the app state the two must agree on.

A burst posts every key (Pilot key names) and paste to the app at once, as the driver does
when a whole burst comes in one read; slow typing presses one key and waits until the app
has settled and holds no typed-ahead key before the next.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from billing_tui.ui.app import BillingApp

Step = tuple[str, object]  # ("key", Pilot key name) or ("paste", text)
STAMP = re.compile(r"\d{8}-\d{6}")  # the save dialog's suggested name carries the time to the second


def unstamped(text: str) -> str:
    """A text with the save dialog's timestamps blanked, so two runs a second apart compare equal."""
    return STAMP.sub("<stamp>", text)


def key_event(key: str) -> events.Key:
    """The Key event Pilot.press sends for this key name (the same char, built the same way as Textual 8.2.8)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def keys_of(text: str) -> list[str]:
    """Pilot key names that type this text."""
    return [" " if char == " " else char for char in text]


def burst(app: BillingApp, steps: Iterable[Step | str]) -> None:
    """Post every key and paste at once, without letting the app run in between."""
    for step in steps:
        kind, value = ("key", step) if isinstance(step, str) else step
        app.post_message(key_event(str(value)) if kind == "key" else events.Paste(str(value)))


async def settled(pilot: Pilot[Any]) -> None:
    """Wait until the app holds no typed-ahead key and has handled what it was sent."""
    await pilot.pause()
    while pilot.app.typing_ahead and pilot.app.return_code is None:  # type: ignore[attr-defined]
        await pilot.pause(0.01)
    await pilot.pause()


async def type_slowly(pilot: Pilot[Any], steps: Iterable[Step | str]) -> None:
    """Send one key or paste, wait until it has fully taken effect, then the next; stop if the app exits."""
    for step in steps:
        if pilot.app.return_code is not None:
            return
        assert not pilot.app.typing_ahead, "slow typing must never find a key still in flight"  # type: ignore[attr-defined]
        burst(pilot.app, [step])  # type: ignore[arg-type]
        await settled(pilot)


def app_state(app: BillingApp) -> dict[str, object]:
    """What a user could tell apart: the wizard's path, the screens, the focus, the fields and the highlight."""
    if app.return_code is not None:
        return {"exited": app.return_code}
    wizard = app.wizard
    lists = [found for found in app.screen.query(OptionList) if found.id == "choices"]
    return {
        "lang": wizard.guide.lang,
        "flow": wizard.flow_id,
        "answers": wizard.answers,
        "verdict": None if wizard.verdict is None else wizard.verdict.id,
        "stack": [type(screen).__name__ for screen in app.screen_stack],
        "focused": None if app.focused is None else (type(app.focused).__name__, app.focused.id),
        "inputs": {field.id: unstamped(field.value) for screen in app.screen_stack for field in screen.query(Input)},
        "highlighted": [found.highlighted for found in lists],
        "theme": app.theme,
        "clipboard": app.clipboard,
    }


def sequence_text(steps: Sequence[Step | str]) -> str:
    """The steps as one readable line, for assertion messages."""
    return " ".join(repr(step) for step in steps)
