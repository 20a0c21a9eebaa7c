"""The store file itself: what is in a DuckDB file before scorecard opens it to write, and
one line for every way the file can fail (in use, not a database, damaged or cut short).

scorecard writes only into a file that is new, an empty DuckDB database, or a scorecard
store of the current version; it looks first with a read-only connection, so a refused
file (an analyst's own database, a store of another version, a damaged store) is never
opened for writing and keeps every byte. A store whose blocks are damaged or missing is
found when DuckDB reads them (DuckDB checksums every block), at open or during a command:
`damaged` turns that error into one line naming the store and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from scorecard.errors import StoreError

# Errors that mean the file's bytes are not what DuckDB wrote (a read past the end of a file
# cut short, a block whose checksum fails), as opposed to a query's own mistake.
_DAMAGE_TYPES = (duckdb.SerializationException, duckdb.FatalException)
_DAMAGE_WORDS = ("corrupt", "checksum", "could not read enough bytes", "not a valid duckdb")
REBUILD = "ingest the files again into a new --db file (or restore the store from a backup)"


@dataclass(frozen=True)
class Contents:
    """What a DuckDB database holds: its tables and views, and its scorecard store version."""

    tables: tuple[str, ...]
    version: str | None  # meta.schema_version; None when the database has none


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def is_damage(exc: BaseException) -> bool:
    """Whether a DuckDB error says the store file's bytes are damaged or missing."""
    if not isinstance(exc, duckdb.Error) or _in_use(str(exc)):
        return False
    text = str(exc).lower()
    return isinstance(exc, _DAMAGE_TYPES) or any(word in text for word in _DAMAGE_WORDS)


def damaged(path: Path | None, exc: BaseException) -> StoreError:
    """One line for a store whose bytes are damaged or cut short."""
    return StoreError(
        f"{path}: the store file is damaged or cut short ({first_line(exc)}); {REBUILD}"
    )


def _in_use(text: str) -> bool:
    return "Could not set lock" in text or "Conflicting lock" in text


def open_failed(path: Path | None, exc: duckdb.Error) -> StoreError:
    """One line for a store file DuckDB cannot open."""
    text = str(exc)
    if _in_use(text):
        pid = text.split("PID ")[-1].split(")")[0].strip() if "PID " in text else ""
        who = f" (process {pid})" if pid.isdigit() else ""
        return StoreError(
            f"{path}: the store is in use by another build or ingest{who}; "
            "try again when it has finished"
        )
    if "not a valid duckdb database" in text.lower():
        return StoreError(
            f"{path}: not a DuckDB database file (empty, another kind of file, or damaged "
            "from its first bytes); name a scorecard store, or a new file to create one, with --db"
        )
    if is_damage(exc):
        return damaged(path, exc)
    return StoreError(f"{path}: cannot open the store: {first_line(exc)}")


def contents(con: duckdb.DuckDBPyConnection, path: Path | None) -> Contents:
    """The database's own tables and views, and its store version; one line if damaged."""
    try:
        names = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND NOT temporary "
            "AND database_name = current_database() UNION ALL "
            "SELECT view_name FROM duckdb_views() WHERE NOT internal AND NOT temporary "
            "AND database_name = current_database() ORDER BY 1"
        ).fetchall()
        tables = tuple(str(n) for (n,) in names)
        version = None
        if "meta" in tables:
            rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
            version = str(rows[0][0]) if rows else None
    except duckdb.Error as exc:
        if is_damage(exc):
            raise damaged(path, exc) from None
        if isinstance(exc, duckdb.CatalogException | duckdb.BinderException):
            return Contents(tables, None)  # a `meta` table of someone else's making
        raise
    return Contents(tables, version)


def refusal(path: Path | None, found: Contents, expected: str, *, empty_ok: bool) -> str | None:
    """Why the database cannot be used as a store of version `expected`; None if it can."""
    if found.version == expected:
        return None
    if not found.tables:
        if empty_ok:
            return None
        return f"{path}: an empty database, not a scorecard store; run `scorecard ingest FILE...`"
    if found.version is None:
        shown = ", ".join(found.tables[:5]) + (", ..." if len(found.tables) > 5 else "")
        return (
            f"{path}: a DuckDB database that is not a scorecard store (it holds {shown}); "
            "scorecard does not write into it: name a new file with --db"
        )
    return (
        f"{path}: store version {found.version}, expected store version {expected}; "
        "ingest the files again into a new --db file"
    )
