"""The sshd_config blocks and the install of docs/ssh-kiosk.md, as the kiosk tests run them: read, not copied."""

from __future__ import annotations

import re
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "ssh-kiosk.md"
GUIDE_USER = "kiosk"
GUIDE_INSTALL = "/opt/billing-tui"
GUIDE_PATH = f"{GUIDE_INSTALL}/bin/billing-tui"
GUIDE_KEYS = "/etc/ssh/authorized_keys"
GUIDE_SOURCE = "/path/to/billing-tui"
# The session server's socket in the guide's SetEnv line and unit file; SshServer.start swaps in the test's own.
GUIDE_SOCKET = "/run/billing-tui/server.sock"
UNIT = GUIDE.with_name("billing-tui-server.service")
_BLOCK = re.compile(r"^```sshd_config\n(.*?)^```", re.MULTILINE | re.DOTALL)
_SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)


def guide_blocks() -> list[str]:
    """Every ```sshd_config block of the guide, in order: the kiosk block, then the one that refuses no-pty logins."""
    return _BLOCK.findall(GUIDE.read_text(encoding="utf-8"))


def for_test_server(block: str, user: str = "root") -> str:
    """The block with only the user name and the paths changed (to the test user, the launcher and the keys).

    billing-tui's path becomes `{launcher}` and the keys folder `{keys}`, which SshServer.start fills
    in; every directive stays as written.
    """
    assert block.startswith(f"Match User {GUIDE_USER}\n"), block
    assert GUIDE_PATH in block and GUIDE_KEYS in block, block
    changed = block.replace(f"Match User {GUIDE_USER}\n", f"Match User {user}\n", 1)
    return changed.replace(GUIDE_PATH, "{launcher}").replace(GUIDE_KEYS, "{keys}")


GUIDE_PUBLIC_KEYS = "people.pub"


def _sh_block(marker: str) -> list[str]:
    """The one ```sh block of the guide that contains marker, one shell command per line, as written."""
    blocks = [block for block in _SH_BLOCK.findall(GUIDE.read_text(encoding="utf-8")) if marker in block]
    assert len(blocks) == 1, blocks
    return [line.strip() for line in blocks[0].splitlines() if line.strip()]


def install_commands() -> list[str]:
    """The guide's install: the block that makes the venv under /opt and pip-installs billing-tui into it."""
    return _sh_block(" -m venv ")


def keys_commands() -> list[str]:
    """The guide's root-owned keys: the block that installs people.pub as /etc/ssh/authorized_keys/kiosk."""
    return _sh_block(f"{GUIDE_KEYS}/{GUIDE_USER}")


def as_root(commands: list[str], replacements: dict[str, str]) -> list[str]:
    """Commands for a test run as root: no `sudo`, and each guide path replaced by the test's."""
    changed = []
    for command in commands:
        assert command.startswith("sudo "), command
        command = command.removeprefix("sudo ")
        for old, new in replacements.items():
            command = command.replace(old, new)
        changed.append(command)
    return changed
