"""The bundled sample's store, built once and kept in the user's cache.

Every command run without `--db` (and with no ./scorecard.duckdb) reads the bundled sample.
Reading and validating its files takes seconds, so the store made from them is kept at
`<cache>/scorecard/sample-<key>.duckdb`: `<cache>` is `$SCORECARD_CACHE`, else
`$XDG_CACHE_HOME`, else `~/.cache`. The key is the SHA-256 of the sample files (names and
bytes), of the package's own source and of its version, so a change to any of them gives a
new key and a stale store is never used. The store is written to a temporary file and
renamed into place, so a reader never sees half of one and two processes building it at once
both end with a whole one. Where the cache cannot be written, there is none (None).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path

from scorecard import __version__
from scorecard.store import Store

_PACKAGE = Path(__file__).resolve().parent
CACHE_VARIABLE = "SCORECARD_CACHE"


def cache_dir() -> Path:
    """Where the sample store is kept."""
    named = os.environ.get(CACHE_VARIABLE) or os.environ.get("XDG_CACHE_HOME")
    return (Path(named) if named else Path.home() / ".cache") / "scorecard"


def sample_key(files: Sequence[Path]) -> str:
    """The SHA-256 of the sample files, the package's source and its version."""
    digest = hashlib.sha256(f"scorecard {__version__}\n".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\n")
        digest.update(path.read_bytes())
    for path in files:
        digest.update(f"{path.parent.name}/{path.name}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def sample_store(files: Sequence[Path], fill: Callable[[Store], None]) -> Path | None:
    """The cached sample store for `files`, built with `fill` when absent; None when the
    cache folder cannot be written (the caller builds the sample in memory instead)."""
    path = cache_dir() / f"sample-{sample_key(files)[:32]}.duckdb"
    if path.is_file():
        return path
    temporary = path.with_name(f".{path.stem}-{os.getpid()}-{secrets.token_hex(4)}.duckdb")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with Store.open(temporary) as store:
            fill(store)
        temporary.replace(path)
        for older in path.parent.glob("sample-*.duckdb"):  # of earlier versions or samples
            if older != path:
                with contextlib.suppress(OSError):
                    older.unlink()
    except OSError:
        return None
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + ".wal")):
            with contextlib.suppress(OSError):
                leftover.unlink()
    return path
