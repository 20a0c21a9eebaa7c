"""Writing validated extracts into the store, inside the caller's transaction.

Every publication is kept. Which one a build uses is decided by a declared order
(`scorecard.precedence`), never by the order files were ingested in: a file ranking first
for its month is used, one ranking lower is stored beside it and said so. A file already
stored for the month is left alone ("unchanged"). Publications that disagree on a figure
are reported (`store_compare`). Provider- and commissioner-based figures of one month
would count patients twice: refused, naming both files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace

import duckdb
import polars as pl

from scorecard.errors import StoreError
from scorecard.periods import Month
from scorecard.precedence import extract_revision, publication_rank
from scorecard.sources.extract import LEVEL_SCOPE, Extract
from scorecard.store.compare import Differing, Rival, differing, disagreements, why
from scorecard.store.index import Organisations, Publication, Publications
from scorecard.store.month_rows import by_month, parts_of
from scorecard.store.schema import PARTS
from scorecard.store.waiting import Waiting

NEW_ORGS_LISTED = 5  # an organisations warning names up to this many codes
OWN_FILES = frozenset({"local_measures", "commentary"})  # the analyst's, not NHS England's
# NHS England layouts that leave out an organisation with nothing to report that month
# (another sheet of the publication lists it), and check their England row instead.
SOME_ORGS = frozenset({"dm01_provider_by_test_csv"})


@dataclass(frozen=True)
class IngestResult:
    """What one ingest did for one file and month."""

    file: str
    format: str
    dataset: str
    period: Month | None  # None for a reference file (the hierarchy)
    rows: int
    # "stored"; "replaced" (an earlier version of the same publication) or "used" (in place
    # of another publication); "kept" (stored, not used: another ranks first); "unchanged"
    action: str
    replaced_file: str | None = None  # the file no longer used, or ("kept") the one used
    things: str = "values"  # what `rows` counts: values, comments or links
    warnings: tuple[str, ...] = ()  # stored, but worth saying (new organisation codes, say)
    reason: str = ""  # why the file used ranks first, for "replaced", "used" and "kept"
    load_id: int | None = None  # the publication stored (None when unchanged)

    def describe(self) -> str:
        when = f" {self.period.iso()}" if self.period else ""
        what = f"{self.file}: {self.format}, {self.dataset}{when}"
        things = self.things if self.period else "links"
        if self.action == "unchanged":
            used = f"; not used: {self.replaced_file} ranks first" if self.replaced_file else ""
            return f"{what}: already stored, unchanged{used}"
        if self.action == "replaced":
            return (
                f"{what}: {self.rows} {things} stored, replacing {self.replaced_file} "
                f"(kept as an earlier version): {self.reason}"
            )
        if self.action == "used":
            return (
                f"{what}: {self.rows} {things} stored and used in place of "
                f"{self.replaced_file} (also kept): {self.reason}"
            )
        if self.action == "parts":
            return (
                f"{what}: {self.rows} {things} stored, not used: {self.replaced_file} ranks "
                f"first ({self.reason}); its figures by part are used; see `scorecard history`"
            )
        if self.action == "kept":
            return (
                f"{what}: {self.rows} {things} stored but not used: {self.replaced_file} "
                f"ranks first ({self.reason}); see `scorecard history`"
            )
        return f"{what}: {self.rows} {things} stored"


class Writer:
    """Writes extracts through one connection, stamping each load with one ingest time."""

    def __init__(self, con: duckdb.DuckDBPyConnection, when: dt.datetime) -> None:
        self.con = con
        self.when = when
        self.pubs = Publications.read(con)  # every publication, kept up to date as written
        self._waiting = Waiting(con)  # rows inserted by `flush`
        self.orgs = Organisations(con)  # who each publication names, as written
        # Each stored publication's extract and what it competed with when written.
        self._written: dict[int, tuple[Extract, Rival | None]] = {}
        self._differing: dict[int, list[Differing]] | None = None  # worked out by settle

    def settle(self, result: IngestResult) -> IngestResult:
        """What a stored file came to once the whole batch is written: used (in place of
        another), or kept beside the publication that ranks first."""
        load_id = result.load_id
        if load_id is None:
            return result
        ex, before = self._written[load_id]
        if result.period is not None:  # each pair of this batch said once, by the later
            later = {i for i in self._written if i > load_id}
            said: tuple[str, ...] = ()
            if self._differing is None:  # (every load of the batch's, in one query)
                self._differing = differing(
                    self.con, [i for i in self._written if self._shares_figures(i)]
                )
            if load_id in self._differing:
                rows = self._differing[load_id]
                said = disagreements(self.con, ex.dataset, result.period, load_id, later, rows)
            said += self._missing_orgs(ex, result.period, load_id)
            result = replace(result, warnings=result.warnings + said)
        pub, day = self.pubs.by_id[load_id], _day(result.period)
        used = self.pubs.is_current(load_id)
        mine = pub.rival()
        if used and not self._whole_used(load_id):  # in use for its parts alone
            measures = [m for m in pub.measures if PARTS not in m]
            first = self.pubs.rival(ex.dataset, day, load_id, None, measures)
            if first is not None:
                reason = why(first, mine)
                return replace(result, action="parts", replaced_file=first.file, reason=reason)
        if used and before is None:
            return result
        if used and before is not None:
            action = "replaced" if before.format == ex.format else "used"
            reason = why(mine, before)
            return replace(result, action=action, replaced_file=before.file, reason=reason)
        after = self.pubs.rival(ex.dataset, day, load_id, ex.scope, sorted(pub.measures))
        if after is None:  # pragma: no cover - something ranks above a file not in use
            return result
        reason = why(after, mine)
        return replace(result, action="kept", replaced_file=after.file, reason=reason)

    def _shares_figures(self, load_id: int) -> bool:
        """Whether another publication of the month, of the same level, holds any of the
        same measures (only then can two disagree on a figure)."""
        pub = self.pubs.by_id[load_id]
        return any(
            p.load_id != load_id and p.level == pub.level and p.measures & pub.measures
            for p in self.pubs.month(pub.dataset, pub.period)
        )

    def _whole_used(self, load_id: int) -> bool:
        """Whether any of a load's whole figures (not its parts) are the ones in use, or it
        holds none."""
        wholes = {m for m in self.pubs.by_id[load_id].measures if PARTS not in m}
        return not wholes or bool(wholes & self.pubs.measures_used(load_id))

    def _links(self, ex: Extract, links: pl.DataFrame) -> IngestResult:
        """A reference file (the hierarchy): the newest is current."""
        known = self._stored(ex, None)
        if known is not None:
            return IngestResult(ex.file, ex.format, ex.dataset, None, links.height, "unchanged")
        before = self.pubs.rival(ex.dataset, None, -1, ex.scope)
        load_id = self._new_load(ex, None, links.height, frozenset())
        self._written[load_id] = (ex, before)
        self.con.register("links_in", links.to_arrow())
        self.con.execute(
            "INSERT INTO links SELECT org_code, org_name, parent_code, parent_name, "
            f"parent_level, {load_id} FROM links_in"
        )
        self.con.unregister("links_in")
        return IngestResult(
            ex.file, ex.format, ex.dataset, None, links.height, "stored", load_id=load_id
        )

    def _refuse_other_basis(self, ex: Extract, day: dt.date) -> None:
        """Provider-based and commissioner-based figures of one month count the same
        patients under different organisations: added into one England they would count
        them twice, so a month holds one basis. A level's own printed rows (England's, a
        region's) are never added up, so they are not held to it."""
        if ex.scope.startswith(LEVEL_SCOPE):
            return
        other = sorted(
            (p.file, p.basis)
            for p in self.pubs.current(ex.dataset, day)
            if p.basis != ex.basis and not p.scope.startswith(LEVEL_SCOPE)
        )
        if other:
            file, basis = other[0]
            raise StoreError(
                f"{ex.file}: {ex.dataset} {Month.from_date(day).iso()} is already stored on a "
                f"{basis} basis from {file}, and this file is {ex.basis}-based; England would "
                "count the same patients twice, so keep each basis in its own --db; "
                "nothing was stored"
            )

    def _refuse_tie(self, ex: Extract, month: Month, load_id: int) -> None:
        """Two different files of one rank whose figures for the month differ, in one
        command: which is used would depend on the order of the command line, so neither is
        stored. (Files that agree on every figure they share are no such choice.)"""
        new = self.pubs.by_id[load_id]
        tied = sorted(
            (p.file, p.load_id)
            for p in self.pubs.month(new.dataset, new.period)
            if p.load_id != load_id
            and p.load_id in self._written  # written by this ingest: the same time
            and p.sha256 != new.sha256
            and (p.precedence, p.revision) == (new.precedence, new.revision)
            and (p.scope == new.scope or (p.level == new.level and p.measures & new.measures))
        )
        if tied:
            self.flush()  # their figures are compared in the store
        tie = [(f,) for f, t in tied if self._differ(t, load_id)]
        if tie:
            raise StoreError(
                f"{ex.file}: {ex.dataset} {month.iso()} is also in {tie[0][0]}, a different "
                "file of the same publication and revision, given in the same command; "
                "nothing says which is later (a 'revised' or 'v2' in the name would), so "
                "ingest the earlier one, then the later one in a second command; "
                "nothing was stored"
            )

    def _differ(self, one: int, other: int) -> bool:
        """Whether two stored publications differ on any figure of the measures both hold."""
        got = self.con.execute(
            "WITH shared AS (SELECT measure FROM load_measures WHERE load_id = $a "
            "INTERSECT SELECT measure FROM load_measures WHERE load_id = $b), "
            "a AS (SELECT org_code, measure, value FROM observations WHERE load_id = $a "
            "AND measure IN (SELECT measure FROM shared)), "
            "b AS (SELECT org_code, measure, value FROM observations WHERE load_id = $b "
            "AND measure IN (SELECT measure FROM shared)) "
            "SELECT EXISTS (SELECT * FROM a EXCEPT SELECT * FROM b) "
            "OR EXISTS (SELECT * FROM b EXCEPT SELECT * FROM a)",
            {"a": one, "b": other},
        ).fetchone()
        return bool(got and got[0])

    def _new_orgs(self, ex: Extract, day: dt.date, orgs: pl.DataFrame) -> tuple[str, ...]:
        """A warning naming organisation codes no earlier publication of the dataset had:
        new trusts appear, so they are stored, but an analyst should know."""
        if not self.pubs.other_months(ex.dataset, day):
            return ()
        new = self.orgs.new(ex.dataset, day, orgs["org_code"].to_list())
        rows = sorted(
            (code, name, at)
            for code, name, at in orgs.select("org_code", "org_name", "rows").iter_rows()
            if code in new
        )
        if not rows:
            return ()
        named = _listed(
            [f"{code} ({name}{f', row {at}' if at else ''})" for code, name, at in rows]
        )
        return (
            f"{ex.file}: {len(rows)} organisation code{'s' if len(rows) > 1 else ''} not in "
            f"any earlier {ex.dataset} publication: {named}; stored (a new or renamed "
            "organisation?)",
        )

    def _missing_orgs(self, ex: Extract, month: Month, load_id: int) -> tuple[str, ...]:
        """A warning naming organisations that the same layout's publication of the month
        before had and this one has not: a closure or merger, or a file cut short between
        two rows (a layout with no total row cannot tell). Not for an analyst's own files
        (local measures, commentary), whose organisations come and go by design, nor for a
        layout that leaves out organisations with nothing to report (SOME_ORGS)."""
        if ex.format in OWN_FILES | SOME_ORGS:
            return ()
        day = month.plus(-1).first_day()
        same = [
            p
            for p in self.pubs.month(ex.dataset, day)
            if p.scope == ex.scope and p.format == ex.format
        ]
        if not same:
            return ()
        before = max(same, key=lambda p: p.rank)
        here = self.orgs.named(ex.dataset, load_id)
        rows = sorted(
            (before.file, code, name)
            for code, name in self.orgs.named(ex.dataset, before.load_id).items()
            if code not in here
        )
        if not rows:
            return ()
        named = _listed([f"{code} ({name})" for _, code, name in rows])
        n = len(rows)
        return (
            f"{ex.file}: {ex.dataset} {month.iso()}: {n} organisation{'s' if n > 1 else ''} "
            f"in the {month.plus(-1).label()} publication ({rows[0][0]}) "
            f"{'have' if n > 1 else 'has'} no rows here: {named}; stored "
            "(a closed or merged organisation, or a file cut short?)",
        )

    def _stored(self, ex: Extract, day: dt.date | None) -> str | None:
        """When this very file (by its bytes) is already stored for the month: the file
        used for the month instead of it, or "" when it is the one used."""
        month = self.pubs.month(ex.dataset, day)
        if not any(p.scope == ex.scope and p.sha256 == ex.sha256 for p in month):
            return None
        used = [
            p.file
            for p in self.pubs.current(ex.dataset, day)
            if p.scope == ex.scope and p.sha256 != ex.sha256
        ]
        return used[0] if used else ""

    def _new_load(
        self, ex: Extract, day: dt.date | None, rows: int, measures: frozenset[str]
    ) -> int:
        """Record a publication holding `measures`, with its rank among the publications of
        its month."""
        load_id = self.pubs.next_id()
        precedence, revision = publication_rank(ex.format), extract_revision(ex)
        self.pubs.add(
            Publication(
                load_id, ex.file, ex.sha256, ex.format, ex.dataset, ex.scope, ex.basis, day,
                precedence, revision, measures,
            )
        )  # fmt: skip
        self._waiting.load(
            (
                load_id, ex.file, ex.sha256, ex.format, ex.dataset, ex.scope, ex.basis, day,
                rows, ex.status, self.when, precedence, revision,
            )
        )  # fmt: skip
        return load_id

    def write(self, ex: Extract) -> Iterator[IngestResult]:
        if ex.links is not None:
            yield self._links(ex, ex.links)
            return
        periods = {
            day
            for frame in (ex.observations, ex.orgs, ex.breakdowns, ex.comments)
            if frame is not None
            for day in frame["period"].unique().to_list()
        }
        months = {
            # (the periods are those of every frame's rows but measure_rows')
            name: by_month(frame, () if name == "measure_rows" else periods)
            for name, frame in (
                ("observations", ex.observations), ("orgs", ex.orgs),
                ("breakdowns", ex.breakdowns), ("measure_rows", ex.measure_rows),
                ("comments", ex.comments),
            )
            if frame is not None
        }  # fmt: skip
        for day in sorted(periods):
            yield self._write_month(ex, day, {name: of(day) for name, of in months.items()})

    def _write_month(
        self, ex: Extract, day: dt.date, rows: dict[str, pl.DataFrame]
    ) -> IngestResult:
        """Store the month `day` of `ex`, whose rows of that month are `rows` (by table)."""
        month = Month.from_date(day)
        obs, orgs = rows["observations"], rows["orgs"]
        if "rows" not in orgs.columns:  # an extract made without provenance
            orgs = orgs.with_columns(rows=pl.lit(None, pl.String))
        known = self._stored(ex, day)
        if known is not None:
            return IngestResult(
                ex.file, ex.format, ex.dataset, month, obs.height, "unchanged", known or None
            )
        self._refuse_other_basis(ex, day)
        measures = sorted(set(obs["measure"].to_list()))
        before = self.pubs.rival(ex.dataset, day, -1, ex.scope, measures)
        parts = parts_of(rows.get("breakdowns"))
        load_id = self._new_load(ex, day, obs.height, frozenset(measures) | parts)
        self._written[load_id] = (ex, before)
        # The rows wait for `flush`: one insert a table for the whole ingest.
        warnings = self._new_orgs(ex, day, orgs)
        self.orgs.add(ex.dataset, load_id, day, orgs.select("org_code", "org_name").iter_rows())
        mark = (ex.dataset, load_id)
        self._waiting.later("orgs", orgs, mark)
        self._waiting.later("observations", obs, mark)
        pub = self.pubs.by_id[load_id]
        held = sorted(pub.measures)
        self._waiting.later(
            "load_measures", pl.DataFrame({"load_id": [load_id] * len(held), "measure": held})
        )
        if "breakdowns" in rows:  # the month's drill-downs
            self._waiting.later("breakdowns", rows["breakdowns"], mark)
        if "measure_rows" in rows:  # each measure's own rows, for provenance
            self._waiting.later("measure_rows", rows["measure_rows"], mark)
        self._refuse_tie(ex, month, load_id)
        count, things = obs.height, "values"
        if not obs.height and "breakdowns" in rows:  # a sheet of drill-downs only
            count = rows["breakdowns"].height
            things = "drill-down values"
        if "comments" in rows:
            said = rows["comments"]
            self._waiting.later("comments", said, mark)
            if not obs.height:
                count, things = said.height, "comments"
        return IngestResult(
            ex.file, ex.format, ex.dataset, month, count, "stored", None, things, warnings,
            load_id=load_id,
        )  # fmt: skip

    def flush(self) -> None:
        """Insert every table's waiting rows (inside the transaction: a failure later still
        leaves nothing stored)."""
        self._waiting.flush()


def _listed(named: list[str]) -> str:
    """The first NEW_ORGS_LISTED of `named`, and how many more."""
    more = len(named) - NEW_ORGS_LISTED
    return ", ".join(named[:NEW_ORGS_LISTED]) + (f" and {more} more" if more > 0 else "")


def _day(month: Month | None) -> dt.date | None:
    return month.first_day() if month else None
