"""Pure: computed values + standards -> a finished Scorecard with rated rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

import polars as pl

from scorecard.definitions import Catalogue
from scorecard.formatting import calendar_start, format_value
from scorecard.model import Cell, Indicator, Level, Row, Scheme, Scorecard, Value, Window
from scorecard.periods import Month
from scorecard.rate import rate
from scorecard.rollups import level_words, levels_text
from scorecard.spc.analysis import analyse, improvement_for
from scorecard.spc.result import SpcResult

LOOKBACK = 12  # months searched back from the scorecard's month for each indicator's data
SPC_MONTHS = 24  # months of each row's series for Making Data Count (two years)


def to_value(
    record: Mapping[str, Any] | None, ind_id: str, org: str, period: Month, window: Window
) -> Value:
    """A Value from one row of compute_values, or an empty Value when there is no row."""
    if record is None:
        start = calendar_start(period, window)
        return Value(ind_id, org, period, window, None, None, None, 0, start)
    return Value(
        indicator_id=ind_id,
        org_code=org,
        period=period,
        window=window,
        numerator=record["numerator"],
        denominator=record["denominator"],
        value=record["value"],
        months=int(record["months"]),
        first=Month.from_date(record["window_start"]),
        plan=record.get("plan"),
    )


def row_at(
    catalogue: Catalogue,
    lookup: Mapping[tuple[str, str, dt.date], Mapping[str, Any]],
    ind: Indicator,
    org_code: str,
    org_name: str,
    month: Month,
) -> Row:
    """An indicator's row for one organisation at `month`, each window rated (pure)."""
    standard = catalogue.standard_for(ind.id, month)
    cells = {}
    for window in Window:
        record = lookup.get((ind.id, window.value, month.first_day()))
        value = to_value(record, ind.id, org_code, month, window)
        cells[window] = Cell(value, rate(value, ind, standard))
    row = Row(
        indicator=ind,
        org_code=org_code,
        org_name=org_name,
        period=month,
        month=cells[Window.MONTH],
        quarter=cells[Window.QUARTER],
        ytd=cells[Window.YTD],
    )
    return replace(row, spc=spc_for(row, lookup))


def month_value(
    lookup: Mapping[tuple[str, str, dt.date], Mapping[str, Any]], ind_id: str, month: Month
) -> float | None:
    """An indicator's monthly value from lookup_for's table, or None for no data."""
    record = lookup.get((ind_id, Window.MONTH.value, month.first_day()))
    return None if record is None else record["value"]


@lru_cache(maxsize=64)
def _spc_months(period: Month) -> tuple[Month, ...]:
    """The SPC_MONTHS months to `period` (the same few periods recur on every card)."""
    return tuple(period.plus(i - SPC_MONTHS + 1) for i in range(SPC_MONTHS))


def spc_for(
    row: Row, lookup: Mapping[tuple[str, str, dt.date], Mapping[str, Any]]
) -> SpcResult | None:
    """Making Data Count over the `SPC_MONTHS` months to the row's month (pure).

    The target is the standard in force for the row's month (the plan, for an indicator
    rated against plan). A yes/no answer gets no SPC.
    """
    ind = row.indicator
    if ind.scheme is Scheme.YES_NO:
        return None
    series: list[tuple[Month, float | None]] = []
    for month in _spc_months(row.period):
        value = month_value(lookup, ind.id, month)
        if value is not None or series:  # the series starts at the first month with data
            series.append((month, value))
    if not series:
        return None
    if ind.scheme is Scheme.PLAN:
        target = row.month.value.plan
    else:
        target = row.standard.standard if row.standard is not None else None
    return analyse(
        series,
        improvement_for(ind.direction),
        target,
        rebase_at=ind.spc_rebase,
        ghosted=ind.spc_ghost,
        format_value=lambda v: format_value(v, ind.unit),
    )


def _recent(values: pl.DataFrame, org_code: str, period: Month) -> pl.DataFrame:
    """`org_code`'s monthly values in the look-back to `period`."""
    oldest = period.plus(1 - LOOKBACK).first_day()
    return values.filter(
        (pl.col("org_code") == org_code)
        & (pl.col("window") == Window.MONTH.value)
        & pl.col("period").is_between(oldest, period.first_day())
    )


def latest_months(values: pl.DataFrame, org_code: str, period: Month) -> dict[str, dt.date]:
    """Each indicator's latest month with a figure for `org_code` in the look-back to
    `period`. A month whose value is none (a ratio of 0 to 0: the type 2 four-hour
    performance of a trust with no type 2 department) has no figure."""
    mine = _recent(values, org_code, period).filter(pl.col("value").is_not_null())
    return dict(mine.group_by("indicator_id").agg(pl.col("period").max()).iter_rows())


def nothing_measured(values: pl.DataFrame, org_code: str, period: Month) -> set[str]:
    """Indicators with months in the look-back for `org_code` but no figure in any: every
    month a ratio of 0 to 0 (no attendances at a department type the trust does not have)."""
    mine = _recent(values, org_code, period)
    none = mine.group_by("indicator_id").agg(pl.col("value").is_null().all().alias("none"))
    return set(none.filter(pl.col("none"))["indicator_id"])


def lookup_for(
    values: pl.DataFrame, org_code: str
) -> dict[tuple[str, str, dt.date], dict[str, Any]]:
    """One organisation's computed values by (indicator, window, month)."""
    mine = values.filter(pl.col("org_code") == org_code)
    return {(r["indicator_id"], r["window"], r["period"]): r for r in mine.iter_rows(named=True)}


def assemble(
    catalogue: Catalogue,
    values: pl.DataFrame,
    *,
    org_code: str,
    org_name: str,
    period: Month,
    title: str,
    sources: Sequence[str],
    level: Level | None = None,
) -> Scorecard:
    """One row per catalogue indicator with data for `org_code`, at its latest month.

    Each family publishes on its own lag, so a row shows its indicator's latest month with
    data on or before `period` (labelled on the row), rated against the standard in force for
    that month. Only the `LOOKBACK` months up to `period` are searched: an indicator with no
    data for the organisation in them (an ambulance measure on an acute trust's card, a
    standard retired years ago), or with nothing to measure in any of them (0 of 0: a type 2
    four-hour figure for a trust with no type 2 department), gets no row, nor does one whose
    every standard ended before its month (the historic RTT completed-pathway standards);
    closing lines name them. At
    `level` (the organisation's place in the hierarchy), an indicator that does not exist
    there (an ambulance figure for an ICB) is named as not published for that level.
    """
    latest = latest_months(values, org_code, period)
    lookup = lookup_for(values, org_code)
    zero = nothing_measured(values, org_code, period)
    rows = []
    left_out: list[str] = []
    retired: list[str] = []
    unmeasured: list[str] = []
    elsewhere: dict[frozenset[Level], list[str]] = {}
    for ind in catalogue.indicators.values():
        if level is not None and level not in ind.levels:
            elsewhere.setdefault(ind.levels, []).append(ind.name)
            continue
        if ind.id not in latest:
            (unmeasured if ind.id in zero else left_out).append(ind.name)
            continue
        month = Month.from_date(latest[ind.id])
        if catalogue.retired(ind.id, month):
            retired.append(ind.name)
            continue
        rows.append(row_at(catalogue, lookup, ind, org_code, org_name, month))
    notes = list(sources)
    for levels, names in elsewhere.items():
        notes.append(
            f"Not shown, published for {levels_text(levels)} only, not for {level_words(level)}: "
            f"{'; '.join(names)}."
        )
    if retired:
        notes.append(f"Not shown, standards no longer in force: {'; '.join(retired)}.")
    if unmeasured:
        notes.append(
            f"Not shown, nothing to measure for {org_name} in the {LOOKBACK} months to "
            f"{period.label()} (0 of 0 every month, such as attendances at a type of department "
            f"it does not have): {'; '.join(unmeasured)}."
        )
    if left_out:
        notes.append(
            f"Not shown, no data for {org_name} in the {LOOKBACK} months to "
            f"{period.label()}: {'; '.join(left_out)}."
        )
    return Scorecard(title, org_code, org_name, period, tuple(rows), tuple(notes))
