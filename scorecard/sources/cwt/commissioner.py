"""NHS England's monthly commissioner-based cancer waiting times (CWT) sheets, saved as CSV.

The monthly commissioner workbook (standards from October 2023) is read sheet by sheet, each
also readable saved as its own CSV: 28-DAY FDS (ALL ROUTES), 31-DAY (ALL CANCER) and 62-DAY
(ALL CANCER) here; their breakdowns (by route, cancer type, treatment modality) and the
referral-to-first-appointment sheets in parts.py. How a sheet is read is in sheet.py and
checks.py. The month is not in these CSVs (the workbook's title block is not kept), so it
comes from --period or the file name (`CWT-Commissioner-2024-07_62-DAY-ALL-CANCER.csv`).

Which sums reproduce the published totals, decided on the July 2024 sheets: adding every
commissioner row of a section, the commissioning hubs and the `UNKNOWN` row included, gives its
`ALL ENGLISH COMMISSIONERS` row exactly: FDS 224,491 of 294,616 told within 28 days (76.2%),
31 days ALL STAGES 55,789 of 60,665 (92.0%), 62 days ALL ROUTES 20,361 of 29,924 (68.0%).
Without `UNKNOWN` the FDS total would be 293,774, so `UNKNOWN` is kept as an organisation with
code `UNKNOWN`, and England (the sum of organisations, computed, never stored) matches the
published total. For every commissioner the route (stage) sections add up to the ALL ROUTES (ALL
STAGES) section; the combined measures are taken from that section only, and each route or
stage is stored as its own measure, so nothing is counted twice. The 62-day routes are also
stored as the ALL ROUTES measures' drill-down by route (dimension `route`): the same figures
in the second shape on purpose (the route measures feed the retired route standards'
indicators, with their history before October 2023; the drill-down breaks the combined
standard down).

The sheets of one month are separate files, so each has its own scope (`fds`, `31d`, `62d`,
and in parts.py `fds_route`, `31d_cancer`, `31d_modality`, `62d_cancer`, `62d_modality`,
`usc_foa`, `ubs_fha`) and no two store the same measure or drill-down.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import polars as pl

from scorecard.errors import SourceError
from scorecard.periods import Month
from scorecard.sources.base import Extract
from scorecard.sources.cwt import layouts
from scorecard.sources.cwt.checks import check_national_rows, check_parts, spread
from scorecard.sources.cwt.frames import (
    D31_MEASURES,
    D62_MEASURES,
    FDS_MEASURES,
    Pair,
    breakdowns,
    extract,
)
from scorecard.sources.cwt.parts import by_part
from scorecard.sources.cwt.sheet import WHOLE, Layout, Sheet, header_name, layout_match, read_sheet
from scorecard.sources.naming import period_from

DATASET = "cwt"


class _SectionSheet:
    """A sheet whose sections (routes or stages) are stored as measures, all cancers; the
    same layout by cancer type is stored as the drill-down of those measures."""

    name: str
    dataset = DATASET
    description: str
    layout: Layout
    scope: str
    measures: ClassVar[Mapping[str, Pair]]
    routes: ClassVar[bool] = False  # the sections are routes: a drill-down of the whole too

    def match(self, header: list[str]) -> float:
        return layout_match(self.layout, header)

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        sheet = read_sheet(file, data, self.layout)
        period = period_from(file, period_hint)
        if sheet.orgs["part"].eq(WHOLE).all():
            return self._sections(file, data, sheet, period)
        return by_part(
            file, data, self.name, f"{self.scope}_cancer", period, sheet, self.layout,
            self.measures, "cancer_type",
        )  # fmt: skip

    def _sections(self, file: str, data: bytes, sheet: Sheet, period: Month) -> Extract:
        check_national_rows(file, self.layout, sheet, ["section"])
        check_parts(file, self.layout, sheet.orgs, "section", ["org_code"])
        measures = self.measures
        if sheet.orgs["section"].eq(WHOLE).all():  # only the all-routes (all-stages) part
            measures = {WHOLE: self.measures[WHOLE]}
        wide = spread(sheet.orgs, "section", list(measures))
        parts = None
        routes = sheet.orgs.filter(pl.col("section") != WHOLE)
        if self.routes and routes.height:
            parts = breakdowns(routes, "section", "route", self.measures[WHOLE])
        return extract(file, data, self.name, self.scope, period, wide, measures, parts)


class CwtFdsSheet(_SectionSheet):
    name = "cwt_fds_sheet"
    description = layouts.FDS.description
    layout = layouts.FDS
    scope = "fds"
    measures: ClassVar[Mapping[str, Pair]] = FDS_MEASURES


class Cwt31DaySheet(_SectionSheet):
    """31 days: stage totals (ALL CANCER sheet) or by cancer type (BY CANCER sheet)."""

    name = "cwt_31d_sheet"
    description = layouts.D31.description
    layout = layouts.D31
    scope = "31d"
    measures: ClassVar[Mapping[str, Pair]] = D31_MEASURES


class Cwt62DaySheet(_SectionSheet):
    """62 days: route totals (ALL CANCER sheet) or by cancer type (BY CANCER sheet)."""

    name = "cwt_62d_sheet"
    description = layouts.D62.description
    layout = layouts.D62
    scope = "62d"
    routes = True
    measures: ClassVar[Mapping[str, Pair]] = D62_MEASURES


class CwtProviderQuarterly:
    """NHS England's quarterly provider-based CWT workbook sheets: recognised, not read."""

    name = "cwt_provider_quarterly"
    dataset = DATASET
    description = "CWT quarterly provider workbook sheet (recognised, not read: quarterly figures)"

    def match(self, header: list[str]) -> float:
        names = [header_name(h) for h in header]
        provider = len(names) > 1 and names[1] in ("provider", "accountable provider")
        return 1.0 if names[:1] == ["ods code"] and provider and "total" in names else 0.0

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        raise SourceError(
            file,
            "this is a sheet of NHS England's quarterly provider-based cancer waiting times "
            "workbook: its figures cover three months together, which a monthly scorecard "
            "cannot use; read the monthly commissioner-based sheets (28-DAY FDS, 31-DAY, "
            "62-DAY) instead",
            row=1,
        )
