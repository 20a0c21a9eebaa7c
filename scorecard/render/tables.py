"""Scorecard -> a tidy table (one row per indicator and window) and its CSV."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from scorecard.formatting import format_value, window_label
from scorecard.model import OverTime, Scorecard

COLUMNS = {
    "indicator_id": pl.String,
    "indicator_name": pl.String,
    "org_code": pl.String,
    "org_name": pl.String,
    "period": pl.String,
    "window": pl.String,
    "window_label": pl.String,
    "window_start": pl.String,
    "months_with_data": pl.Int64,
    "unit": pl.String,
    "direction": pl.String,
    "numerator": pl.Float64,
    "denominator": pl.Float64,
    "value": pl.Float64,
    "value_display": pl.String,
    "standard": pl.Float64,
    "lower_threshold": pl.Float64,
    "rating": pl.String,
    "rule": pl.String,
}


def scorecard_rows(card: Scorecard) -> pl.DataFrame:
    """Every row's month, quarter-to-date and year-to-date cells, in scorecard order."""
    records = []
    for row in card.rows:
        ind = row.indicator
        for cell in (row.month, row.quarter, row.ytd):
            v, std = cell.value, cell.rating.standard
            records.append(
                {
                    "indicator_id": ind.id,
                    "indicator_name": ind.name,
                    "org_code": row.org_code,
                    "org_name": row.org_name,
                    "period": row.period.iso(),
                    "window": v.window.value,
                    "window_label": window_label(v, position=ind.over_time is OverTime.LATEST),
                    "window_start": v.first.iso() if v.first else None,
                    "months_with_data": v.months,
                    "unit": ind.unit.value,
                    "direction": ind.direction.value,
                    "numerator": v.numerator,
                    "denominator": v.denominator,
                    "value": v.value,
                    "value_display": format_value(v.value, ind.unit),
                    "standard": std.standard if std else None,
                    "lower_threshold": std.lower_threshold if std else None,
                    "rating": cell.rating.rating.value,
                    "rule": cell.rating.rule,
                }
            )
    return pl.DataFrame(records, schema=COLUMNS)


def write_csv(card: Scorecard, path: Path) -> None:
    """UTF-8, LF line ends, full-precision values: same card, same bytes."""
    path.write_bytes(scorecard_rows(card).write_csv().encode("utf-8"))
