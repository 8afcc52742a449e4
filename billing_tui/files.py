"""Write files atomically and refuse to overwrite silently; failures become one clear sentence, never a traceback."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from datetime import datetime
from pathlib import Path

from billing_tui.flow.sanitize import SAFE_INPUT


class SaveError(Exception):
    """A file could not be written; the message is a short reason for the user."""


class FileExists(SaveError):
    """The target exists and overwriting was not confirmed."""


def default_transcript_name(flow_id: str | None, now: datetime | None = None) -> str:
    """The suggested transcript file name: ./billing-contact-<flow>-<timestamp>.md."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"./billing-contact-{flow_id or 'home'}-{stamp}.md"


def _reason(exc: OSError) -> str:
    """A short, human reason for an OS error."""
    reasons = {
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "read-only file system",
        errno.ENOSPC: "no space left on the device",
        errno.EDQUOT: "disk quota exceeded",
        errno.ENOENT: "the folder does not exist",
        errno.ENOTDIR: "a part of the path is not a folder",
        errno.EISDIR: "that path is a folder",
        errno.ENAMETOOLONG: "the name is too long",
    }
    return reasons.get(exc.errno or 0, exc.strerror or str(exc))


def write_atomic(path: Path | str, text: str, overwrite: bool = False) -> Path:
    """Write text to path through a temporary file and a rename, so no partial file is ever left.

    Without overwrite, an existing target raises FileExists (checked again at the
    final link, so a file that appears meanwhile is not clobbered either).
    """
    if not str(path).strip():
        raise SaveError("no file name given")
    if not re.fullmatch(SAFE_INPUT, str(path)):  # also NUL, which os functions reject with ValueError
        raise SaveError("the name holds control characters")
    target = Path(path).expanduser()
    try:  # is_dir and exists raise for some errors, e.g. a name longer than the file system allows
        is_dir, exists = target.is_dir(), target.exists()
    except OSError as exc:
        raise SaveError(_reason(exc)) from None
    if is_dir:
        raise SaveError(_reason(OSError(errno.EISDIR, "is a directory")))
    if exists and not overwrite:
        raise FileExists(str(target))
    folder = target.parent
    try:
        # A short temporary name, so any name the file system allows can be saved.
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise SaveError(_reason(exc)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644 & ~_umask())
        if overwrite:
            os.replace(tmp_name, target)
        else:
            _link_exclusive(tmp_name, target)
    except FileExistsError:
        _discard(tmp_name)
        raise FileExists(str(target)) from None
    except OSError as exc:
        _discard(tmp_name)
        raise SaveError(_reason(exc)) from None
    return target


def _link_exclusive(tmp_name: str, target: Path) -> None:
    """Move the finished file into place only if the target does not exist (hard link, or O_EXCL claim)."""
    try:
        os.link(tmp_name, target)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
            raise
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        os.replace(tmp_name, target)
    else:
        os.unlink(tmp_name)


def _discard(tmp_name: str) -> None:
    """Remove a temporary file, ignoring a file that is already gone."""
    with contextlib.suppress(OSError):
        os.unlink(tmp_name)


def _umask() -> int:
    """The process umask (read without changing it for long)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
