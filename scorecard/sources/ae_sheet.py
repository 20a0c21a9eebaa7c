"""The "Provider Level Data" sheet of NHS England's monthly A&E-by-provider workbook, as CSV.

Quirks handled: repeated column names (read by position); ` 0 ` in place of ` - ` in the
department names (April 2025); counts with thousands separators; percentages as text
(`71.90%`, `73.5`, `-`), checked (0 to 100) but not stored (they are recomputed); no period
column, so the month comes from --period or the file name (`April-2025-AE.csv`). Counts
already include booked appointments; `*`, `-` or `.` for a count not published is stored as
missing, with a warning. Attendances within and over 4 hours may not exceed the attendances.
"""

from __future__ import annotations

from dataclasses import replace

import pandera.polars as pa
import polars as pl

from scorecard.errors import SourceError
from scorecard.sources.base import Extract
from scorecard.sources.checks import Found, at_most, not_above, suppressed
from scorecard.sources.naming import period_from
from scorecard.sources.text import ROW, count_expr, normalise, read_table
from scorecard.sources.tidy import check_row_sums, to_extract
from scorecard.sources.validation import count_column

T1, T2, T3 = (
    "Type 1 Departments - Major A&E",
    "Type 2 Departments - Single Specialty",
    "Type 3 Departments - Other A&E/Minor Injury Unit",
)
# (key, published name) by position; keys starting "pct" are percentages.
COLUMNS = (
    ("org_code", "Code"),
    ("parent", "Region"),
    ("name", "Name"),
    ("att_t1", T1),
    ("att_t2", T2),
    ("att_t3", T3),
    ("att_all", "Total attendances"),
    ("u4_t1", T1),
    ("u4_t2", T2),
    ("u4_t3", T3),
    ("u4_all", "Total Attendances < 4 hours"),
    ("o4_t1", T1),
    ("o4_t2", T2),
    ("o4_t3", T3),
    ("o4_all", "Total Attendances > 4 hours"),
    ("pct_all", "Percentage in 4 hours or less (all)"),
    ("pct_t1", "Percentage in 4 hours or less (type 1)"),
    ("pct_t2", "Percentage in 4 hours or less (type 2)"),
    ("pct_t3", "Percentage in 4 hours or less (type 3)"),
    ("ea_t1", "Emergency Admissions via Type 1 A&E"),
    ("ea_t2", "Emergency Admissions via Type 2 A&E"),
    ("ea_t34", "Emergency Admissions via Type 3 and 4 A&E"),
    ("ea_all", "Total Emergency Admissions via A&E"),
    ("ea_not_ae", "Other Emergency admissions (i.e not via A&E)"),
    ("ea_total", "Total Emergency Admissions"),
    ("dta_4", "Number of patients spending >4 hours from decision to admit to admission"),
    ("dta_12", "Number of patients spending >12 hours from decision to admit to admission"),
)
KEYS = [k for k, _ in COLUMNS]
COUNTS = [k for k in KEYS[3:] if not k.startswith("pct")]
PUBLISHED = dict(COLUMNS)
MEASURE_SUMS = {
    "ae_att_type1": ("att_t1",),
    "ae_att_type2": ("att_t2",),
    "ae_att_other": ("att_t3",),
    "ae_over4h_type1": ("o4_t1",),
    "ae_over4h_type2": ("o4_t2",),
    "ae_over4h_other": ("o4_t3",),
    "ae_dta_over4h": ("dta_4",),
    "ae_dta_over12h": ("dta_12",),
    "ae_emadm_type1": ("ea_t1",),
    "ae_emadm_type2": ("ea_t2",),
    "ae_emadm_other": ("ea_t34",),
    "ae_emadm_not_ae": ("ea_not_ae",),
}
TOTALS = (
    ("att_all", ("att_t1", "att_t2", "att_t3")),
    ("u4_all", ("u4_t1", "u4_t2", "u4_t3")),
    ("o4_all", ("o4_t1", "o4_t2", "o4_t3")),
)
PERCENT_PATTERN = r"^([0-9]+(\.[0-9]+)?%?|-)$"
PERCENT_EXPECTED = "expected a percentage from 0 to 100, such as 71.90%, 73.5 or -"
# (part, the attendances it is part of), by department type and in total.
WITHIN = tuple(
    (f"{part}_{t}", f"att_{t}") for part in ("u4", "o4") for t in ("t1", "t2", "t3", "all")
)
RAW_SCHEMA = pa.DataFrameSchema(
    {
        ROW: pa.Column(pl.Int64),
        "org_code": pa.Column(str),
        "parent": pa.Column(str, nullable=True),
        "name": pa.Column(str),
        **{
            k: pa.Column(
                str,
                [
                    pa.Check.str_matches(PERCENT_PATTERN, error=PERCENT_EXPECTED),
                    at_most(100.0, PERCENT_EXPECTED),
                ],
                nullable=True,
            )
            if k.startswith("pct")
            else count_column()
            for k in KEYS[3:]
        },
    },
    unique=["org_code"],
)
EXPECTED = {
    "field_uniqueness": "the same Code appears twice",
    "multiple_fields_uniqueness": "the same Code appears twice",
}


def _header_name(name: str) -> str:
    """April 2025's sheet has ` 0 ` where the others have ` - `."""
    return normalise(name.replace(" 0 ", " - "))


class AeProviderSheet:
    """The provider-level sheet of the monthly A&E workbook, saved as CSV."""

    name = "ae_provider_sheet"
    dataset = "ae"
    description = "A&E provider-level workbook sheet saved as CSV (Code, Region, Name, ...)"

    def match(self, header: list[str]) -> float:
        hits = sum(
            i < len(header) and _header_name(header[i]) == normalise(name)
            for i, (_, name) in enumerate(COLUMNS)
        )
        return hits / len(COLUMNS)

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        header, body = read_table(file, data)
        for i, (_, name) in enumerate(COLUMNS):
            got = header[i] if i < len(header) else None
            if got is None or _header_name(got) != normalise(name):
                found = f"found '{got}'" if got is not None else "the header ends before it"
                raise SourceError(
                    file,
                    f"missing column (position {i + 1}: {found}); expected the "
                    f"{len(COLUMNS)} columns of the {self.description}",
                    column=name,
                    row=1,
                )
        period = period_from(file, period_hint)
        raw = body.select(ROW, *[f"c{i}" for i in range(len(COLUMNS))])
        raw = raw.rename({f"c{i}": k for i, k in enumerate(KEYS)})
        problems = Found()  # every problem of the file in one pass
        raw = problems.valid_rows(file, raw, RAW_SCHEMA, PUBLISHED, EXPECTED)
        wide = raw.with_columns(
            pl.lit(period.first_day()).alias("period"), *map(count_expr, COUNTS)
        )
        with problems.gather():
            not_above(file, wide, WITHIN, PUBLISHED)
        with problems.gather():
            check_row_sums(file, wide, TOTALS, PUBLISHED)
        problems.raise_any()
        extract = to_extract(
            file, data, self.name, self.dataset, wide, MEASURE_SUMS, published=PUBLISHED
        )
        return replace(extract, warnings=suppressed(file, raw, COUNTS))
