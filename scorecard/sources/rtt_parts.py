"""The treatment-function parts of NHS England's RTT layouts, and the centiles of their waits.

Every RTT layout publishes its figures by treatment function (specialty) beside the
all-specialties row (`C_999`, `IP999` ...). The whole is stored from that row, as published;
the specialty rows are stored beside it as the whole's parts (Extract.breakdowns, dimension
`treatment_function`, keyed by scorecard.dimensions.treatment_functions.key), never added up
into it. NHS England's specialty rows add up to the all-specialties row column by column
(checked on the real March 2015 and September 2025 sheets); where they do not, the file is
still stored, with a warning naming the first organisation that differs.

The incomplete pathways' median and 92nd percentile wait are worked out from each row's
weekly bands (scorecard.rtt_percentiles), for the whole and for each part, with the
convention of the file's era (its open-ended band). Pure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import polars as pl

from scorecard.dimensions.treatment_functions import PREFIXES, TOTAL
from scorecard.rtt_percentiles import MEDIAN, P92, Convention
from scorecard.sources.base import BreakdownSchema
from scorecard.sources.validation import check_result

DIMENSION = "treatment_function"
MEDIAN_WK = "rtt_incomplete_median_wk"
P92_WK = "rtt_incomplete_p92_wk"
CENTILES = {MEDIAN_WK: MEDIAN, P92_WK: P92}
WARNED = 3  # organisations named in a parts-and-whole warning


def part_key(column: str = "tfc") -> pl.Expr:
    """The treatment function's key (`C_110`, `IP110` -> `110`), as treatment_functions.key."""
    # The first prefix it starts with, taken off when something follows it. (One regular
    # expression: the when/then for each prefix in turn repeated the column's expression
    # four levels deep, and took longer to plan than to run on a national month.)
    prefixes = "|".join(re.escape(p) for p in PREFIXES)
    text = pl.col(column).str.strip_chars().str.to_uppercase()
    return text.str.replace(f"(?s)^(?:{prefixes})(.+)$", "${1}")


def is_total(column: str = "tfc") -> pl.Expr:
    """The all-specialties rows (`C_999`, `IP999`, `AP999`, `NP999`)."""
    return part_key(column) == TOTAL


def centile_names(first: str, last: str) -> dict[str, str]:
    """The centiles' sources as messages name them: `median of the bands >0-1 ... 104 plus`."""
    return {
        MEDIAN_WK: f"median of the bands {first} ... {last}",
        P92_WK: f"92nd percentile of the bands {first} ... {last}",
    }


def with_centiles(
    frame: pl.DataFrame, bands: Sequence[str], convention: Convention
) -> pl.DataFrame:
    """`frame` with the median and 92nd percentile of each row's `bands` (weeks; null when
    there are too few pathways, or a band is not published).

    scorecard.rtt_percentiles.weeks_at's rule, worked out a band at a time over every row at
    once, with the same arithmetic in the same order (the running count added band by band),
    so each figure is bit for bit weeks_at's: the first band with pathways whose running
    count reaches the rank holds it, the open-ended band gives its lower bound."""
    counts = [frame.get_column(b).cast(pl.Float64) for b in bands]
    running: list[pl.Series] = []
    for count in counts:
        running.append(count if not running else running[-1] + count)
    total = running[-1]  # null where a band is not published
    known = total.is_not_null() & (total > 0) & (total >= convention.minimum)
    return frame.with_columns(
        _centile(counts, running, fraction, convention.offset(fraction), known).alias(name)
        for name, fraction in CENTILES.items()
    )


def _centile(
    counts: list[pl.Series],
    running: list[pl.Series],
    fraction: float,
    offset: float,
    known: pl.Series,
) -> pl.Series:
    """weeks_at(row, fraction) of each row where `known`, else null (see with_centiles)."""
    rank = fraction * running[-1] + offset
    last = len(counts) - 1
    value = pl.Series([None] * len(known), dtype=pl.Float64)
    left = known  # the rows whose band is not found yet
    for week, (count, upto) in enumerate(zip(counts, running, strict=True)):
        here = left & (count > 0) & (upto >= rank)
        if not here.any():
            continue
        if week == last:
            at = pl.Series([float(week)] * len(known))
        else:
            at = week + (rank - (running[week - 1] if week else 0.0)) / count
        value = at.zip_with(here, value)
        left = left & ~here
    # (rounding left the rank past the last pathway: the open band)
    return pl.Series([float(last)] * len(known)).zip_with(left, value)


def measure_columns(sums: Mapping[str, Sequence[str]]) -> list[pl.Expr]:
    """Each measure as the sum of its columns; null when any of them is not published."""
    return [
        pl.when(pl.any_horizontal([pl.col(c).is_null() for c in cols]))
        .then(None)
        .otherwise(pl.sum_horizontal(cols))
        .cast(pl.Float64)
        .alias(measure)
        for measure, cols in sums.items()
    ]


def breakdowns(
    file: str, parts: pl.DataFrame, sums: Mapping[str, Sequence[str]]
) -> pl.DataFrame | None:
    """The specialty rows (`period`, `org_code`, `tfc` and the count columns) as the parts of
    each measure (BreakdownSchema); None when the file has none."""
    if not parts.height:
        return None
    wide = parts.select("period", "org_code", part_key().alias("breakdown"), *measure_columns(sums))
    long = (
        wide.unpivot(
            index=["period", "org_code", "breakdown"], variable_name="measure", value_name="value"
        )
        .drop_nulls("value")
        .select(
            "period",
            "org_code",
            "measure",
            pl.lit(DIMENSION).alias("dimension"),
            "breakdown",
            "value",
        )
        .sort("period", "org_code", "measure", "breakdown")
    )
    return check_result(file, long, BreakdownSchema)


def parts_warning(
    file: str, whole: pl.DataFrame, parts: pl.DataFrame | None, named: Mapping[str, str]
) -> tuple[str, ...]:
    """A warning when an organisation's specialty rows do not add up to its all-specialties
    row in a measure of `named` (the additive ones, with their published columns for the
    message); organisations without specialty rows are not checked."""
    if parts is None or not named:
        return ()
    additive = list(named)
    summed = (
        parts.filter(pl.col("measure").is_in(list(additive)))
        .group_by("period", "org_code", "measure")
        .agg(pl.col("value").sum().alias("parts"))
    )
    stated = whole.filter(pl.col("measure").is_in(list(additive)))
    differ = (
        summed.join(stated, on=["period", "org_code", "measure"], how="inner")
        .filter((pl.col("parts") - pl.col("value")).abs() > 1e-6)
        .sort("org_code", "measure")
    )
    if not differ.height:
        return ()
    shown = [
        f"{org}, {named[measure]}: {parts:,.0f} against {value:,.0f}"
        for org, measure, parts, value in differ.select(
            "org_code", "measure", "parts", "value"
        ).rows()[:WARNED]
    ]
    more = f" and {differ.height - WARNED} more" if differ.height > WARNED else ""
    return (
        f"{file}: the treatment-function rows do not add up to the all-specialties row "
        f"({'; '.join(shown)}{more}); both are stored as published",
    )
