"""The provider data extract's checked rows -> one wide row per month and organisation (the
measures) and the drill-down rows (scorecard.dimensions). Pure.

What is added, as the commissioner sheets publish it: every `28-day FDS` row (by route and by
suspected cancer type too); for `31-day Combined` and `62-day Combined` the cancer-type rows
(by stage or route and by cancer type too), never the `ALL CANCERS` rows, which repeat the
same patients by modality and give the drill-down by modality, and the retired 31-day
subsequent treatment standards' surgery, drug regimen and radiotherapy measures. A cancer type
or modality not in the vocabulary is kept as a part under its own name (normalised), so the
parts still add up to the whole.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from scorecard.dimensions import cancer
from scorecard.sources.cwt.frames import D31_MEASURES, D62_MEASURES, FDS_MEASURES, Pair
from scorecard.sources.cwt.sheet import normal_text

# Standard key -> (published name, {published stage/route: route (stage) key}).
STANDARDS: Mapping[str, tuple[str, Mapping[str, str]]] = {
    "fds": ("28-day FDS", {
        "URGENT SUSPECTED CANCER": "usc",
        "BREAST SYMPTOMATIC, CANCER NOT SUSPECTED": "breast_symptomatic",
        "NATIONAL SCREENING PROGRAMME": "screening",
    }),
    "31d": ("31-day Combined", {"First Treatment": "first", "Subsequent Treatment": "sub"}),
    "62d": ("62-day Combined", {
        **{name: key for key, name in cancer.ROUTES.items()},
    }),
}  # fmt: skip
MODALITIES = {"Anti-cancer drug regimen": "drug", "Radiotherapy": "radio", "Surgery": "surgery"}
SUB_MODALITY_MEASURES: Mapping[str, Pair] = {
    f"31d_sub_{key}": (f"cwt_31d_sub_{key}_treated", f"cwt_31d_sub_{key}_within_31d")
    for key in MODALITIES.values()
}
# Part (columns `total_<part>` and `within_<part>` of the wide frame) -> (treated, within).
MEASURES: Mapping[str, Pair] = {
    **{f"{std}_{k}".removesuffix("_all"): pair for std, sections in (
        ("fds", FDS_MEASURES), ("31d", D31_MEASURES), ("62d", D62_MEASURES),
    ) for k, pair in sections.items()},
    **SUB_MODALITY_MEASURES,
}  # fmt: skip


def part_key(dimension: str, column: str) -> pl.Expr:
    """A published cancer type or modality as its key, else as its normalised name."""
    names = cancer.spellings(dimension)
    return pl.coalesce(
        normal_text(column).replace_strict(names, default=None, return_dtype=pl.String),
        normal_text(column),
    )


def wide(rows: pl.DataFrame) -> pl.DataFrame:
    """One row per month and organisation with `total_<part>` and `within_<part>` columns."""
    types, std, key = ~pl.col("whole"), pl.col("std"), pl.col("key")
    sub = pl.col("whole") & (std == "31d") & (key == "sub")
    parts = (
        (types, std),  # fds, 31d, 62d: every FDS row, every cancer-type row
        (types & (std != "fds"), std + "_" + key),  # 31d_first, 62d_usc, ...
        (sub, "31d_sub_" + pl.col("mod")),  # ALL CANCERS rows by modality, never added above
        (sub, pl.lit("31d_sub_published")),
    )
    long = pl.concat(
        rows.filter(mask).select("day", "org_code", "total", "within", part=part)
        for mask, part in parts
    ).drop_nulls("part")
    out = long.pivot(
        on="part", index=["day", "org_code"], values=["total", "within"], aggregate_function="sum"
    )
    wanted = [f"{w}_{p}" for p in (*MEASURES, "31d_sub_published") for w in ("total", "within")]
    out = out.with_columns(pl.lit(None, pl.Float64).alias(c) for c in wanted if c not in out)
    has = {std: pl.col(f"total_{std}").is_not_null() for std in STANDARDS}  # rows for std
    published = pl.col("total_31d_sub_published").is_not_null()
    subs = has["31d"] & (published | (pl.col("total_31d_sub").fill_null(0.0) == 0))
    return out.with_columns(
        pl.when(subs if part in SUB_MODALITY_MEASURES else has[part[:3]])
        .then(pl.col(c).fill_null(0.0))
        .otherwise(pl.col(c))
        .alias(c)
        for part in MEASURES
        for c in (f"total_{part}", f"within_{part}")
    ).rename({"day": "period"})


def breakdowns(rows: pl.DataFrame) -> pl.DataFrame:
    """The drill-down rows (BreakdownSchema): each measure by part, added up per month."""
    whole, std, key = pl.col("whole"), pl.col("std"), pl.col("key")
    types, fds = ~whole, std == "fds"
    stage = std + "_" + key
    specs = (
        (fds, std, "route", key),
        (fds, std, "cancer_type", pl.col("ctype")),
        (types & ~fds, std, "cancer_type", pl.col("ctype")),
        (types & ~fds, stage, "cancer_type", pl.col("ctype")),
        (types & (std == "62d"), std, "route", key),
        (whole & ~fds, std, "modality", pl.col("mkey")),
        (whole & ~fds, stage, "modality", pl.col("mkey")),
    )
    long = pl.concat(
        rows.filter(mask).select(
            "day",
            "org_code",
            "total",
            "within",
            part=part,
            dimension=pl.lit(dimension),
            breakdown=breakdown,
        )
        for mask, part, dimension, breakdown in specs
    )
    sums = long.group_by("day", "org_code", "part", "dimension", "breakdown").agg(
        pl.col("total").sum(), pl.col("within").sum()
    )
    pairs = pl.DataFrame(
        {
            "part": list(MEASURES),
            **{c: [p[i] for p in MEASURES.values()] for i, c in enumerate(("m_total", "m_within"))},
        }
    )
    named = sums.join(pairs, on="part", how="inner")
    return pl.concat(
        named.select(
            period=pl.col("day"),
            org_code="org_code",
            measure=f"m_{count}",
            dimension="dimension",
            breakdown="breakdown",
            value=pl.col(count).cast(pl.Float64),
        )
        for count in ("total", "within")
    ).sort("period", "org_code", "measure", "dimension", "breakdown")
