"""Running totals over the months of each window, for rows sorted so that a window's rows
come together in month order (compute.windowed's quarter and year to date).

What `.over(keys)` gives with `cum_sum`, `cum_count` and `min`, worked out without
grouping: a window's rows are a run of equal keys, so each row's place in its run is its
distance from the run's first row, and a running total is the one before it plus its own
value, one step of the run at a time (a year is at most twelve steps). Grouping hundreds of
thousands of windows of one to twelve rows costs polars some five times as much.

The totals are polars' own, bit for bit: `cum_sum` adds each value to the total so far,
starting from 0.0, in row order, and leaves a missing value missing without changing the
total; so does this. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

TOTALS = ("numerator", "denominator")
_FIRST, _PLACE, _START = "_run_first", "_run_place", "_run_start"


def running(rows: pl.DataFrame, keys: Sequence[str], period: str = "period") -> pl.DataFrame:
    """`rows` with each row's window so far, its window being the rows of equal `keys`:
    `window_start` (the window's first period), `months` (its rows up to this one) and
    the running `numerator` and `denominator`. The rows must be sorted so that each
    window's rows are together, in period order, and `period` never missing."""
    if any(rows.schema[c] != pl.Float64 for c in TOTALS) or rows[period].null_count():
        return _grouped(rows, keys, period)
    index = pl.int_range(pl.len(), dtype=pl.UInt32)
    run = pl.struct(list(keys)).rle_id()
    out = rows.with_columns((run != run.shift(1)).fill_null(True).alias(_START))
    out = out.with_columns(pl.when(_START).then(index).forward_fill().alias(_FIRST))
    out = out.with_columns((index - pl.col(_FIRST)).alias(_PLACE))
    steps = out.select(pl.col(_PLACE).max().fill_null(0)).item()
    values = {c: pl.col(c).fill_null(0.0) for c in TOTALS}  # (adding 0.0 changes no total)
    # A run's first total is 0.0 plus its value: the value, save that -0.0 becomes 0.0
    # (written out: polars would drop the `0.0 +`).
    out = out.with_columns(
        **{f"_{c}": pl.when(v == 0.0).then(pl.lit(0.0)).otherwise(v) for c, v in values.items()}
    )
    for step in range(1, steps + 1):  # each row's total: the one before it, plus its own
        out = out.with_columns(
            **{
                f"_{c}": pl.when(pl.col(_PLACE) >= step)
                .then(pl.col(f"_{c}").shift(1) + v)
                .otherwise(pl.col(f"_{c}"))
                for c, v in values.items()
            }
        )
    return out.with_columns(
        window_start=pl.when(_START).then(pl.col(period)).forward_fill(),
        months=(pl.col(_PLACE) + 1).cast(pl.Int32),
        **{c: pl.when(pl.col(c).is_null()).then(None).otherwise(pl.col(f"_{c}")) for c in TOTALS},
    ).drop(_START, _FIRST, _PLACE, *(f"_{c}" for c in TOTALS))


def _grouped(rows: pl.DataFrame, keys: Sequence[str], period: str) -> pl.DataFrame:
    """`running` by polars' windows themselves (totals other than floats, or a missing
    period)."""
    keys = list(keys)
    return rows.with_columns(
        window_start=pl.col(period).min().over(keys),
        months=pl.col(period).cum_count().over(keys).cast(pl.Int32),
        **{c: pl.col(c).cum_sum().over(keys) for c in TOTALS},
    )
