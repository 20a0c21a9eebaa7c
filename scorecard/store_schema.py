"""The store's tables, its version, and the views that pick each month's publication.

Every publication ever ingested is kept (a revision never deletes the one before). The
`current_*` views show, for each dataset, scope and month, the newest publication ingested
up to a moment: now, or an earlier time for `--as-of`. Every read goes through them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from scorecard.errors import StoreError

SCHEMA_VERSION = "3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS loads (
    load_id INTEGER PRIMARY KEY, file VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
    format VARCHAR NOT NULL, dataset VARCHAR NOT NULL, scope VARCHAR NOT NULL,
    basis VARCHAR NOT NULL, period DATE, rows INTEGER NOT NULL, status VARCHAR,
    ingested_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS observations (
    dataset VARCHAR NOT NULL, period DATE NOT NULL, org_code VARCHAR NOT NULL,
    measure VARCHAR NOT NULL, value DOUBLE NOT NULL, load_id INTEGER NOT NULL,
    PRIMARY KEY (load_id, period, org_code, measure));
CREATE TABLE IF NOT EXISTS orgs (
    dataset VARCHAR NOT NULL, period DATE NOT NULL, org_code VARCHAR NOT NULL,
    org_name VARCHAR NOT NULL, parent_name VARCHAR, rows VARCHAR, load_id INTEGER NOT NULL,
    PRIMARY KEY (load_id, period, org_code));
CREATE TABLE IF NOT EXISTS measure_rows (
    period DATE NOT NULL, org_code VARCHAR NOT NULL, measure VARCHAR NOT NULL,
    rows VARCHAR NOT NULL, load_id INTEGER NOT NULL,
    PRIMARY KEY (load_id, period, org_code, measure));
CREATE TABLE IF NOT EXISTS comments (
    dataset VARCHAR NOT NULL, period DATE NOT NULL, org_code VARCHAR NOT NULL,
    indicator_id VARCHAR NOT NULL, comment VARCHAR NOT NULL, load_id INTEGER NOT NULL,
    PRIMARY KEY (load_id, period, org_code, indicator_id));
CREATE TABLE IF NOT EXISTS links (
    org_code VARCHAR NOT NULL, org_name VARCHAR, parent_code VARCHAR NOT NULL,
    parent_name VARCHAR, parent_level VARCHAR NOT NULL, load_id INTEGER NOT NULL,
    PRIMARY KEY (load_id, org_code, parent_level));
"""
TABLES = ("loads", "observations", "orgs", "links", "comments", "measure_rows")


def as_of_views(con: duckdb.DuckDBPyConnection, as_of: dt.datetime | None) -> None:
    """(Re)define the current_* views: the newest publication ingested up to `as_of`."""
    when = "" if as_of is None else f"WHERE ingested_at <= TIMESTAMP '{as_of.isoformat(' ')}'"
    con.execute(
        "CREATE OR REPLACE TEMP VIEW current_loads AS SELECT * FROM loads "
        f"{when} QUALIFY row_number() OVER "
        "(PARTITION BY dataset, scope, period ORDER BY load_id DESC) = 1"
    )
    for table in TABLES[1:]:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW current_{table} AS SELECT t.* FROM {table} t "
            "SEMI JOIN current_loads c ON t.load_id = c.load_id"
        )


def connect(path: Path | None, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A connection to the store file (None: in memory); one line when another has it."""
    if path is not None and read_only and not path.exists():
        raise StoreError(f"{path}: no store here; run `scorecard ingest FILE... --db {path}`")
    try:
        return duckdb.connect(":memory:" if path is None else str(path), read_only=read_only)
    except duckdb.Error as exc:
        text = str(exc)
        if "lock" in text.lower():
            pid = text.split("PID ")[-1].split(")")[0].strip() if "PID " in text else ""
            who = f" (process {pid})" if pid.isdigit() else ""
            raise StoreError(
                f"{path}: the store is in use by another build or ingest{who}; "
                "try again when it has finished"
            ) from None
        first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
        raise StoreError(f"{path}: cannot open the store: {first}") from None


def create(con: duckdb.DuckDBPyConnection) -> None:
    with transaction(con):
        con.execute(SCHEMA)
        con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])


def check_version(con: duckdb.DuckDBPyConnection, path: Path | None) -> None:
    try:
        rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    except duckdb.Error:
        rows = []
    row = rows[0] if rows else None
    if row is None or row[0] != SCHEMA_VERSION:
        con.close()
        found = "no scorecard store" if row is None else f"store version {row[0]}"
        raise StoreError(
            f"{path}: {found}, expected store version {SCHEMA_VERSION}; "
            "ingest the files again into a new --db file"
        )


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All or nothing: any exception (Ctrl-C included) rolls back before it propagates."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
