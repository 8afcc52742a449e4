"""Turn content strings into Textual Content literally (never parsed as markup), with URLs as OSC 8 links."""

from __future__ import annotations

import re

from textual.content import Content
from textual.style import Style

_URL = re.compile(r"https://[^\s<>\"'“”]+")
_TRAILING = ".,;:!?)"


def literal(text: str, style: str = "") -> Content:
    """Content that shows text exactly as written, optionally styled as a whole."""
    content = Content(text)
    return content.stylize(style) if style else content


def link(label: str, url: str) -> Content:
    """A label that terminals supporting OSC 8 make clickable."""
    return Content(label).stylize(Style(link=url, underline=True))


def linkify(text: str, style: str = "") -> Content:
    """Literal content in which every https URL is also an OSC 8 link to itself."""
    content = literal(text, style)
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        content = content.stylize(Style(link=url, underline=True), match.start(), match.start() + len(url))
    return content
