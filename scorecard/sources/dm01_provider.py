"""NHS England's monthly diagnostics (DM01) "Provider" sheet, saved as CSV.

Quirks handled: the England `Total` row (empty codes) comes first and is checked against the
sum of the providers, then dropped (so a file cut short is caught); NHS England always
publishes it, so a file without one is refused (it could not be checked); a second `Total`
row means two months in one file, refused; `Percentage waiting 6+ weeks` is a fraction,
checked (0 to 1) but not stored (it is recomputed); the month is not in the sheet body, so it
comes from --period or the file name (`DM01-Provider-2019-04.csv`). Waiting-list columns are
month-end positions; 6+ week waits may not exceed the waiting list. `*`, `-` or `.` for a
count not published is stored as missing, with a warning; an empty count cell is refused.
"""

from __future__ import annotations

from dataclasses import replace

import pandera.polars as pa
import polars as pl

from scorecard.errors import SourceError
from scorecard.sources.base import Extract
from scorecard.sources.checks import Found, fraction_column, not_above, suppressed
from scorecard.sources.naming import period_from
from scorecard.sources.text import ROW, count_expr, normalise, published_columns, read_table
from scorecard.sources.tidy import check_national_row, check_row_sums, to_extract
from scorecard.sources.validation import count_column, validate

ID_COLUMNS = {
    "parent_code": "Regional Team Code",
    "parent": "Regional Team Name",
    "org_code": "Provider Code",
    "name": "Provider Name",
}
BANDS = {f"w{i:02d}": f"{i:02d} <{i + 1:02d} weeks" for i in range(13)}
BANDS["w00"] = "0 <01 weeks"
BANDS["w13"] = "13+ weeks"
COUNT_COLUMNS = {
    "list": "Total Waiting List",
    "over6": "Number waiting 6+ Weeks",
    "over13": "Number waiting 13+ Weeks",
    **BANDS,
    "planned": "Planned tests / procedures",
    "unscheduled": "Unscheduled tests / procedures",
    "activity": "Waiting list tests / procedures (excluding planned)",
}
PCT = {"pct6": "Percentage waiting 6+ weeks"}
PUBLISHED = {**ID_COLUMNS, **COUNT_COLUMNS, **PCT}
MEASURE_SUMS = {
    "dm01_waiting_list": ("list",),
    "dm01_waiting_6wk_plus": ("over6",),
    "dm01_waiting_13wk_plus": ("over13",),
    "dm01_activity_waiting_list": ("activity",),
    "dm01_activity_planned": ("planned",),
    "dm01_activity_unscheduled": ("unscheduled",),
}
ROW_SUMS = (
    ("list", tuple(BANDS)),
    ("over6", tuple(f"w{i:02d}" for i in range(6, 14))),
    ("over13", ("w13",)),
)
WITHIN = (("over6", "list"), ("over13", "over6"))
RAW_SCHEMA = pa.DataFrameSchema(
    {
        ROW: pa.Column(pl.Int64),
        "parent_code": pa.Column(str, nullable=True),
        "parent": pa.Column(str, nullable=True),
        "org_code": pa.Column(str),
        "name": pa.Column(str),
        **{key: count_column() for key in COUNT_COLUMNS},
        "pct6": fraction_column(),
    },
    unique=["org_code"],
)
EXPECTED = {
    "field_uniqueness": "the same Provider Code appears twice",
    "multiple_fields_uniqueness": "the same Provider Code appears twice",
}


class Dm01ProviderCsv:
    """The Provider sheet of NHS England's monthly diagnostics web file."""

    name = "dm01_provider_csv"
    dataset = "dm01"
    description = "DM01 monthly diagnostics Provider sheet saved as CSV (Provider Code, ...)"

    def match(self, header: list[str]) -> float:
        have = {normalise(h) for h in header}
        if "diagnostic id" in have:
            return 0.0  # the "Provider by Test" sheet: one row per test, another layout
        return sum(normalise(c) in have for c in PUBLISHED.values()) / len(PUBLISHED)

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        header, body = read_table(file, data)
        renames = published_columns(file, header, PUBLISHED, self.description)
        period = period_from(file, period_hint)
        raw = body.select(ROW, *renames).rename(renames)
        total, raw = england_row(file, raw, "Provider")
        found = Found()  # every problem of the file in one pass
        raw = found.valid_rows(file, raw, RAW_SCHEMA, PUBLISHED, EXPECTED)
        wide = raw.with_columns(
            pl.lit(period.first_day()).alias("period"),
            *(count_expr(k) for k in COUNT_COLUMNS),
        )
        with found.gather():
            not_above(file, wide, WITHIN, PUBLISHED)
        with found.gather():
            check_row_sums(file, wide, ROW_SUMS, PUBLISHED)
        found.raise_any()  # the England row adds up every provider: all must be good
        if total is not None:  # a header-only file has none, and is refused as empty
            total = validate(file, total, _TOTAL_SCHEMA, PUBLISHED)
            total = total.with_columns(count_expr(k) for k in COUNT_COLUMNS)
            check_national_row(file, wide, total, COUNT_COLUMNS)
        extract = to_extract(
            file, data, self.name, self.dataset, wide, MEASURE_SUMS, published=PUBLISHED
        )
        return replace(extract, warnings=suppressed(file, raw, list(COUNT_COLUMNS)))


_TOTAL_SCHEMA = pa.DataFrameSchema(
    {ROW: pa.Column(pl.Int64), **{key: count_column() for key in COUNT_COLUMNS}}
)


def england_row(
    file: str, raw: pl.DataFrame, sheet: str
) -> tuple[pl.DataFrame | None, pl.DataFrame]:
    """The England `Total` row (empty codes, Provider Name `Total`) and the providers' rows
    of a DM01 sheet. NHS England always prints it first; without it a file cut short could
    not be told from a whole one, and two mean two months in one file."""
    is_total = pl.col("org_code").is_null() & (pl.col("name").str.to_lowercase() == "total")
    england, rest = raw.filter(is_total), raw.filter(~is_total)
    if england.height > 1:
        first, second = england[ROW].head(2).to_list()
        raise SourceError(
            file,
            f"a second England Total row (rows {first} and {second}): two months in one "
            "file? one month per file is expected",
            column=PUBLISHED["name"],
            row=second,
        )
    if not england.height and rest.height:
        raise SourceError(
            file,
            "no England Total row (empty codes, Provider Name 'Total') above the providers: "
            f"NHS England's DM01 {sheet} sheet has one, and without it a file cut short "
            "cannot be told from a whole one",
            column=PUBLISHED["name"],
            row=2,
        )
    return (england if england.height else None), rest
