"""Whether a client may attach to this server, or must start on its own (and whether the server is stale)."""

from __future__ import annotations

from typing import Any

from billing_tui.server import identity, protocol
from billing_tui.server.options import ServerOptions, content_mismatch


def refusal(
    options: ServerOptions, build: str, environ: dict[str, str], hello: dict[str, Any], accepting: bool, live: int
) -> tuple[str | None, bool]:
    """Why this client must start on its own (None: it may attach), and whether this server is stale."""
    if hello.get("build") != build:
        return "the installed billing-tui differs from the server's (the server is leaving)", True
    env = hello.get("env")
    if not isinstance(env, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in env.items()):
        raise protocol.ProtocolError("no environment, or one that is not all strings")
    web = hello.get("kind") == "web"
    mismatch = (identity.web_env_mismatch if web else identity.env_mismatch)(environ, env)
    if mismatch:
        return mismatch, False
    content = hello.get("content")
    content = content if isinstance(content, str) else None
    mismatch = content_mismatch(options, content, str(hello.get("cwd")))
    if web and content is None and options.content is not None:  # a tab keeps its web server's content
        mismatch = "the web server serves the built-in content, not the server's --content"
    if mismatch:
        return mismatch, False
    if not accepting:
        return "the server is stopping", False
    if live >= options.max_sessions:
        return f"the server is serving its maximum of {options.max_sessions} sessions", False
    return None, False
