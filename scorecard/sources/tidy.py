"""Wide validated rows -> the canonical long Extract every adapter returns."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from scorecard.sources.base import Extract, ObservationSchema, OrgSchema
from scorecard.sources.text import sha256
from scorecard.sources.validation import check_result


def to_extract(
    file: str,
    data: bytes,
    fmt: str,
    dataset: str,
    wide: pl.DataFrame,
    measure_sums: Mapping[str, tuple[str, ...]],
) -> Extract:
    """`wide` has period (Date), org_code, name, parent and the count columns.

    Each canonical measure is the sum of its published columns; if any of them is not
    published (null) the measure is not stored for that organisation and month.
    """
    measures = wide.select(
        "period",
        "org_code",
        *[
            pl.when(pl.any_horizontal([pl.col(c).is_null() for c in cols]))
            .then(None)
            .otherwise(pl.sum_horizontal(cols))
            .cast(pl.Float64)
            .alias(measure)
            for measure, cols in measure_sums.items()
        ],
    )
    obs = (
        measures.unpivot(index=["period", "org_code"], variable_name="measure", value_name="value")
        .drop_nulls("value")
        .sort("period", "org_code", "measure")
    )
    orgs = wide.select(
        "period", "org_code", org_name=pl.col("name"), parent_name=pl.col("parent")
    ).sort("period", "org_code")
    return Extract(
        file=file,
        format=fmt,
        dataset=dataset,
        sha256=sha256(data),
        observations=check_result(file, obs, ObservationSchema),
        orgs=check_result(file, orgs, OrgSchema),
    )
