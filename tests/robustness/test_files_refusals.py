"""write_atomic never writes through a symbolic link at the name, and never replaces what is not a regular file.

Each case is tried with and without overwrite, and every race is staged at the moment that matters
(by wrapping one step of billing_tui.files): the name turns into a link, a FIFO or another file
after the check, or the folder is moved away and replaced by a link to another place after it was
opened. Afterwards the link, its target, the FIFO and the other folder are exactly as they were.
"""

from __future__ import annotations

import errno
import os
import socket
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from billing_tui import files
from billing_tui.files import FileExists, SaveError, write_atomic

TEXT = "# Transcript\n\nsaved by a test\n"
BOTH = pytest.mark.parametrize("overwrite", [False, True], ids=["new", "overwrite"])


def names(folder: Path) -> list[str]:
    """Every entry of folder: a leftover temporary file shows up here."""
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def precious(tmp_path: Path) -> Path:
    """A file elsewhere that a link points to; it must never change."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    path = elsewhere / "authorized_keys"
    path.write_text("ssh-ed25519 AAAA precious\n", encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "folder"
    path.mkdir()
    return path


@BOTH
def test_a_link_to_a_file_is_refused_and_named(folder: Path, precious: Path, overwrite: bool) -> None:
    link = folder / "t.md"
    link.symlink_to(precious)
    with pytest.raises(SaveError) as caught:
        write_atomic(link, TEXT, overwrite=overwrite)
    assert caught.value.key == "symlink" and caught.value.values == {"target": str(precious)}
    assert str(precious) in str(caught.value)
    assert link.is_symlink() and os.readlink(link) == str(precious)
    assert precious.read_text(encoding="utf-8") == "ssh-ed25519 AAAA precious\n"
    assert names(folder) == ["t.md"]


@BOTH
def test_a_dangling_link_is_refused_and_its_target_never_created(folder: Path, tmp_path: Path, overwrite: bool) -> None:
    missing = tmp_path / "elsewhere-missing" / "new"
    (folder / "t.md").symlink_to(missing)
    with pytest.raises(SaveError, match="symbolic link"):
        write_atomic(folder / "t.md", TEXT, overwrite=overwrite)
    assert not missing.parent.exists()
    assert (folder / "t.md").is_symlink() and names(folder) == ["t.md"]


@BOTH
def test_a_link_to_a_folder_is_refused(folder: Path, tmp_path: Path, overwrite: bool) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (folder / "t.md").symlink_to(other)
    with pytest.raises(SaveError, match="symbolic link"):
        write_atomic(folder / "t.md", TEXT, overwrite=overwrite)
    assert names(other) == [] and names(folder) == ["t.md"]


@BOTH
def test_a_fifo_is_refused_without_blocking(folder: Path, overwrite: bool) -> None:
    fifo = folder / "t.md"
    os.mkfifo(fifo)
    with pytest.raises(SaveError) as caught:
        write_atomic(fifo, TEXT, overwrite=overwrite)
    assert caught.value.key == "special"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and names(folder) == ["t.md"]


@pytest.fixture
def unix_socket(folder: Path) -> Iterator[Path]:
    path = folder / "t.md"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind(str(path))
        yield path


@BOTH
def test_a_socket_is_refused(unix_socket: Path, folder: Path, overwrite: bool) -> None:
    with pytest.raises(SaveError) as caught:
        write_atomic(unix_socket, TEXT, overwrite=overwrite)
    assert caught.value.key == "special"
    assert stat.S_ISSOCK(os.lstat(unix_socket).st_mode) and names(folder) == ["t.md"]


@BOTH
def test_a_device_is_refused(folder: Path, overwrite: bool) -> None:
    """A character device like /dev/null (made with mknod, which needs root)."""
    device = folder / "t.md"
    try:
        os.mknod(device, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("mknod of a character device needs root (CAP_MKNOD)")
    with pytest.raises(SaveError) as caught:
        write_atomic(device, TEXT, overwrite=overwrite)
    assert caught.value.key == "special"
    assert stat.S_ISCHR(os.lstat(device).st_mode) and names(folder) == ["t.md"]


@BOTH
def test_a_folder_is_refused(folder: Path, overwrite: bool) -> None:
    (folder / "t.md").mkdir()
    with pytest.raises(SaveError) as caught:
        write_atomic(folder / "t.md", TEXT, overwrite=overwrite)
    assert caught.value.key == "is_folder" and names(folder) == ["t.md"]


def test_a_linked_folder_on_the_way_is_followed(folder: Path, tmp_path: Path) -> None:
    """A person's own ~/Documents may be a link: folders on the path are followed, only the final name is not."""
    (tmp_path / "docs").symlink_to(folder)
    assert write_atomic(tmp_path / "docs" / "t.md", TEXT) == tmp_path / "docs" / "t.md"
    assert (folder / "t.md").read_text(encoding="utf-8") == TEXT and names(folder) == ["t.md"]


# -- races: the name or the folder changes while the file is written ------------------------------------


def after_the_check(monkeypatch: pytest.MonkeyPatch, change: Callable[[], None]) -> None:
    """Run change once the name was checked and the temporary file written, right before the final step."""
    real = files._temporary

    def temporary_then_change(*args: Any, **kwargs: Any) -> tuple[str, tuple[int, int]]:
        made = real(*args, **kwargs)
        change()
        return made

    monkeypatch.setattr(files, "_temporary", temporary_then_change)


def to_link(path: Path, target: Path) -> Callable[[], None]:
    def change() -> None:
        path.unlink()
        path.symlink_to(target)

    return change


def to_fifo(path: Path) -> Callable[[], None]:
    def change() -> None:
        path.unlink()
        os.mkfifo(path)

    return change


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "no-renameat2"])
@pytest.mark.parametrize("into", ["link", "fifo", "another-file"])
def test_a_name_swapped_after_the_check_is_not_replaced(
    folder: Path, precious: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool, into: str
) -> None:
    """overwrite=True checked a regular file; what is under the name at the final step is something else."""
    target = folder / "t.md"
    target.write_text("mine", encoding="utf-8")
    other_file = folder.parent / "other"
    other_file.write_text("another file", encoding="utf-8")
    changes = {
        "link": to_link(target, precious),
        "fifo": to_fifo(target),
        "another-file": lambda: os.replace(other_file, target),
    }
    after_the_check(monkeypatch, changes[into])
    if not exchange:
        monkeypatch.setattr(files, "_exchange", lambda *args: False)
    with pytest.raises(SaveError) as caught:
        write_atomic(target, TEXT, overwrite=True)
    assert caught.value.key == "changed"
    if into == "link":
        assert os.readlink(target) == str(precious)
    elif into == "fifo":
        assert stat.S_ISFIFO(os.lstat(target).st_mode)
    else:
        assert target.read_text(encoding="utf-8") == "another file"
    assert precious.read_text(encoding="utf-8") == "ssh-ed25519 AAAA precious\n"
    assert names(folder) == ["t.md"]


def test_a_link_that_appears_at_a_free_name_is_not_followed(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name was free at the check; a dangling link made meanwhile only makes the name taken (FileExists)."""
    target, aim = folder / "t.md", tmp_path / "created-through-the-link"
    after_the_check(monkeypatch, lambda: target.symlink_to(aim))
    with pytest.raises(FileExists):
        write_atomic(target, TEXT)
    assert not aim.exists() and target.is_symlink() and names(folder) == ["t.md"]


def test_a_folder_moved_and_replaced_by_a_link_keeps_the_write_in_the_opened_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the folder was opened, its path is made to point elsewhere: the file still lands in the opened folder."""
    opened, moved, elsewhere = tmp_path / "opened", tmp_path / "moved", tmp_path / "elsewhere"
    opened.mkdir()
    elsewhere.mkdir()

    def swap_the_folder() -> None:
        opened.rename(moved)
        opened.symlink_to(elsewhere)

    after_the_check(monkeypatch, swap_the_folder)
    write_atomic(opened / "t.md", TEXT)
    assert names(elsewhere) == []
    assert names(moved) == ["t.md"] and (moved / "t.md").read_text(encoding="utf-8") == TEXT


def test_overwriting_a_regular_file_still_works_and_keeps_no_temporary(folder: Path) -> None:
    target = folder / "t.md"
    target.write_text("old", encoding="utf-8")
    write_atomic(target, TEXT, overwrite=True)
    assert target.read_text(encoding="utf-8") == TEXT and names(folder) == ["t.md"]
    assert stat.S_IMODE(os.lstat(target).st_mode) == 0o644 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -- a file system without hard links (some FUSE and network mounts): the O_EXCL claim instead ------------


@pytest.fixture
def no_hard_links(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EPERM, "hard links not supported")

    monkeypatch.setattr(files.os, "link", refuse)


@pytest.mark.usefixtures("no_hard_links")
def test_without_hard_links_a_new_file_is_claimed_then_filled(folder: Path) -> None:
    assert write_atomic(folder / "t.md", TEXT) == folder / "t.md"
    assert (folder / "t.md").read_text(encoding="utf-8") == TEXT and names(folder) == ["t.md"]


@pytest.mark.usefixtures("no_hard_links")
@pytest.mark.parametrize("appears", ["file", "link"])
def test_without_hard_links_a_name_taken_meanwhile_is_left_alone(
    folder: Path, precious: Path, monkeypatch: pytest.MonkeyPatch, appears: str
) -> None:
    target = folder / "t.md"
    make = {"file": lambda: target.write_text("theirs", encoding="utf-8"), "link": lambda: target.symlink_to(precious)}
    after_the_check(monkeypatch, make[appears])
    with pytest.raises(FileExists):
        write_atomic(target, TEXT)
    assert target.is_symlink() if appears == "link" else target.read_text(encoding="utf-8") == "theirs"
    assert precious.read_text(encoding="utf-8") == "ssh-ed25519 AAAA precious\n" and names(folder) == ["t.md"]


@pytest.mark.skipif(not Path("/proc/sys").is_dir(), reason="needs Linux's /proc")
@pytest.mark.parametrize("path", ["/proc/sys/billing-tui-transcript.md", "/proc/billing-tui-transcript.md"])
def test_a_folder_that_takes_no_new_file_is_not_called_missing(path: str) -> None:
    """/proc exists but creates no file: the reason says so, not 'the folder does not exist'."""
    with pytest.raises(SaveError) as raised:
        write_atomic(path, "x")
    assert raised.value.key == "cannot_create"
    assert not Path(path).exists()
