"""The embedded DuckDB store: atomic, idempotent, revision-keeping ingest, and look-ups.

Every publication is kept. The one a build uses for each dataset, month and measure is the
first by a declared order (`scorecard.precedence`: the official statistics file over a
provider-level extract, a revision over what it revises, then the later ingest command), so
the order of files on a command line never changes a figure. Ingesting a byte-identical file
again changes nothing. A build `as_of` an earlier moment sees exactly what was in use after
the last ingest up to then; each ingest call is one transaction with one time, later than
every earlier one: if anything fails, or the process is stopped, nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from scorecard.errors import StoreError
from scorecard.hierarchy import Hierarchy, build_hierarchy
from scorecard.periods import Month
from scorecard.precedence import extract_revision, publication_rank
from scorecard.sources.extract import Extract
from scorecard.store.file import damaged, is_damage
from scorecard.store.schema import (
    RANKED,
    TABLES,
    as_of_views,
    check_version,
    competing,
    connect,
    create,
    one_thread,
    transaction,
)
from scorecard.store.write import IngestResult, Writer


@dataclass(frozen=True)
class Load:
    """A publication in the store."""

    file: str
    format: str
    dataset: str
    period: Month
    sha256: str = ""
    status: str | None = None


@dataclass(frozen=True)
class Version:
    """One stored publication of a dataset's month, oldest first (`scorecard history`)."""

    load_id: int
    file: str
    sha256: str
    status: str | None
    ingested_at: dt.datetime
    current: bool
    format: str = ""
    used_instead: str = ""  # when not current: the file used for the month in its place


class Store:
    """A DuckDB database holding validated observations and every publication of them."""

    path: Path | None = None  # the store file (None: in memory), named in its errors
    read_only: bool = False  # opened read-only: other processes may open the file too

    def __init__(self, con: duckdb.DuckDBPyConnection, as_of: dt.datetime | None = None) -> None:
        self.con = con
        self.note: str | None = None  # said on every output built from this store
        self._hierarchy: Hierarchy | None = None  # built on first use, until the next ingest
        self._references: list[tuple[str, str]] | None = None  # likewise
        self._months: list[Month] | None = None  # likewise
        self.as_of = as_of
        as_of_views(con, as_of)

    @classmethod
    def open(
        cls, path: Path | None, *, read_only: bool = False, as_of: dt.datetime | None = None
    ) -> Store:
        """Open (or create, unless read-only) the store at `path`; None is an in-memory store.

        With `as_of`, every read sees the store as it was at that moment (UTC).
        """
        con = connect(path, read_only)
        if not read_only:
            create(con)
        check_version(con, path)
        store = cls(con, as_of)
        store.path, store.read_only = path, read_only
        return store

    def close(self) -> None:
        self.con.close()

    def threads(self, count: int) -> None:
        """Run each query on `count` threads (a batch's worker processes take one each)."""
        self.con.execute(f"SET threads = {int(count)}")

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, trace: object
    ) -> None:
        """Close; a read that found the file damaged or cut short becomes one line."""
        self.close()
        if exc is not None and is_damage(exc):
            raise damaged(self.path, exc) from None

    def set_as_of(self, as_of: dt.datetime | None, pin: int | None = None) -> None:
        """See the store as it was at `as_of` (None: now), for every read that follows;
        `pin` ranks one stored publication first (a version's own figures)."""
        self.as_of = as_of
        self._hierarchy, self._references, self._months = None, None, None
        as_of_views(self.con, as_of, pin)

    def ingest(
        self,
        extracts: Sequence[Extract],
        at: dt.datetime | None = None,
        written: Callable[[Extract], None] | None = None,
    ) -> list[IngestResult]:
        """Store every extract in one transaction; all or nothing.

        `at` is the ingest time recorded (default: now, UTC); `written` is called after each
        extract is written, before the transaction commits.
        """
        if self.as_of is not None:
            raise StoreError("a store opened --as-of an earlier time is read-only")
        when = self._ingest_time(at or dt.datetime.now(dt.UTC).replace(tzinfo=None))
        self._hierarchy, self._references, self._months = None, None, None
        results: dict[int, list[IngestResult]] = {}
        writer = Writer(self.con, when)
        # Written in a fixed order (lowest-ranked first), whatever the command line's, so
        # load numbers and what is said about each file never depend on it.
        order = sorted(range(len(extracts)), key=lambda i: _write_key(extracts[i]))
        try:
            with one_thread(self.con), transaction(self.con):
                for i in order:
                    results[i] = list(writer.write(extracts[i]))
                    if written is not None:
                        written(extracts[i])
                writer.flush()
                settled = [writer.settle(r) for i in range(len(extracts)) for r in results[i]]
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0]
            raise StoreError(
                f"the store could not be written ({first}); nothing was stored"
            ) from None
        return settled

    def _ingest_time(self, now: dt.datetime) -> dt.datetime:
        """`now`, or just after the latest ingest if the clock says otherwise: each ingest
        is a moment of its own, so `--as-of` can reach the store as it stood after it."""
        got = self.con.execute("SELECT max(ingested_at) FROM loads").fetchone()
        latest: dt.datetime | None = got[0] if got else None
        if latest is not None and latest >= now:
            return latest + dt.timedelta(microseconds=1)
        return now

    def months(self) -> list[Month]:
        """Every month with stored observations, ascending (read once, until the next
        ingest)."""
        if self._months is None:
            rows = self.con.execute(
                "SELECT DISTINCT period FROM current_loads WHERE period IS NOT NULL ORDER BY 1"
            )
            self._months = [Month.from_date(r[0]) for r in rows.fetchall()]
        return list(self._months)

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
            "AS parent_name FROM current_orgs GROUP BY 1 ORDER BY 1"
        ).pl()
        return frame

    def comments(self, org_code: str, first: Month, last: Month) -> pl.DataFrame:
        """Comments for one organisation over a span of months (a commentary file's last)."""
        return self.comments_of([org_code], first, last).drop("org_code")

    def comments_of(self, org_codes: Sequence[str], first: Month, last: Month) -> pl.DataFrame:
        """Comments for organisations over a span of months, by organisation (one query: each
        reads the current publications anew); for each, as `comments`."""
        frame: pl.DataFrame = self.con.sql(
            "SELECT org_code, period, indicator_id, comment FROM current_comments "
            "WHERE list_contains($orgs, org_code) AND period BETWEEN $first AND $last "
            "ORDER BY org_code, period, indicator_id, dataset = 'commentary', dataset",
            params={"orgs": list(org_codes), "first": first.first_day(), "last": last.first_day()},
        ).pl()
        return frame

    def links(self) -> pl.DataFrame:
        """The stored hierarchy: child, parent and the parent's level."""
        frame: pl.DataFrame = self.con.sql(
            "SELECT org_code, org_name, parent_code, parent_name, parent_level "
            "FROM current_links ORDER BY parent_level, org_code"
        ).pl()
        return frame

    def revisions(self) -> dict[tuple[str, Month], str]:
        """For each dataset and month in use, the earlier versions of the same publication
        (same layout and scope) that it replaced."""
        rows = self.con.execute(
            "SELECT l.dataset, l.period, string_agg(DISTINCT l.file, ', ' ORDER BY l.file) "
            "FROM loads l JOIN current_loads c ON c.dataset = l.dataset AND c.scope = l.scope "
            "AND c.period = l.period AND c.format = l.format AND l.load_id <> c.load_id "
            "AND l.sha256 <> c.sha256 AND l.ingested_at <= c.ingested_at "
            "AND (l.revision, l.load_id) < (c.revision, c.load_id) GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
        return {(str(d), Month.from_date(p)): str(f) for d, p, f in rows}

    def statuses(self) -> dict[tuple[str, Month], str]:
        """The publication status of each current dataset-month, where its file says it."""
        rows = self.con.execute(
            "SELECT dataset, period, min(status) FROM current_loads WHERE status IS NOT NULL "
            "AND period IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
        return {(str(d), Month.from_date(p)): str(s) for d, p, s in rows}

    def active_loads(self) -> list[Load]:
        """The current publication of every dataset, scope and month."""
        rows = self.con.execute(
            "SELECT file, format, dataset, period, sha256, status FROM current_loads "
            "WHERE period IS NOT NULL ORDER BY dataset, period, file"
        ).fetchall()
        return [
            Load(str(f), str(fmt), str(ds), Month.from_date(p), str(h), s)
            for f, fmt, ds, p, h, s in rows
        ]

    def reference_loads(self) -> list[tuple[str, str]]:
        """The current reference files (file, sha256); read once, until the next ingest."""
        if self._references is None:
            rows = self.con.execute(
                "SELECT file, sha256 FROM current_loads WHERE period IS NULL ORDER BY file"
            ).fetchall()
            self._references = [(str(f), str(h)) for f, h in rows]
        return list(self._references)

    def versions(self, dataset: str, month: Month, measures: Sequence[str] = ()) -> list[Version]:
        """Every publication of a dataset's month ingested up to the store's as-of (that
        holds any of `measures`, when given), in the order ingested; `current` marks those a
        build uses (for `measures`, when given), and each other names the file used in its
        place."""
        params: dict[str, object] = {"ds": dataset, "day": month.first_day()}
        where, used = "", "c.load_id IS NOT NULL"
        if self.as_of is not None:
            where += " AND l.ingested_at <= $as_of"
            params["as_of"] = self.as_of
        if measures:
            where += (
                " AND EXISTS (SELECT 1 FROM load_measures m WHERE m.load_id = l.load_id "
                "AND list_contains($measures, m.measure))"
            )
            params["measures"] = sorted(set(measures))
            used = (  # its own figures for them, not just others of its month
                "EXISTS (SELECT 1 FROM current_measures u WHERE u.load_id = l.load_id "
                "AND list_contains($measures, u.measure))"
            )
        rows = self.con.execute(
            "SELECT l.load_id, l.file, l.sha256, l.status, l.ingested_at, "
            f"{used}, l.format, (SELECT first(u.file ORDER BY {RANKED}) "
            "FROM current_loads u WHERE u.dataset = l.dataset AND u.period = l.period "
            f"AND u.load_id <> l.load_id AND {competing('u', 'l')}) "
            "FROM loads l LEFT JOIN current_loads c "
            f"ON l.load_id = c.load_id WHERE l.dataset = $ds AND l.period = $day{where} "
            "ORDER BY l.load_id",
            params,
        ).fetchall()
        return [
            Version(int(i), str(f), str(h), s, t, bool(c), str(fmt), "" if c else str(u or ""))
            for i, f, h, s, t, c, fmt, u in rows
        ]

    def snapshot(self) -> tuple[object, ...]:
        """Every stored row, for checking that a failed ingest changed nothing."""
        return tuple(
            tuple(self.con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()) for t in TABLES
        )


def _write_key(extract: Extract) -> tuple[str, int, int, str, str]:
    """Lowest-ranked first, then by name and bytes: a fixed order for a batch's writes."""
    return (
        extract.dataset,
        publication_rank(extract.format),
        extract_revision(extract),
        extract.file,
        extract.sha256,
    )
