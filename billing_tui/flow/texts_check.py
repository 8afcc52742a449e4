"""Validate texts/<lang>.toml files against the graph: every string present, no unknown ids, no missing translation."""

from __future__ import annotations

import tomllib
import unicodedata
from pathlib import Path
from typing import Any

from billing_tui.flow.errors import Problem
from billing_tui.flow.graph_spec import GraphSpec
from billing_tui.flow.models import KINDS
from billing_tui.flow.prose_urls import check_prose_urls
from billing_tui.flow.sanitize import clean_text, key_part

TEXTS_DIR = "texts"
REFERENCE_LANG = "pt-BR"


def reference_ui_keys(root: Path, builtin: Path, texts: dict[str, dict[str, Any]]) -> set[str]:
    """The interface keys every language must define: those of the built-in reference language."""
    if root.resolve() == builtin.resolve() and REFERENCE_LANG in texts:
        ui = texts[REFERENCE_LANG].get("ui", {})
    else:
        with (builtin / TEXTS_DIR / f"{REFERENCE_LANG}.toml").open("rb") as handle:
            ui = tomllib.load(handle).get("ui", {})
    return set(ui) if isinstance(ui, dict) else set()


def required_strings(spec: GraphSpec, ui_keys: set[str]) -> dict[tuple[str, ...], str]:
    """Every key path a language file must define, mapped to 'text' or 'list' (of texts)."""
    need: dict[tuple[str, ...], str] = {("language_name",): "text"}
    for name in ("title", "intro", "who_can_see", "prompt"):
        need[("home", name)] = "text"
    for link_id in spec.links:
        need[("links", link_id)] = "text"
    for kind in KINDS:
        need[("kinds", kind)] = "text"
    for flow_id, flow in spec.flows.items():
        need[("flows", flow_id, "label")] = "text"
        need[("flows", flow_id, "audience")] = "text"
        for question_id, question in flow.questions.items():
            base = ("flows", flow_id, "questions", question_id)
            need[(*base, "title")] = "text"
            need[(*base, "steps")] = "list"
            need[(*base, "prompt")] = "text"
            for choice_id in question.choices:
                need[(*base, "choices", choice_id)] = "text"
    for verdict_id in spec.verdicts:
        need[("verdicts", verdict_id, "title")] = "text"
        need[("verdicts", verdict_id, "body")] = "text"
    for key in sorted(ui_keys):
        need[("ui", key)] = "text"
    return need


def flatten(raw: dict[str, Any], prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """Flatten nested tables to {key path: leaf value}; arrays are leaves."""
    out: dict[tuple[str, ...], Any] = {}
    for name, value in raw.items():
        path = (*prefix, name)
        if isinstance(value, dict) and value:
            out.update(flatten(value, path))
        else:
            out[path] = value
    return out


def _is_text(value: Any) -> bool:
    """Whether value is a string that still shows something once sanitised (not only spaces or invisible characters)."""
    return isinstance(value, str) and any(
        not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf") for char in clean_text(value)
    )


def check_texts(spec: GraphSpec, texts: dict[str, dict[str, Any]], ui_keys: set[str], problems: list[Problem]) -> None:
    """Check each language file: types, empty strings, unknown keys, missing translations and URLs in the prose."""
    need = required_strings(spec, ui_keys)
    flat = {lang: flatten(raw) for lang, raw in texts.items()}
    for lang, values in flat.items():
        file = f"{TEXTS_DIR}/{lang}.toml"
        for path, shape in need.items():
            key = ".".join(key_part(part) for part in path)
            if path not in values:
                others = [f"{o}.toml" for o in flat if o != lang and path in flat[o]]
                hint = f"missing translation (present in {', '.join(others)})" if others else "missing"
                problems.append(Problem(file, key, hint))
                continue
            value = values[path]
            if shape == "text" and not _is_text(value):
                problems.append(Problem(file, key, "must be a non-empty string"))
            if shape == "list" and (not isinstance(value, list) or not value or not all(_is_text(v) for v in value)):
                problems.append(Problem(file, key, "must be a non-empty array of non-empty strings"))
        for path in values:
            if path not in need and not _covered(path, need):
                problems.append(Problem(file, ".".join(key_part(part) for part in path), _unknown_reason(path, need)))
        keyed = {".".join(key_part(part) for part in path): value for path, value in values.items()}
        check_prose_urls(file, keyed, spec.links.values(), problems)


def _covered(path: tuple[str, ...], need: dict[tuple[str, ...], str]) -> bool:
    """Whether path is a prefix of a required key (an empty table where strings were expected)."""
    return any(required[: len(path)] == path for required in need)


def _unknown_reason(path: tuple[str, ...], need: dict[tuple[str, ...], str]) -> str:
    """Explain an unexpected key: an id the graph does not define, or a key the format does not know."""
    depth = max(i for i in range(len(path)) if _covered(path[:i], need))
    name = path[depth]
    kinds = {"flows": "flow", "verdicts": "verdict", "links": "link", "kinds": "kind"}
    if depth == 1 and path[0] in kinds:
        return f"unknown {kinds[path[0]]} id {name!r} (not in graph.toml)"
    if depth == 3 and path[2] == "questions":
        return f"unknown question id {name!r} (not in graph.toml)"
    if depth == 5 and path[4] == "choices":
        return f"unknown choice id {name!r} (not in graph.toml)"
    return f"unknown key {name!r}"
