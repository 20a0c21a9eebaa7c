"""Reading NHS England's monthly commissioner-based cancer waiting times sheets, saved as CSV.

Shared by the adapters of this folder. A sheet stacks several sections under one header
row, told apart by its REFERRAL ROUTE or TREATMENT STAGE column; each section ends with
`ALL ENGLISH COMMISSIONERS` rows whose ODS code is empty. A sheet may break each section
down by a part column (CANCER TYPE, TREATMENT MODALITY, SUSPECTED TYPE OF CANCER): one row
per commissioner and part, and one national row per part. Column names repeat (`WITHIN 31
DAYS` is both the count within the standard and the first time band), so columns are read by
position; names are compared without case, spacing or footnote markers (`CANCER TYPE (3)`),
and an empty spacer column with a blank header is dropped. Counts may be halves (treatments
shared between two organisations count 0.5 to each): they are read as decimals. The
percentage column, where there is one, is a fraction; it is checked for form, never stored.

Checks, each failing with one line naming file, column and row: every cell's form (the
percentage a fraction from 0 to 1; a section or part one the layout knows); within each row,
within <= TOTAL, TOTAL = within + after and each of those = its time bands. The sums across
rows are in checks.py. Sections and parts are read as keys: a section's (`all` for the
all-sections one) and the part's (scorecard.dimensions.cancer; `all` for ALL CANCERS).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pandera.polars as pa
import polars as pl

from scorecard.errors import SourceError
from scorecard.sources.checks import Found, at_most, not_above
from scorecard.sources.text import ROW, normalise, read_table

NATIONAL = "ALL ENGLISH COMMISSIONERS"
ALL_CANCERS = "ALL CANCERS"
WHOLE = "all"  # the key of the all-sections section and of the whole part (ALL CANCERS)
ID_KEYS = ("org_code", "name", "section", "part")
_FOOTNOTE = re.compile(r"\s*\(\d+\)\s*$")
NUMBER = r"^([0-9]+|[0-9]{1,3}(,[0-9]{3})+)(\.[0-9]+)?$"
NUMBER_EXPECTED = "expected a non-negative number of people (halves such as 12.5 allowed)"
FRACTION = r"^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$"
FRACTION_EXPECTED = "expected a fraction from 0 to 1, such as 0.762"


@lru_cache(maxsize=4096)
def header_name(name: str) -> str:
    """A header compared without case, surrounding spaces or a footnote marker."""
    return normalise(_FOOTNOTE.sub("", name))


def normal_text(column: str) -> pl.Expr:
    """A part's published name as scorecard.dimensions.cancer.normal compares it."""
    spaced = pl.col(column).str.replace_all(r"\s+", " ").str.strip_chars()
    return spaced.str.replace(r"\s*\([a-z]\)$", "").str.to_lowercase()


@dataclass(frozen=True)
class Layout:
    """One commissioner sheet: its columns by position, its stacked sections and parts."""

    description: str
    columns: tuple[tuple[str, str], ...]  # (key, published name), by position
    # (key, published label); the first is the all-sections one. A layout without a section
    # column has one section, named for messages.
    sections: tuple[tuple[str, str], ...]
    row_sums: tuple[tuple[str, tuple[str, ...]], ...]  # (total, parts) within each row
    parts: Mapping[str, str] = field(default_factory=dict)  # normal name -> key, besides whole
    part_expected: str = f"expected {ALL_CANCERS}"
    part_name: str = "cancer-type"  # what the parts are, for messages
    whole: str | None = ALL_CANCERS  # the part column's whole, where the sheet may print one

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

    `section` holds the section key, `part` the part key (`all` for ALL CANCERS, and in a
    sheet without a part column) and `part_name` the part as published.
    """

    orgs: pl.DataFrame
    national: pl.DataFrame


def layout_match(layout: Layout, header: list[str]) -> float:
    """The share of the layout's column names found in the header row (in any position),
    over the larger of the two widths: 1.0 only when the header has exactly the layout's
    columns, so a sheet that adds a part column (CANCER TYPE, SUSPECTED CANCER ...) to
    another's columns scores below its own layout."""
    names = {header_name(h) for h in header}
    found = sum(header_name(p) in names for _, p in layout.columns)
    return found / max(len(layout.columns), len([h for h in header if h.strip()]))


def _alternatives(values: Sequence[str]) -> str:
    return "|".join(re.escape(v) for v in values)


def _one_of(names: Sequence[str], error: str) -> pa.Check:
    """A part cell names one of `names` (normalised), as normal_text compares it."""

    def check(data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(normal_text(data.key).is_in(list(names)))

    return pa.Check(check, error=error)


_SCHEMAS: dict[tuple[int, bool], tuple[Layout, pa.DataFrameSchema]] = {}


def _schema(layout: Layout, national: bool) -> pa.DataFrameSchema:
    """A layout's schema, built once (the layouts are constants; a schema costs ~3 ms)."""
    key = (id(layout), national)
    if key not in _SCHEMAS:
        _SCHEMAS[key] = (layout, _new_schema(layout, national))
    return _SCHEMAS[key][1]


def _new_schema(layout: Layout, national: bool) -> pa.DataFrameSchema:
    sections = [label for _, label in layout.sections]
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
    }
    if "pct" in layout.keys:
        checks = [pa.Check.str_matches(FRACTION, error=FRACTION_EXPECTED)]
        columns["pct"] = pa.Column(str, [*checks, at_most(1.0, FRACTION_EXPECTED)], nullable=True)
    unique = ["section", "org_code"]
    if "part" in layout.keys:
        names = [*([layout.whole.lower()] if layout.whole else []), *layout.parts]
        columns["part"] = pa.Column(str, _one_of(names, layout.part_expected))
        unique = ["section", "part", "org_code"]
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
    header, body = read_table(file, data)
    blank = [i for i, h in enumerate(header) if not h]
    empty = {i for i in blank if body[f"c{i}"].fill_null("").eq("").all()}
    keep = [i for i in range(len(header)) if i not in empty]
    _check_header(file, layout, header, keep)
    raw = body.select(ROW, *(f"c{keep[i]}" for i in range(len(layout.columns))))
    raw = raw.rename({f"c{keep[i]}": k for i, k in enumerate(layout.keys)})
    if "section" not in raw.columns:  # one section: the sheet itself
        raw = raw.with_columns(section=pl.lit(layout.sections[0][1]))
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
    part_keys = {**({layout.whole.lower(): WHOLE} if layout.whole else {}), **layout.parts}
    frames = []
    for frame in (orgs, national):
        typed = frame.with_columns(
            pl.col("section").str.to_lowercase().replace_strict(by_label, return_dtype=pl.String),
            *(pl.col(k).str.replace_all(",", "").cast(pl.Float64) for k in layout.counts),
        )
        if "part" in typed.columns:
            typed = typed.with_columns(
                part=normal_text("part").replace_strict(part_keys, return_dtype=pl.String),
                part_name=pl.col("part"),
            )
        else:
            typed = typed.with_columns(part=pl.lit(WHOLE), part_name=pl.lit(ALL_CANCERS))
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
                f"{number_text(first[total])} is not the sum of {names} "
                f"({number_text(sum(first[p] for p in parts))})",
                column=layout.published[total],
                row=int(first[ROW]),
            )


def number_text(value: float) -> str:
    """A count as a message shows it: 1,234 or 12.5."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
