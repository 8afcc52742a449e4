"""Write files atomically and refuse to overwrite silently; failures become one clear sentence, never a traceback.

Race-safe by construction: the target's folder is opened once and every later step (the check,
the temporary file, the final link or exchange) happens relative to that open folder, so a path
changed meanwhile cannot redirect the write. The final name is never followed: a symbolic link
there is refused (its target is named, so the user can type that path), and so is anything that
is not a regular file (a folder, a FIFO, a device, a socket). A new file is linked in place only
if the name is still free; a confirmed overwrite swaps the files atomically (renameat2
RENAME_EXCHANGE) and swaps back if what it took out is not the file that was checked.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from datetime import datetime
from pathlib import Path

from billing_tui.flow.sanitize import SAFE_INPUT, clean_line


class SaveError(Exception):
    """A file could not be written: `key` names the reason (texts `save_reason_<key>`), the message is its English."""

    def __init__(self, reason: str, key: str = "other", **values: str) -> None:
        super().__init__(reason)
        self.key = key
        self.values = values or {"detail": reason}


class FileExists(SaveError):
    """The target exists and overwriting was not confirmed."""

    def __init__(self, path: str) -> None:
        super().__init__(path, "exists")


def default_transcript_name(flow_id: str | None, now: datetime | None = None) -> str:
    """The suggested transcript file name: ./billing-contact-<flow>-<timestamp>.md."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"./billing-contact-{flow_id or 'home'}-{stamp}.md"


_REASONS = {
    errno.EACCES: ("permission", "permission denied"),
    errno.EPERM: ("permission", "permission denied"),
    errno.EROFS: ("read_only", "read-only file system"),
    errno.ENOSPC: ("no_space", "no space left on the device"),
    errno.EDQUOT: ("quota", "disk quota exceeded"),
    errno.ENOENT: ("no_folder", "the folder does not exist"),
    errno.ENOTDIR: ("not_folder", "a part of the path is not a folder"),
    errno.EISDIR: ("is_folder", "that path is a folder"),
    errno.ENAMETOOLONG: ("too_long", "the name is too long"),
}


def _error(exc: OSError) -> SaveError:
    """The SaveError for an OS error: a known reason, or the system's own words."""
    known = _REASONS.get(exc.errno or 0)
    if known is None:
        return SaveError(exc.strerror or str(exc))
    key, reason = known
    return SaveError(reason, key)


def write_atomic(path: Path | str, text: str, overwrite: bool = False) -> Path:
    """Write text to path through a temporary file, so no partial file is ever left.

    Without overwrite, an existing target raises FileExists (checked again at the final link,
    so a file that appears meanwhile is not clobbered either). A symbolic link, a folder or any
    other non-regular file at the target raises SaveError, with or without overwrite.
    """
    if not str(path).strip():
        raise SaveError("no file name given", "empty")
    if not re.fullmatch(SAFE_INPUT, str(path)):  # also NUL, which os functions reject with ValueError
        raise SaveError("the name holds control characters", "control")
    target = Path(path).expanduser()
    name = target.name
    if name in ("", ".", ".."):  # "/", "dir/..": a folder, never a file name
        raise _error(OSError(errno.EISDIR, "is a directory"))
    try:
        folder = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise _error(exc) from None
    try:
        seen = _existing(folder, name)
        if seen is not None and not overwrite:
            raise FileExists(str(target))
        _write_in(folder, name, text, seen)
    except FileExistsError:  # the name was taken between the check and the final link
        raise FileExists(str(target)) from None
    except OSError as exc:
        if exc.errno == errno.ENOENT:  # the folder is there (it is open): it takes no new file, as /proc
            raise SaveError("files cannot be created in that folder", "cannot_create") from None
        raise _error(exc) from None
    finally:
        os.close(folder)
    return target


def _existing(folder: int, name: str) -> os.stat_result | None:
    """What the name is now (never following a link), or None if it is free; refuse anything but a regular file."""
    try:
        seen = os.lstat(name, dir_fd=folder)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(seen.st_mode):
        link = clean_line(os.readlink(name, dir_fd=folder))
        raise SaveError(f"it is a symbolic link to {link}; type that path to save there", "symlink", target=link)
    if stat.S_ISDIR(seen.st_mode):
        raise _error(OSError(errno.EISDIR, "is a directory"))
    if not stat.S_ISREG(seen.st_mode):
        raise SaveError("it is not a regular file (a device, a pipe or a socket), so it is never replaced", "special")
    return seen


def _write_in(folder: int, name: str, text: str, seen: os.stat_result | None) -> None:
    """Write a temporary file in the open folder, then put it in place: a new name, or over the checked file."""
    temporary, ours = _temporary(folder, name, text)
    try:
        if seen is None:
            _link_new(folder, temporary, name)
        else:
            _replace_checked(folder, temporary, name, seen)
    except BaseException:
        _discard(folder, temporary, ours)
        raise


def _temporary(folder: int, name: str, text: str) -> tuple[str, tuple[int, int]]:
    """A new, fully written and synced file with a short hidden name; return its name and (device, inode)."""
    import secrets  # here, not at the top: the UI imports this module at start and saves rarely (2 ms of imports)

    while True:
        # A short temporary name, so any name the file system allows can be saved.
        temporary = f".{name[:40]}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(
                temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=folder
            )
        except FileExistsError:
            continue
        break
    info = os.fstat(fd)
    ours = (info.st_dev, info.st_ino)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), 0o644 & ~_umask())
    except BaseException:
        _discard(folder, temporary, ours)
        raise
    return temporary, ours


def _link_new(folder: int, temporary: str, name: str) -> None:
    """Give the finished file its name only if the name is still free (a hard link, else an O_EXCL claim)."""
    try:
        os.link(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
            raise
        # A file system without hard links: claim the name (O_EXCL), then replace the claim.
        os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644, dir_fd=folder))
        _replace_checked(folder, temporary, name, os.lstat(name, dir_fd=folder))
    else:
        os.unlink(temporary, dir_fd=folder)


def _replace_checked(folder: int, temporary: str, name: str, seen: os.stat_result) -> None:
    """Put the temporary file in place of the regular file that was checked, and of nothing else."""
    if _exchange(folder, temporary, name):
        taken = os.lstat(temporary, dir_fd=folder)  # what was under the name at the moment of the swap
        if not _same_regular_file(taken, seen):
            _exchange(folder, temporary, name)  # put it back untouched
            raise SaveError("it changed while saving, so nothing was replaced", "changed")
        os.unlink(temporary, dir_fd=folder)
        return
    # No atomic exchange on this system or file system: check once more, right before the rename.
    if not _same_regular_file(os.lstat(name, dir_fd=folder), seen):
        raise SaveError("it changed while saving, so nothing was replaced", "changed")
    os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)


def _same_regular_file(now: os.stat_result, seen: os.stat_result) -> bool:
    return stat.S_ISREG(now.st_mode) and (now.st_dev, now.st_ino) == (seen.st_dev, seen.st_ino)


RENAME_EXCHANGE = 2  # linux/fs.h


def _exchange(folder: int, first: str, second: str) -> bool:
    """Swap two names in one atomic step (Linux renameat2); False where the system or file system cannot."""
    import ctypes  # only a confirmed overwrite needs it: saving a new file and starting up stay lean

    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(folder, os.fsencode(first), folder, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code))


def _discard(folder: int, temporary: str, ours: tuple[int, int]) -> None:
    """Remove the temporary file if that name still holds it (never what a failed swap left there)."""
    with contextlib.suppress(OSError):
        now = os.lstat(temporary, dir_fd=folder)
        if (now.st_dev, now.st_ino) == ours:
            os.unlink(temporary, dir_fd=folder)


def _umask() -> int:
    """The process umask (read without changing it for long)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
