"""Parse each stylesheet once in the server, not again in every worker's new app.

Textual (8.2, pinned) keeps parsed CSS rules in a cache that belongs to one Stylesheet, and every App
makes a new Stylesheet: each worker would parse Textual's and billing-tui's CSS again (about a fifth
of its CPU before the first frame). In the server the cache is shared by every Stylesheet, keyed also
by the CSS variables (a theme's colours) the rules were parsed with; the warm-up walk fills it before
the fork, so workers find every rule already parsed. Only `billing-tui serve` installs this; a cold
start parses as Textual always does. The rules are only read after parsing, never changed.
"""

from __future__ import annotations

from typing import Any

from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet

_SHARED: dict[tuple[Any, ...], list[RuleSet]] = {}
_installed = False


def share_parsed_css() -> None:
    """Make every Stylesheet in this process reuse rules parsed by any other with the same CSS and variables."""
    global _installed
    if _installed:
        return
    original = Stylesheet._parse_rules

    def parse_rules(
        self: Stylesheet,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(sorted(self._variables.items())))
        rules = _SHARED.get(key)
        if rules is None:
            rules = original(self, css, read_from, is_default_rules, tie_breaker, scope)
            _SHARED[key] = rules
        return rules

    Stylesheet._parse_rules = parse_rules  # type: ignore[method-assign]
    _installed = True


def shared_rule_count() -> int:
    """How many parsed stylesheets the shared cache holds (the tests check that warm-up filled it)."""
    return len(_SHARED)
