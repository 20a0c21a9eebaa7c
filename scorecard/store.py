"""The embedded DuckDB store: atomic, idempotent ingest of validated extracts, and look-ups.

One publication is active per dataset and month. Ingesting a byte-identical file again changes
nothing; ingesting a different file for a month already stored replaces that month's rows (and
says so). Every ingest call is one transaction: if anything fails, nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from scorecard.errors import StoreError
from scorecard.model import ENGLAND
from scorecard.periods import Month
from scorecard.sources.base import Extract

SCHEMA_VERSION = "1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS loads (
    load_id INTEGER PRIMARY KEY, file VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
    format VARCHAR NOT NULL, dataset VARCHAR NOT NULL, period DATE NOT NULL,
    rows INTEGER NOT NULL, active BOOLEAN NOT NULL);
CREATE TABLE IF NOT EXISTS observations (
    dataset VARCHAR NOT NULL, period DATE NOT NULL, org_code VARCHAR NOT NULL,
    measure VARCHAR NOT NULL, value DOUBLE NOT NULL, load_id INTEGER NOT NULL,
    PRIMARY KEY (dataset, period, org_code, measure));
CREATE TABLE IF NOT EXISTS orgs (
    dataset VARCHAR NOT NULL, period DATE NOT NULL, org_code VARCHAR NOT NULL,
    org_name VARCHAR NOT NULL, parent_name VARCHAR, load_id INTEGER NOT NULL,
    PRIMARY KEY (dataset, period, org_code));
"""


@dataclass(frozen=True)
class IngestResult:
    """What one ingest did for one file and month."""

    file: str
    format: str
    dataset: str
    period: Month
    rows: int
    action: str  # "stored", "unchanged" or "replaced"
    replaced_file: str | None = None

    def describe(self) -> str:
        what = f"{self.file}: {self.format}, {self.dataset} {self.period.iso()}"
        if self.action == "unchanged":
            return f"{what}: already stored, unchanged"
        if self.action == "replaced":
            return f"{what}: {self.rows} values stored, replacing {self.replaced_file}"
        return f"{what}: {self.rows} values stored"


@dataclass(frozen=True)
class Load:
    """An active publication in the store."""

    file: str
    format: str
    dataset: str
    period: Month


class Store:
    """A DuckDB database holding validated observations."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.note: str | None = None  # said on every output built from this store

    @classmethod
    def open(cls, path: Path | None, *, read_only: bool = False) -> Store:
        """Open (or create, unless read-only) the store at `path`; None is an in-memory store."""
        if path is not None and read_only and not path.exists():
            raise StoreError(f"{path}: no store here; run `scorecard ingest FILE... --db {path}`")
        try:
            con = duckdb.connect(":memory:" if path is None else str(path), read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(f"{path}: cannot open the store: {exc}") from None
        if not read_only:
            with _transaction(con):
                con.execute(_SCHEMA)
                con.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION]
                )
        return cls(con)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ingest(self, extracts: Sequence[Extract]) -> list[IngestResult]:
        """Store every extract in one transaction; all or nothing."""
        results: list[IngestResult] = []
        try:
            with _transaction(self.con):
                for extract in extracts:
                    results.extend(self._ingest_one(extract))
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0]
            raise StoreError(
                f"the store could not be written ({first}); nothing was stored"
            ) from None
        return results

    def _ingest_one(self, ex: Extract) -> Iterator[IngestResult]:
        periods = sorted(set(ex.observations["period"].to_list()) | set(ex.orgs["period"]))
        for day in periods:
            month = Month.from_date(day)
            obs = ex.observations.filter(pl.col("period") == day)
            orgs = ex.orgs.filter(pl.col("period") == day)
            active = self.con.execute(
                "SELECT load_id, file, sha256 FROM loads "
                "WHERE dataset = ? AND period = ? AND active",
                [ex.dataset, day],
            ).fetchone()
            if active is not None and active[2] == ex.sha256:
                yield IngestResult(ex.file, ex.format, ex.dataset, month, obs.height, "unchanged")
                continue
            if active is not None:
                self.con.execute("UPDATE loads SET active = false WHERE load_id = ?", [active[0]])
                for table in ("observations", "orgs"):
                    self.con.execute(
                        f"DELETE FROM {table} WHERE dataset = ? AND period = ?", [ex.dataset, day]
                    )
            row = self.con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM loads").fetchone()
            load_id = int(row[0]) if row else 1
            self.con.execute(
                "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?, true)",
                [load_id, ex.file, ex.sha256, ex.format, ex.dataset, day, obs.height],
            )
            obs_in = obs.with_columns(pl.lit(ex.dataset).alias("dataset"), pl.lit(load_id))
            orgs_in = orgs.with_columns(pl.lit(ex.dataset).alias("dataset"), pl.lit(load_id))
            self.con.register("obs_in", obs_in.to_arrow())
            self.con.register("orgs_in", orgs_in.to_arrow())
            self.con.execute(
                "INSERT INTO observations SELECT dataset, period, org_code, measure, value, "
                f"{load_id} FROM obs_in"
            )
            self.con.execute(
                "INSERT INTO orgs SELECT dataset, period, org_code, org_name, parent_name, "
                f"{load_id} FROM orgs_in"
            )
            self.con.unregister("obs_in")
            self.con.unregister("orgs_in")
            action = "stored" if active is None else "replaced"
            yield IngestResult(
                ex.file,
                ex.format,
                ex.dataset,
                month,
                obs.height,
                action,
                None if active is None else str(active[1]),
            )

    def months(self) -> list[Month]:
        """Every month with stored observations, ascending."""
        rows = self.con.execute("SELECT DISTINCT period FROM loads WHERE active ORDER BY 1")
        return [Month.from_date(r[0]) for r in rows.fetchall()]

    def latest_month(self) -> Month:
        months = self.months()
        if not months:
            raise StoreError("the store is empty; run `scorecard ingest FILE...` first")
        return months[-1]

    def org_names(self) -> dict[str, str]:
        """Each organisation's name as most recently published, plus England."""
        rows = self.con.execute(
            "SELECT org_code, arg_max(org_name, period) FROM orgs GROUP BY 1 ORDER BY 1"
        ).fetchall()
        names = {str(code): _title(str(name)) for code, name in rows}
        names[ENGLAND] = "England"
        return names

    def active_loads(self) -> list[Load]:
        rows = self.con.execute(
            "SELECT file, format, dataset, period FROM loads WHERE active ORDER BY dataset, period"
        ).fetchall()
        return [Load(str(f), str(fmt), str(ds), Month.from_date(p)) for f, fmt, ds, p in rows]

    def snapshot(self) -> tuple[object, ...]:
        """Every stored row, for checking that a failed ingest changed nothing."""
        return tuple(
            tuple(self.con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall())
            for t in ("loads", "observations", "orgs")
        )


def _title(name: str) -> str:
    """NHS England's CSVs publish names in upper case; show them as the workbooks do."""
    if not name.isupper():
        return name
    small = {"And", "Of", "The", "For", "In", "On"}
    keep = {"NHS", "CIC", "LLP", "UK", "ICB"}
    words = [w if w in keep else w.capitalize() for w in name.split()]
    return " ".join(w.lower() if w in small and i else w for i, w in enumerate(words))


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
