"""The type of the `ingested` fixture (tests/conftest.py), for the tests that take it, and
`unchanged`, for tests of commands that must leave a store as it was."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol


class Ingested(Protocol):
    """`ingested(*paths)`: a shared store of `paths`, ingested once per test process (open
    it read-only); `ingested(*paths, into=file)`: the test's own copy of it at `file`."""

    def __call__(self, *paths: Path, into: Path | None = None) -> Path: ...


def snapshot(db: Path) -> tuple[object, ...]:
    """Every row stored in the store file `db` (`Store.snapshot`)."""
    from scorecard.store import Store  # not at the top: conftest imports this file

    with Store.open(db, read_only=True) as store:
        return store.snapshot()


@contextmanager
def unchanged(db: Path) -> Iterator[None]:
    """Asserts that the block leaves every row stored in `db` as it was.

    The file's bytes are kept before the block. When the file has the same bytes after it,
    with no write-ahead log either time, not a row can have changed; otherwise (DuckDB may
    rewrite a file without changing a row) every stored row is compared with the kept
    copy's, as `snapshot` gives them. (Opening the store twice costs more than most of the
    refused commands these tests run, and the bytes are almost always the same.)"""
    wal = db.with_name(db.name + ".wal")
    if wal.exists():  # the file's bytes are not all of the store: compare the rows
        rows = snapshot(db)
        yield
        assert snapshot(db) == rows
        return
    before = db.read_bytes()
    yield
    if not wal.exists() and db.read_bytes() == before:
        return
    kept = db.with_name(db.name + ".before")
    kept.write_bytes(before)
    try:
        assert snapshot(db) == snapshot(kept)
    finally:
        kept.unlink()
