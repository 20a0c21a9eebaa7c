"""A batch's files flushed to disk by one call (scorecard/disk_sync.py, Linux's syncfs)
where the OS reports its failures, and file by file everywhere else."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from scorecard import disk_sync, writing
from scorecard.errors import OutputError

FILES = 40  # more than writing.SYNC_ALONE: a batch


def _staged(folder: Path) -> list[tuple[Path, Path]]:
    return [(writing.stage(folder, b"x" * n), folder / f"f{n}.txt") for n in range(FILES)]


@pytest.mark.skipif(disk_sync.syncfs() is None, reason="no syncfs that reports errors here")
def test_a_batch_is_flushed_by_one_call_not_a_call_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real_fsync, real_syncfs = os.fsync, disk_sync.syncfs()
    assert real_syncfs is not None

    def fsync(fd: int) -> None:
        calls.append("fsync")
        real_fsync(fd)

    def syncfs(fd: int) -> None:
        calls.append("syncfs")
        real_syncfs(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(disk_sync, "syncfs", lambda: syncfs)
    paths = writing.commit(tmp_path, _staged(tmp_path))
    assert calls == ["syncfs", "fsync"]  # the files' filesystem, then the folder's renames
    assert [p.read_bytes() for p in paths] == [b"x" * n for n in range(FILES)]
    mode = writing.file_mode()
    assert all(p.stat().st_mode & 0o777 == mode for p in paths)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(writing.TEMP_PREFIX)]


def test_without_syncfs_each_file_is_flushed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flushed = [0]
    real = os.fsync

    def fsync(fd: int) -> None:
        flushed[0] += 1
        real(fd)

    monkeypatch.setattr(disk_sync, "syncfs", lambda: None)
    monkeypatch.setattr(os, "fsync", fsync)
    writing.commit(tmp_path, _staged(tmp_path))
    assert flushed[0] == FILES + 1  # each file, then the folder


def test_a_failed_flush_writes_none_of_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "f3.txt").write_bytes(b"before")

    def syncfs(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(disk_sync, "syncfs", lambda: syncfs)
    with pytest.raises(OutputError) as info:
        writing.commit(tmp_path, _staged(tmp_path))
    assert str(info.value) == (
        f"{tmp_path}: cannot write: {os.strerror(errno.EIO)}; "
        f"none of the {FILES} files of this set was written"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["f3.txt"]
    assert (tmp_path / "f3.txt").read_bytes() == b"before"


@pytest.mark.parametrize(
    ("release", "version"),
    [("6.18.44-fc-v1147", (6, 18)), ("5.8.0", (5, 8)), ("4.19.0-26-amd64", (4, 19)), ("x", (0, 0))],
)
def test_the_kernel_version_is_read_from_its_release(
    monkeypatch: pytest.MonkeyPatch, release: str, version: tuple[int, int]
) -> None:
    real = os.uname()
    fake = os.uname_result((real.sysname, real.nodename, release, real.version, real.machine))
    monkeypatch.setattr(os, "uname", lambda: fake)
    assert disk_sync.kernel() == version


def test_an_older_kernel_is_synced_file_by_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before Linux 5.8, syncfs does not report a failed write: it is not used."""
    monkeypatch.setattr(disk_sync, "kernel", lambda: (5, 7))
    disk_sync.syncfs.cache_clear()
    try:
        assert disk_sync.syncfs() is None
    finally:
        disk_sync.syncfs.cache_clear()
