"""The HTML pages (the wizard's page and the busy page), rendered from our templates in the tab's language."""

from __future__ import annotations

from pathlib import Path

import jinja2

from billing_tui.flow import Content

TEMPLATES = Path(__file__).with_name("templates")
PAGE_TEXTS = ("web_title", "web_loading", "web_noscript", "web_ended", "web_restart", "web_busy", "web_busy_retry")
_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, keep_trailing_newline=True)


def tab_lang(content: Content, forced: str | None, accept_language: str, default: str) -> str:
    """The language a new tab starts in: --lang when given, else the browser's first known one, else the default."""
    if forced:
        return forced
    by_lower = {lang.lower(): lang for lang in content.langs}
    by_primary = {lang.lower().split("-")[0]: lang for lang in reversed(content.langs)}
    for item in accept_language.split(",")[:20]:
        tag = item.split(";")[0].strip().lower()
        found = by_lower.get(tag) or by_primary.get(tag.split("-")[0])
        if found:
            return found
    return default


def render(name: str, content: Content, lang: str, **values: object) -> str:
    """A page in this language: every word comes from the content's texts."""
    guide = content.guide(lang)
    texts = {key: guide.text(key, **values) for key in PAGE_TEXTS}
    return _ENV.get_template(name).render(lang=lang, texts=texts, **values)
