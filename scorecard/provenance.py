"""Where each value on a scorecard came from: the source files, their SHA-256 and the rows.

A value is traced the way compute.py adds it up: the figures stored for the organisation
itself where there are any (for that measure and month), else those of the organisations
below it (an ICB's providers, England's everything). The rows are the file's own line
numbers (sheet rows for a workbook) that carry those organisations' figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import polars as pl

from scorecard.compute import ANCESTORS, rolls_up, with_ancestors
from scorecard.formatting import window_start
from scorecard.model import Indicator, Scorecard, SourceRef, Window
from scorecard.periods import Month
from scorecard.sources.tidy import row_ranges
from scorecard.store import Store


@dataclass(frozen=True)
class Span:
    """One value to trace: an indicator for an organisation over months first..last."""

    indicator: Indicator
    org_code: str
    first: Month
    last: Month


def trace(store: Store, spans: Iterable[Span]) -> dict[Span, tuple[SourceRef, ...]]:
    """The files and rows behind each span's value, in one query."""
    spans_list = list(spans)
    wanted = [
        {
            "key": n,
            "dataset": s.indicator.family,
            "measure": m,
            "org_code": s.org_code,
            "first": s.first.first_day(),
            "last": s.last.first_day(),
            "combinable": rolls_up(s.indicator),
        }
        for n, s in enumerate(spans_list)
        for m in _measures(s.indicator)
    ]
    if not wanted:
        return {}
    # The whole span as constants too, so the scan skips other months' row groups.
    lo = min(s.first for s in spans_list).first_day()
    hi = max(s.last for s in spans_list).first_day()
    sql = f"""
        WITH own AS (
            SELECT w.key, o.measure, o.period, o.org_code, o.load_id
            FROM provenance_wanted w JOIN current_observations o
            ON o.dataset = w.dataset AND o.measure = w.measure AND o.org_code = w.org_code
            AND o.period BETWEEN w.first AND w.last
            WHERE o.period BETWEEN $lo AND $hi
        ),
        below AS (
            SELECT w.key, o.measure, o.period, o.org_code, o.load_id
            FROM provenance_wanted w JOIN {ANCESTORS} a ON a.ancestor = w.org_code
            JOIN current_observations o ON o.org_code = a.org_code
            AND o.dataset = w.dataset AND o.measure = w.measure
            AND o.period BETWEEN w.first AND w.last
            WHERE w.combinable AND o.period BETWEEN $lo AND $hi
        ),
        used AS (
            SELECT * FROM own
            UNION ALL
            SELECT b.* FROM below b ANTI JOIN own USING (key, measure, period)
        )
        SELECT u.key, l.file, l.sha256, min(u.period) AS first,
            list_sort(list(DISTINCT g.rows) FILTER (WHERE g.rows IS NOT NULL)) AS rows
        FROM used u JOIN loads l ON l.load_id = u.load_id
        LEFT JOIN orgs g ON g.load_id = u.load_id AND g.period = u.period
        AND g.org_code = u.org_code
        GROUP BY 1, 2, 3
        ORDER BY 1, 4, 2, 3
    """
    store.con.register("provenance_wanted", pl.DataFrame(wanted).to_arrow())
    try:
        with with_ancestors(store):
            rows = store.con.execute(sql, {"lo": lo, "hi": hi}).fetchall()
    finally:
        store.con.unregister("provenance_wanted")
    out: dict[int, list[SourceRef]] = {}
    # A value's files in the order of the months they hold, then by name.
    for key, file, sha, _, ranges in rows:
        out.setdefault(int(key), []).append(SourceRef(str(file), str(sha), _merged(tuple(ranges))))
    return {s: tuple(out.get(n, ())) for n, s in enumerate(spans_list)}


def _measures(ind: Indicator) -> tuple[str, ...]:
    both = ind.numerator.measures() + (ind.denominator.measures() if ind.denominator else ())
    return tuple(sorted(set(both)))


@lru_cache(maxsize=4096)
def _merged(ranges: tuple[str, ...]) -> str:
    """Several organisations' row ranges as one: ("2-4", "3,9") -> "2-4,9" (the same sets
    recur across a card's windows and cards, so each is worked out once)."""
    numbers: set[int] = set()
    for text in ranges:
        for part in text.split(","):
            if part:
                a, _, b = part.partition("-")
                numbers.update(range(int(a), int(b or a) + 1))
    return row_ranges(sorted(numbers))


Provenance = dict[tuple[str, str, Window], tuple[SourceRef, ...]]


def cards_provenance(store: Store, cards: Sequence[Scorecard]) -> list[Provenance]:
    """Sources of every value on each card, by (indicator id, organisation, window), all
    traced in one query."""
    keyed = [_spans(card) for card in cards]
    traced = trace(store, {s for spans in keyed for s in spans.values()})
    return [{k: traced[s] for k, s in spans.items()} for spans in keyed]


def _spans(card: Scorecard) -> dict[tuple[str, str, Window], Span]:
    keyed: dict[tuple[str, str, Window], Span] = {}
    for row in card.rows:
        for window in card.windows:
            cell = row.cell(window)
            if cell.value.value is None:
                continue
            first = window_start(cell.value)
            keyed[(row.indicator.id, row.org_code, window)] = Span(
                row.indicator, row.org_code, first, cell.value.period
            )
    return keyed


def config_refs(files: Mapping[str, str]) -> tuple[SourceRef, ...]:
    """The definition files a card was built from (indicators/*.toml, thresholds.toml)."""
    return tuple(SourceRef(f, h) for f, h in sorted(files.items()))
