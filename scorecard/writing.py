"""Writing files safely: a set of files all or none, with the permissions the umask gives.

Every file scorecard writes goes through `write_set`. Each file of the set is written to a
hidden temporary file in the output folder (`.scorecard-tmp-<host>-<pid>-<random>`),
flushed to disk, given the mode a newly created file gets (0666 less the umask; a temporary
file is created 0600), and only when every file of the set is written are they renamed into
place, the last one last (a build's manifest). So a disk that fills, a folder that cannot
be written or a Ctrl-C leaves the set's previous files as they were and no new one; the
temporary files are removed on the way out. A process killed outright cannot clean up: its
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
from pathlib import Path

from scorecard.errors import OutputError

TEMP_PREFIX = ".scorecard-tmp-"
HOST = re.sub(r"[^A-Za-z0-9.]", "_", socket.gethostname()) or "host"
_CLEARED: set[Path] = set()


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


def _write_temp(folder: Path, data: bytes, mode: int) -> Path:
    """`data` in a new hidden temporary file in `folder`, on disk, with `mode`."""
    fd, name = tempfile.mkstemp(dir=folder, prefix=f"{TEMP_PREFIX}{HOST}-{os.getpid()}-")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.chmod(mode)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _sync_folder(folder: Path) -> None:
    """Make the renames durable where the OS allows a folder to be synced."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_set(folder: Path, files: Sequence[tuple[str, bytes]]) -> list[Path]:
    """Write every (name, bytes) into `folder`, all or none, in order; their paths.

    Every file is written to a temporary file first; only then are they renamed into place.
    Should a rename still fail, the files already renamed are put back as they were (the
    previous ones are kept as hard links until the set is in place).
    """
    output_folder(folder)
    mode = file_mode()
    staged: list[tuple[Path, Path]] = []
    kept: dict[Path, Path] = {}  # a file being replaced -> a hard link to its previous bytes
    placed: list[Path] = []
    target = folder
    try:
        for name, data in files:
            target = folder / name
            if target.is_dir():
                raise IsADirectoryError(21, "a folder has this name")
            staged.append((_write_temp(folder, data, mode), target))
        for _, final in staged:
            kept.update(_keep(folder, final))
        for tmp, final in staged:
            target = final
            tmp.replace(final)
            placed.append(final)
    except OSError as exc:
        _put_back(placed, kept)
        error = _failed(target, exc, "write")
        if len(files) > 1:
            error = OutputError(f"{error}; none of the {len(files)} files of this set was written")
        raise error from None
    finally:
        for tmp in [t for t, _ in staged] + list(kept.values()):
            tmp.unlink(missing_ok=True)
    _sync_folder(folder)
    return [final for _, final in staged]


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
