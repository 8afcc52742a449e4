"""The server's admin options and the one place they are applied to a worker's launch."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from billing_tui.flow.language import ENV_VAR, locale_lang


@dataclass(frozen=True)
class ServerOptions:
    """What `billing-tui serve` was started with: content directory, default language and theme, limits."""

    content: str | None = None
    lang: str | None = None
    theme: str | None = None
    kiosk: bool = False
    max_sessions: int = 64
    grace: float = 60.0
    spares: int = 1


def content_mismatch(server: ServerOptions, requested: str | None, cwd: str) -> str | None:
    """Why a client's --content cannot be served by this server, or None when it can."""
    if requested is None:
        return None
    wanted = os.path.realpath(os.path.join(cwd, requested))
    mine = os.path.realpath(server.content) if server.content else None
    if wanted == mine:
        return None
    return "--content names another content directory than the server's"


def _has(argv: Sequence[str], option: str) -> bool:
    return any(arg == option or arg.startswith(option + "=") for arg in argv)


def worker_argv(server: ServerOptions, client_argv: Sequence[str], env: Mapping[str, str]) -> list[str]:
    """The command line a worker runs: the client's own options, the server's admin defaults, and --no-server.

    The client's choices win; the server's content, theme and language fill what the client left open (the
    language only when neither --lang, $BILLING_TUI_LANG nor the locale names one, as a cold start would
    otherwise fall back to its own default). Options forwarded from `serve` to every session go here.
    """
    argv = list(client_argv)
    if server.kiosk and not _has(argv, "--kiosk"):
        argv.append("--kiosk")
    kiosk = _has(argv, "--kiosk")  # billing_tui.kiosk ignores $BILLING_TUI_LANG, so it names no language then
    if server.content is not None and not _has(argv, "--content"):
        argv += ["--content", server.content]
    if server.theme is not None and not _has(argv, "--theme"):
        argv += ["--theme", server.theme]
    names_lang = _has(argv, "--lang") or (not kiosk and bool(env.get(ENV_VAR))) or locale_lang(env) is not None
    if server.lang is not None and not names_lang:
        argv += ["--lang", server.lang]
    return [*argv, "--no-server"]
