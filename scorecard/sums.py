"""Monthly numerator and denominator sums per indicator, organisation and month: one SQL
pass over the stored measures for every indicator at once, then the roll-ups.

Every indicator's formula terms go to DuckDB as one small table (indicator, measure and
the measure's coefficient on each side), joined to the observations and grouped once, so a
build asks one query however many indicators it shows (a query per indicator, joined with
UNION ALL, cost far more to plan than to run). ICBs, regions and England add up the
organisations below them (scorecard.hierarchy) where the indicator rolls up and no figure
is stored for them as published.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import polars as pl

from scorecard.model import ALL_LEVELS, Formula, Indicator
from scorecard.periods import Month
from scorecard.rollups import rolls_up
from scorecard.store import Store

ANCESTORS = "scorecard_ancestors"
TERMS = "scorecard_terms"
_SAFE = re.compile(r"^[a-z][a-z0-9_]*$")
_TERMS_SCHEMA = {
    "indicator_id": pl.String,
    "dataset": pl.String,
    "measure": pl.String,
    "in_num": pl.Boolean,
    "in_den": pl.Boolean,
    "ncoef": pl.Float64,
    "dcoef": pl.Float64,
    "n_num": pl.Int64,
    "n_den": pl.Int64,  # 0: a count (no denominator)
    "is_ratio": pl.Boolean,
    "combinable": pl.Boolean,
}


def sql_name(name: str) -> str:
    """A validated identifier as an SQL string literal."""
    if not _SAFE.match(name):
        raise ValueError(f"unsafe identifier {name!r}")
    return f"'{name}'"


def _coefficients(formula: Formula | None) -> dict[str, int]:
    """Each measure's net sign in a formula (a measure may appear more than once)."""
    coeff: dict[str, int] = {}
    for t in formula.terms if formula is not None else ():
        coeff[t.measure] = coeff.get(t.measure, 0) + t.sign
    return coeff


def terms_frame(indicators: Sequence[Indicator]) -> pl.DataFrame:
    """One row per indicator and measure it reads: the measure's coefficient in the
    numerator and the denominator (0 where it is not in one), and how many distinct
    measures each side needs whole. Names travel as data, never as SQL text."""
    rows = []
    for ind in indicators:
        num, den = _coefficients(ind.numerator), _coefficients(ind.denominator)
        for measure in sorted(num.keys() | den.keys()):
            rows.append(
                {
                    "indicator_id": ind.id,
                    "dataset": ind.family,
                    "measure": measure,
                    "in_num": measure in num,
                    "in_den": measure in den,
                    "ncoef": float(num.get(measure, 0)),
                    "dcoef": float(den.get(measure, 0)),
                    "n_num": len(num),
                    "n_den": len(den),
                    "is_ratio": ind.is_ratio(),
                    "combinable": rolls_up(ind),
                }
            )
    return pl.DataFrame(rows, schema=_TERMS_SCHEMA)


def _sql(part: str | None, org: bool, ordered: bool = True) -> str:
    """The monthly sums; with `part`, per part of a dimension; with `org`, for $org alone
    (its own rows, and those of the organisations below it for its roll-up); `ordered`, in
    key order."""
    by = "" if part is None else ", o.breakdown"
    source = "current_observations o"
    where = "o.period BETWEEN $first AND $last"
    if part is not None:
        source = "current_breakdowns o"
        where += f" AND o.dimension = {sql_name(part)}"
    if org:
        where += (
            f" AND (o.org_code = $org OR o.org_code IN "
            f"(SELECT org_code FROM {ANCESTORS} WHERE ancestor = $org))"
        )
    keys = by.replace("o.", "")
    return f"""
        WITH obs AS (  -- each measure once per organisation and month
            SELECT o.dataset, o.measure, o.org_code, o.period{by}, sum(o.value) AS value
            FROM {source} SEMI JOIN {TERMS} t ON o.dataset = t.dataset AND o.measure = t.measure
            WHERE {where}
            GROUP BY ALL
        ),
        per_org AS (
            SELECT t.indicator_id, o.org_code, o.period{by},
                CASE WHEN count(*) FILTER (WHERE t.in_num) = t.n_num
                    THEN sum(o.value * t.ncoef) END AS numerator,
                CASE WHEN t.n_den > 0 AND count(*) FILTER (WHERE t.in_den) = t.n_den
                    THEN sum(o.value * t.dcoef) END AS denominator,
                t.is_ratio, t.combinable
            FROM obs o JOIN {TERMS} t ON o.dataset = t.dataset AND o.measure = t.measure
            GROUP BY t.indicator_id, o.org_code, o.period{by}, t.n_num, t.n_den,
                t.is_ratio, t.combinable
        ),
        complete AS (
            SELECT * FROM per_org
            WHERE numerator IS NOT NULL AND (NOT is_ratio OR denominator IS NOT NULL)
        ),
        rolled AS (
            SELECT c.indicator_id, a.ancestor AS org_code, c.period{by and ", c.breakdown"},
                sum(c.numerator) AS numerator, sum(c.denominator) AS denominator
            FROM complete c JOIN {ANCESTORS} a ON c.org_code = a.org_code
            WHERE c.combinable{" AND a.ancestor = $org" if org else ""}
            GROUP BY ALL
        )
        SELECT indicator_id, org_code, period{keys}, numerator, denominator FROM complete
        {"WHERE org_code = $org" if org else ""}
        UNION ALL
        SELECT r.* FROM rolled r
        ANTI JOIN complete c USING (indicator_id, org_code, period{keys})
        {f"ORDER BY indicator_id, org_code, period{keys}" if ordered else ""}
    """


def monthly(
    store: Store,
    indicators: Sequence[Indicator],
    first: Month,
    last: Month,
    part: str | None = None,
    org: str | None = None,
    *,
    ordered: bool = True,
) -> pl.DataFrame:
    """Monthly numerator and denominator per indicator, organisation and month, plus England.

    Rows whose formula is incomplete for the month (a measure not published) are dropped,
    and so are organisations at a level the indicator does not exist at (`levels`). With
    `part` (a dimension), one row per part of it (a `breakdown` column): the published
    drill-downs, rolled up as the whole is where a level has none of its own. With `org`,
    that organisation's rows alone (the same rows, from a smaller read). In key order
    (indicator, organisation, month, part) unless not `ordered` (a caller that sorts them
    itself: sorting a national span's half a million rows costs a third of the query).
    """
    if not indicators:
        return _empty_monthly(part)
    params: dict[str, object] = {"first": first.first_day(), "last": last.first_day()}
    if org is not None:
        params["org"] = org
    store.con.register(TERMS, terms_frame(indicators).to_arrow())
    try:
        with with_ancestors(store):
            sql = _sql(part, org is not None, ordered)
            frame: pl.DataFrame = store.con.sql(sql, params=params).pl()
    finally:
        store.con.unregister(TERMS)
    frame = frame.cast({"numerator": pl.Float64, "denominator": pl.Float64})
    return _at_their_levels(store, indicators, frame)


def _at_their_levels(
    store: Store, indicators: Sequence[Indicator], frame: pl.DataFrame
) -> pl.DataFrame:
    """Drop each indicator's rows for organisations at levels it does not exist at."""
    limited = [i for i in indicators if i.levels != ALL_LEVELS]
    if not limited:
        return frame
    levels = store.hierarchy().levels
    for ind in limited:
        outside = [code for code, level in levels.items() if level not in ind.levels]
        frame = frame.filter(
            (pl.col("indicator_id") != ind.id) | ~pl.col("org_code").is_in(outside)
        )
    return frame


@contextmanager
def with_ancestors(store: Store) -> Iterator[None]:
    """The hierarchy as a relation the roll-up SQL can join (see scorecard.hierarchy)."""
    store.con.register(ANCESTORS, store.hierarchy().ancestors.to_arrow())
    try:
        yield
    finally:
        store.con.unregister(ANCESTORS)


def _empty_monthly(part: str | None = None) -> pl.DataFrame:
    extra = {} if part is None else {"breakdown": pl.String}
    return pl.DataFrame(
        schema={
            "indicator_id": pl.String,
            "org_code": pl.String,
            "period": pl.Date,
            **extra,
            "numerator": pl.Float64,
            "denominator": pl.Float64,
        }
    )
