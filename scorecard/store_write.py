"""Writing validated extracts into the store, inside the caller's transaction.

A publication becomes current by being the newest load of its dataset, scope and month; the
one it replaces is kept. A file already current is left alone ("unchanged"). Figures that
would count patients twice (two bases of one month, two layouts holding one figure) are
refused, naming both files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb
import polars as pl

from scorecard.errors import StoreError
from scorecard.periods import Month
from scorecard.sources.base import Extract

NEW_ORGS_LISTED = 5  # a new-organisation warning names up to this many codes


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
    warnings: tuple[str, ...] = ()  # stored, but worth saying (new organisation codes, say)

    def describe(self) -> str:
        when = f" {self.period.iso()}" if self.period else ""
        what = f"{self.file}: {self.format}, {self.dataset}{when}"
        things = self.things if self.period else "links"
        if self.action == "unchanged":
            return f"{what}: already stored, unchanged"
        if self.action == "replaced":
            return (
                f"{what}: {self.rows} {things} stored, replacing {self.replaced_file} "
                "(kept as an earlier version)"
            )
        return f"{what}: {self.rows} {things} stored"


class Writer:
    """Writes extracts through one connection, stamping each load with one ingest time."""

    def __init__(self, con: duckdb.DuckDBPyConnection, when: dt.datetime) -> None:
        self.con = con
        self.when = when

    def _links(self, ex: Extract, links: pl.DataFrame) -> IngestResult:
        """A reference file (the hierarchy): the newest is current."""
        current = self._current_load(ex, None)
        if current is not None and current[2] == ex.sha256:
            return IngestResult(ex.file, ex.format, ex.dataset, None, links.height, "unchanged")
        load_id = self._new_load(ex, None, links.height)
        self.con.register("links_in", links.to_arrow())
        self.con.execute(
            "INSERT INTO links SELECT org_code, org_name, parent_code, parent_name, "
            f"parent_level, {load_id} FROM links_in"
        )
        self.con.unregister("links_in")
        action = "stored" if current is None else "replaced"
        replaced = None if current is None else current[1]
        return IngestResult(ex.file, ex.format, ex.dataset, None, links.height, action, replaced)

    def _refuse_other_basis(self, ex: Extract, day: dt.date) -> None:
        """Provider-based and commissioner-based figures of one month count the same
        patients under different organisations: added into one England they would count
        them twice, so a month holds one basis."""
        other = self.con.execute(
            "SELECT file, basis FROM current_loads WHERE dataset = ? AND period = ? "
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

    def _refuse_overlap(self, ex: Extract, month: Month, load_id: int) -> None:
        """Two layouts of one month (a Full CSV and a workbook sheet, say) must not both
        hold a figure: refuse, naming both files, rather than keep two versions of it."""
        clash = self.con.execute(
            "SELECT l.file, o.org_code, o.measure FROM obs_in i JOIN current_observations o "
            "ON o.dataset = i.dataset AND o.period = i.period AND o.org_code = i.org_code "
            "AND o.measure = i.measure JOIN loads l ON l.load_id = o.load_id "
            "WHERE o.load_id <> ? ORDER BY 2, 3 LIMIT 1",
            [load_id],
        ).fetchall()
        if clash:
            other, org, measure = (str(v) for v in clash[0])
            raise StoreError(
                f"{ex.file}: {ex.dataset} {month.iso()} {measure} for {org} is already stored "
                f"from {other}, a different layout of the same month; ingest one of the two "
                "into this store; nothing was stored"
            )

    def _new_orgs(self, ex: Extract, day: dt.date) -> tuple[str, ...]:
        """A warning naming organisation codes no earlier publication of the dataset had:
        new trusts appear, so they are stored, but an analyst should know."""
        rows = self.con.execute(
            "SELECT i.org_code, i.org_name, i.rows FROM orgs_in i WHERE EXISTS "
            "(SELECT 1 FROM loads WHERE dataset = $ds AND period IS NOT NULL AND period <> $day) "
            "AND NOT EXISTS (SELECT 1 FROM orgs o WHERE o.dataset = $ds AND o.org_code = "
            "i.org_code AND o.period <> $day) ORDER BY 1",
            {"ds": ex.dataset, "day": day},
        ).fetchall()
        if not rows:
            return ()
        named = [
            f"{code} ({name}{f', row {at}' if at else ''})"
            for code, name, at in rows[:NEW_ORGS_LISTED]
        ]
        more = f" and {len(rows) - NEW_ORGS_LISTED} more" if len(rows) > NEW_ORGS_LISTED else ""
        return (
            f"{ex.file}: {len(rows)} organisation code{'s' if len(rows) > 1 else ''} not in "
            f"any earlier {ex.dataset} publication: {', '.join(named)}{more}; stored (a new "
            "or renamed organisation?)",
        )

    def _current_load(self, ex: Extract, day: dt.date | None) -> tuple[int, str, str] | None:
        """The current publication (load id, file, sha256) of the extract's dataset and
        scope for one month, or for no month (a reference file)."""
        rows = self.con.execute(
            "SELECT load_id, file, sha256 FROM current_loads WHERE dataset = ? AND scope = ? "
            "AND period IS NOT DISTINCT FROM ?",
            [ex.dataset, ex.scope, day],
        ).fetchall()
        return (int(rows[0][0]), str(rows[0][1]), str(rows[0][2])) if rows else None

    def _new_load(self, ex: Extract, day: dt.date | None, rows: int) -> int:
        """Record a publication; being the newest, it is current from now on."""
        got = self.con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM loads").fetchone()
        load_id = int(got[0]) if got else 1
        self.con.execute(
            "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                load_id,
                ex.file,
                ex.sha256,
                ex.format,
                ex.dataset,
                ex.scope,
                ex.basis,
                day,
                rows,
                ex.status,
                self.when,
            ],
        )
        return load_id

    def write(self, ex: Extract) -> Iterator[IngestResult]:
        if ex.links is not None:
            yield self._links(ex, ex.links)
            return
        periods = set(ex.observations["period"].to_list()) | set(ex.orgs["period"])
        if ex.comments is not None:
            periods |= set(ex.comments["period"])
        for day in sorted(periods):
            month = Month.from_date(day)
            obs = ex.observations.filter(pl.col("period") == day)
            orgs = ex.orgs.filter(pl.col("period") == day)
            if "rows" not in orgs.columns:  # an extract made without provenance
                orgs = orgs.with_columns(rows=pl.lit(None, pl.String))
            current = self._current_load(ex, day)
            if current is not None and current[2] == ex.sha256:
                yield IngestResult(ex.file, ex.format, ex.dataset, month, obs.height, "unchanged")
                continue
            self._refuse_other_basis(ex, day)
            load_id = self._new_load(ex, day, obs.height)
            obs_in = obs.with_columns(pl.lit(ex.dataset).alias("dataset"), pl.lit(load_id))
            orgs_in = orgs.with_columns(pl.lit(ex.dataset).alias("dataset"), pl.lit(load_id))
            self.con.register("obs_in", obs_in.to_arrow())
            self.con.register("orgs_in", orgs_in.to_arrow())
            self._refuse_overlap(ex, month, load_id)
            warnings = self._new_orgs(ex, day)
            self.con.execute(
                "INSERT INTO observations SELECT dataset, period, org_code, measure, value, "
                f"{load_id} FROM obs_in"
            )
            self.con.execute(
                "INSERT INTO orgs SELECT dataset, period, org_code, org_name, parent_name, "
                f"rows, {load_id} FROM orgs_in"
            )
            self.con.unregister("obs_in")
            self.con.unregister("orgs_in")
            if ex.measure_rows is not None:  # each measure's own rows, for provenance
                lines = ex.measure_rows.filter(pl.col("period") == day)
                self.con.register("lines_in", lines.to_arrow())
                self.con.execute(
                    "INSERT INTO measure_rows SELECT period, org_code, measure, rows, ? "
                    "FROM lines_in",
                    [load_id],
                )
                self.con.unregister("lines_in")
            count, things = obs.height, "values"
            if ex.comments is not None:
                said = ex.comments.filter(pl.col("period") == day)
                self.con.register("comments_in", said.to_arrow())
                self.con.execute(
                    "INSERT INTO comments SELECT ?, period, org_code, indicator_id, comment, ? "
                    "FROM comments_in",
                    [ex.dataset, load_id],
                )
                self.con.unregister("comments_in")
                if not obs.height:
                    count, things = said.height, "comments"
            yield IngestResult(
                ex.file,
                ex.format,
                ex.dataset,
                month,
                count,
                "stored" if current is None else "replaced",
                None if current is None else current[1],
                things,
                warnings,
            )
