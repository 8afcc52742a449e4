"""Check the URLs written in the texts' prose: each must be https and one of the links graph.toml declares.

A reworded content directory could otherwise slip an insecure (http://) or unlisted link into a
question or a verdict, where no link check ever looked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from billing_tui.flow.errors import Problem
from billing_tui.flow.sanitize import clean_text

# A scheme, "://", then everything up to a space, a character URLs cannot hold, or a bracket (markup, Markdown).
_URL = re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"{}|\\^`\[\]]*")
# Punctuation that ends a sentence or a parenthesis rather than the URL itself.
_TRAILING = ".,;:!?)'’”»"


def urls_in(text: str) -> Iterator[str]:
    """Every URL written in text (as a reader sees it: controls removed), without trailing punctuation."""
    for match in _URL.finditer(clean_text(text)):
        yield match.group().rstrip(_TRAILING)


def _texts(value: Any) -> Iterable[str]:
    """The strings of one text value: itself, or the items of a list of steps."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return ()


def check_prose_urls(file: str, values: Mapping[str, Any], declared: Iterable[str], problems: list[Problem]) -> None:
    """Report every prose URL (keyed by its dotted key) that is not https, or not one of the declared links."""
    from billing_tui.flow.graph_check import check_url  # the same rules as graph.toml's own links

    known = {url.rstrip("/") for url in declared}
    for key, value in values.items():
        for text in _texts(value):
            for url in urls_in(text):
                error = check_url(url)
                if error is None and url.rstrip("/") not in known:
                    error = f"URL {url!r} is not one of the content's links (declare it in graph.toml [links])"
                if error is not None:
                    problems.append(Problem(file, key, error))
