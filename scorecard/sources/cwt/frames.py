"""A cancer waiting times sheet's checked rows -> the canonical Extract: the whole as
observations, the parts published beside it as breakdowns (scorecard.dimensions). Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import polars as pl

from scorecard.periods import Month
from scorecard.sources.base import BreakdownSchema, Extract, MeasureRowsSchema
from scorecard.sources.cwt.checks import key_rows
from scorecard.sources.tidy import to_extract
from scorecard.sources.validation import check_result

DATASET = "cwt"
Pair = tuple[str, str]  # (people counted, of those within the standard)
# Section key -> its pair of measures (the all-section's: the whole).
FDS_MEASURES: Mapping[str, Pair] = {"all": ("cwt_fds_told", "cwt_fds_told_within_28d")}
D31_MEASURES: Mapping[str, Pair] = {
    "all": ("cwt_31d_treated", "cwt_31d_within_31d"),
    "first": ("cwt_31d_first_treated", "cwt_31d_first_within_31d"),
    "sub": ("cwt_31d_sub_treated", "cwt_31d_sub_within_31d"),
}
D62_MEASURES: Mapping[str, Pair] = {
    "all": ("cwt_62d_treated", "cwt_62d_within_62d"),
    **{
        k: (f"cwt_62d_{k}_treated", f"cwt_62d_{k}_within_62d")
        for k in ("usc", "breast_symptomatic", "screening", "upgrade")
    },
}
# The retired standards' 31-day subsequent treatment modalities (no Other), as measures.
SUB_MODALITIES = ("surgery", "drug", "radio")
SUB_MODALITY_MEASURES: Mapping[str, Pair] = {
    f"sub_{k}": (f"cwt_31d_sub_{k}_treated", f"cwt_31d_sub_{k}_within_31d") for k in SUB_MODALITIES
}
USC_FOA: Pair = ("cwt_usc_foa_seen", "cwt_usc_foa_within_14d")
UBS_FHA: Pair = ("cwt_ubs_fha_seen", "cwt_ubs_fha_within_14d")


def extract(
    file: str, data: bytes, fmt: str, scope: str, period: Month, wide: pl.DataFrame,
    measures: Mapping[str, Pair], parts: pl.DataFrame | None = None,
) -> Extract:  # fmt: skip
    """`wide` (from checks.spread) has `<key>_total` and `<key>_within` for each key of
    `measures`, stored as its pair of measures; `parts` (from `breakdowns`) the drill-downs."""
    day = period.first_day()
    sums: dict[str, tuple[str, ...]] = {}
    for key, (treated, within) in measures.items():
        sums[treated] = (f"{key}_total",)
        sums[within] = (f"{key}_within",)
    wide = wide.with_columns(period=pl.lit(day), parent=pl.lit(None, pl.String))
    ex = to_extract(file, data, fmt, DATASET, wide, sums, scope=scope, basis="commissioner")
    if parts is not None:
        dated = parts.select(pl.lit(day).alias("period"), pl.all()).sort(
            "period", "org_code", "measure", "dimension", "breakdown"
        )
        ex = replace(ex, breakdowns=check_result(file, dated, BreakdownSchema))
    # A section's (or part's) measures name its own rows, not the commissioner's others.
    keys = {m: key for key, pair in measures.items() for m in pair}
    lines = key_rows(wide, keys)
    if lines is None:
        return ex
    return replace(ex, measure_rows=check_result(file, lines, MeasureRowsSchema))


def breakdowns(rows: pl.DataFrame, column: str, dimension: str, pair: Pair) -> pl.DataFrame:
    """Each commissioner's rows added up by `column` (the part key), as the drill-down rows
    (BreakdownSchema, less the period) of the pair of measures."""
    sums = rows.group_by("org_code", column).agg(pl.col("total").sum(), pl.col("within").sum())
    return pl.concat(
        sums.select(
            "org_code",
            measure=pl.lit(measure),
            dimension=pl.lit(dimension),
            breakdown=pl.col(column),
            value=pl.col(count).cast(pl.Float64),
        )
        for measure, count in zip(pair, ("total", "within"), strict=True)
    )
