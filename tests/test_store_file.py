"""The store file itself: what `--db` names is checked before anything is written to it.

An analyst's own DuckDB database, a store of another version, a store whose bytes are
damaged or cut short, an empty or non-database file: every command refuses it in one line
naming the file and what to do, exits 1, and leaves every byte of the file as it was (its
SHA-256 before and after), with no write-ahead log beside it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from stores import Ingested
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.store import Store
from scorecard.store.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[1]
AE = sorted((ROOT / "data" / "ae").glob("*.csv"))
ORGS = ROOT / "data" / "orgs" / "System-Mapping.csv"
runner = CliRunner()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def store(ingested: Ingested, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingested(*AE, ORGS, into=tmp_path_factory.mktemp("good") / "store.duckdb")


def _commands(db: Path, out: Path) -> dict[str, list[str]]:
    at = ["--db", str(db)]
    return {
        "ingest": ["ingest", str(AE[-1]), *at],
        "values": ["values", "--org", "ENG", *at],
        "build": ["build", "--org", "ENG", "--period", "2025-09", "--out", str(out), *at],
        "history": ["history", "ae_4hr_all_pct", "--period", "2025-09", *at],
        "explain": ["explain", "ae_4hr_all_pct", "--period", "2025-09", *at],
        "chart": ["chart", "ae_4hr_all_pct", "--period", "2025-09", "--out", str(out), *at],
    }


def _refused_by_every_command(db: Path, tmp_path: Path, *words: str) -> None:
    """Each command: exit 1, one line naming the file and saying `words`, not a byte
    changed, no write-ahead log, no output written."""
    before = _sha(db)
    out = tmp_path / "out"
    for name, args in _commands(db, out).items():
        result = runner.invoke(app, args)
        lines = result.stderr.strip().splitlines()
        assert result.exit_code == 1, (name, result.output)
        assert len(lines) == 1 and lines[0].startswith(f"error: {db}: "), (name, lines)
        assert all(w in lines[0] for w in words), (name, lines[0])
        assert _sha(db) == before, name
        assert not db.with_name(db.name + ".wal").exists(), name
    assert not out.exists() or not list(out.iterdir())


def _database(path: Path, *statements: str) -> Path:
    con = duckdb.connect(str(path))
    for sql in statements:
        con.execute(sql)
    con.close()
    return path


def test_an_analysts_own_database_is_never_written(tmp_path: Path) -> None:
    db = _database(
        tmp_path / "warehouse.duckdb",
        "CREATE TABLE sales (region VARCHAR, amount DOUBLE)",
        "INSERT INTO sales VALUES ('North', 12.5)",
        "CREATE VIEW north AS SELECT * FROM sales WHERE region = 'North'",
    )
    _refused_by_every_command(db, tmp_path, "not a scorecard store", "sales", "new file")


def test_a_database_with_its_own_meta_table_is_not_a_store(tmp_path: Path) -> None:
    db = _database(
        tmp_path / "other.duckdb",
        "CREATE TABLE meta (name VARCHAR, created DATE)",
        "INSERT INTO meta VALUES ('my project', DATE '2024-01-01')",
    )
    _refused_by_every_command(db, tmp_path, "not a scorecard store")


def test_a_store_of_another_version_is_refused_and_untouched(store: Path, tmp_path: Path) -> None:
    db = tmp_path / "older.duckdb"
    shutil.copy(store, db)
    older = str(int(SCHEMA_VERSION) - 1)
    _database(db, f"UPDATE meta SET value = '{older}' WHERE key = 'schema_version'")
    _refused_by_every_command(db, tmp_path, f"store version {older}", "new --db file")


def _cut(fraction: float) -> Callable[[bytes], bytes]:
    return lambda data: data[: int(len(data) * fraction)]


def _scramble(data: bytes, offset: int) -> bytes:
    block = bytes(b ^ 0x5A for b in data[offset : offset + 4096])
    return data[:offset] + block + data[offset + 4096 :]


def _scrambled_block(offset: int) -> Callable[[bytes], bytes]:
    return lambda data: _scramble(data, offset)


@pytest.mark.parametrize(
    "damage",
    [_cut(0.3), _cut(0.6), _cut(0.9), _cut(0.01), _scrambled_block(0), _scrambled_block(8192)],
    ids=["cut-30%", "cut-60%", "cut-90%", "cut-to-a-header", "header-0", "header-8192"],
)
def test_a_damaged_or_cut_short_store_is_one_line_for_every_command(
    store: Path, tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    db = tmp_path / "damaged.duckdb"
    db.write_bytes(damage(store.read_bytes()))
    _refused_by_every_command(db, tmp_path, "damaged", "--db")


def _damaged_data_block(store: Path, db: Path) -> None:
    """Write to `db` the store with one block of stored figures scrambled: the file opens,
    and the damage is found only when a command reads those figures."""
    data = store.read_bytes()
    for offset in range(3 * 4096, len(data), 4096 * 16):
        db.write_bytes(_scramble(data, offset))
        try:
            con = duckdb.connect(str(db), read_only=True)
        except duckdb.Error:
            continue  # found at open: the other test's case
        try:
            con.execute("SELECT value FROM meta").fetchall()
            con.execute("SELECT bit_xor(hash(COLUMNS(*))) FROM observations").fetchall()
        except duckdb.Error:
            return
        finally:
            con.close()
    pytest.fail("no block of stored figures found to damage")


def test_damage_found_while_a_command_reads_is_one_line(store: Path, tmp_path: Path) -> None:
    db = tmp_path / "damaged.duckdb"
    _damaged_data_block(store, db)
    before = _sha(db)
    failed = []
    for name, args in _commands(db, tmp_path / "out").items():
        result = runner.invoke(app, args)
        lines = result.stderr.strip().splitlines()
        assert result.exception is None or isinstance(result.exception, SystemExit), name
        if result.exit_code:
            assert len(lines) == 1 and lines[0].startswith(f"error: {db}: "), (name, lines)
            assert "damaged or cut short" in lines[0], lines
            failed.append(name)
        assert _sha(db) == before, name
    assert "ingest" in failed  # read through before anything is written
    assert "values" in failed  # every figure for England is read


@pytest.mark.parametrize("content", [b"", b"Code,Name\nRJ1,Guy's\n"], ids=["empty", "csv"])
def test_a_file_that_is_not_a_database_is_one_line(tmp_path: Path, content: bytes) -> None:
    db = tmp_path / "scorecard.duckdb"
    db.write_bytes(content)
    _refused_by_every_command(db, tmp_path, "not a DuckDB database file")


def test_an_empty_duckdb_database_becomes_a_store(tmp_path: Path) -> None:
    db = _database(tmp_path / "new.duckdb")
    result = runner.invoke(app, ["ingest", str(AE[-1]), "--db", str(db)])
    assert result.exit_code == 0, result.output
    with Store.open(db, read_only=True) as opened:
        assert opened.months()


def test_opening_a_good_store_for_writing_changes_nothing_until_it_writes(store: Path) -> None:
    before = _sha(store)
    with Store.open(store):
        pass
    assert _sha(store) == before


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes and umask")
def test_a_new_store_has_the_mode_the_umask_gives(tmp_path: Path) -> None:
    before = os.umask(0o027)
    try:
        db = tmp_path / "shared" / "store.duckdb"
        db.parent.mkdir()
        result = runner.invoke(app, ["ingest", str(AE[-1]), "--db", str(db)])
    finally:
        os.umask(before)
    assert result.exit_code == 0, result.output
    assert db.stat().st_mode & 0o777 == 0o640
