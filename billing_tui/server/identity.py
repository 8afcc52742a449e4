"""What must match between a client and the server for a worker to behave like a cold start (stdlib only).

- the build: billing-tui's version, the size and mtime of every installed file of the package, Textual's and
  Rich's, and the interpreter; an upgrade on disk changes it, and a stale server then leaves;
- the environment read at import time: Textual's constants (TEXTUAL_*, ESCDELAY) and the outcome of its
  iTerm check (LC_TERMINAL=iTerm2 or TERM_PROGRAM=iTerm.app; tmux's TERM_PROGRAM=tmux does not matter).
  Variables the interpreter itself rewrites at start-up (LC_CTYPE under PEP 538 locale coercion) are
  deliberately left out, or a client and server could never agree.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Mapping

import billing_tui

IMPORT_TIME_PREFIXES = ("TEXTUAL_",)
# What textual-serve sets for a tab's process (textual-serve 1.1.3, AppService._build_environment), read by
# Textual at import time; a worker for a web session applies these itself (billing_tui/server/webtab.py).
WEB_SESSION_ENV = {
    "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
    "TEXTUAL_FPS": "60",
    "TEXTUAL_COLOR_SYSTEM": "truecolor",
}
IMPORT_TIME_NAMES = ("ESCDELAY",)
_SUFFIXES = (".py", ".toml", ".tcss", ".so")


def _tree(root: str) -> list[str]:
    """`path size mtime` for every code or data file under root, sorted."""
    rows = []
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
        for name in files:
            if name.endswith(_SUFFIXES):
                path = os.path.join(directory, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                rows.append(f"{os.path.relpath(path, root)} {info.st_size} {info.st_mtime_ns}")
    return sorted(rows)


def _package_stamp(name: str) -> str:
    """Where an installed package's __init__ is, with its size and mtime, found without importing it."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        spec = None
    origin = spec.origin if spec is not None else None
    if not origin:
        return f"{name} missing"
    try:
        info = os.stat(origin)
    except OSError:
        return f"{name} {origin} gone"
    return f"{name} {origin} {info.st_size} {info.st_mtime_ns}"


def build_id() -> str:
    """The build as text: equal strings mean the same code on disk under the same interpreter."""
    package = os.path.dirname(os.path.abspath(billing_tui.__file__))
    lines = [f"billing-tui {billing_tui.__version__}", f"python {sys.executable} {sys.version}", f"package {package}"]
    lines += [_package_stamp("textual"), _package_stamp("rich")]
    lines += _tree(package)
    return "\n".join(lines)


def _is_iterm(env: Mapping[str, str]) -> bool:
    """textual._xterm_parser.IS_ITERM, computed the way Textual does at import."""
    return env.get("LC_TERMINAL", "") == "iTerm2" or env.get("TERM_PROGRAM", "") == "iTerm.app"


def import_time_env(env: Mapping[str, str]) -> dict[str, str]:
    """What Textual and Rich read once at import time, as set in env (the iTerm check as its outcome only)."""
    found = {name: value for name, value in env.items() if name.startswith(IMPORT_TIME_PREFIXES)}
    found.update({name: env[name] for name in IMPORT_TIME_NAMES if name in env})
    if _is_iterm(env):
        found["LC_TERMINAL or TERM_PROGRAM (iTerm2)"] = "yes"
    return found


def env_mismatch(server: Mapping[str, str], client: Mapping[str, str]) -> str | None:
    """The first import-time variable that differs (named, values not shown), or None when all agree."""
    mine, theirs = import_time_env(server), import_time_env(client)
    for name in sorted(set(mine) | set(theirs)):
        if mine.get(name) != theirs.get(name):
            return f"{name} differs from the server's (read once when Textual is imported)"
    return None


def web_env_mismatch(server: Mapping[str, str], client: Mapping[str, str]) -> str | None:
    """env_mismatch for a browser tab: textual-serve's own settings (WEB_SESSION_ENV) are the worker's to apply, so
    they are left out of the client's side; the server must not set them, nor differ in anything else."""
    tab = {name: value for name, value in client.items() if WEB_SESSION_ENV.get(name) != value}
    return env_mismatch(server, tab)
