"""The RTT incomplete-pathways workbooks' level sheets: National, Region and Area Team, as CSV.

Beside the organisations' sheet (rtt_incomplete), NHS England's provider and commissioner
workbooks print a sheet for each level above it: `National` (England: no organisation
columns, one block of treatment-function rows; saved alone it is the national file
`RTT-Incomplete-National-*.csv`), `Region` (`Region Code, Region Name`) and, in the
commissioner workbooks of 2013-2015, `Area Team` (`Area Team Code, Area Team Name`). The
columns after them are the organisations' sheet's: weekly bands, totals, `% within 18
weeks`, then the median and 95th percentile waits.

Each level's all-specialties rows (IP999, or C_999) are stored as printed, for England
(ENG), each region and each area team: the figure NHS England prints for a level is the one
shown for it, never rebuilt from the organisations below. Each sheet is a publication of its
level (scope `level:england`, `level:region`, `level:area_team`: sources.base.LEVEL_SCOPE),
so it sits beside the organisations' figures of the same month rather than replacing them.
The bands, totals and their checks are the organisations' sheet's. The median wait (`Average
(median) waiting time (in weeks)`) is stored as published (rtt_incomplete_median_wk): a
median cannot be added up; `-` (not calculated, under 50 pathways) stores none. The 95th
percentile is not stored. The level's specialty rows are stored as its own
treatment-function parts, as printed (the organisations' sheet does this for every layout:
rtt_parts). The basis (provider or commissioner) is the workbook's, told by the file's name
(commissioner unless it says Provider): a level's own row is never added up, so it cannot
count a patient twice whichever basis it has.
"""

from __future__ import annotations

from dataclasses import replace

import pandera.polars as pa
import polars as pl

from scorecard.model import ENGLAND
from scorecard.sources.base import LEVEL_SCOPE, Extract
from scorecard.sources.rtt_incomplete import (
    ALL_SPECIALTIES,
    ORG_LAYOUTS,
    TFC,
    RttIncompleteSheet,
)
from scorecard.sources.text import ROW, normalise, published_columns, read_table
from scorecard.sources.validation import validate

MEDIAN = "Average (median) waiting time (in weeks)"
MEDIAN_MEASURE = "rtt_incomplete_median_wk"
WEEKS = r"^([0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|-)$"
WEEKS_EXPECTED = "expected a number of weeks, such as 5.56 (or - when not published)"
# The organisations' code columns: a sheet with one is the organisations' own.
_ORG_CODES = frozenset(normalise(layout[1]) for layout in ORG_LAYOUTS)


def weeks_column(expected: str = WEEKS_EXPECTED, pattern: str = WEEKS) -> pa.Column:
    """A published wait in weeks (a median or centile, not a count): a decimal, or `-`."""
    return pa.Column(str, pa.Check.str_matches(pattern, error=expected), nullable=True)


def basis_from_name(file: str) -> str:
    """A level sheet's basis, from its workbook's name: `provider` if it says so."""
    return "provider" if "provider" in file.lower() else "commissioner"


class _LevelSheet(RttIncompleteSheet):
    """A level's sheet: the organisations' layout, its level's rows stored as published."""

    code_column: str | None = None  # None: England's sheet, no organisation columns
    name_column: str | None = None

    def match(self, header: list[str]) -> float:
        have = {normalise(h) for h in header}
        if not super().match(header) or have & _ORG_CODES or normalise(TFC) not in have:
            return 0.0
        columns = [c for c in (self.code_column, self.name_column) if c is not None]
        if columns:
            return 1.0 if all(normalise(c) in have for c in columns) else 0.0
        levels = {normalise(c) for s in LEVEL_SHEETS for c in (s.code_column, s.name_column) if c}
        return 0.0 if have & levels else 1.0

    def id_columns(self, header: list[str]) -> dict[str, str]:
        if self.code_column is None or self.name_column is None:
            return {}
        return {"org_code": self.code_column, "name": self.name_column}

    def identify(self, raw: pl.DataFrame) -> pl.DataFrame:
        if self.code_column is None:
            raw = raw.with_columns(org_code=pl.lit(ENGLAND), name=pl.lit("England"))
        return raw.with_columns(parent=pl.lit(None, pl.String))

    def basis(self, file: str, named: dict[str, str]) -> str:
        return basis_from_name(file)

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        extract = super().parse(file, data, period_hint)
        return _with_median(self, file, data, extract)


def _with_median(sheet: _LevelSheet, file: str, data: bytes, extract: Extract) -> Extract:
    """The extract with each level's published median wait, where the sheet prints one."""
    header, body = read_table(file, data)
    if normalise(MEDIAN) not in {normalise(h) for h in header} or extract.observations.is_empty():
        return extract
    named = {"tfc": TFC, "median": MEDIAN} | sheet.id_columns(header)
    renames = published_columns(file, header, named, sheet.description)
    rows = sheet.identify(body.select(ROW, *renames).rename(renames))
    rows = rows.filter(pl.col("tfc").is_in(ALL_SPECIALTIES))
    schema = pa.DataFrameSchema({ROW: pa.Column(pl.Int64), "median": weeks_column()})
    rows = validate(file, rows, schema, named)
    period = extract.observations["period"][0]
    median = rows.filter(pl.col("median") != "-").select(
        period=pl.lit(period),
        org_code="org_code",
        measure=pl.lit(MEDIAN_MEASURE),
        value=pl.col("median").cast(pl.Float64),
    )
    observations = pl.concat([extract.observations, median]).sort("period", "org_code", "measure")
    columns = {**extract.columns, MEDIAN_MEASURE: MEDIAN}
    return replace(extract, observations=observations, columns=columns)


class RttNationalSheet(_LevelSheet):
    """England's sheet of an RTT incomplete-pathways workbook (or the national file)."""

    name = "rtt_national_sheet"
    description = (
        "RTT incomplete-pathways National sheet saved as CSV (Treatment Function Code, "
        ">0-1 ... weekly bands, no organisation columns)"
    )
    scope = LEVEL_SCOPE + "england"


class RttRegionSheet(_LevelSheet):
    """The regions' sheet of an RTT incomplete-pathways workbook."""

    name = "rtt_region_sheet"
    description = (
        "RTT incomplete-pathways Region sheet saved as CSV (Region Code, Region Name, "
        ">0-1 ... weekly bands)"
    )
    scope = LEVEL_SCOPE + "region"
    code_column = "Region Code"
    name_column = "Region Name"


class RttAreaTeamSheet(_LevelSheet):
    """The area teams' sheet of an RTT incomplete-pathways commissioner workbook (2013-2015)."""

    name = "rtt_area_team_sheet"
    description = (
        "RTT incomplete-pathways Area Team sheet saved as CSV (Area Team Code, Area Team "
        "Name, >0-1 ... weekly bands)"
    )
    scope = LEVEL_SCOPE + "area_team"
    code_column = "Area Team Code"
    name_column = "Area Team Name"


LEVEL_SHEETS: tuple[type[_LevelSheet], ...] = (RttRegionSheet, RttAreaTeamSheet)
