"""The sums a cancer waiting times sheet must meet across its rows, and its rows spread wide.

Each national row equals the sum of the commissioner rows of its section and part; the
all-routes (all-stages) section equals the sum of the other sections for every commissioner
(and part); an `ALL CANCERS` row of a sheet broken down by part equals the sum of its part
rows. A commissioner with no row in a section or part had nobody in it (the sheets leave
zero rows out), so it counts 0 there. Each failure is one line naming file, column and row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from scorecard.errors import SourceError
from scorecard.sources.cwt.sheet import NATIONAL, WHOLE, Layout, Sheet, number_text
from scorecard.sources.text import ROW, ROWS
from scorecard.sources.tidy import row_ranges

KEY_ROWS = "_rows"  # `spread`: `<key>_rows`, the source lines of one key's row


def _group(layout: Layout, row: Mapping[str, object], by: Sequence[str]) -> str:
    """The section (and part) a row belongs to, as the sheet names them."""
    named = []
    if "section" in by and "section" in layout.keys:
        named.append(layout.section_label(str(row["section"])))
    if "part" in by and row["part"] != WHOLE:
        named.append(str(row["part_name"]))
    return f" ({', '.join(named)})" if named else ""


def check_national_rows(file: str, layout: Layout, sheet: Sheet, by: list[str]) -> None:
    """Each group's national row equals the sum of its commissioner rows; none is missing.

    The first national row of each group is checked, groups in the sheet's order and each
    row's counts in the layout's order, so the first failure is the one reported."""
    counts = list(layout.counts)
    national = sheet.national.unique(subset=by, keep="first", maintain_order=True)
    sums = sheet.orgs.group_by(by).agg(pl.col(counts).sum().name.suffix("_sum"))
    joined = national.join(sums, on=by, how="left", maintain_order="left").with_columns(
        pl.col(f"{k}_sum").fill_null(0.0) for k in counts
    )  # a group with no commissioner rows adds up to 0
    unequal = [pl.col(k).ne_missing(pl.col(f"{k}_sum")) for k in counts]
    bad = joined.filter(pl.any_horizontal(unequal))
    if bad.height:
        stated = bad.row(0, named=True)
        key = next(k for k in counts if stated[k] != stated[f"{k}_sum"])
        raise SourceError(
            file,
            f"the {NATIONAL} row says {number_text(stated[key])} but the commissioner "
            f"rows of its section add up to {number_text(stated[f'{key}_sum'])}; the file "
            "may be truncated or edited",
            column=layout.published[key],
            row=int(stated[ROW]),
        )
    missing = sheet.orgs.join(sheet.national.select(by), on=by, how="anti")
    if missing.height:
        first = missing.sort(ROW).row(0, named=True)
        raise SourceError(
            file,
            f"no {NATIONAL} row for this row's section{_group(layout, first, by)}; the file "
            "may be truncated",
            column=layout.published["name"],
            row=int(first[ROW]),
        )


def check_parts(file: str, layout: Layout, rows: pl.DataFrame, column: str, by: list[str]) -> None:
    """For every `by` group, the whole row (`all`) equals the sum of the other rows, by column.

    `column` is "section" (the all-routes section against the routes) or "part" (an ALL
    CANCERS row against the cancer types). A missing whole row counts as zero; with no part
    rows at all there is nothing to check.
    """
    is_whole = pl.col(column) == WHOLE
    sums = pl.col("total", "within").sum().name.suffix("_parts")
    parts = rows.filter(~is_whole).group_by(by).agg(pl.col(ROW).min().alias("_first"), sums)
    if not parts.height:
        return
    joined = (
        rows.filter(is_whole)
        .join(parts, on=by, how="full", coalesce=True)
        .fill_null(0)
        .with_columns(_at=pl.when(pl.col(ROW) > 0).then(ROW).otherwise("_first"))
    )
    if column == "section":
        what, split = f"the {layout.section_label(WHOLE)} section", "its other sections"
    else:
        what, split = "the ALL CANCERS row", f"its {layout.part_name} rows"
    for key in ("total", "within"):
        bad = joined.filter(pl.col(key) != pl.col(f"{key}_parts")).sort("_at")
        if bad.height:
            first = bad.row(0, named=True)
            code, parts_sum = first["org_code"], number_text(first[f"{key}_parts"])
            said = f"{what} says {number_text(first[key])} for {code}"
            if not first[ROW]:
                said = f"{code} has no row in {what}"
            raise SourceError(
                file,
                f"{said} but {split} add up to {parts_sum}; the file may be truncated or edited",
                column=layout.published[key],
                row=int(first["_at"]),
            )


def spread(rows: pl.DataFrame, column: str, keys: Sequence[str]) -> pl.DataFrame:
    """One row per commissioner with `<key>_total` and `<key>_within` for each key of `column`.

    Commissioners with no row for a key (nobody in that section) get zeros. With the source
    lines (`_row`), `_rows` lists each commissioner's lines and `<key>_rows` those of the key
    (see `key_rows`), for provenance.
    """
    wide = rows.select("org_code", "name").unique("org_code", keep="first", maintain_order=True)
    lines = ROW in rows.columns
    if lines:
        every = rows.group_by("org_code").agg(pl.col(ROW).alias(ROWS))
        wide = wide.join(every, on="org_code", how="left", maintain_order="left")
    for key in keys:
        part = (
            rows.filter(pl.col(column) == key)
            .group_by("org_code", maintain_order=True)
            .agg(
                pl.col("total").sum().alias(f"{key}_total"),
                pl.col("within").sum().alias(f"{key}_within"),
                *([pl.col(ROW).alias(f"{key}{KEY_ROWS}")] if lines else []),
            )
        )
        wide = wide.join(part, on="org_code", how="left")
    listed = [ROWS, *(f"{key}{KEY_ROWS}" for key in keys)]
    return wide.with_columns(pl.exclude(listed).fill_null(0.0))


def key_rows(wide: pl.DataFrame, measures: Mapping[str, str]) -> pl.DataFrame | None:
    """Each measure's own source lines (MeasureRowsSchema), from `spread`'s `<key>_rows`:
    `measures` maps a measure to its key. None when the sheet has no line numbers."""
    parts = [
        wide.select(
            "period",
            "org_code",
            measure=pl.lit(measure),
            rows=pl.col(f"{key}{KEY_ROWS}").map_elements(
                lambda r: row_ranges(list(r)), return_dtype=pl.String
            ),
        )
        for measure, key in measures.items()
        if f"{key}{KEY_ROWS}" in wide.columns
    ]
    if not parts:
        return None
    return pl.concat(parts).drop_nulls("rows").sort("period", "org_code", "measure")
