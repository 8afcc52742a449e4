"""Where the session server's socket lives, and the checks that make its directory safe to trust (stdlib only)."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping

ENV_VAR = "BILLING_TUI_SOCKET"
SOCKET_NAME = "server.sock"
# sockaddr_un.sun_path holds 108 bytes with the final NUL.
MAX_PATH_BYTES = 107


class InsecureSocketDir(Exception):
    """The socket's directory cannot be trusted (or made); the message is one line for stderr."""


def socket_path(env: Mapping[str, str]) -> str:
    """$BILLING_TUI_SOCKET, else $XDG_RUNTIME_DIR/billing-tui/server.sock if that dir is the user's, else /tmp."""
    chosen = env.get(ENV_VAR, "")
    if chosen:
        return os.path.abspath(chosen)
    runtime = env.get("XDG_RUNTIME_DIR", "")
    if runtime and _private_dir(runtime):
        return os.path.join(runtime, "billing-tui", SOCKET_NAME)
    return os.path.join("/tmp", f"billing-tui-{os.getuid()}", SOCKET_NAME)


def socket_present(path: str) -> bool:
    """Whether a socket file is at path (one lstat: the whole cost a cold start pays when no server runs)."""
    try:
        return stat.S_ISSOCK(os.lstat(path).st_mode)
    except OSError:
        return False


def _private_dir(path: str) -> bool:
    """Whether path is a real directory owned by this user with mode 0700."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) == 0o700


def check_dir(directory: str) -> None:
    """Refuse a socket directory that is a symlink, not a directory, another user's, or open to group or others."""
    try:
        info = os.lstat(directory)
    except OSError as exc:
        raise InsecureSocketDir(f"cannot use the socket directory {directory}: {exc.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        raise InsecureSocketDir(f"insecure socket directory {directory}: it is a symbolic link")
    if not stat.S_ISDIR(info.st_mode):
        raise InsecureSocketDir(f"insecure socket directory {directory}: it is not a directory")
    if info.st_uid != os.getuid():
        raise InsecureSocketDir(f"insecure socket directory {directory}: owned by uid {info.st_uid}, not {os.getuid()}")
    if stat.S_IMODE(info.st_mode) & 0o077:
        mode = oct(stat.S_IMODE(info.st_mode))
        raise InsecureSocketDir(f"insecure socket directory {directory}: mode {mode} lets others in (want 0700)")


def prepare_dir(path: str) -> str:
    """Create the socket's directory 0700 if missing, check it, and return the socket path (server side)."""
    if len(os.fsencode(path)) > MAX_PATH_BYTES:
        size = len(os.fsencode(path))
        raise InsecureSocketDir(f"socket path too long ({size} bytes, at most {MAX_PATH_BYTES}): {path}")
    directory = os.path.dirname(path)
    try:
        os.mkdir(directory, 0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        raise InsecureSocketDir(f"cannot create the socket directory {directory}: {exc.strerror}") from None
    check_dir(directory)
    return path
