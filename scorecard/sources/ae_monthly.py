"""NHS England's official monthly A&E CSV (the "MSitAE" provider file, 22 columns).

Quirks handled: the national TOTAL (or Total) row at the end, checked against the sum of the
providers and then dropped; NHS England always publishes it, so a file without one is refused
(a file cut short at a line break loses it, and the providers after the cut); trailing
spaces in Parent Org and elsewhere; the header typo `4-12 hs`; booked appointments in
separate columns, added in as NHS England's headline does; `*`, `-` or `.` for a figure not
published (stored as missing, with a warning), while an empty count cell is refused. One
month per file: a second Period is refused. Over-4-hour attendances may not exceed the
attendances they are part of.
"""

from __future__ import annotations

from dataclasses import replace

import pandera.polars as pa
import polars as pl

from scorecard.errors import SourceError
from scorecard.periods import MONTH_NAMES
from scorecard.sources.base import Extract
from scorecard.sources.checks import Found, not_above, one_month, suppressed
from scorecard.sources.text import (
    ROW,
    count_expr,
    header_score,
    published_columns,
    read_table,
)
from scorecard.sources.tidy import check_national_row, to_extract
from scorecard.sources.validation import count_column, validate

ID_COLUMNS = {
    "period": "Period",
    "org_code": "Org Code",
    "parent": "Parent Org",
    "name": "Org name",
}
COUNT_COLUMNS = {
    "att_t1": "A&E attendances Type 1",
    "att_t2": "A&E attendances Type 2",
    "att_oth": "A&E attendances Other A&E Department",
    "att_bk_t1": "A&E attendances Booked Appointments Type 1",
    "att_bk_t2": "A&E attendances Booked Appointments Type 2",
    "att_bk_oth": "A&E attendances Booked Appointments Other Department",
    "o4_t1": "Attendances over 4hrs Type 1",
    "o4_t2": "Attendances over 4hrs Type 2",
    "o4_oth": "Attendances over 4hrs Other Department",
    "o4_bk_t1": "Attendances over 4hrs Booked Appointments Type 1",
    "o4_bk_t2": "Attendances over 4hrs Booked Appointments Type 2",
    "o4_bk_oth": "Attendances over 4hrs Booked Appointments Other Department",
    "dta_4_12": "Patients who have waited 4-12 hs from DTA to admission",
    "dta_12": "Patients who have waited 12+ hrs from DTA to admission",
    "ea_t1": "Emergency admissions via A&E - Type 1",
    "ea_t2": "Emergency admissions via A&E - Type 2",
    "ea_oth": "Emergency admissions via A&E - Other A&E department",
    "ea_not_ae": "Other emergency admissions",
}
PUBLISHED = {**ID_COLUMNS, **COUNT_COLUMNS}
# Canonical measure -> the published columns added to make it.
MEASURE_SUMS = {
    "ae_att_type1": ("att_t1", "att_bk_t1"),
    "ae_att_type2": ("att_t2", "att_bk_t2"),
    "ae_att_other": ("att_oth", "att_bk_oth"),
    "ae_over4h_type1": ("o4_t1", "o4_bk_t1"),
    "ae_over4h_type2": ("o4_t2", "o4_bk_t2"),
    "ae_over4h_other": ("o4_oth", "o4_bk_oth"),
    "ae_att_booked_type1": ("att_bk_t1",),
    "ae_att_booked_type2": ("att_bk_t2",),
    "ae_att_booked_other": ("att_bk_oth",),
    "ae_over4h_booked_type1": ("o4_bk_t1",),
    "ae_over4h_booked_type2": ("o4_bk_t2",),
    "ae_over4h_booked_other": ("o4_bk_oth",),
    "ae_dta_over4h": ("dta_4_12", "dta_12"),
    "ae_dta_over12h": ("dta_12",),
    "ae_emadm_type1": ("ea_t1",),
    "ae_emadm_type2": ("ea_t2",),
    "ae_emadm_other": ("ea_oth",),
    "ae_emadm_not_ae": ("ea_not_ae",),
}
_MONTHS = "|".join(m.upper() for m in MONTH_NAMES)
PERIOD_PATTERN = rf"^(?i:MSitAE)-(?i:{_MONTHS})-[0-9]{{4}}$"

PERIOD_EXPECTED = "expected a period like MSitAE-APRIL-2025"
RAW_SCHEMA = pa.DataFrameSchema(
    {
        ROW: pa.Column(pl.Int64),
        "period": pa.Column(str, pa.Check.str_matches(PERIOD_PATTERN, error=PERIOD_EXPECTED)),
        "org_code": pa.Column(str),
        "parent": pa.Column(str, nullable=True),
        "name": pa.Column(str),
        **{key: count_column() for key in COUNT_COLUMNS},
    },
    unique=["_of", "org_code"],  # _of: the period in upper case
)
EXPECTED = {
    "multiple_fields_uniqueness": "the same Org Code appears twice for one period",
}
# (over 4 hours, attendances): the first counts patients the second counts.
WITHIN = tuple((f"o4_{k}", f"att_{k}") for k in ("t1", "t2", "oth", "bk_t1", "bk_t2", "bk_oth"))


class AeMonthlyCsv:
    """NHS England's official monthly A&E CSV."""

    name = "ae_monthly_csv"
    dataset = "ae"
    description = "NHS England monthly A&E CSV (Period, Org Code, Parent Org, Org name, ...)"

    def match(self, header: list[str]) -> float:
        return header_score(header, PUBLISHED)

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        header, body = read_table(file, data)
        renames = published_columns(file, header, PUBLISHED, self.description)
        # Periods compared in upper case; each TOTAL row belongs to the rows above it.
        raw = body.select(ROW, *renames).rename(renames)
        raw = raw.with_columns(_of=pl.col("period").str.to_uppercase())
        is_total = pl.col("period").str.to_uppercase() == "TOTAL"
        raw = raw.with_columns(_of=pl.when(is_total).then(None).otherwise("_of").forward_fill())
        total, raw = raw.filter(is_total), raw.filter(~is_total)
        found = Found()  # every problem of the file in one pass
        raw = found.valid_rows(file, raw, RAW_SCHEMA, PUBLISHED, EXPECTED)
        wide = raw.with_columns(
            period=pl.col("period").str.split("-").list.get(1).str.to_titlecase()
            + " "
            + pl.col("period").str.split("-").list.get(2),
            **{key: count_expr(key) for key in COUNT_COLUMNS},
        ).with_columns(period=pl.col("period").str.strptime(pl.Date, "%B %Y"))
        with found.gather():
            one_month(file, wide, PUBLISHED["period"])
        with found.gather():
            not_above(file, wide, WITHIN, PUBLISHED)
        found.raise_any()  # the national row adds up every provider: all must be good
        if not total.height and raw.height:
            raise SourceError(
                file,
                "no national TOTAL row after the providers: NHS England's monthly A&E CSV ends "
                "with one, so this file looks cut short (truncated) at a line break",
                row=int(body[ROW].max() or 1) + 1,  # type: ignore[arg-type]
            )
        validate(file, total.drop("_of"), _TOTAL_SCHEMA, PUBLISHED)
        total = total.with_columns(count_expr(k) for k in COUNT_COLUMNS)
        for i in range(total.height):
            row = total.slice(i, 1)
            rows = wide.filter(pl.col("_of").eq_missing(row["_of"][0]))
            check_national_row(file, rows, row, COUNT_COLUMNS)
        extract = to_extract(
            file, data, self.name, self.dataset, wide, MEASURE_SUMS, published=PUBLISHED
        )
        return replace(extract, warnings=suppressed(file, raw, list(COUNT_COLUMNS)))


_TOTAL_SCHEMA = pa.DataFrameSchema(
    {ROW: pa.Column(pl.Int64), **{key: count_column() for key in COUNT_COLUMNS}}
)
