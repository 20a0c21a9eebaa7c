"""Pure: computed values + standards -> a finished Scorecard with rated rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

import polars as pl

from scorecard.definitions import Catalogue
from scorecard.formatting import format_value
from scorecard.frequency import LOOKBACK as LOOKBACKS
from scorecard.frequency import SPC_POINTS, series, short_label, window_first
from scorecard.lookup import Lookup as Lookup
from scorecard.lookup import lookup_for as lookup_for
from scorecard.model import (
    Cell,
    Frequency,
    Indicator,
    Level,
    Row,
    Scheme,
    Scorecard,
    Value,
    Window,
)
from scorecard.periods import Month
from scorecard.rollups import level_words, levels_text
from scorecard.spc.analysis import analyse, improvement_for
from scorecard.spc.result import SpcResult
from scorecard.windows import rate_window

LOOKBACK = LOOKBACKS[Frequency.MONTHLY]  # months searched back for a monthly indicator's data
SPC_MONTHS = SPC_POINTS  # months of a monthly row's series for Making Data Count (two years)
# (a quarterly row's series is SPC_POINTS quarters: scorecard.frequency)


def to_value(
    record: Mapping[str, Any] | None,
    ind_id: str,
    org: str,
    period: Month,
    window: Window,
    frequency: Frequency = Frequency.MONTHLY,
) -> Value:
    """A Value from one row of compute_values, or an empty Value when there is no row."""
    if record is None:
        start = window_first(period, window, frequency)
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
        how=record.get("how") or "",
    )


def row_at(
    catalogue: Catalogue,
    lookup: Lookup,
    ind: Indicator,
    org_code: str,
    org_name: str,
    month: Month,
    rate_by: Window = Window.MONTH,
) -> Row:
    """An indicator's row for one organisation at `month`, each window rated against the
    standard in force for it (scorecard.windows), `rate_by`'s rating rating the row (pure)."""
    cells = {}
    for window in Window:
        record = lookup.get((ind.id, window.value, month.first_day()))
        value = to_value(record, ind.id, org_code, month, window, ind.frequency)
        cells[window] = Cell(value, rate_window(catalogue, ind, value))
    row = Row(
        indicator=ind,
        org_code=org_code,
        org_name=org_name,
        period=month,
        month=cells[Window.MONTH],
        quarter=cells[Window.QUARTER],
        ytd=cells[Window.YTD],
        rated_by=rate_by,
    )
    return replace(row, spc=spc_for(row, lookup))


def month_value(lookup: Lookup, ind_id: str, month: Month) -> float | None:
    """An indicator's monthly value from lookup_for's table, or None for no data (its
    monthly values are at hand: no record is made)."""
    return lookup.months.get((ind_id, month.first_day()))


@lru_cache(maxsize=64)
def _spc_months(period: Month, frequency: Frequency = Frequency.MONTHLY) -> tuple[Month, ...]:
    """The last months of the SPC_POINTS periods to `period` (the same few periods recur on
    every card)."""
    return series(period, frequency, SPC_POINTS)


def spc_for(row: Row, lookup: Lookup) -> SpcResult | None:
    """Making Data Count over the `SPC_POINTS` periods to the row's (pure): months, or a
    quarterly indicator's quarters, one point each.

    The target is the standard in force for the row's month (the plan, for an indicator
    rated against plan). A yes/no answer gets no SPC.
    """
    ind = row.indicator
    if ind.scheme is Scheme.YES_NO:
        return None
    points: list[tuple[Month, float | None]] = []
    for month in _spc_months(row.period, ind.frequency):
        value = month_value(lookup, ind.id, month)
        if value is not None or points:  # the series starts at the first period with data
            points.append((month, value))
    if not points:
        return None
    if ind.scheme is Scheme.PLAN:
        target = row.month.value.plan
    else:
        target = row.standard.standard if row.standard is not None else None
    return analyse(
        points,
        improvement_for(ind.direction),
        target,
        rebase_at=ind.spc_rebase,
        ghosted=ind.spc_ghost,
        format_value=lambda v: format_value(v, ind.unit),
        label=lambda m: short_label(m, ind.frequency),
    )


def _recent(
    values: pl.DataFrame, org_code: str, period: Month, catalogue: Catalogue | None = None
) -> pl.DataFrame:
    """`org_code`'s monthly values in the look-back to `period` (each indicator's own: an
    annual indicator looks further back, scorecard.frequency.LOOKBACK)."""
    oldest: pl.Expr = pl.lit(period.plus(1 - LOOKBACK).first_day())
    if catalogue is not None:
        longer = {
            i.id: period.plus(1 - LOOKBACKS[i.frequency]).first_day()
            for i in catalogue.indicators.values()
            if LOOKBACKS[i.frequency] != LOOKBACK
        }
        if longer:
            oldest = pl.col("indicator_id").replace_strict(
                longer, default=oldest, return_dtype=pl.Date
            )
    return values.filter(
        (pl.col("org_code") == org_code)
        & (pl.col("window") == Window.MONTH.value)
        & (pl.col("period") <= period.first_day())
        & (pl.col("period") >= oldest)
    )


def latest_months(
    values: pl.DataFrame, org_code: str, period: Month, catalogue: Catalogue | None = None
) -> dict[str, dt.date]:
    """Each indicator's latest month with a figure for `org_code` in the look-back to
    `period`. A month whose value is none (a ratio of 0 to 0: the type 2 four-hour
    performance of a trust with no type 2 department) has no figure."""
    mine = _recent(values, org_code, period, catalogue).filter(pl.col("value").is_not_null())
    return dict(mine.group_by("indicator_id").agg(pl.col("period").max()).iter_rows())


def nothing_measured(
    values: pl.DataFrame, org_code: str, period: Month, catalogue: Catalogue | None = None
) -> set[str]:
    """Indicators with months in the look-back for `org_code` but no figure in any: every
    month a ratio of 0 to 0 (no attendances at a department type the trust does not have)."""
    mine = _recent(values, org_code, period, catalogue)
    none = mine.group_by("indicator_id").agg(pl.col("value").is_null().all().alias("none"))
    return set(none.filter(pl.col("none"))["indicator_id"])


def _shown(
    lookup: Lookup, period: Month, catalogue: Catalogue
) -> tuple[dict[str, dt.date], set[str]]:
    """`latest_months` and `nothing_measured` together, from one organisation's `lookup`
    (the same months: each indicator's look-back to `period`)."""
    last, oldest = period.first_day(), period.plus(1 - LOOKBACK).first_day()
    longer = {
        i.id: period.plus(1 - LOOKBACKS[i.frequency]).first_day()
        for i in catalogue.indicators.values()
        if LOOKBACKS[i.frequency] != LOOKBACK
    }
    latest: dict[str, dt.date] = {}
    seen: set[str] = set()
    for (ind, day), value in lookup.months.items():
        if day > last or day < longer.get(ind, oldest):
            continue
        seen.add(ind)
        if value is not None and (ind not in latest or day > latest[ind]):
            latest[ind] = day
    return latest, seen - set(latest)


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
    lookup = lookup_for(values, org_code)
    latest, zero = _shown(lookup, period, catalogue)
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
