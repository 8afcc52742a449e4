"""Snapshots at fixed sizes, one class per flow (and one for home and the dialogs), in both languages.

Regenerate with `python -m pytest tests/ui/test_ui_snapshots.py --snapshot-update` on Python 3.11
(conftest.py refuses other versions), then look at the SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from ui_helpers import LANGS, settle

from billing_tui import files
from billing_tui.flow import Content
from billing_tui.ui.app import BillingApp, create_app
from billing_tui.ui.screens import base
from billing_tui.ui.settle import wait_settled

SnapCompare = Callable[..., bool]
langs = pytest.mark.parametrize("lang", LANGS)

# What the filled e-mail form holds in its snapshot.
EMAIL_FIELDS = {"name": "Ana Souza", "address": "ana.souza@example.com", "request": "Add two technician licenses."}


def shoot(
    snap_compare: SnapCompare,
    app: BillingApp,
    keys: Sequence[str] = (),
    dialog: Sequence[str] = (),
    size: tuple[int, int] = (80, 24),
) -> bool:
    """Press keys, wait for the focus, open a dialog with more keys (waiting again), then compare the screenshot."""

    async def drive(pilot: Pilot[Any]) -> None:
        await pilot.press(*keys)
        await wait_settled(app, 30.0)  # the screen has checked its size by then
        if not app.screen.has_class("-too-small"):
            await settle(pilot)
        if dialog:
            await pilot.press(*dialog)
            await settle(pilot)

    return snap_compare(app, terminal_size=size, run_before=drive)


@pytest.fixture
def fixed_transcript_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """The save dialog suggests a name stamped with a fixed time, so its snapshot never changes."""
    stamp = datetime(2025, 1, 2, 3, 4, 5)
    monkeypatch.setattr(base, "default_transcript_name", lambda flow_id: files.default_transcript_name(flow_id, stamp))


async def fill_email_form(pilot: Pilot[Any]) -> None:
    """Reach contact-billing-admin, open the form, fill it and build the draft with Enter."""
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot, "#name")
    for field, value in EMAIL_FIELDS.items():
        pilot.app.screen.query_one(f"#{field}", Input).value = value
    pilot.app.screen.query_one("#request", Input).focus()
    await settle(pilot, "#request")
    await pilot.press("enter")
    assert pilot.app.screen.query_one("#email").has_class("-drafted")
    pilot.app.clear_notifications()  # the "copied" toast would hide the end of the draft


class TestHomeAndDialogs:
    """Home, the help overlay, the history list and the save dialog."""

    @langs
    def test_home(self, snap_compare: SnapCompare, content: Content, lang: str) -> None:
        assert shoot(snap_compare, create_app(lang=lang, content=content))

    @langs
    def test_help(self, snap_compare: SnapCompare, content: Content, lang: str) -> None:
        assert shoot(snap_compare, create_app(lang=lang, content=content), dialog=["question_mark"])

    def test_home_at_40x12(self, snap_compare: SnapCompare, content: Content) -> None:
        assert shoot(snap_compare, create_app(lang="pt-BR", content=content), size=(40, 12))

    def test_too_small_notice(self, snap_compare: SnapCompare, content: Content) -> None:
        assert shoot(snap_compare, create_app(lang="en", content=content), size=(30, 10))

    def test_history(self, snap_compare: SnapCompare, content: Content) -> None:
        app = create_app(lang="pt-BR", content=content, flow="billing-center")
        assert shoot(snap_compare, app, ["2", "2", "1"], dialog=["h"])

    @pytest.mark.usefixtures("fixed_transcript_name")
    def test_save_dialog(self, snap_compare: SnapCompare, content: Content) -> None:
        app = create_app(lang="en", content=content, flow="billing-center")
        assert shoot(snap_compare, app, ["1"], dialog=["s"])

    @langs
    def test_kiosk_transcript(self, snap_compare: SnapCompare, content: Content, lang: str) -> None:
        """Kiosk mode's s: the copied notice and the transcript view, at 80x24."""
        app = create_app(lang=lang, content=content, flow="billing-center", kiosk=True)
        assert shoot(snap_compare, app, ["2", "2", "1"], dialog=["s"])


class TestBillingCenter:
    """The Billing Center flow: its three questions and a verdict of each kind."""

    @langs
    @pytest.mark.parametrize("keys", [(), ("2",), ("2", "2")], ids=["outcome", "my-account", "corporate-login"])
    def test_question(self, snap_compare: SnapCompare, content: Content, lang: str, keys: tuple[str, ...]) -> None:
        assert shoot(snap_compare, create_app(lang=lang, content=content, flow="billing-center"), keys)

    @langs
    @pytest.mark.parametrize(
        "keys",
        [("2", "2", "1"), ("2", "1"), ("3",)],
        ids=["yes-corporate-billing-admin", "no-standard-account", "unsure"],
    )
    def test_verdict(self, snap_compare: SnapCompare, content: Content, lang: str, keys: tuple[str, ...]) -> None:
        assert shoot(snap_compare, create_app(lang=lang, content=content, flow="billing-center"), keys)

    def test_verdict_at_40x12(self, snap_compare: SnapCompare, content: Content) -> None:
        app = create_app(lang="pt-BR", content=content, flow="billing-center")
        assert shoot(snap_compare, app, ["1"], size=(40, 12))


class TestAdminCenter:
    """The Admin Center flow: its two questions, the contact-billing-admin verdict and its e-mail draft."""

    @langs
    @pytest.mark.parametrize("keys", [(), ("3",)], ids=["outcome", "corporate-login"])
    def test_question(self, snap_compare: SnapCompare, content: Content, lang: str, keys: tuple[str, ...]) -> None:
        assert shoot(snap_compare, create_app(lang=lang, content=content, flow="admin-center"), keys)

    @langs
    def test_contact_billing_admin(self, snap_compare: SnapCompare, content: Content, lang: str) -> None:
        assert shoot(snap_compare, create_app(lang=lang, content=content, flow="admin-center"), ["2"])

    @langs
    def test_email_draft(self, snap_compare: SnapCompare, content: Content, lang: str) -> None:
        app = create_app(lang=lang, content=content, flow="admin-center")
        assert snap_compare(app, run_before=fill_email_form)

    def test_high_contrast_verdict(self, snap_compare: SnapCompare, content: Content) -> None:
        app = create_app(lang="en", content=content, flow="admin-center", theme="high-contrast")
        assert shoot(snap_compare, app, ["3", "2"])
