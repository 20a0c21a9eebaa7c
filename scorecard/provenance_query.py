"""The query behind provenance.py: which files (and rows) each value's figures used, as
compute.py adds them up (see provenance.py for the rules).

A span's own organisation's figures are read first; the organisations below a roll-up are
read only for the months its own figure lacks a measure of the formula.

An organisation's month holds a formula whole when it has every one of its measures. Each
measure of a formula carries a bit of its own, and the month is whole when its rows' bits,
OR-ed together, are all of them: a plain aggregate over numbers, where counting the distinct
measures costs a grouping by every key and measure (most of the query's time over a roll-up's
two years of series). A formula of more measures than the mask holds (MASK_BITS) is
counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from scorecard.compute import ANCESTORS, rolls_up, with_ancestors
from scorecard.model import Indicator
from scorecard.periods import Month
from scorecard.store import Store


@dataclass(frozen=True)
class Span:
    """One value to trace: an indicator for an organisation over months first..last."""

    indicator: Indicator
    org_code: str
    first: Month
    last: Month

    def __hash__(self) -> int:
        # By the indicator's id alone: spans are hashed in their tens of thousands, and
        # hashing a whole definition each time costs more than the query's own work.
        return hash(
            (
                self.indicator.id,
                self.org_code,
                self.first.year,
                self.first.month,
                self.last.year,
                self.last.month,
            )
        )


def formulas(ind: Indicator) -> tuple[tuple[str, ...], ...]:
    """The measure sets compute.py needs whole, one per figure: the indicator's numerator
    and denominator together, then its plan (an indicator rated against plan)."""
    main = ind.numerator.measures() + (ind.denominator.measures() if ind.denominator else ())
    plan = (tuple(sorted(set(ind.plan.measures()))),) if ind.plan is not None else ()
    return (tuple(sorted(set(main))), *plan)


_SQL = """
    WITH own AS MATERIALIZED (
        SELECT w.key, w.grp, w.formula, w.n, w.bit, true AS own, o.measure, o.period,
            o.org_code, o.load_id
        FROM provenance_wanted w JOIN current_observations o
        ON o.dataset = w.dataset AND o.measure = w.measure AND o.org_code = w.org_code
        AND o.period BETWEEN w.first AND w.last
        WHERE o.period BETWEEN $lo AND $hi
    ),
    whole AS (  -- the months of its own figure: then none below it is read
        SELECT key, formula, period FROM own
        GROUP BY key, formula, period, n HAVING {whole}
    ),
    obs AS MATERIALIZED (
        SELECT * FROM own
        UNION ALL
        SELECT w.key, w.grp, w.formula, w.n, w.bit, false, o.measure, o.period, o.org_code,
            o.load_id
        FROM provenance_wanted w JOIN {ancestors} a ON a.ancestor = w.org_code
        JOIN current_observations o ON o.org_code = a.org_code
        AND o.dataset = w.dataset AND o.measure = w.measure
        AND o.period BETWEEN w.first AND w.last
        ANTI JOIN whole h ON h.key = w.key AND h.formula = w.formula AND h.period = o.period
        WHERE w.combinable AND o.period BETWEEN $lo AND $hi
    ),
    complete AS (  -- an organisation's month counts only with the whole formula
        SELECT key, formula, own, org_code, period FROM obs
        GROUP BY key, formula, own, org_code, period, n HAVING {whole}
    ),
    chosen AS (  -- its own figure where complete, else the organisations below it
        SELECT * FROM complete WHERE own
        UNION ALL
        SELECT b.* FROM complete b ANTI JOIN (SELECT * FROM complete WHERE own) s
        USING (key, formula, period) WHERE NOT b.own
    ),
    used AS (
        SELECT o.* FROM obs o SEMI JOIN chosen c USING (key, formula, own, org_code, period)
    )
    SELECT u.{by}, l.file, l.sha256, l.dataset, min(u.period) AS first,
        list_sort(list(DISTINCT u.period))::VARCHAR AS months,
        coalesce(array_to_string({rows}, ','), '') AS rows
    FROM used u JOIN loads l ON l.load_id = u.load_id
    {joins}
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 5, 2, 3
"""
# A month holds a formula whole: every measure's bit is set (see the module docstring).
_MASKED = "bit_or(bit) = (1 << n) - 1"
_COUNTED = "count(DISTINCT measure) = n"
MASK_BITS = 62  # the most measures a formula's mask holds (1 << n stays within BIGINT)
_ROWS = "list_sort(list(DISTINCT r.rows) FILTER (WHERE r.rows IS NOT NULL))"
# A measure's own rows where the layout records them, else its organisation's for the month.
_JOINS = """
    LEFT JOIN (
        SELECT u2.load_id, u2.period, u2.org_code, u2.measure,
            coalesce(m.rows, g.rows) AS rows
        FROM (SELECT DISTINCT load_id, period, org_code, measure FROM used) u2
        LEFT JOIN measure_rows m USING (load_id, period, org_code, measure)
        LEFT JOIN orgs g USING (load_id, period, org_code)
    ) r ON r.load_id = u.load_id AND r.period = u.period AND r.org_code = u.org_code
    AND r.measure = u.measure
"""


def traced(
    store: Store, spans: Sequence[Span], groups: Sequence[int] | None = None, *, rows: bool
) -> list[tuple[Any, ...]]:
    """The query behind `trace` and `read_by`: per span (or, given `groups`, per group of
    spans), each file and its months (and rows) that the span's figures used."""
    wanted = _wanted(spans, groups)
    if wanted.is_empty():
        return []
    # The whole span as constants too, so the scan skips other months' row groups.
    lo = min(s.first for s in spans).first_day()
    hi = max(s.last for s in spans).first_day()
    sql = _SQL.format(
        whole=_MASKED if wanted.select(pl.col("n").max()).item() <= MASK_BITS else _COUNTED,
        ancestors=ANCESTORS,
        by="key" if groups is None else "grp",
        rows=_ROWS if rows else "CAST([] AS VARCHAR[])",
        joins=_JOINS if rows else "",
    )
    store.con.register("provenance_wanted", wanted.to_arrow())
    try:
        with with_ancestors(store):
            found: list[tuple[Any, ...]] = store.con.execute(sql, {"lo": lo, "hi": hi}).fetchall()
    finally:
        store.con.unregister("provenance_wanted")
    return found


def _wanted(spans: Sequence[Span], groups: Sequence[int] | None) -> pl.DataFrame:
    """The query's input: a row per span, formula and measure, with the measure's bit in
    its formula's mask (each indicator's formulas worked out once: a batch's spans share a
    few dozen indicators)."""
    known: dict[int, tuple[str, bool, tuple[tuple[str, ...], ...]]] = {}
    cols: dict[str, list[Any]] = {c: [] for c in _WANTED}
    for n, s in enumerate(spans):
        ind = s.indicator
        if (found := known.get(id(ind))) is None:
            found = known[id(ind)] = (ind.family, rolls_up(ind), formulas(ind))
        family, combinable, forms = found
        first, last = s.first.first_day(), s.last.first_day()
        grp = n if groups is None else groups[n]
        for f, measures in enumerate(forms):
            size = len(measures)
            for i, m in enumerate(measures):  # (sorted, each once): bit i of the mask
                bit = 1 << i if size <= MASK_BITS else 0
                row = (n, grp, f, size, bit, family, m, s.org_code, first, last, combinable)
                for col, v in zip(cols.values(), row, strict=True):
                    col.append(v)
    return pl.DataFrame(cols, schema=_WANTED)


_WANTED = {
    "key": pl.Int64,
    "grp": pl.Int64,
    "formula": pl.Int64,
    "n": pl.Int64,
    "bit": pl.Int64,
    "dataset": pl.String,
    "measure": pl.String,
    "org_code": pl.String,
    "first": pl.Date,
    "last": pl.Date,
    "combinable": pl.Boolean,
}
