"""What the app does differently in a browser tab (app.is_web): downloads, the browser clipboard, links."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from textual.app import App
from textual.widget import Widget
from textual.widgets import Link

from billing_tui.files import default_transcript_name
from billing_tui.flow.machine import Wizard
from billing_tui.flow.transcript import to_markdown


def clipboard_key(app: App[Any], key: str) -> str:
    """The text key that says where a copy went: the browser's clipboard in a tab, OSC 52 in a terminal."""
    return f"{key}_web" if app.is_web else key


def save_in_browser(app: App[Any], wizard: Wizard) -> None:
    """Send the Markdown transcript to the browser as a download; nothing is written on the server."""
    name = Path(default_transcript_name(wizard.flow_id)).name
    app.deliver_text(io.StringIO(to_markdown(wizard)), save_filename=name, mime_type="text/markdown")
    app.notify(wizard.guide.text("saved_web", name=name), markup=False)


def offer_mailto(container: Widget, label: str, mailto: str) -> None:
    """Under the draft, a focused link that Enter opens through the browser (the user's e-mail program)."""
    existing = container.query("#email-open")
    if existing:
        link = existing.first(Link)
        link.url = mailto
    else:
        link = Link(label, url=mailto, id="email-open")
        container.mount(link)
    container.call_after_refresh(link.focus)
