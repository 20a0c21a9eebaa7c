"""The store's publications in memory, for the writer's decisions: which one is in use.

An ingest asks, for each file and month it writes, which stored publication ranks first,
whether the new one is in use, what it is used in place of. Asked of the `current_*` views
(`store.schema`), each question plans the views over the whole store again; the writer asks
some twenty of them a month. `Publications` reads the `loads` and `load_measures` tables
once per ingest, keeps them up to date as the writer adds to them, and answers the same
questions in Python, as the views would for the store as it stands (the writer never writes
`--as-of`): for each dataset, scope and month the publication that ranks first; for each
dataset, month, measure and level the first of those that holds it; in use, the first-ranked
publications holding a measure in use, or holding no measure at all. A test holds the two
to the same answers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from scorecard.sources.extract import LEVEL_SCOPE
from scorecard.store.compare import Rival

Month = tuple[str, dt.date | None]  # (dataset, first day of the month; None: a reference)


def level_of(scope: str) -> str:
    """store.schema.level_of: `level:england` for `level:england:overview`, else ''."""
    if not scope.startswith(LEVEL_SCOPE):
        return ""
    return LEVEL_SCOPE + scope[len(LEVEL_SCOPE) :].split(":", 1)[0]


@dataclass(frozen=True)
class Publication:
    """A row of `loads`, with the measures `load_measures` lists for it."""

    load_id: int
    file: str
    sha256: str
    format: str
    dataset: str
    scope: str
    basis: str
    period: dt.date | None
    precedence: int
    revision: int
    measures: frozenset[str]

    @property
    def rank(self) -> tuple[int, int, int]:
        """store.schema.RANKED: the higher is used."""
        return (self.precedence, self.revision, self.load_id)

    @property
    def level(self) -> str:
        return level_of(self.scope)

    def rival(self) -> Rival:
        return Rival(self.load_id, self.file, self.format, self.precedence, self.revision)


def _publication(row: tuple[Any, ...]) -> Publication:
    """A `Publications.read` row."""
    load_id, file, sha, fmt, dataset, scope, basis, period, precedence, revision, measures = row
    return Publication(
        int(load_id), str(file), str(sha), str(fmt), str(dataset), str(scope), str(basis),
        period, int(precedence), int(revision), frozenset(measures),
    )  # fmt: skip


class Publications:
    """Every stored publication, by dataset and month."""

    def __init__(self, items: Iterable[Publication] = ()) -> None:
        self.by_id: dict[int, Publication] = {}
        self._months: dict[Month, list[Publication]] = defaultdict(list)
        self._datasets: dict[str, set[dt.date | None]] = defaultdict(set)
        for pub in items:
            self.add(pub)

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection) -> Publications:
        rows = con.execute(
            "SELECT l.load_id, l.file, l.sha256, l.format, l.dataset, l.scope, l.basis, "
            "l.period, l.precedence, l.revision, "
            "coalesce((SELECT list(m.measure) FROM load_measures m "
            "WHERE m.load_id = l.load_id), []) FROM loads l ORDER BY l.load_id"
        ).fetchall()
        return cls(_publication(r) for r in rows)

    def add(self, pub: Publication) -> None:
        self.by_id[pub.load_id] = pub
        self._months[(pub.dataset, pub.period)].append(pub)
        self._datasets[pub.dataset].add(pub.period)

    def next_id(self) -> int:
        return max(self.by_id, default=0) + 1

    def month(self, dataset: str, period: dt.date | None) -> list[Publication]:
        """Every publication of a dataset's month, stored or written so far."""
        return list(self._months.get((dataset, period), ()))

    def other_months(self, dataset: str, period: dt.date | None) -> bool:
        """Whether the dataset has a publication of any other month (not a reference)."""
        return any(p is not None and p != period for p in self._datasets.get(dataset, ()))

    def candidates(self, dataset: str, period: dt.date | None) -> list[Publication]:
        """The first-ranked publication of each scope of the month (`candidate_loads`)."""
        best: dict[str, Publication] = {}
        for pub in self.month(dataset, period):
            if pub.scope not in best or pub.rank > best[pub.scope].rank:
                best[pub.scope] = pub
        return list(best.values())

    def in_use_for(self, dataset: str, period: dt.date | None) -> dict[tuple[str, str], int]:
        """(measure, level) -> the publication whose figures are used (`current_measures`)."""
        best: dict[tuple[str, str], Publication] = {}
        for pub in self.candidates(dataset, period):
            for measure in pub.measures:
                key = (measure, pub.level)
                if key not in best or pub.rank > best[key].rank:
                    best[key] = pub
        return {k: p.load_id for k, p in best.items()}

    def current(self, dataset: str, period: dt.date | None) -> list[Publication]:
        """The publications of the month in use (`current_loads`)."""
        used = set(self.in_use_for(dataset, period).values())
        return [p for p in self.candidates(dataset, period) if p.load_id in used or not p.measures]

    def is_current(self, load_id: int) -> bool:
        pub = self.by_id[load_id]
        return any(p.load_id == load_id for p in self.current(pub.dataset, pub.period))

    def measures_used(self, load_id: int) -> set[str]:
        """The measures for which this publication's figures are the ones used."""
        pub = self.by_id[load_id]
        used = self.in_use_for(pub.dataset, pub.period)
        return {m for m in pub.measures if used.get((m, pub.level)) == load_id}

    def rival(
        self,
        dataset: str,
        period: dt.date | None,
        exclude: int,
        scope: str | None = None,
        measures: Sequence[str] = (),
    ) -> Rival | None:
        """`store.compare.rival`: the first-ranked publication in use for the month other
        than `exclude`, of the same scope or holding any of `measures` for the same level
        (with no scope: any)."""
        wanted = set(measures)
        level = level_of(scope or "")
        found = [
            p
            for p in self.current(dataset, period)
            if p.load_id != exclude
            and (scope is None or p.scope == scope or (p.level == level and p.measures & wanted))
        ]
        return max(found, key=lambda p: p.rank).rival() if found else None


class Organisations:
    """The organisations each publication of a dataset names, read from `orgs` once the
    dataset is first written in an ingest and kept up to date as the writer adds to it (for
    the warnings about codes new to a dataset, and codes gone since the month before)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._names: dict[int, dict[str, str]] = {}  # load -> code -> name
        self._months: dict[str, dict[str, set[dt.date]]] = {}  # dataset -> code -> months

    def _read(self, dataset: str) -> dict[str, set[dt.date]]:
        if dataset not in self._months:
            self._months[dataset] = defaultdict(set)
            rows = self.con.execute(
                "SELECT load_id, period, org_code, org_name FROM orgs WHERE dataset = ?",
                [dataset],
            ).fetchall()
            for load_id, period, code, name in rows:
                self._names.setdefault(int(load_id), {})[str(code)] = str(name)
                self._months[dataset][str(code)].add(period)
        return self._months[dataset]

    def add(
        self, dataset: str, load_id: int, day: dt.date, named: Iterable[tuple[str, str]]
    ) -> None:
        months = self._read(dataset)
        names = self._names.setdefault(load_id, {})
        for code, name in named:
            names[code] = name
            months[code].add(day)

    def new(self, dataset: str, day: dt.date, codes: Iterable[str]) -> set[str]:
        """The codes no publication of the dataset names in a month other than `day`."""
        months = self._read(dataset)
        return {c for c in codes if not (months.get(c, set()) - {day})}

    def named(self, dataset: str, load_id: int) -> dict[str, str]:
        """Code -> name of the organisations a publication names."""
        self._read(dataset)
        return self._names.get(load_id, {})
