"""Running totals over each window's months (scorecard/running.py) are polars' own windows'.

`running` works a window's totals out a step at a time rather than grouping; for any rows
sorted with each window's rows together in period order, it must give what `cum_sum`,
`cum_count` and `min` over the window's keys give, bit for bit: missing values, negative
zero, negative and fractional figures, windows of one to twelve months, month-end
positions (each row its own window).
"""

from __future__ import annotations

import datetime as dt
import math

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.running import _grouped, running

FIGURES = st.one_of(
    st.none(),
    st.just(0.0),
    st.just(-0.0),
    st.integers(-5, 10**9).map(float),
    st.floats(-1e6, 1e12, allow_nan=False, allow_infinity=False),
)


@st.composite
def _rows(draw: st.DrawFn) -> pl.DataFrame:
    records = []
    for indicator in draw(st.lists(st.sampled_from(["a", "b", "rtt"]), min_size=1, unique=True)):
        latest = draw(st.booleans())  # a month-end position: each month its own window
        for org in draw(st.lists(st.sampled_from(["ENG", "ZA1", "Y56"]), min_size=1, unique=True)):
            first = draw(st.integers(0, 30))
            count = draw(st.integers(1, 30))
            for m in range(first, first + count):
                period = dt.date(2023 + (m + 3) // 12, (m + 3) % 12 + 1, 1)
                records.append(
                    {
                        "indicator_id": indicator,
                        "org_code": org,
                        "period": period,
                        "numerator": draw(FIGURES),
                        "denominator": draw(FIGURES),
                        "latest": latest,
                    }
                )
    frame = pl.DataFrame(
        records,
        schema={
            "indicator_id": pl.String,
            "org_code": pl.String,
            "period": pl.Date,
            "numerator": pl.Float64,
            "denominator": pl.Float64,
            "latest": pl.Boolean,
        },
    )
    return frame.sort("indicator_id", "org_code", "period").with_columns(
        fy=pl.col("period").dt.year() - (pl.col("period").dt.month() < 4).cast(pl.Int32),
        fq=((pl.col("period").dt.month() - 4) % 12) // 3,
        own=pl.when("latest").then(pl.col("period")),
    )


def _bits(frame: pl.DataFrame) -> list[list[object]]:
    """Every cell, a float with its sign (so 0.0 and -0.0 differ)."""
    return [
        [(v, math.copysign(1.0, v)) if isinstance(v, float) else v for v in column.to_list()]
        for column in frame.get_columns()
    ]


@settings(max_examples=150, deadline=None)
@given(_rows(), st.sampled_from([["fy", "fq", "own"], ["fy", "own"]]))
def test_running_totals_are_polars_own_windows(rows: pl.DataFrame, group: list[str]) -> None:
    keys = ["indicator_id", "org_code", *group]
    ours, theirs = running(rows, keys), _grouped(rows, keys, "period")
    assert ours.schema == theirs.schema
    assert _bits(ours) == _bits(theirs)


def test_totals_other_than_floats_are_left_to_polars() -> None:
    rows = pl.DataFrame(
        {"k": ["a", "a", "b"], "period": [dt.date(2025, m, 1) for m in (4, 5, 4)]},
        schema={"k": pl.String, "period": pl.Date},
    ).with_columns(numerator=pl.Series([1, None, 3]), denominator=pl.Series([2, 2, 2]))
    assert running(rows, ["k"]).equals(_grouped(rows, ["k"], "period"))
    assert running(rows, ["k"])["numerator"].to_list() == [1, None, 3]
