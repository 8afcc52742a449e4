"""Saving a transcript: no silent overwrite, a clear message for every failure, no partial file, the app keeps running.

Root ignores file permissions, so a "read-only directory" is a read-only tmpfs mounted for the
test, and a "full disk" is a 16 KiB tmpfs filled to the brim; both need root (and are skipped
without it). The same failures are also produced by patching the os calls, which runs anywhere.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from robust_helpers import assert_screen_matches, wait_until
from textual.widgets import Input, Static

from billing_tui import files
from billing_tui.files import FileExists, SaveError, write_atomic
from billing_tui.ui.app import BillingApp, create_app
from billing_tui.ui.screens.save import SaveDialog

TEXT = "# Transcript\n\nsaved by a test\n"


def leftovers(folder: Path) -> list[str]:
    """Temporary files a failed save would have left behind."""
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] if folder.is_dir() else []


@contextlib.contextmanager
def tmpfs(where: Path, options: str) -> Iterator[Path]:
    """Mount a tmpfs at where for the duration (root only), and always unmount it."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        if subprocess.run(["umount", str(where)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(where)], capture_output=True)


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "ro", "ro,size=64k") as where:
        yield where


@pytest.fixture
def full_dir(tmp_path: Path) -> Iterator[Path]:
    """A 16 KiB tmpfs with no space left in it."""
    with tmpfs(tmp_path / "full", "size=16k") as where:
        with contextlib.suppress(OSError), (where / "filler").open("wb") as filler:
            while True:
                filler.write(b"x" * 4096)
                filler.flush()
        yield where


# -- write_atomic ------------------------------------------------------------------------------


def test_an_existing_file_is_not_overwritten_silently(tmp_path: Path) -> None:
    target = tmp_path / "t.md"
    target.write_text("precious", encoding="utf-8")
    with pytest.raises(FileExists):
        write_atomic(target, TEXT)
    assert target.read_text(encoding="utf-8") == "precious" and not leftovers(tmp_path)
    write_atomic(target, TEXT, overwrite=True)
    assert target.read_text(encoding="utf-8") == TEXT and not leftovers(tmp_path)


def test_a_file_that_appears_meanwhile_is_not_clobbered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The target is created between the existence check and the final link: still FileExists, nothing lost."""
    target = tmp_path / "race.md"
    real_temporary = files._temporary

    def temporary_then_race(*args: Any, **kwargs: Any) -> tuple[str, tuple[int, int]]:
        made = real_temporary(*args, **kwargs)
        target.write_text("theirs", encoding="utf-8")
        return made

    monkeypatch.setattr(files, "_temporary", temporary_then_race)
    with pytest.raises(FileExists):
        write_atomic(target, TEXT)
    assert target.read_text(encoding="utf-8") == "theirs" and not leftovers(tmp_path)


def test_a_read_only_directory(read_only_dir: Path) -> None:
    with pytest.raises(SaveError, match="read-only file system"):
        write_atomic(read_only_dir / "t.md", TEXT)
    assert list(read_only_dir.iterdir()) == []


@pytest.mark.parametrize(("code", "reason"), [(errno.EACCES, "permission denied"), (errno.EROFS, "read-only")])
def test_an_unwritable_directory_by_mock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, reason: str
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> tuple[str, tuple[int, int]]:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(files, "_temporary", refuse)
    with pytest.raises(SaveError, match=reason):
        write_atomic(tmp_path / "t.md", TEXT)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="the folder does not exist"):
        write_atomic(tmp_path / "nowhere" / "t.md", TEXT)
    assert list(tmp_path.iterdir()) == []


def test_a_path_through_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(SaveError, match="not a folder"):
        write_atomic(tmp_path / "file" / "t.md", TEXT)


def test_a_path_that_is_a_directory(tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="that path is a folder"):
        write_atomic(tmp_path, TEXT)
    with pytest.raises(SaveError, match="that path is a folder"):
        write_atomic(tmp_path, TEXT, overwrite=True)
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk(full_dir: Path) -> None:
    before = sorted(p.name for p in full_dir.iterdir())
    with pytest.raises(SaveError, match="no space left on the device"):
        write_atomic(full_dir / "t.md", TEXT * 1000)
    assert sorted(p.name for p in full_dir.iterdir()) == before  # the temporary file is gone


@pytest.mark.parametrize("failing", ["fsync", "link", "fchmod", "_exchange"])
def test_a_failure_after_the_temporary_file_removes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """ENOSPC (or EIO) at any later step: a clear message, the temporary file is removed, an old file kept."""

    def fail(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC if failing == "fsync" else errno.EIO, "simulated")

    replacing = failing == "_exchange"  # the atomic swap of a confirmed overwrite
    if replacing:
        (tmp_path / "t.md").write_text("precious", encoding="utf-8")
    monkeypatch.setattr(files if replacing else files.os, failing, fail)
    with pytest.raises(SaveError) as caught:
        write_atomic(tmp_path / "t.md", TEXT, overwrite=replacing)
    assert str(caught.value) in ("no space left on the device", "simulated")
    assert [p.name for p in tmp_path.iterdir()] == (["t.md"] if replacing else [])
    if replacing:
        assert (tmp_path / "t.md").read_text(encoding="utf-8") == "precious"


@pytest.mark.parametrize(
    "name", ["x\x00y.md", "x\x1b]52;c;SGk=\x07.md", "x\x9b31m.md", "x\u202etxt.md", "tab\there.md", "a\nb.md"]
)
def test_a_name_with_control_characters_is_refused(tmp_path: Path, name: str) -> None:
    """Found by the tests: NUL raised ValueError (not OSError) out of write_atomic, and ESC, C1 or bidi characters
    went into the file's name, to be printed raw by a later `ls` or shell completion."""
    with pytest.raises(SaveError, match="control characters"):
        write_atomic(tmp_path / name, TEXT)
    assert list(tmp_path.iterdir()) == []


def test_the_longest_name_the_file_system_allows_saves(tmp_path: Path) -> None:
    """Found by the tests: the temporary name added ~13 characters, so names of 243-255 characters failed."""
    target = tmp_path / ("n" * 252 + ".md")
    assert write_atomic(target, TEXT) == target and target.read_text(encoding="utf-8") == TEXT
    assert not leftovers(tmp_path)


@pytest.mark.parametrize("name", ["n" * 300 + ".md", "d" * 300 + "/t.md"])
def test_a_name_longer_than_the_file_system_allows(tmp_path: Path, name: str) -> None:
    """Found by the tests: Path.is_dir() raised OSError(ENAMETOOLONG) out of write_atomic (the app would crash)."""
    with pytest.raises(SaveError, match="the name is too long"):
        write_atomic(tmp_path / name, TEXT)


def test_no_name(tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="no file name"):
        write_atomic("  ", TEXT)


# -- the save dialog ------------------------------------------------------------------------------


def message(app: BillingApp) -> str:
    return str(app.screen.query_one("#save-message", Static).render())


async def open_save_dialog(app: BillingApp, pilot: Any) -> SaveDialog:
    await pilot.press("1")  # billing-center: subscriptions -> the billing-admin verdict
    await pilot.press("s")
    await wait_until(pilot, lambda: isinstance(app.screen, SaveDialog))
    return app.screen  # type: ignore[return-value]


async def submit(pilot: Any, dialog: SaveDialog, path: Path | str) -> None:
    dialog.query_one("#path", Input).value = str(path)
    await pilot.press("enter")
    await pilot.pause()


async def assert_still_usable(app: BillingApp, pilot: Any) -> None:
    """The dialog closes with Escape and the wizard still answers keys."""
    await pilot.press("escape")
    await wait_until(pilot, lambda: not isinstance(app.screen, SaveDialog))
    assert app.return_code is None and app.wizard.verdict is not None
    await pilot.press("b")
    assert app.wizard.question is not None
    assert_screen_matches(app)


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        (lambda tmp: tmp / "nowhere" / "t.md", "the folder does not exist"),
        (lambda tmp: tmp, "that path is a folder"),
        (lambda tmp: tmp / ("n" * 300), "the name is too long"),
    ],
)
async def test_the_dialog_explains_a_failure_and_stays(tmp_path: Path, where: Any, reason: str) -> None:
    app = create_app("en", flow="billing-center")
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await open_save_dialog(app, pilot)
        await submit(pilot, dialog, where(tmp_path))
        assert app.screen is dialog and reason in message(app), message(app)
        assert not leftovers(tmp_path)
        await assert_still_usable(app, pilot)


async def test_the_dialog_on_a_read_only_directory(read_only_dir: Path) -> None:
    app = create_app("en", flow="billing-center")
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await open_save_dialog(app, pilot)
        await submit(pilot, dialog, read_only_dir / "t.md")
        assert "read-only file system" in message(app)
        assert list(read_only_dir.iterdir()) == []
        await assert_still_usable(app, pilot)


async def test_the_dialog_on_a_full_disk(full_dir: Path) -> None:
    app = create_app("en", flow="billing-center")
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await open_save_dialog(app, pilot)
        await submit(pilot, dialog, full_dir / "t.md")
        assert "no space left on the device" in message(app), message(app)
        assert sorted(p.name for p in full_dir.iterdir()) == ["filler"]
        await assert_still_usable(app, pilot)


async def test_the_dialog_asks_before_replacing_a_file(tmp_path: Path) -> None:
    """First Enter: 'already exists, press Enter again'; editing the path cancels; a second Enter replaces."""
    target = tmp_path / "t.md"
    target.write_text("precious", encoding="utf-8")
    app = create_app("en", flow="billing-center")
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await open_save_dialog(app, pilot)
        await submit(pilot, dialog, target)
        assert "already exists" in message(app) and target.read_text(encoding="utf-8") == "precious"
        await submit(pilot, dialog, str(target) + "x")  # a different path: no pending confirmation carries over
        assert (tmp_path / "t.mdx").exists() and not isinstance(app.screen, SaveDialog)
        dialog = await open_save_dialog_again(app, pilot)
        await submit(pilot, dialog, target)
        assert "already exists" in message(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, SaveDialog))
        assert target.read_text(encoding="utf-8").startswith("# ") and not leftovers(tmp_path)
        assert app.return_code is None


async def open_save_dialog_again(app: BillingApp, pilot: Any) -> SaveDialog:
    await pilot.press("s")
    await wait_until(pilot, lambda: isinstance(app.screen, SaveDialog))
    return app.screen  # type: ignore[return-value]
