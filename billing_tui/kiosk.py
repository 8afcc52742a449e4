"""Kiosk mode (`billing-tui --kiosk`): what a session for untrusted remote users may read from its environment.

The one place that decides it. In kiosk mode only the admin's command line shapes the session;
from the environment billing-tui keeps the variables sshd sets for every login (HOME, PATH, USER,
LOGNAME, SHELL, MAIL, SSH_CONNECTION, SSH_CLIENT, SSH_TTY) and the ones a remote user may send
that the guide documents (TERM, COLORTERM, NO_COLOR, LANG, LC_*). Everything else is removed
before Textual is imported: TEXTUAL_* (TEXTUAL_LOG and TEXTUAL_SCREENSHOT write files,
TEXTUAL_DRIVER imports code, TEXTUAL_PRESS types keys), BILLING_TUI_LANG (the language is --lang,
else the remote locale), FORCE_COLOR, COLUMNS/LINES, PYTHON*, TMUX and the rest. The UI's side of
kiosk mode is the app's `kiosk` flag (create_app(kiosk=True)): the save action offers a copy and a
view instead of a file. This module never imports textual.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping

# Set by sshd (or login) for every session: the host's, not the remote user's.
HOST_VARIABLES = frozenset(
    {"HOME", "PATH", "USER", "LOGNAME", "SHELL", "MAIL", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"}
)
# What a remote user may send (TERM with the pty, the rest through the guide's AcceptEnv) and billing-tui reads.
REMOTE_VARIABLES = frozenset({"TERM", "COLORTERM", "NO_COLOR", "LANG"})
REMOTE_PREFIXES = ("LC_",)


def kept(name: str) -> bool:
    """Whether a variable of this name has any effect in kiosk mode."""
    return name in HOST_VARIABLES or name in REMOTE_VARIABLES or name.startswith(REMOTE_PREFIXES)


def session_env(env: Mapping[str, str]) -> dict[str, str]:
    """The environment a kiosk session runs with: only the variables that `kept` names."""
    return {name: value for name, value in env.items() if kept(name)}


def ignored(env: Mapping[str, str]) -> list[str]:
    """The names kiosk mode drops from this environment, sorted (doctor lists them)."""
    return sorted(name for name in env if not kept(name))


def enter(environ: MutableMapping[str, str] = os.environ) -> None:
    """Reduce the process environment to the kiosk's before anything reads it (call before importing textual)."""
    for name in ignored(environ):
        del environ[name]


# The interface texts that name saving; in kiosk mode each is read from its `kiosk_` twin instead.
SAVE_TEXT_KEYS = frozenset({"keys_save", "action_save", "cmd_save", "cmd_save_help", "help_save"})


def text_key(key: str, on: bool) -> str:
    """The content key to show for `key`: its kiosk wording when kiosk mode is on and the text is about saving."""
    return f"kiosk_{key}" if on and key in SAVE_TEXT_KEYS else key
