"""Scorecard -> a tidy table (one row per indicator and window) and its CSV.

Like every renderer this only lays out what the Scorecard holds: values arrive computed
and rated, and are copied unrounded next to their display form.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from scorecard.formatting import format_value, window_label, window_start
from scorecard.model import Cell, OverTime, Row, Scorecard

# Column order is the CSV's column order.
COLUMNS: dict[str, pl.DataType] = {
    "indicator_id": pl.String(),
    "indicator_name": pl.String(),
    "org_code": pl.String(),
    "org_name": pl.String(),
    "period": pl.String(),  # YYYY-MM of the rated month
    "window": pl.String(),  # month, quarter, ytd
    "window_label": pl.String(),  # e.g. "Q2 2025/26 to date (Jul–Aug 2025)"
    "window_start": pl.String(),  # YYYY-MM
    "months_with_data": pl.Int64(),
    "unit": pl.String(),
    "direction": pl.String(),
    "numerator": pl.Float64(),
    "denominator": pl.Float64(),
    "value": pl.Float64(),  # unrounded, as rated
    "value_display": pl.String(),
    "standard": pl.Float64(),
    "lower_threshold": pl.Float64(),
    "rating": pl.String(),
    "rule": pl.String(),
}


def _record(row: Row, cell: Cell) -> dict[str, Any]:
    ind, v, std = row.indicator, cell.value, cell.rating.standard
    return {
        "indicator_id": ind.id,
        "indicator_name": ind.name,
        "org_code": row.org_code,
        "org_name": row.org_name,
        "period": row.period.iso(),
        "window": v.window.value,
        "window_label": window_label(v, position=ind.over_time is OverTime.LATEST),
        "window_start": window_start(v).iso(),
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


def scorecard_rows(card: Scorecard) -> pl.DataFrame:
    """Every row's month, quarter-to-date and year-to-date cells.

    Sorted explicitly: scorecard row order, then month, quarter, year to date.
    """
    records = [
        _record(row, cell) for row in card.rows for cell in (row.month, row.quarter, row.ytd)
    ]
    return pl.DataFrame(records, schema=COLUMNS)


def write_csv(card: Scorecard, path: Path) -> None:
    """UTF-8 (no BOM), LF line ends, full-precision values: same card, same bytes."""
    text = scorecard_rows(card).write_csv(line_terminator="\n")
    path.write_bytes(text.encode("utf-8"))
