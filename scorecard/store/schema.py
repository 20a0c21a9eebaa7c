"""The store's tables, its version, and the views that pick each month's publication.

Every publication ever ingested is kept (a revision never deletes the one before). The
`current_*` views show the figures a build uses, as the store stood at a moment (now, or an
earlier time for `--as-of`): for each dataset, scope and month the publication that ranks
first (`scorecard.precedence`: publication, then revision, then the later ingest), and for
each dataset, month and measure the first-ranked of those that hold it (a level's own
printed rows, `level_of`, ranked apart from the organisations'). Every read goes through them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from scorecard.errors import StoreError
from scorecard.sources.extract import LEVEL_SCOPE
from scorecard.store.file import contents, damaged, is_damage, open_failed, refusal

SCHEMA_VERSION = "5"
# The tables of a publication's rows (observations, orgs, measure_rows, breakdowns) have no
# primary key: its index cost more than the rest of an ingest's inserts. Their rows are
# unique by their key (store.waiting.KEYS) all the same: each extract's frames are checked by
# pandera when the file is read (scorecard.sources.base), and again as they are inserted.
# A store made before this (the same version) keeps its keys; both read and write alike.
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS loads (
    load_id INTEGER PRIMARY KEY, file VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
    format VARCHAR NOT NULL, dataset VARCHAR NOT NULL, scope VARCHAR NOT NULL,
    basis VARCHAR NOT NULL, period DATE, rows INTEGER NOT NULL, status VARCHAR,
    ingested_at TIMESTAMP NOT NULL, precedence INTEGER NOT NULL, revision BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS load_measures (
    load_id INTEGER NOT NULL, measure VARCHAR NOT NULL, PRIMARY KEY (load_id, measure));
CREATE TABLE IF NOT EXISTS observations (
    dataset VARCHAR NOT NULL, period DATE NOT NULL, org_code VARCHAR NOT NULL,
    measure VARCHAR NOT NULL, value DOUBLE NOT NULL, load_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS orgs (
    dataset VARCHAR NOT NULL, period DATE NOT NULL, org_code VARCHAR NOT NULL,
    org_name VARCHAR NOT NULL, parent_name VARCHAR, rows VARCHAR, load_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS measure_rows (
    period DATE NOT NULL, org_code VARCHAR NOT NULL, measure VARCHAR NOT NULL,
    rows VARCHAR NOT NULL, load_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS breakdowns (
    dataset VARCHAR NOT NULL, period DATE NOT NULL, org_code VARCHAR NOT NULL,
    measure VARCHAR NOT NULL, dimension VARCHAR NOT NULL, breakdown VARCHAR NOT NULL,
    value DOUBLE NOT NULL, load_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS comments (
    dataset VARCHAR NOT NULL, period DATE NOT NULL, org_code VARCHAR NOT NULL,
    indicator_id VARCHAR NOT NULL, comment VARCHAR NOT NULL, load_id INTEGER NOT NULL,
    PRIMARY KEY (load_id, period, org_code, indicator_id));
CREATE TABLE IF NOT EXISTS links (
    org_code VARCHAR NOT NULL, org_name VARCHAR, parent_code VARCHAR NOT NULL,
    parent_name VARCHAR, parent_level VARCHAR NOT NULL, load_id INTEGER NOT NULL,
    PRIMARY KEY (load_id, org_code, parent_level));
"""
TABLES = (
    "loads",
    "observations",
    "orgs",
    "links",
    "comments",
    "load_measures",
    "measure_rows",
    "breakdowns",
)
# A load holding a measure's parts lists it in load_measures as `measure@dimension`, so the
# parts of one measure and dimension come from one publication, ranked as any measure is.
PARTS = "@"
# Tables read through a current_* view of the loads that are in use.
BY_LOAD = ("orgs", "links", "comments")
RANKED = "precedence DESC, revision DESC, load_id DESC"


def level_of(scope: str) -> str:
    """SQL: the level whose printed rows a load holds, from its `scope` (an SQL expression):
    `level:england` for a level publication's `level:england` or `level:england:overview`
    (sources.base.LEVEL_SCOPE), else ''. Loads of different levels never compete for a
    measure."""
    return (
        f"(CASE WHEN starts_with({scope}, '{LEVEL_SCOPE}') "
        f"THEN regexp_extract({scope}, '^{LEVEL_SCOPE}[^:]*') ELSE '' END)"
    )


def competing(a: str, b: str) -> str:
    """SQL: loads aliased `a` and `b` compete for the same figures (one scope, or a measure
    both hold for the same level)."""
    return (
        f"({a}.scope = {b}.scope OR ({level_of(f'{a}.scope')} = {level_of(f'{b}.scope')} "
        f"AND EXISTS (SELECT 1 FROM load_measures ma "
        f"JOIN load_measures mb USING (measure) WHERE ma.load_id = {a}.load_id "
        f"AND mb.load_id = {b}.load_id)))"
    )


def as_of_views(
    con: duckdb.DuckDBPyConnection, as_of: dt.datetime | None, pin: int | None = None
) -> None:
    """(Re)define the current_* views: the figures in use as the store stood at `as_of`.

    `pin` puts one stored publication first, as if it ranked above the others of its month
    (`scorecard history` shows each version's own figures this way).
    """
    when = "" if as_of is None else f"WHERE ingested_at <= TIMESTAMP '{as_of.isoformat(' ')}'"
    first = "" if pin is None else f"(load_id = {int(pin)}) DESC, "
    con.execute(
        "CREATE OR REPLACE TEMP VIEW candidate_loads AS SELECT * FROM loads "
        f"{when} QUALIFY row_number() OVER "
        f"(PARTITION BY dataset, scope, period ORDER BY {first}{RANKED}) = 1"
    )
    con.execute(
        "CREATE OR REPLACE TEMP VIEW current_measures AS SELECT m.load_id, m.measure, "
        "c.dataset, c.period FROM load_measures m JOIN candidate_loads c USING (load_id) "
        "QUALIFY row_number() OVER (PARTITION BY c.dataset, c.period, m.measure, "
        f"{level_of('c.scope')} ORDER BY {first}{RANKED}) = 1"
    )
    con.execute(
        "CREATE OR REPLACE TEMP VIEW current_loads AS SELECT c.* FROM candidate_loads c "
        "WHERE c.load_id IN (SELECT load_id FROM current_measures) "
        "OR NOT EXISTS (SELECT 1 FROM load_measures m WHERE m.load_id = c.load_id)"
    )
    con.execute(
        "CREATE OR REPLACE TEMP VIEW current_observations AS SELECT o.* FROM observations o "
        "SEMI JOIN current_measures m ON o.load_id = m.load_id AND o.measure = m.measure"
    )
    con.execute(
        "CREATE OR REPLACE TEMP VIEW current_breakdowns AS SELECT b.* FROM breakdowns b "
        f"SEMI JOIN current_measures m ON b.load_id = m.load_id "
        f"AND m.measure = b.measure || '{PARTS}' || b.dimension"
    )
    for table in BY_LOAD:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW current_{table} AS SELECT t.* FROM {table} t "
            "SEMI JOIN current_loads c ON t.load_id = c.load_id"
        )


def connect(path: Path | None, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A connection to the store file (None: in memory); one line when it cannot be had.

    Before a file is opened for writing it is looked at read-only and read through: only a
    new file, an empty database or a whole scorecard store of this version is ever opened
    for writing, so a refused file keeps every byte.
    """
    if path is not None and read_only and not path.exists():
        raise StoreError(f"{path}: no store here; run `scorecard ingest FILE... --db {path}`")
    if path is not None and not read_only and path.exists():
        look = _connect(path, read_only=True)
        try:
            check_version(look, path, empty_ok=True)
            verify(look, path)
        finally:
            look.close()
    return _connect(path, read_only)


def _connect(path: Path | None, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        con = duckdb.connect(":memory:" if path is None else str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise open_failed(path, exc) from None
    con.execute("SET enable_progress_bar = false")  # no bar on stderr from a slow query
    if not read_only:
        # Each ingest is one transaction, and the store is closed after it: its commit writes
        # the tables into the file at once (a checkpoint), rather than into the write-ahead
        # log that closing the store would then write into the file again.
        con.execute("SET checkpoint_threshold = '0b'")
    return con


def verify(con: duckdb.DuckDBPyConnection, path: Path | None) -> None:
    """Read every column of every store table (DuckDB checks each block's checksum as it
    reads it): one line if the file is damaged or cut short. Done before every write."""
    for table in contents(con, path).tables:
        try:
            con.execute(f'SELECT bit_xor(hash(COLUMNS(*))) FROM "{table}"').fetchall()
        except duckdb.Error as exc:
            if is_damage(exc):
                raise damaged(path, exc) from None
            raise


def create(con: duckdb.DuckDBPyConnection) -> None:
    """Make the store's tables in a database that has none; leave any other as it is (a
    store is then checked by `check_version`, never altered here)."""
    if contents(con, None).tables:
        return
    with transaction(con):
        con.execute(SCHEMA)
        con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])


def check_version(
    con: duckdb.DuckDBPyConnection, path: Path | None, *, empty_ok: bool = False
) -> None:
    """One line, and the connection closed, unless the database is a scorecard store of this
    version (or, with `empty_ok`, holds nothing yet)."""
    try:
        why = refusal(path, contents(con, path), SCHEMA_VERSION, empty_ok=empty_ok)
    except BaseException:
        con.close()
        raise
    if why is not None:
        con.close()
        raise StoreError(why)


@contextmanager
def one_thread(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Inside, DuckDB works on one thread: an ingest's inserts from frames are quicker so (a
    national RTT month's 54,488 breakdown rows took 9 ms, against 17 ms on two threads; 36
    months' at once, 283 against 303 ms). Enter it outside a transaction: the count is set
    back after the transaction has ended, as an aborted one takes no more statements."""
    got = con.execute("SELECT current_setting('threads')").fetchone()
    con.execute("SET threads = 1")
    try:
        yield
    finally:
        con.execute(f"SET threads = {int(got[0]) if got else 1}")


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
