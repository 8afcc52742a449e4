"""The sshd_config blocks of docs/ssh-kiosk.md, as the kiosk tests run them: read from the guide, not copied."""

from __future__ import annotations

import re
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "ssh-kiosk.md"
GUIDE_USER = "kiosk"
GUIDE_PATH = "/home/kiosk/.local/bin/billing-tui"
# The session server's socket in the guide's SetEnv line and unit file; SshServer.start swaps in the test's own.
GUIDE_SOCKET = "/run/billing-tui/server.sock"
UNIT = GUIDE.with_name("billing-tui-server.service")
_BLOCK = re.compile(r"^```sshd_config\n(.*?)^```", re.MULTILINE | re.DOTALL)


def guide_blocks() -> list[str]:
    """Every ```sshd_config block of the guide, in order: the kiosk block, then the one that refuses no-pty logins."""
    return _BLOCK.findall(GUIDE.read_text(encoding="utf-8"))


def for_test_server(block: str, user: str = "root") -> str:
    """The block with only the user name and billing-tui's path changed (to the test user and the server's launcher).

    The path becomes `{launcher}`, which SshServer.start fills in; every directive stays as written.
    """
    assert block.startswith(f"Match User {GUIDE_USER}\n"), block
    assert GUIDE_PATH in block, block
    return block.replace(f"Match User {GUIDE_USER}\n", f"Match User {user}\n", 1).replace(GUIDE_PATH, "{launcher}")
