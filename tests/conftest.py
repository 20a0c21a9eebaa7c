"""What the test files share: stores ingested once per test process, and the order the
slowest tests start in.

Many tests start from the same store (the sample's A&E months, the organisation lookup).
Ingesting it again for each test costs seconds each time, so `ingested` runs each distinct
`scorecard ingest` once per test process (each xdist worker) and hands back the store; a
test that writes to it (or only might) asks for its own copy with `into`, which is the same
file byte for byte, as a fresh ingest of the same files would be.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from stores import Ingested


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files holding a test marked `slow(seconds=...)` first, costliest first, each
    file's tests in their own order. With `--dist loadfile` and `--no-loadscope-reorder`
    (pyproject.toml) the two costliest files then start at once, one on each worker, and the
    many short files fill in around them, rather than a long file starting last and running
    on alone at the end."""
    cost: dict[Path, float] = {}
    for item in items:
        marker = item.get_closest_marker("slow")
        if marker is not None:
            seconds = float(marker.kwargs["seconds"])
            cost[item.path] = max(cost.get(item.path, 0.0), seconds)
    items.sort(key=lambda item: -cost.get(item.path, 0.0))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ingested]:
    """`ingested(*paths)`: the store that `scorecard ingest PATHS --db STORE` makes, made
    once per test process and shared, so open it read-only; `ingested(*paths, into=file)`:
    a copy of it at `file`, the test's own to write to. The shared stores are checked to be
    unchanged, byte for byte, at the end of the session."""
    # Imported here, not at the top: with xdist the controlling process loads this file
    # too but runs no test, and need not import the package (and polars, DuckDB) first.
    from typer.testing import CliRunner

    from scorecard.cli import app

    runner = CliRunner()
    made: dict[tuple[str, ...], tuple[Path, str]] = {}

    def ingest(*paths: Path, into: Path | None = None) -> Path:
        key = tuple(map(str, paths))
        if key not in made:
            db = tmp_path_factory.mktemp("ingested") / "store.duckdb"
            result = runner.invoke(app, ["ingest", *key, "--db", str(db)])
            assert result.exit_code == 0, result.output
            assert not db.with_name(db.name + ".wal").exists()
            made[key] = (db, _sha(db))
        shared = made[key][0]
        if into is None:
            return shared
        into.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shared, into)
        return into

    yield ingest
    for db, sha in made.values():
        assert _sha(db) == sha, f"a test wrote to the shared store {db}"
