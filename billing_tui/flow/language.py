"""Choose the wizard's language from the command line, the environment and the locale."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

DEFAULT_LANG = "pt-BR"
ENV_VAR = "BILLING_TUI_LANG"


def locale_lang(env: Mapping[str, str]) -> str | None:
    """The language the POSIX locale asks for (first set of LC_ALL, LC_MESSAGES, LANG), if it is en or pt."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            lowered = value.lower()
            if lowered.startswith("en"):
                return "en"
            if lowered.startswith("pt"):
                return "pt-BR"
            return None
    return None


def resolve_lang(requested: str | None, env: Mapping[str, str], available: Sequence[str]) -> str:
    """Return --lang, else $BILLING_TUI_LANG, else the locale's en/pt, else pt-BR (matching tags case-insensitively)."""
    by_lower = {lang.lower(): lang for lang in available}
    for candidate in (requested, env.get(ENV_VAR) or None):
        if candidate:
            if candidate.lower() in by_lower:
                return by_lower[candidate.lower()]
            raise LookupError(f"unknown language {candidate!r}; available: {', '.join(available)}")
    from_locale = locale_lang(env)
    if from_locale and from_locale.lower() in by_lower:
        return by_lower[from_locale.lower()]
    return by_lower.get(DEFAULT_LANG.lower(), available[0])
