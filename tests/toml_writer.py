"""A tiny TOML writer for tests that rewrite content files (tomllib only reads).

Strings are escaped TOML's way (C0 and DEL as \\uXXXX, everything else literal), so emoji and
other non-BMP characters survive, which json.dumps's surrogate-pair escapes would not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes, C0 controls and DEL escaped, everything else literal."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    """A key, always quoted."""
    return toml_string(key)


def toml_value(value: Any) -> str:
    """One parsed TOML value written inline."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def toml_dumps(doc: Mapping[str, Any]) -> str:
    """A whole document: one `key = value` line per top-level key (tables and arrays inline)."""
    return "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in doc.items())
