"""Wide validated rows -> the canonical long Extract every adapter returns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from scorecard.errors import SourceError
from scorecard.sources.base import Extract, ObservationSchema, OrgSchema
from scorecard.sources.encoding import sha256
from scorecard.sources.rows import row_numbers as row_numbers
from scorecard.sources.rows import row_ranges as row_ranges
from scorecard.sources.text import ROW, ROWS
from scorecard.sources.validation import check_result


def to_extract(
    file: str,
    data: bytes,
    fmt: str,
    dataset: str,
    wide: pl.DataFrame,
    measure_sums: Mapping[str, tuple[str, ...]],
    scope: str = "",
    basis: str = "provider",
    published: Mapping[str, str] | None = None,
) -> Extract:
    """`wide` has period (Date), org_code, name, parent and the count columns.

    Each canonical measure is the sum of its published columns; if any of them is not
    published (null) the measure is not stored for that organisation and month.
    `published` names each count column as the file does, for messages.
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
        .with_columns(pl.col("value").cast(pl.Float64))  # Float64 even with no measures
        .sort("period", "org_code", "measure")
    )
    orgs = wide.select(
        "period",
        "org_code",
        org_name=pl.col("name"),
        parent_name=pl.col("parent"),
        rows=_source_rows(wide),
    ).sort("period", "org_code")
    return Extract(
        file=file,
        format=fmt,
        dataset=dataset,
        sha256=sha256(data),
        observations=check_result(file, obs, ObservationSchema),
        orgs=check_result(file, orgs, OrgSchema),
        scope=scope,
        basis=basis,
        columns={
            measure: joined_names([(published or {}).get(c, c) for c in cols])
            for measure, cols in measure_sums.items()
        },
    )


def joined_names(names: list[str]) -> str:
    """A measure's published columns for a message: `A + B`, or `A + ... + Z (18 columns)`."""
    if len(names) <= 3:
        return " + ".join(names)
    return f"{names[0]} + ... + {names[-1]} ({len(names)} columns)"


def _source_rows(wide: pl.DataFrame) -> pl.Expr:
    """Each wide row's source lines as ranges ("2-4,9"), from `_rows` (a list) or `_row`."""
    if ROWS in wide.columns:
        lines = pl.col(ROWS)
    elif ROW in wide.columns:
        lines = pl.concat_list(pl.col(ROW))
    else:
        return pl.lit(None, pl.String)
    return lines.map_elements(lambda r: row_ranges(list(r)), return_dtype=pl.String)


def check_national_row(
    file: str, wide: pl.DataFrame, total: pl.DataFrame, counts: Mapping[str, str]
) -> None:
    """A published national row must equal the sum of the provider rows, column by column.

    `total` is the national row with its count cells already as numbers; `counts` maps the
    count keys to their published names. A column with unpublished provider cells ('-')
    cannot be checked and is skipped.
    """
    row = int(total[ROW][0])
    sums = wide.select(pl.col(k).sum() for k in counts).row(0, named=True)
    stated = total.select(list(counts)).row(0, named=True)
    complete = wide.select(pl.col(k).is_not_null().all() for k in counts).row(0, named=True)
    for key, published in counts.items():
        if complete[key] and stated[key] is not None and stated[key] != sums[key]:
            raise SourceError(
                file,
                f"the national total row says {stated[key]:,.0f} but the providers add up "
                f"to {sums[key]:,.0f}; the file may be truncated or edited",
                column=published,
                row=row,
            )


def check_row_sums(
    file: str,
    wide: pl.DataFrame,
    rules: Sequence[tuple[str, tuple[str, ...]]],
    published: Mapping[str, str],
) -> None:
    """Within each row, every (total, parts) rule must hold: total = sum of parts. A row
    with a part suppressed or not published (null) cannot be checked and is skipped."""
    for total, parts in rules:
        known = pl.all_horizontal(pl.col(p).is_not_null() for p in parts)
        bad = wide.filter(known & (pl.sum_horizontal(parts) != pl.col(total)))
        if bad.height:
            first = bad.row(0, named=True)
            got = sum(first[p] or 0 for p in parts)
            raise SourceError(
                file,
                f"{first[total]:,.0f} is not the sum of its {len(parts)} parts ({got:,.0f}: "
                f"{', '.join(published[p] for p in parts)})",
                column=published[total],
                row=int(first[ROW]),
            )
