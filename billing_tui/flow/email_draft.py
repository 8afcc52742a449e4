"""Build the e-mail draft the contact-billing-admin verdict offers: validated address, subject, body, mailto link."""

from __future__ import annotations

import re
from urllib.parse import quote

import attrs

from billing_tui.flow.machine import Wizard
from billing_tui.flow.sanitize import clean_line, clean_text

# A pragmatic address check: one @, a dot in the domain, no spaces or brackets.
_ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")


@attrs.frozen
class EmailDraft:
    """A draft the user sends themselves; billing-tui never sends anything."""

    to_name: str
    to_address: str
    subject: str
    body: str

    @property
    def mailto(self) -> str:
        """A mailto: URL that opens the draft in the user's e-mail program."""
        query = f"subject={quote(self.subject)}&body={quote(self.body)}"
        return f"mailto:{quote(self.to_address, safe='@.+-_')}?{query}"

    def as_text(self, to_label: str, subject_label: str) -> str:
        """The draft as plain text, for copying."""
        return f"{to_label}: {self.to_name} <{self.to_address}>\n{subject_label}: {self.subject}\n\n{self.body}\n"


class DraftError(ValueError):
    """Raised with the interface-text key (and values) that explains what the user must fix."""

    def __init__(self, key: str, **values: str) -> None:
        self.key = key
        self.values = values
        super().__init__(key)


def is_valid_address(address: str) -> bool:
    """Whether address looks like a deliverable e-mail address."""
    return len(address) <= 254 and bool(_ADDRESS.match(address))


def build_draft(wizard: Wizard, name: str, address: str, request: str) -> EmailDraft:
    """Validate the user's input and fill the draft templates in the wizard's language."""
    name, address, request = clean_line(name), clean_line(address), clean_text(request).strip()
    if wizard.verdict is None or not wizard.verdict.email_draft:
        raise DraftError("nothing_yet")
    if not name:
        raise DraftError("email_missing_name")
    if not is_valid_address(address):
        raise DraftError("email_invalid_address", address=address)
    if not request:
        raise DraftError("email_missing_request")
    guide = wizard.guide
    return EmailDraft(
        to_name=name,
        to_address=address,
        subject=guide.text("email_subject"),
        body=guide.text("email_body", name=name, request=request),
    )
