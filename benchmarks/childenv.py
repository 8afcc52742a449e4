"""The clean, SSH-like environment every measured command runs in, so the caller's settings do not leak in."""

from __future__ import annotations

import os
import sys


def clean_env() -> dict[str, str]:
    """TERM, a UTF-8 LANG, HOME, PATH and SSH_* variables; no PYTHON*, TEXTUAL*, NO_COLOR or COLORTERM."""
    python_dir = os.path.dirname(sys.executable)
    return {
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "HOME": os.environ.get("HOME", "/root"),
        "USER": os.environ.get("USER", "root"),
        "LOGNAME": os.environ.get("LOGNAME", os.environ.get("USER", "root")),
        "SHELL": "/bin/bash",
        "PATH": f"{python_dir}:/usr/local/bin:/usr/bin:/bin",
        "SSH_CONNECTION": "127.0.0.1 50022 127.0.0.1 22",
        "SSH_CLIENT": "127.0.0.1 50022 22",
        # Cold targets never attach to a session server found on this machine; the server target sets its own.
        "BILLING_TUI_SOCKET": "/nonexistent/billing-tui-benchmarks/server.sock",
    }
