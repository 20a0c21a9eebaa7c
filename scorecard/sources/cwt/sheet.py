"""Reading NHS England's monthly commissioner-based cancer waiting times sheets, saved as CSV.

Shared by the adapters in commissioner.py. A sheet stacks several sections under one
header row, told apart by its REFERRAL ROUTE or TREATMENT STAGE column; each section ends
with an `ALL ENGLISH COMMISSIONERS` row whose ODS code is empty. Column names repeat
(`WITHIN 31 DAYS` is both the count within the standard and the first time band), so columns
are read by position; names are compared without case, spacing or footnote markers
(`CANCER TYPE (3)`), and an empty spacer column with a blank header is dropped. Counts may be
halves (treatments shared between two organisations count 0.5 to each): they are read as
decimals. The percentage column is a fraction; it is checked for form, never stored.

Checks, each failing with one line naming file, column and row: every cell's form (the
percentage a fraction from 0 to 1); within each row, within <= TOTAL, TOTAL = within + after
and each of those = its time bands; each national row equals
the sum of the commissioner rows of its section (and cancer type); the all-routes (all-stages)
section equals the sum of the other sections for every commissioner; an `ALL CANCERS` row in a
by-cancer sheet equals the sum of its cancer-type rows. A commissioner with no row in a
section had nobody in it (the sheets leave zero rows out), so it counts 0 there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandera.polars as pa
import polars as pl

from scorecard.errors import SourceError
from scorecard.sources.checks import Found, at_most, not_above
from scorecard.sources.text import ROW, ROWS, decode, normalise, read_table
from scorecard.sources.tidy import row_ranges

NATIONAL = "ALL ENGLISH COMMISSIONERS"
ALL_CANCERS = "ALL CANCERS"
KEY_ROWS = "_rows"  # `spread`: `<key>_rows`, the source lines of one key's row
ID_KEYS = ("org_code", "name", "section", "cancer")
_FOOTNOTE = re.compile(r"\s*\(\d+\)\s*$")
NUMBER = r"^([0-9]+|[0-9]{1,3}(,[0-9]{3})+)(\.[0-9]+)?$"
NUMBER_EXPECTED = "expected a non-negative number of people (halves such as 12.5 allowed)"
FRACTION = r"^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$"
FRACTION_EXPECTED = "expected a fraction from 0 to 1, such as 0.762"


def header_name(name: str) -> str:
    """A header compared without case, surrounding spaces or a footnote marker."""
    return normalise(_FOOTNOTE.sub("", name))


@dataclass(frozen=True)
class Layout:
    """One commissioner sheet: its columns by position and its stacked sections."""

    description: str
    columns: tuple[tuple[str, str], ...]  # (key, published name), by position
    sections: tuple[tuple[str, str], ...]  # (key, published label); the first is all-sections
    row_sums: tuple[tuple[str, tuple[str, ...]], ...]  # (total, parts) within each row
    cancer_types: tuple[str, ...] = ()  # accepted CANCER TYPE values besides ALL CANCERS
    cancer_expected: str = f"expected {ALL_CANCERS}"

    @property
    def keys(self) -> list[str]:
        return [k for k, _ in self.columns]

    @property
    def counts(self) -> list[str]:
        return [k for k in self.keys if k not in ID_KEYS and k != "pct"]

    @property
    def published(self) -> dict[str, str]:
        return dict(self.columns)

    def section_label(self, key: str) -> str:
        return dict(self.sections)[key]


@dataclass(frozen=True)
class Sheet:
    """A validated sheet: commissioner rows and national rows, counts as floats.

    `section` holds the section key; `cancer` the published cancer type (ALL CANCERS when the
    sheet has no such column).
    """

    orgs: pl.DataFrame
    national: pl.DataFrame


def layout_match(layout: Layout, header: list[str]) -> float:
    """The share of the layout's column names found in the header row (in any position)."""
    names = {header_name(h) for h in header}
    return sum(header_name(p) in names for _, p in layout.columns) / len(layout.columns)


def _alternatives(values: Sequence[str]) -> str:
    return "|".join(re.escape(v) for v in values)


def _schema(layout: Layout, national: bool) -> pa.DataFrameSchema:
    sections = [label for _, label in layout.sections]
    cancers = [ALL_CANCERS, *layout.cancer_types]
    text = f"expected one of the sections {', '.join(sections)}"
    number = pa.Check.str_matches(NUMBER, error=NUMBER_EXPECTED)
    columns = {
        ROW: pa.Column(pl.Int64),
        "org_code": pa.Column(str, nullable=national),
        "name": pa.Column(str),
        "section": pa.Column(
            str, pa.Check.str_matches(f"(?i:{_alternatives(sections)})$", error=text)
        ),
        **{k: pa.Column(str, number) for k in layout.counts},
        "pct": pa.Column(
            str,
            [
                pa.Check.str_matches(FRACTION, error=FRACTION_EXPECTED),
                at_most(1.0, FRACTION_EXPECTED),
            ],
            nullable=True,
        ),
    }
    unique = ["section", "org_code"]
    if "cancer" in layout.keys:
        columns["cancer"] = pa.Column(
            str,
            pa.Check.str_matches(f"(?i:{_alternatives(cancers)})$", error=layout.cancer_expected),
        )
        unique = ["section", "cancer", "org_code"]
    return pa.DataFrameSchema(columns, unique=unique[:-1] if national else unique)


def _check_header(file: str, layout: Layout, header: list[str], keep: list[int]) -> None:
    for i, (_, published) in enumerate(layout.columns):
        got = header[keep[i]] if i < len(keep) else None
        if got is None or header_name(got) != header_name(published):
            found = f"found '{got}'" if got is not None else "the header ends before it"
            raise SourceError(
                file,
                f"missing column (position {i + 1}: {found}); expected the "
                f"{len(layout.columns)} columns of the {layout.description}",
                column=published,
                row=1,
            )


def read_sheet(file: str, data: bytes, layout: Layout) -> Sheet:
    """Read, validate and check one sheet; see the module docstring for the checks."""
    header, body = read_table(file, decode(file, data))
    blank = [i for i, h in enumerate(header) if not h]
    empty = {i for i in blank if body[f"c{i}"].fill_null("").eq("").all()}
    keep = [i for i in range(len(header)) if i not in empty]
    _check_header(file, layout, header, keep)
    raw = body.select(ROW, *(f"c{keep[i]}" for i in range(len(layout.columns))))
    raw = raw.rename({f"c{keep[i]}": k for i, k in enumerate(layout.keys)})
    code = pl.col("org_code").fill_null("")
    is_national = (code == "") & (pl.col("name").str.to_uppercase() == NATIONAL)
    published = layout.published
    expected = {
        "field_uniqueness": "the same ODS code appears twice in one section",
        "multiple_fields_uniqueness": "the same ODS code appears twice in one section",
    }
    found = Found()  # every problem of the sheet in one pass
    orgs = found.valid_rows(
        file, raw.filter(~is_national), _schema(layout, False), published, expected
    )
    national_expected = {
        "field_uniqueness": f"a second {NATIONAL} row for one section",
        "multiple_fields_uniqueness": f"a second {NATIONAL} row for one section",
    }
    national = found.valid_rows(
        file, raw.filter(is_national), _schema(layout, True), published, national_expected
    )
    if not orgs.height and not found.problems:
        raise SourceError(file, "no commissioner rows below the header", row=2)
    by_label = {label.lower(): key for key, label in layout.sections}
    frames = []
    for frame in (orgs, national):
        typed = frame.with_columns(
            pl.col("section").str.to_lowercase().replace_strict(by_label, return_dtype=pl.String),
            *(pl.col(k).str.replace_all(",", "").cast(pl.Float64) for k in layout.counts),
        )
        if "cancer" not in typed.columns:
            typed = typed.with_columns(cancer=pl.lit(ALL_CANCERS))
        with found.gather():
            not_above(file, typed, [("within", "total")], layout.published)
        with found.gather():
            _check_row_sums(file, layout, found.without_problem_rows(typed))
        frames.append(typed)
    found.raise_any()  # the national rows add up every commissioner: all must be good
    return Sheet(orgs=frames[0], national=frames[1])


def _check_row_sums(file: str, layout: Layout, rows: pl.DataFrame) -> None:
    """Within each row: TOTAL = within + after, and each of those = its time bands."""
    for total, parts in layout.row_sums:
        bad = rows.filter(pl.sum_horizontal(parts) != pl.col(total)).sort(ROW)
        if bad.height:
            first = bad.row(0, named=True)
            names = ", ".join(f"'{layout.published[p]}'" for p in parts)
            raise SourceError(
                file,
                f"{_n(first[total])} is not the sum of {names} "
                f"({_n(sum(first[p] for p in parts))})",
                column=layout.published[total],
                row=int(first[ROW]),
            )


def check_national_rows(file: str, layout: Layout, sheet: Sheet, by: list[str]) -> None:
    """Each group's national row equals the sum of its commissioner rows; none is missing."""
    for total in sheet.national.partition_by(by, maintain_order=True):
        stated = total.row(0, named=True)
        rows = sheet.orgs.filter(pl.all_horizontal(pl.col(k) == stated[k] for k in by))
        sums = rows.select(pl.col(layout.counts).sum()).row(0, named=True)
        for key in layout.counts:
            if stated[key] != sums[key]:
                raise SourceError(
                    file,
                    f"the {NATIONAL} row says {_n(stated[key])} but the commissioner rows of "
                    f"its section add up to {_n(sums[key])}; the file may be truncated or edited",
                    column=layout.published[key],
                    row=int(stated[ROW]),
                )
    missing = sheet.orgs.join(sheet.national.select(by), on=by, how="anti")
    if missing.height:
        first = missing.sort(ROW).row(0, named=True)
        label = layout.section_label(str(first["section"]))
        raise SourceError(
            file,
            f"no {NATIONAL} row for this row's section ({label}); the file may be truncated",
            column=layout.published["name"],
            row=int(first[ROW]),
        )


def _n(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def check_parts(
    file: str, layout: Layout, rows: pl.DataFrame, column: str, whole: str, by: list[str]
) -> None:
    """For every `by` group, the `whole` row equals the sum of the other rows, by column.

    `column` is "section" (the all-routes section against the routes) or "cancer" (an ALL
    CANCERS row against the cancer types). A missing whole row counts as zero; with no part
    rows at all there is nothing to check.
    """
    is_whole = pl.col(column) == whole
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
        what, split = f"the {layout.section_label(whole)} section", "its other sections"
    else:
        what, split = f"the {ALL_CANCERS} row", "its cancer-type rows"
    for key in ("total", "within"):
        bad = joined.filter(pl.col(key) != pl.col(f"{key}_parts")).sort("_at")
        if bad.height:
            first = bad.row(0, named=True)
            code, parts_sum = first["org_code"], _n(first[f"{key}_parts"])
            said = f"{what} says {_n(first[key])} for {code}"
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
        part = rows.filter(pl.col(column) == key).select(
            "org_code",
            pl.col("total").alias(f"{key}_total"),
            pl.col("within").alias(f"{key}_within"),
            *([pl.concat_list(ROW).alias(f"{key}{KEY_ROWS}")] if lines else []),
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
