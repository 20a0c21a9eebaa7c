"""NHS England's AmbSYS (Ambulance Quality Indicators, system indicators) time-series CSV.

One file holds many months: `Year`, `Month`, then `Region`, `Org Code`, `Org Name` and the
A-numbered fields. Quirks handled: `.` means missing (a field read that is missing is counted
in a warning); England is a row with code `Eng`; each region has a row (`Org Code` Y56-Y63,
`Region` the region's name) adding up the trusts in it that reported; the column order is
not numeric and later files add fields (only the fields used are required).

Every row is stored as published: the trusts', each region's and England's. NHS England
publishes ambulance figures for ambulance trusts, regions and England only (an ambulance
service covers several ICBs), so the indicators read each level's own row and never rebuild
one from trusts (indicators/ambulance.toml: rollup = "published"). The region and England
rows are checked against their trusts: each total and count must equal the trusts' sum.

Response times are in seconds. Means are stored as their parts (total seconds, incidents),
so they stay exact over months. 90th centiles cannot be combined: each row's is stored as
published.

Field codes. NHS England defines them in its AmbSYS specification (September 2019 edition,
`20190912-AmbSYS-specification.pdf` on the Ambulance Quality Indicators page; not read here).
Public parsers of the same CSV that cite it read them alike: bairdj/ambstat
(`app/modules/calls.R`: mean answer time A2 / A1; `call-outcomes.R`: hear and treat A17,
transport to ED A53 and elsewhere A54, no transport A55, face to face A56) and NHS England's
"Open Ambulance Data" notebook (A3 mean call time, A53 to ED). Each is checked on the real
files: A1 calls answered, A2 their total answer time (A2 / A1 rounds to the published mean
A3, seconds); A7 all incidents, A8-A12 incidents of categories 1, 1T, 2, 3 and 4; A17
incidents resolved without a face-to-face response (hear and treat); A53 conveyed to an
emergency department, A54 conveyed elsewhere, A55 attended but not conveyed (see and
treat), which add up to A56, the incidents with a face-to-face response; A17 + A56 = A7
(every row of April 2026; all but England's first two months, August and September 2017, in
the 2017-2021 series). A114, the 90th centile call answer time, no parser names: it sits
between the median A4 and the 95th and 99th centiles A5 and A6 in the published order
(the pre-2017 indicators gave call answer times as median, 95th and 99th centiles), lies
between A4 and A5 in every published row, and is published from April 2019.

The fields in OPTIONAL are read when the header has them: a file of an older layout without
one has not published that figure (a warning names it), which is not an error.
"""

from __future__ import annotations

from dataclasses import replace

import pandera.polars as pa
import polars as pl

from scorecard.errors import SourceError
from scorecard.model import ENGLAND
from scorecard.periods import Month
from scorecard.regions import REGIONS
from scorecard.sources.base import Extract
from scorecard.sources.checks import suppressed
from scorecard.sources.text import (
    NOT_PUBLISHED,
    ROW,
    normalise,
    published_columns,
    read_table,
)
from scorecard.sources.tidy import check_national_row, to_extract
from scorecard.sources.validation import validate

ID_COLUMNS = {
    "year": "Year",
    "month": "Month",
    "parent": "Region",
    "org_code": "Org Code",
    "name": "Org Name",
}
# Canonical measure -> AmbSYS field. Totals and counts add up; centiles do not.
ADDITIVE = {
    "amb_c1_total_s": "A24",
    "amb_c1_count": "A8",
    "amb_c2_total_s": "A30",
    "amb_c2_count": "A10",
    "amb_c3_total_s": "A33",
    "amb_c3_count": "A11",
    "amb_c4_total_s": "A36",
    "amb_c4_count": "A12",
    "amb_c1t_total_s": "A27",
    "amb_c1t_count": "A9",
    "amb_incidents": "A7",
    "amb_calls_answered": "A1",
    "amb_call_answer_total_s": "A2",
    "amb_hear_treat": "A17",
    "amb_conveyed_ed": "A53",
    "amb_conveyed_non_ed": "A54",
    "amb_see_treat": "A55",
}
CENTILES = {
    "amb_c1_p90_s": "A26",
    "amb_c2_p90_s": "A32",
    "amb_c3_p90_s": "A35",
    "amb_c4_p90_s": "A38",
    "amb_c1t_p90_s": "A29",
    "amb_call_answer_p90_s": "A114",
}
FIELDS = {**ADDITIVE, **CENTILES}
# Read when the header has them (see the module's docstring).
OPTIONAL = frozenset(
    {
        "amb_call_answer_total_s",
        "amb_hear_treat",
        "amb_conveyed_ed",
        "amb_conveyed_non_ed",
        "amb_see_treat",
        "amb_call_answer_p90_s",
    }
)
PUBLISHED = {**ID_COLUMNS, **{f: f for f in FIELDS.values()}}
REQUIRED = {**ID_COLUMNS, **{f: f for k, f in FIELDS.items() if k not in OPTIONAL}}
NUMBER_EXPECTED = "expected a non-negative number (or ., * or - when not published)"
RAW_SCHEMA = pa.DataFrameSchema(
    {
        ROW: pa.Column(pl.Int64),
        "year": pa.Column(str, pa.Check.str_matches(r"^[0-9]{4}$", error="expected a year")),
        "month": pa.Column(
            str, pa.Check.str_matches(r"^(0?[1-9]|1[0-2])$", error="expected a month 1-12")
        ),
        "parent": pa.Column(str, nullable=True),
        "org_code": pa.Column(str),
        "name": pa.Column(str, nullable=True),
        **{
            field: pa.Column(
                str,
                pa.Check.str_matches(r"^([0-9]+(\.[0-9]+)?|\.|\*|-)$", error=NUMBER_EXPECTED),
                nullable=False,  # AmbSYS marks a missing figure `.`; a blank has no meaning
            )
            for field in FIELDS.values()
        },
    },
    unique=["year", "month", "org_code"],
)
EXPECTED = {"multiple_fields_uniqueness": "the same Org Code appears twice for one month"}


def _number(column: str) -> pl.Expr:
    text = pl.col(column)
    return pl.when(text.is_in([*NOT_PUBLISHED, ""])).then(None).otherwise(text).cast(pl.Float64)


class AmbSysCsv:
    """NHS England's AmbSYS time series."""

    name = "ambsys_csv"
    dataset = "ambsys"
    description = "AmbSYS ambulance time-series CSV (Year, Month, Region, Org Code, A0, ...)"

    def match(self, header: list[str]) -> float:
        have = {normalise(h) for h in header}
        if "a0" not in have:
            return 0.0
        return sum(normalise(c) in have for c in REQUIRED.values()) / len(REQUIRED)

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        header, body = read_table(file, data)
        have = {normalise(h) for h in header}
        absent = sorted(
            (k for k in OPTIONAL if normalise(FIELDS[k]) not in have), key=list(FIELDS).index
        )
        fields = {k: f for k, f in FIELDS.items() if k not in absent}
        published = {**ID_COLUMNS, **{f: f for f in fields.values()}}
        renames = published_columns(file, header, published, self.description)
        raw = body.select(ROW, *renames).rename(renames)
        schema = RAW_SCHEMA.remove_columns([FIELDS[k] for k in absent]) if absent else RAW_SCHEMA
        raw = validate(file, raw, schema, published, EXPECTED)
        typed = raw.with_columns(
            period=pl.date(pl.col("year").cast(pl.Int32), pl.col("month").cast(pl.Int32), 1),
            org_code=pl.when(pl.col("org_code").str.to_lowercase() == "eng")
            .then(pl.lit(ENGLAND))
            .otherwise(pl.col("org_code")),
            **{key: _number(field) for key, field in fields.items()},
            **{key: pl.lit(None, pl.Float64) for key in absent},
        )
        is_region = pl.col("org_code").str.contains(r"^Y[0-9][0-9]$")
        trusts = typed.filter(~is_region & (pl.col("org_code") != ENGLAND))
        england = typed.filter(pl.col("org_code") == ENGLAND)
        regions = typed.filter(is_region)
        _check_sums(file, trusts, england, regions)
        wide = pl.concat([trusts, regions, england.with_columns(name=pl.lit("England"))])
        extract = to_extract(
            file, data, self.name, self.dataset, wide, {k: (k,) for k in FIELDS}, published=FIELDS
        )
        warnings = suppressed(file, raw, list(fields.values()))
        if absent:
            names = ", ".join(FIELDS[k] for k in absent)
            warnings += (
                f"{file}: no column {names} (an older AmbSYS layout): not published in it, "
                "so not stored",
            )
        return replace(extract, warnings=warnings)


def _check_sums(
    file: str, trusts: pl.DataFrame, england: pl.DataFrame, regions: pl.DataFrame
) -> None:
    """England's and each region's published totals and counts equal their trusts' sums.

    A region row adds up the trusts whose `Region` is its code; a field some of those trusts
    did not publish (`.`) cannot be checked and is skipped. Every month has an England row:
    a month without one was cut short.
    """
    without = trusts.filter(~pl.col("period").is_in(england["period"].implode()))
    if without.height:
        last = without.sort(ROW).row(-1, named=True)
        raise SourceError(
            file,
            f"{Month.from_date(last['period']).label()} has trust rows but no England (Eng) "
            "row, which AmbSYS publishes for every month: the file looks cut short "
            "(truncated)",
            column="Org Code",
            row=int(last[ROW]),
        )
    for day in england["period"].unique().sort():
        check_national_row(
            file,
            trusts.filter(pl.col("period") == day),
            england.filter(pl.col("period") == day),
            ADDITIVE,
        )
    unknown = regions.filter(~pl.col("org_code").is_in(list(REGIONS)))
    if unknown.height:
        raise SourceError(
            file,
            f"'{unknown['org_code'][0]}' is not an NHS England region code; expected one of "
            f"{', '.join(REGIONS)}",
            column="Org Code",
            row=int(unknown[ROW][0]),
        )
    sums = trusts.group_by("period", "parent").agg(
        who=pl.col("org_code").sort().str.join(", "),
        **{f"{k}__sum": pl.col(k).sum() for k in ADDITIVE},
        **{f"{k}__complete": pl.col(k).is_not_null().all() for k in ADDITIVE},
    )
    joined = regions.join(
        sums, left_on=["period", "org_code"], right_on=["period", "parent"], how="left"
    ).sort(ROW)
    for key, field in ADDITIVE.items():
        total, complete = pl.col(f"{key}__sum").fill_null(0), pl.col(f"{key}__complete")
        bad = joined.filter(
            pl.col(key).is_not_null() & complete.fill_null(True) & (pl.col(key) != total)
        )
        if bad.height:
            first = bad.row(0, named=True)
            raise SourceError(
                file,
                f"the region row for {first['org_code']} says {first[key]:,.0f} but its "
                f"trusts ({first['who'] or 'none'}) add up to {first[f'{key}__sum'] or 0:,.0f}; "
                "the file may be truncated or edited",
                column=field,
                row=int(first[ROW]),
            )
