"""Facts about the terminal read from the environment alone: Textual's colour system, multiplexers, SSH, the locale."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

# The names rich's Console accepts for color_system (rich.console.COLOR_SYSTEMS), besides "auto".
TEXTUAL_COLOR_SYSTEMS = ("standard", "256", "truecolor", "windows")
# rich's Console._detect_color_system: the part of TERM after the last hyphen picks the colours.
_TERM_SUFFIX_COLORS = {"kitty": "256", "256color": "256", "16color": "standard"}
COLOR_SYSTEM_NAMES = {
    "truecolor": "truecolor (16.7 million colours)",
    "256": "256 colours",
    "standard": "standard (16 colours)",
    "windows": "windows (legacy console)",
}
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


@attrs.frozen
class ColorSystem:
    """The colour system Textual would use: rich's name for it (None for no colour), why, and whether it can start."""

    name: str | None
    reason: str
    valid: bool = True

    @property
    def description(self) -> str:
        """The colour system in words."""
        return COLOR_SYSTEM_NAMES.get(self.name, "none (no colour)") if self.name else "none (no colour)"


def textual_color_system(env: Mapping[str, str]) -> ColorSystem:
    """The colour system Textual 8.2 picks on Linux and macOS.

    Textual's App passes TEXTUAL_COLOR_SYSTEM (default "auto") to rich's Console with
    force_terminal=True and the environment minus NO_COLOR; "auto" then reads TERM and
    COLORTERM. tests/terminal/test_doctor.py checks this against a real textual App().
    """
    forced = env.get("TEXTUAL_COLOR_SYSTEM", "auto")
    if forced != "auto":
        if forced in TEXTUAL_COLOR_SYSTEMS:
            return ColorSystem(forced, f"forced by TEXTUAL_COLOR_SYSTEM={forced}")
        return ColorSystem(
            None,
            f"TEXTUAL_COLOR_SYSTEM={forced!r} is not auto, {', '.join(TEXTUAL_COLOR_SYSTEMS)}: "
            "the full-screen UI would fail to start",
            valid=False,
        )
    term = env.get("TERM", "")
    if term.lower() in ("dumb", "unknown"):
        return ColorSystem(None, f"TERM={term}")
    colorterm = env.get("COLORTERM", "").strip().lower()
    if colorterm in ("truecolor", "24bit"):
        return ColorSystem("truecolor", f"COLORTERM={colorterm}")
    suffix = term.strip().lower().rpartition("-")[2]
    return ColorSystem(_TERM_SUFFIX_COLORS.get(suffix, "standard"), f"TERM={term}" if term else "TERM is not set")


def tmux_evidence(env: Mapping[str, str]) -> str | None:
    """Why we think this runs inside tmux on this host ($TMUX), or None."""
    return "$TMUX is set" if env.get("TMUX") else None


def screen_evidence(env: Mapping[str, str]) -> str | None:
    """Why we think this runs inside GNU screen ($STY, or TERM=screen* outside tmux), or None."""
    if env.get("STY"):
        return "$STY is set"
    term = env.get("TERM", "")
    if term.startswith("screen") and not env.get("TMUX"):
        return f"TERM={term} (GNU screen, or a tmux whose default-terminal is screen*, e.g. on the SSH client's side)"
    return None


def client_tmux_evidence(env: Mapping[str, str]) -> str | None:
    """Why we think a tmux on the far side of SSH is in the way (TERM=tmux* without $TMUX), or None."""
    term = env.get("TERM", "")
    return f"TERM={term}" if term.startswith("tmux") and not env.get("TMUX") else None


def ssh_evidence(env: Mapping[str, str]) -> str | None:
    """Where the SSH connection comes from and whether it has a pty, or None outside SSH."""
    connection = env.get("SSH_CONNECTION", "").split()
    if not connection and not env.get("SSH_TTY") and not env.get("SSH_CLIENT"):
        return None
    origin = f"from {connection[0]} port {connection[1]}" if len(connection) >= 2 else "yes"
    tty = env.get("SSH_TTY")
    return f"{origin}, pty {tty}" if tty else f"{origin}, no pty (ssh -T or a piped command)"


def locale_setting(env: Mapping[str, str]) -> tuple[str, str] | None:
    """The variable that decides the message locale (first set of LC_ALL, LC_MESSAGES, LANG) and its value."""
    for name in LOCALE_VARIABLES:
        if env.get(name):
            return name, env[name]
    return None


def is_linux_console(env: Mapping[str, str]) -> bool:
    """Whether TERM says this is the Linux virtual console, which has neither clipboard escapes nor links."""
    return env.get("TERM", "") in ("linux", "linux-16color")
