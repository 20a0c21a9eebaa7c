"""The embedded DuckDB store: atomic, idempotent ingest of validated extracts, and look-ups.

One publication is active per dataset and month. Ingesting a byte-identical file again changes
nothing; ingesting a different file for a month already stored replaces that month's rows (and
says so). Every ingest call is one transaction: if anything fails, nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from scorecard.errors import StoreError
from scorecard.hierarchy import Hierarchy, build_hierarchy
from scorecard.periods import Month
from scorecard.sources.base import Extract

SCHEMA_VERSION = "2"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS loads (
    load_id INTEGER PRIMARY KEY, file VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
    format VARCHAR NOT NULL, dataset VARCHAR NOT NULL, scope VARCHAR NOT NULL,
    basis VARCHAR NOT NULL, period DATE, rows INTEGER NOT NULL, active BOOLEAN NOT NULL);
CREATE TABLE IF NOT EXISTS observations (
    dataset VARCHAR NOT NULL, period DATE NOT NULL, org_code VARCHAR NOT NULL,
    measure VARCHAR NOT NULL, value DOUBLE NOT NULL, load_id INTEGER NOT NULL,
    PRIMARY KEY (dataset, period, org_code, measure));
CREATE TABLE IF NOT EXISTS orgs (
    dataset VARCHAR NOT NULL, period DATE NOT NULL, org_code VARCHAR NOT NULL,
    org_name VARCHAR NOT NULL, parent_name VARCHAR, load_id INTEGER NOT NULL,
    PRIMARY KEY (load_id, period, org_code));
CREATE TABLE IF NOT EXISTS comments (
    dataset VARCHAR NOT NULL, period DATE NOT NULL, org_code VARCHAR NOT NULL,
    indicator_id VARCHAR NOT NULL, comment VARCHAR NOT NULL, load_id INTEGER NOT NULL,
    PRIMARY KEY (load_id, period, org_code, indicator_id));
CREATE TABLE IF NOT EXISTS links (
    org_code VARCHAR NOT NULL, org_name VARCHAR, parent_code VARCHAR NOT NULL,
    parent_name VARCHAR, parent_level VARCHAR NOT NULL, load_id INTEGER NOT NULL,
    PRIMARY KEY (org_code, parent_level));
"""


@dataclass(frozen=True)
class IngestResult:
    """What one ingest did for one file and month."""

    file: str
    format: str
    dataset: str
    period: Month | None  # None for a reference file (the hierarchy)
    rows: int
    action: str  # "stored", "unchanged" or "replaced"
    replaced_file: str | None = None
    things: str = "values"  # what `rows` counts: values, comments or links

    def describe(self) -> str:
        when = f" {self.period.iso()}" if self.period else ""
        what = f"{self.file}: {self.format}, {self.dataset}{when}"
        things = self.things if self.period else "links"
        if self.action == "unchanged":
            return f"{what}: already stored, unchanged"
        if self.action == "replaced":
            return f"{what}: {self.rows} {things} stored, replacing {self.replaced_file}"
        return f"{what}: {self.rows} {things} stored"


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
        self._hierarchy: Hierarchy | None = None  # built on first use, until the next ingest

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
        _check_version(con, path)
        return cls(con)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ingest(self, extracts: Sequence[Extract]) -> list[IngestResult]:
        """Store every extract in one transaction; all or nothing."""
        self._hierarchy = None
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

    def _ingest_links(self, ex: Extract, links: pl.DataFrame) -> IngestResult:
        """A reference file (the hierarchy): the newest replaces the one before."""
        active = self._active_load(ex, None)
        if active is not None and active[2] == ex.sha256:
            return IngestResult(ex.file, ex.format, ex.dataset, None, links.height, "unchanged")
        if active is not None:
            self._retire(active[0], ("links",))
        load_id = self._next_load_id()
        self.con.execute(
            "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, true)",
            [load_id, ex.file, ex.sha256, ex.format, ex.dataset, ex.scope, ex.basis, links.height],
        )
        self.con.register("links_in", links.to_arrow())
        self.con.execute(
            "INSERT INTO links SELECT org_code, org_name, parent_code, parent_name, "
            f"parent_level, {load_id} FROM links_in"
        )
        self.con.unregister("links_in")
        action = "stored" if active is None else "replaced"
        replaced = None if active is None else str(active[1])
        return IngestResult(ex.file, ex.format, ex.dataset, None, links.height, action, replaced)

    def _refuse_other_basis(self, ex: Extract, day: dt.date) -> None:
        """Provider-based and commissioner-based figures of one month count the same
        patients under different organisations: added into one England they would count
        them twice, so a month holds one basis."""
        other = self.con.execute(
            "SELECT file, basis FROM loads WHERE dataset = ? AND period = ? AND active "
            "AND basis <> ? ORDER BY file LIMIT 1",
            [ex.dataset, day, ex.basis],
        ).fetchall()
        if other:
            file, basis = (str(v) for v in other[0])
            raise StoreError(
                f"{ex.file}: {ex.dataset} {Month.from_date(day).iso()} is already stored on a "
                f"{basis} basis from {file}, and this file is {ex.basis}-based; England would "
                "count the same patients twice, so keep each basis in its own --db; "
                "nothing was stored"
            )

    def _refuse_overlap(self, ex: Extract, month: Month) -> None:
        """Two layouts of one month (a Full CSV and a workbook sheet, say) must not both
        hold a figure: refuse, naming both files, rather than keep two versions of it."""
        clash = self.con.execute(
            "SELECT l.file, o.org_code, o.measure FROM obs_in i JOIN observations o "
            "ON o.dataset = i.dataset AND o.period = i.period AND o.org_code = i.org_code "
            "AND o.measure = i.measure JOIN loads l ON l.load_id = o.load_id "
            "ORDER BY 2, 3 LIMIT 1"
        ).fetchall()
        if clash:
            other, org, measure = (str(v) for v in clash[0])
            raise StoreError(
                f"{ex.file}: {ex.dataset} {month.iso()} {measure} for {org} is already stored "
                f"from {other}, a different layout of the same month; ingest one of the two "
                "into this store; nothing was stored"
            )

    def _active_load(self, ex: Extract, day: dt.date | None) -> tuple[int, str, str] | None:
        """The active publication (load id, file, sha256) of the extract's dataset and scope
        for one month, or for no month (a reference file)."""
        rows = self.con.execute(
            "SELECT load_id, file, sha256 FROM loads WHERE dataset = ? AND scope = ? "
            "AND period IS NOT DISTINCT FROM ? AND active",
            [ex.dataset, ex.scope, day],
        ).fetchall()
        return (int(rows[0][0]), str(rows[0][1]), str(rows[0][2])) if rows else None

    def _retire(self, load_id: int, tables: Sequence[str]) -> None:
        """Mark a publication replaced and remove its rows (a load covers one month)."""
        self.con.execute("UPDATE loads SET active = false WHERE load_id = ?", [load_id])
        for table in tables:
            self.con.execute(f"DELETE FROM {table} WHERE load_id = ?", [load_id])

    def _next_load_id(self) -> int:
        row = self.con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM loads").fetchone()
        return int(row[0]) if row else 1

    def _ingest_one(self, ex: Extract) -> Iterator[IngestResult]:
        if ex.links is not None:
            yield self._ingest_links(ex, ex.links)
            return
        periods = set(ex.observations["period"].to_list()) | set(ex.orgs["period"])
        if ex.comments is not None:
            periods |= set(ex.comments["period"])
        for day in sorted(periods):
            month = Month.from_date(day)
            obs = ex.observations.filter(pl.col("period") == day)
            orgs = ex.orgs.filter(pl.col("period") == day)
            active = self._active_load(ex, day)
            if active is not None and active[2] == ex.sha256:
                yield IngestResult(ex.file, ex.format, ex.dataset, month, obs.height, "unchanged")
                continue
            if active is not None:
                self._retire(active[0], ("observations", "orgs", "comments"))
            self._refuse_other_basis(ex, day)
            load_id = self._next_load_id()
            self.con.execute(
                "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, true)",
                [
                    load_id,
                    ex.file,
                    ex.sha256,
                    ex.format,
                    ex.dataset,
                    ex.scope,
                    ex.basis,
                    day,
                    obs.height,
                ],
            )
            obs_in = obs.with_columns(pl.lit(ex.dataset).alias("dataset"), pl.lit(load_id))
            orgs_in = orgs.with_columns(pl.lit(ex.dataset).alias("dataset"), pl.lit(load_id))
            self.con.register("obs_in", obs_in.to_arrow())
            self.con.register("orgs_in", orgs_in.to_arrow())
            self._refuse_overlap(ex, month)
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
            if ex.comments is not None:
                said = ex.comments.filter(pl.col("period") == day)
                self.con.register("comments_in", said.to_arrow())
                self.con.execute(
                    "INSERT INTO comments SELECT ?, period, org_code, indicator_id, comment, ? "
                    "FROM comments_in",
                    [ex.dataset, load_id],
                )
                self.con.unregister("comments_in")
            action = "stored" if active is None else "replaced"
            count, things = obs.height, "values"
            if not obs.height and ex.comments is not None:
                count, things = ex.comments.filter(pl.col("period") == day).height, "comments"
            yield IngestResult(
                ex.file,
                ex.format,
                ex.dataset,
                month,
                count,
                action,
                None if active is None else str(active[1]),
                things,
            )

    def months(self) -> list[Month]:
        """Every month with stored observations, ascending."""
        rows = self.con.execute(
            "SELECT DISTINCT period FROM loads WHERE active AND period IS NOT NULL ORDER BY 1"
        )
        return [Month.from_date(r[0]) for r in rows.fetchall()]

    def latest_month(self) -> Month:
        months = self.months()
        if not months:
            raise StoreError("the store is empty; run `scorecard ingest FILE...` first")
        return months[-1]

    def hierarchy(self) -> Hierarchy:
        """Who adds up into whom (provider, ICB, region, England) and their names.

        Built once from the stored organisations and lookup, and again after an ingest.
        """
        if self._hierarchy is None:
            self._hierarchy = build_hierarchy(self.latest_orgs(), self.links())
        return self._hierarchy

    def org_names(self) -> Mapping[str, str]:
        """Every organisation, ICB and region the store knows, plus England, by code."""
        return self.hierarchy().names

    def reference_files(self) -> list[str]:
        """The active reference files (the hierarchy lookup), by name."""
        rows = self.con.execute(
            "SELECT file FROM loads WHERE active AND period IS NULL ORDER BY file"
        ).fetchall()
        return [str(r[0]) for r in rows]

    def latest_orgs(self) -> pl.DataFrame:
        """Each organisation's latest published name and parent, over every dataset."""
        # Latest wins; a name that is only the code (files that name nobody) loses to any
        # real name; ties between datasets of one month go by dataset name, never by chance.
        latest = "strftime(period, '%Y-%m') || dataset"
        frame: pl.DataFrame = self.con.sql(
            "SELECT org_code, coalesce("
            f"arg_max(org_name, {latest}) FILTER (WHERE org_name <> org_code), "
            f"arg_max(org_name, {latest})) AS org_name, "
            f"arg_max(parent_name, {latest}) FILTER (WHERE parent_name IS NOT NULL) "
            "AS parent_name FROM orgs GROUP BY 1 ORDER BY 1"
        ).pl()
        return frame

    def comments(self, org_code: str, first: Month, last: Month) -> pl.DataFrame:
        """Comments for one organisation over a span of months (a commentary file's last)."""
        frame: pl.DataFrame = self.con.sql(
            "SELECT c.period, c.indicator_id, c.comment FROM comments c JOIN loads l "
            "ON l.load_id = c.load_id WHERE l.active AND c.org_code = $org "
            "AND c.period BETWEEN $first AND $last "
            "ORDER BY 1, 2, c.dataset = 'commentary', c.dataset",
            params={"org": org_code, "first": first.first_day(), "last": last.first_day()},
        ).pl()
        return frame

    def links(self) -> pl.DataFrame:
        """The stored hierarchy: child, parent and the parent's level."""
        frame: pl.DataFrame = self.con.sql(
            "SELECT org_code, org_name, parent_code, parent_name, parent_level FROM links "
            "ORDER BY parent_level, org_code"
        ).pl()
        return frame

    def revisions(self) -> dict[tuple[str, Month], str]:
        """For each dataset and month whose publication was replaced, the earlier file(s)."""
        rows = self.con.execute(
            "SELECT dataset, period, string_agg(DISTINCT file, ', ' ORDER BY file) FROM loads "
            "WHERE NOT active AND period IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
        return {(str(d), Month.from_date(p)): str(f) for d, p, f in rows}

    def active_loads(self) -> list[Load]:
        rows = self.con.execute(
            "SELECT file, format, dataset, period FROM loads "
            "WHERE active AND period IS NOT NULL ORDER BY dataset, period, file"
        ).fetchall()
        return [Load(str(f), str(fmt), str(ds), Month.from_date(p)) for f, fmt, ds, p in rows]

    def snapshot(self) -> tuple[object, ...]:
        """Every stored row, for checking that a failed ingest changed nothing."""
        return tuple(
            tuple(self.con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall())
            for t in ("loads", "observations", "orgs", "links", "comments")
        )


def _check_version(con: duckdb.DuckDBPyConnection, path: Path | None) -> None:
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
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
