"""The socket path and its directory: where it goes, and which directories are refused (symlink, open, foreign)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from billing_tui.server import paths


@pytest.fixture
def short_dir() -> Iterator[Path]:
    """A fresh directory under /tmp with a short path (socket paths are limited to 107 bytes)."""
    directory = Path(tempfile.mkdtemp(prefix="bts-", dir="/tmp"))
    yield directory
    for root, dirs, files in os.walk(directory, topdown=False):
        for name in files + dirs:
            target = Path(root) / name
            target.unlink() if target.is_symlink() or not target.is_dir() else target.rmdir()
    directory.rmdir()


def test_the_variable_names_the_socket() -> None:
    assert paths.socket_path({"BILLING_TUI_SOCKET": "/run/x/server.sock"}) == "/run/x/server.sock"


def test_a_private_runtime_dir_holds_it(short_dir: Path) -> None:
    short_dir.chmod(0o700)
    assert paths.socket_path({"XDG_RUNTIME_DIR": str(short_dir)}) == str(short_dir / "billing-tui" / "server.sock")


def test_an_open_or_missing_runtime_dir_falls_back_to_tmp(short_dir: Path) -> None:
    short_dir.chmod(0o755)
    fallback = f"/tmp/billing-tui-{os.getuid()}/server.sock"
    assert paths.socket_path({"XDG_RUNTIME_DIR": str(short_dir)}) == fallback
    assert paths.socket_path({"XDG_RUNTIME_DIR": str(short_dir / "gone")}) == fallback
    assert paths.socket_path({}) == fallback


def test_the_directory_is_created_0700(short_dir: Path) -> None:
    sock = short_dir / "d" / "s.sock"
    assert paths.prepare_dir(str(sock)) == str(sock)
    assert (sock.parent.stat().st_mode & 0o777) == 0o700


def test_a_symlinked_directory_is_refused(short_dir: Path) -> None:
    real = short_dir / "real"
    real.mkdir(mode=0o700)
    (short_dir / "link").symlink_to(real)
    with pytest.raises(paths.InsecureSocketDir, match="symbolic link"):
        paths.prepare_dir(str(short_dir / "link" / "s.sock"))


@pytest.mark.parametrize("mode", [0o777, 0o1777, 0o750, 0o701])
def test_a_directory_open_to_others_is_refused(short_dir: Path, mode: int) -> None:
    shared = short_dir / "shared"
    shared.mkdir()
    shared.chmod(mode)
    with pytest.raises(paths.InsecureSocketDir, match="lets others in"):
        paths.prepare_dir(str(shared / "s.sock"))


@pytest.mark.skipif(os.geteuid() != 0, reason="making a directory another user's needs root")
def test_a_directory_of_another_user_is_refused(short_dir: Path) -> None:
    foreign = short_dir / "foreign"
    foreign.mkdir(mode=0o700)
    os.chown(foreign, 65534, 65534)
    with pytest.raises(paths.InsecureSocketDir, match="owned by uid 65534"):
        paths.prepare_dir(str(foreign / "s.sock"))


def test_a_file_in_place_of_the_directory_is_refused(short_dir: Path) -> None:
    (short_dir / "file").write_text("")
    with pytest.raises(paths.InsecureSocketDir, match="not a directory"):
        paths.prepare_dir(str(short_dir / "file" / "s.sock"))


def test_a_path_too_long_for_a_unix_socket_is_refused(short_dir: Path) -> None:
    with pytest.raises(paths.InsecureSocketDir, match="too long"):
        paths.prepare_dir(str(short_dir / ("x" * 120) / "s.sock"))
