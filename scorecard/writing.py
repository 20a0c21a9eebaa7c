"""Writing files safely: a set of files all or none, with the permissions the umask gives.

Every file scorecard writes goes through `write_set`, or `stage` and `commit` for a batch
(every organisation's cards, written by several processes: scorecard.batch). Each file of
the set is written to a hidden temporary file in the output folder
(`.scorecard-tmp-<host>-<pid>-<random>`, created 0600), and only when every file of the set
is written are they all flushed to disk (together: one wait for the disk, not one a file;
a batch's by one flush of their filesystem where the OS has one, scorecard.disk_sync),
given the mode a newly created file gets (0666 less the umask) and renamed into place, the
last one last (a build's manifest). So a disk that fills, a folder that cannot be written
or a Ctrl-C leaves the set's previous files as they were and no new one; the temporary
files are removed on the way out. A process killed outright cannot clean up: its
temporary files are removed by the next write into the same folder on the same machine,
once no running process has the id written in their names.

An OSError becomes an OutputError: one line naming the path and the reason the OS gave.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socket
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from scorecard.disk_sync import sync_filesystem
from scorecard.errors import OutputError

TEMP_PREFIX = ".scorecard-tmp-"
HOST = re.sub(r"[^A-Za-z0-9.]", "_", socket.gethostname()) or "host"
_CLEARED: set[Path] = set()
SYNC_ALONE = 8  # a set of up to this many files is synced file by file; more, in threads
SYNC_THREADS = 32


def umask() -> int:
    """The process's umask (set back at once: the OS offers no other portable way to read it)."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode a newly created file gets: 0666 less the umask."""
    return 0o666 & ~umask()


def _failed(path: Path, exc: OSError, what: str) -> OutputError:
    reason = exc.strerror or str(exc) or type(exc).__name__
    return OutputError(f"{path}: cannot {what}: {reason}")


def check_folder(folder: Path) -> None:
    """One line now, before any work, if `folder` (or a folder above it) is a file; nothing
    is created (`output_folder` does that when the first file is written)."""
    for above in (folder, *folder.parents):
        if above.exists():
            if not above.is_dir():
                raise OutputError(
                    f"{above}: is a file, not a folder; --out names the folder to write into"
                )
            return


def output_folder(folder: Path) -> Path:
    """`folder`, created if absent (0777 less the umask, with its parents); stale temporary
    files of a crashed earlier write removed. One line when it is a file or cannot be made."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(
            f"{folder}: is a file, not a folder; --out names the folder to write into"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _failed(folder, exc, "create the output folder") from None
    if folder.resolve() not in _CLEARED:  # once per folder and process (a build of many cards)
        clear_stale(folder)
        _CLEARED.add(folder.resolve())
    return folder


def _owner(name: str) -> tuple[str, int] | None:
    """(host, pid) from a temporary file's name; None for any other name."""
    if not name.startswith(TEMP_PREFIX):
        return None
    parts = name[len(TEMP_PREFIX) :].split("-")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1])


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


def clear_stale(folder: Path) -> list[Path]:
    """Remove the temporary files a crashed write on this machine left in `folder`."""
    removed = []
    for entry in folder.glob(TEMP_PREFIX + "*"):
        owner = _owner(entry.name)
        if owner is None or owner[0] != HOST or _running(owner[1]):
            continue  # another machine's, or a write still running: not ours to remove
        with contextlib.suppress(OSError):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry)
    return removed


def stage(folder: Path, data: bytes) -> Path:
    """`data` in a new hidden temporary file in `folder` (mode 0600 until `commit` syncs it
    and gives it its mode); removed again if the write fails."""
    fd, name = tempfile.mkstemp(dir=folder, prefix=f"{TEMP_PREFIX}{HOST}-{os.getpid()}-")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def discard(staged: Sequence[tuple[Path, Path]]) -> None:
    """Remove staged temporary files (a set or batch that will not be committed)."""
    for tmp, _ in staged:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _sync_file(tmp: Path, mode: int) -> None:
    """A staged file's bytes on disk, then its mode."""
    fd = os.open(tmp, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    tmp.chmod(mode)


def _sync_all(staged: Sequence[tuple[Path, Path]], mode: int) -> None:
    """Sync every staged file (a batch's with one flush of their filesystem where the OS
    has one, else in threads: the disk takes the flushes together); raise the first
    failure in the set's order, with the final path it was for."""
    folders = {tmp.parent for tmp, _ in staged}
    if len(staged) > SYNC_ALONE and len(folders) == 1 and _synced_at_once(folders.pop()):
        for tmp, final in staged:
            try:
                tmp.chmod(mode)
            except OSError as error:
                raise _Failed(final, error) from None
        return
    if len(staged) <= SYNC_ALONE:
        for tmp, final in staged:
            try:
                _sync_file(tmp, mode)
            except OSError as error:
                raise _Failed(final, error) from None
        return
    with ThreadPoolExecutor(min(SYNC_THREADS, len(staged))) as pool:
        done = [pool.submit(_sync_file, tmp, mode) for tmp, _ in staged]
    for (_, final), future in zip(staged, done, strict=True):
        exc = future.exception()
        if isinstance(exc, OSError):
            raise _Failed(final, exc)
        if exc is not None:
            raise exc


def _synced_at_once(folder: Path) -> bool:
    """Everything written in `folder` flushed to disk by one call (disk_sync); False where
    the OS offers none."""
    try:
        return sync_filesystem(folder)
    except OSError as error:
        raise _Failed(folder, error) from None


class _Failed(Exception):
    """An OSError on the way to `path`."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(str(error))
        self.path, self.error = path, error


def _sync_folder(folder: Path) -> None:
    """Make the renames durable where the OS allows a folder to be synced."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def commit(folder: Path, staged: Sequence[tuple[Path, Path]]) -> list[Path]:
    """Put staged (temporary, final) files in place, all or none, in order; their paths.

    Every temporary file is synced to disk first, then each is renamed onto its final path.
    Should a rename still fail, the files already renamed are put back as they were (the
    previous ones are kept as hard links until every file is in place). The temporary files
    are removed either way; the folder is synced once at the end. A failure is one line
    naming the file, and how many files were not written.
    """
    kept: dict[Path, Path] = {}  # a file being replaced -> a hard link to its previous bytes
    placed: list[Path] = []
    target = folder
    try:
        _sync_all(staged, file_mode())
        for _, final in staged:
            kept.update(_keep(folder, final))
        for tmp, final in staged:
            target = final
            tmp.replace(final)
            placed.append(final)
    except _Failed as failed:
        raise set_failed(failed.path, failed.error, len(staged)) from None
    except OSError as exc:
        _put_back(placed, kept)
        raise set_failed(target, exc, len(staged)) from None
    finally:
        discard(staged)
        for link in kept.values():
            link.unlink(missing_ok=True)
    _sync_folder(folder)
    return [final for _, final in staged]


def set_failed(path: Path, exc: OSError, files: int) -> OutputError:
    """The one line for a set of `files` files that could not be written at `path`."""
    error = _failed(path, exc, "write")
    if files > 1:
        error = OutputError(f"{error}; none of the {files} files of this set was written")
    return error


def stage_set(
    folder: Path, files: Sequence[tuple[str, bytes]], total: int | None = None
) -> list[tuple[Path, Path]]:
    """Each (name, bytes) in a temporary file in `folder` (which exists); the (temporary,
    final) pairs for `commit`. If one cannot be written, none of them is left, and the one
    line says that none of the `total` files (default: these) was written."""
    staged: list[tuple[Path, Path]] = []
    target = folder
    try:
        for name, data in files:
            target = folder / name
            if target.is_dir():
                raise IsADirectoryError(21, "a folder has this name")
            staged.append((stage(folder, data), target))
    except OSError as exc:
        discard(staged)
        raise set_failed(target, exc, len(files) if total is None else total) from None
    except BaseException:
        discard(staged)
        raise
    return staged


def write_set(folder: Path, files: Sequence[tuple[str, bytes]]) -> list[Path]:
    """Write every (name, bytes) into `folder`, all or none, in order; their paths.

    Every file is written to a temporary file first, then all are synced, and only then
    renamed into place (`commit`).
    """
    output_folder(folder)
    return commit(folder, stage_set(folder, files))


def _keep(folder: Path, final: Path) -> dict[Path, Path]:
    """A hard link to `final`'s present bytes, to put back should the set fail part way."""
    if not final.is_file():
        return {}
    link = folder / f"{TEMP_PREFIX}{HOST}-{os.getpid()}-{secrets.token_hex(6)}"
    try:
        link.hardlink_to(final)
    except OSError:
        return {}  # a file system without hard links: the new file is then removed instead
    return {final: link}


def _put_back(placed: list[Path], kept: dict[Path, Path]) -> None:
    for path in placed:
        with contextlib.suppress(OSError):
            if path in kept:
                kept[path].replace(path)
            else:
                path.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> Path:
    """Write one file through a temporary file in the same folder and a rename."""
    return write_set(path.parent, [(path.name, data)])[0]
