"""Decide how the full-screen UI may draw on this terminal: Unicode or ASCII glyphs, colour or none.

Pure environment logic (no textual), so the CLI, doctor and tests share it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

import attrs

# The full-screen UI's colour themes (billing_tui.ui.themes builds them with textual; a test keeps the two equal),
# named here so the plain mode can check --theme without importing the UI.
THEME_NAMES = ("default", "high-contrast")

# Terminals whose fonts lack box drawing and symbols, whatever the locale says.
ASCII_TERMS = frozenset({"linux", "linux-16color", "vt100", "vt102", "vt220", "vt52", "ansi", "cons25"})


@attrs.frozen
class DisplayMode:
    """How to draw: ASCII-only glyphs and borders, and whether every colour code is dropped."""

    ascii_only: bool
    no_color: bool


def locale_is_utf8(env: Mapping[str, str]) -> bool:
    """Whether the user's character-type locale is UTF-8 (first set of LC_ALL, LC_CTYPE, LANG).

    CPython coerces a C/POSIX (or uninstalled) locale by exporting LC_CTYPE=C.UTF-8
    (PEP 538), so without LC_ALL, LC_CTYPE=C.UTF-8 defers to what LANG asked for.
    """
    lc_all, lc_ctype, lang = env.get("LC_ALL", ""), env.get("LC_CTYPE", ""), env.get("LANG", "")
    if not lc_all and lc_ctype == "C.UTF-8":
        return _names_utf8(lang)
    return _names_utf8(lc_all or lc_ctype or lang)


def _names_utf8(locale_name: str) -> bool:
    """Whether a locale name (en_US.UTF-8, pt_BR.utf8, C.UTF-8) names a UTF-8 codeset."""
    return "utf8" in locale_name.lower().replace("-", "").replace("_", "")


def stream_is_unicode(stream: TextIO) -> bool:
    """Whether a text stream can show the verdict symbols; an in-memory stream without an encoding can."""
    encoding = getattr(stream, "encoding", None)
    return encoding is None or _names_utf8(encoding)


def detect_display(env: Mapping[str, str]) -> DisplayMode:
    """ASCII on non-UTF-8 locales and on consoles such as TERM=linux or vt100; no colour when NO_COLOR is set."""
    term = env.get("TERM", "").lower()
    ascii_only = term in ASCII_TERMS or not locale_is_utf8(env)
    return DisplayMode(ascii_only=ascii_only, no_color="NO_COLOR" in env)
