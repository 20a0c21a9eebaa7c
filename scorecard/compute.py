"""Indicator values from stored numerators and denominators, never from averaged percentages.

Monthly numerators and denominators per organisation come from one SQL query (scorecard.sums);
ICBs, regions and England add up the organisations below them (scorecard.hierarchy), unless
a figure is stored for them as published, or the indicator is only ever read as published
for each level (scorecard.rollups: a centile, an ambulance figure). Quarter-to-date and
year-to-date values add numerators and denominators over the months of the financial quarter
or year up to the month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace

import polars as pl

from scorecard.model import Indicator, OverTime, Unit, Window
from scorecard.own_windows import own_indicators, with_own_windows
from scorecard.periods import Month
from scorecard.rollups import rolls_up
from scorecard.running import running
from scorecard.store import Store
from scorecard.sums import ANCESTORS, monthly, with_ancestors
from scorecard.sums import sql_name as _lit

__all__ = [
    "ANCESTORS",
    "compute_values",
    "measure_values",
    "monthly",
    "reporting_orgs",
    "rolls_up",
    "windowed",
    "with_ancestors",
]

VALUE_COLUMNS = [
    "indicator_id",
    "org_code",
    "period",
    "window",
    "window_start",
    "months",
    "numerator",
    "denominator",
    "value",
    "plan",
    "how",
]
PLAN_SUFFIX = "__plan"
_ORDER = "_order"  # windowed's row index in key order
# windowed's window keys, dropped before its frames are put together (less to hold and sort)
_WINDOW_KEYS = ("fy", "fq", "own")


def windowed(
    months: pl.DataFrame,
    scale: Mapping[str, float],
    latest_ids: frozenset[str] = frozenset(),
    month_only_ids: frozenset[str] = frozenset(),
    windows_from: dt.date | None = None,
    extra: Sequence[str] = (),
    mean_ids: frozenset[str] = frozenset(),
) -> pl.DataFrame:
    """Month, financial-quarter-to-date and year-to-date values from monthly sums (pure).

    `scale` gives each ratio indicator's multiplier (100 for a percentage, 1 for a mean);
    indicators not in it are counts. Indicators in `latest_ids` are month-end positions:
    their quarter and year-to-date values are the month's own, not a sum of positions.
    Indicators in `month_only_ids` cannot be combined: they get no quarter or year values.
    Indicators in `mean_ids` are percentages entered without counts: a quarter or year is the
    average of its periods' values (`how` = "mean"), never a sum.
    A quarterly or annual indicator has one row a period (at its last month), so its windows
    add up (or average) periods, not months.
    `windows_from` (the start of a financial year): quarter and year-to-date values only
    from that month on. `extra` names further key columns (a drill-down's `breakdown`).
    """
    # Each row's place in key order: the result is in (key, window) order, and the windows'
    # names sort month, quarter, ytd, so one whole-number key orders it (a sort by the
    # key's columns again costs more than the rest of this function).
    base = (
        months.sort("indicator_id", "org_code", *extra, "period")
        .with_row_index(_ORDER)
        .with_columns(
            fy=pl.col("period").dt.year() - (pl.col("period").dt.month() < 4).cast(pl.Int32),
            fq=((pl.col("period").dt.month() - 4) % 12) // 3,
            # A month-end position is its own window: it never adds up with other months.
            own=pl.when(pl.col("indicator_id").is_in(list(latest_ids))).then(pl.col("period")),
        )
    )
    # A month is its own window: each row is one (monthly sums are one row per indicator,
    # organisation, part and month), so it needs no grouping.
    frames = [
        base.with_columns(
            window=pl.lit(Window.MONTH.value),
            window_start=pl.col("period"),
            months=pl.col("period").is_not_null().cast(pl.Int32),
            **{_ORDER: pl.col(_ORDER).cast(pl.Int64) * 3},
        ).drop(_WINDOW_KEYS)
    ]
    for n, (window, group) in enumerate(
        ((Window.QUARTER, ["fy", "fq", "own"]), (Window.YTD, ["fy", "own"])), start=1
    ):
        keys = ["indicator_id", "org_code", *extra, *group]
        rows = base
        if windows_from is not None:
            rows = base.filter(pl.col("period") >= windows_from)
        # (a window's rows are together, in period order: `base` is sorted so)
        totals = running(rows.with_columns(window=pl.lit(window.value)), keys)
        order = pl.col(_ORDER).cast(pl.Int64) * 3 + n
        frames.append(totals.with_columns(**{_ORDER: order}).drop(_WINDOW_KEYS))
    factor = pl.col("indicator_id").replace_strict(
        dict(scale), default=None, return_dtype=pl.Float64
    )
    out = (
        pl.concat(frames)
        .filter(
            (pl.col("window") == Window.MONTH.value)
            | ~pl.col("indicator_id").is_in(list(month_only_ids))
        )
        .with_columns(
            value=pl.when(pl.col("indicator_id").is_in(list(mean_ids)))
            .then(pl.col("numerator") / pl.col("months"))
            .when(factor.is_null())
            .then(pl.col("numerator"))
            .when(pl.col("denominator") > 0)
            .then(factor * pl.col("numerator") / pl.col("denominator"))
            .otherwise(None),
            how=pl.when(
                pl.col("indicator_id").is_in(list(mean_ids))
                & (pl.col("window") != Window.MONTH.value)
            )
            .then(pl.lit("mean"))
            .otherwise(pl.lit("")),
        )
    )
    columns = [*VALUE_COLUMNS[:2], *extra, *VALUE_COLUMNS[2:-2], "how"]
    return out.sort(_ORDER).select(columns)


def compute_values(
    store: Store,
    indicators: Sequence[Indicator],
    first: Month,
    last: Month,
    org: str | None = None,
    windows_from: Month | None = None,
    part: str | None = None,
) -> pl.DataFrame:
    """Every window's value for months `first` to `last`, for one organisation or all.

    An indicator rated against a plan gets its plan figure over the same window (`plan`),
    computed like a count from the plan formula. With `windows_from`, quarter and
    year-to-date values only for the months from that one (monthly values for all). With
    `part` (a dimension), the values of each part of it, in a `breakdown` column.
    """
    plans = [
        replace(i, id=i.id + PLAN_SUFFIX, numerator=i.plan, denominator=None, plan=None)
        for i in indicators
        if i.plan is not None and part is None
    ]
    owns = own_indicators(list(indicators)) if part is None else []
    every = [*indicators, *plans, *owns]
    extra = () if part is None else ("breakdown",)
    # Months from the financial year of the first quarter and year to date computed (their
    # sums start there), else of `first`; months before `first` give no value of their own.
    start = first.fy_start() if windows_from is None else min(first, windows_from.fy_start())
    frame = monthly(store, every, start, last, part, org, ordered=False)
    scale = {i.id: 100.0 if i.unit is Unit.PERCENT else 1.0 for i in every if i.is_ratio()}
    latest = frozenset(i.id for i in every if i.over_time is OverTime.LATEST)
    month_only = frozenset(i.id for i in every if i.over_time is OverTime.NONE)
    means = frozenset(i.id for i in every if i.over_time is OverTime.MEAN)
    since = None if windows_from is None else windows_from.fy_start().first_day()
    out = windowed(frame, scale, latest, month_only, since, extra, means)
    out = out.filter(pl.col("period") >= first.first_day())
    if windows_from is not None:
        out = out.filter(
            (pl.col("window") == Window.MONTH.value)
            | (pl.col("period") >= windows_from.first_day())
        )
    is_plan = pl.col("indicator_id").str.ends_with(PLAN_SUFFIX)
    keys = ["indicator_id", "org_code", *extra, "period", "window"]
    plan = out.filter(is_plan).select(
        pl.col("indicator_id").str.strip_suffix(PLAN_SUFFIX), *keys[1:], plan=pl.col("value")
    )
    joined = out.filter(~is_plan).join(plan, on=keys, how="left", maintain_order="left")
    joined = with_own_windows(joined, list(indicators)) if part is None else joined
    return joined.select(*VALUE_COLUMNS[:2], *extra, *VALUE_COLUMNS[2:])


def measure_values(
    store: Store,
    family: str,
    measures: Sequence[str],
    org: str,
    period: Month,
    *,
    adds_up: bool = True,
) -> dict[str, float]:
    """The stored measures behind one organisation's month.

    A measure stored for the organisation itself is used as published; otherwise, when
    `adds_up` (see rolls_up), it is the sum over the organisations that add up into it (an
    ICB's providers, say).
    """
    names = ", ".join(_lit(m) for m in sorted(set(measures)))
    where = f"dataset = {_lit(family)} AND measure IN ({names}) AND period = $period"
    sql = f"""
        WITH own AS (
            SELECT measure, sum(value) AS value FROM current_observations
            WHERE {where} AND org_code = $org GROUP BY 1
        ),
        below AS (
            SELECT o.measure, sum(o.value) AS value
            FROM current_observations o JOIN {ANCESTORS} a ON o.org_code = a.org_code
            WHERE {where} AND a.ancestor = $org GROUP BY 1
        )
        SELECT measure, value FROM own
        UNION ALL
        SELECT b.measure, b.value FROM below b ANTI JOIN own USING (measure)
        WHERE $adds_up
        ORDER BY 1
    """
    params: dict[str, object] = {"period": period.first_day(), "org": org, "adds_up": adds_up}
    with with_ancestors(store):
        rows = store.con.execute(sql, params).fetchall()
    return {str(m): float(v) for m, v in rows}


def reporting_orgs(store: Store, family: str) -> frozenset[str]:
    """Every organisation with a figure stored in a dataset (an ambulance trust, say)."""
    sql = f"SELECT DISTINCT org_code FROM current_observations WHERE dataset = {_lit(family)}"
    return frozenset(str(code) for (code,) in store.con.execute(sql).fetchall())
