"""Pure: computed values + standards -> a finished Scorecard with rated rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from scorecard.definitions import Catalogue
from scorecard.model import Cell, Row, Scorecard, Value, Window
from scorecard.periods import Month
from scorecard.rate import rate


def window_start(period: Month, window: Window) -> Month:
    if window is Window.MONTH:
        return period
    return period.quarter_start() if window is Window.QUARTER else period.fy_start()


def to_value(
    record: Mapping[str, Any] | None, ind_id: str, org: str, period: Month, window: Window
) -> Value:
    """A Value from one row of compute_values, or an empty Value when there is no row."""
    if record is None:
        return Value(ind_id, org, period, window, None, None, None, 0, window_start(period, window))
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
    )


def assemble(
    catalogue: Catalogue,
    values: pl.DataFrame,
    *,
    org_code: str,
    org_name: str,
    period: Month,
    title: str,
    sources: Sequence[str],
) -> Scorecard:
    """One row per catalogue indicator for `org_code` at `period`, each window rated."""
    day = period.first_day()
    mine = values.filter((pl.col("org_code") == org_code) & (pl.col("period") == day))
    lookup = {(r["indicator_id"], r["window"]): r for r in mine.iter_rows(named=True)}
    rows = []
    for ind in catalogue.indicators.values():
        standard = catalogue.standard_for(ind.id, period)
        cells = {}
        for window in Window:
            value = to_value(lookup.get((ind.id, window.value)), ind.id, org_code, period, window)
            cells[window] = Cell(value, rate(value, ind, standard))
        rows.append(
            Row(
                indicator=ind,
                org_code=org_code,
                org_name=org_name,
                period=period,
                month=cells[Window.MONTH],
                quarter=cells[Window.QUARTER],
                ytd=cells[Window.YTD],
            )
        )
    return Scorecard(title, org_code, org_name, period, tuple(rows), tuple(sources))
