"""The commissioner workbook's breakdowns (from October 2023), saved as CSV: each stored as the
drill-down of the whole its sheet of all cancers (all routes) publishes (scorecard.dimensions).

* 31-DAY (BY CANCER) and 62-DAY (BY CANCER): each stage's (route's) measures by cancer type
  (dimension `cancer_type`); read by the same layouts as the ALL CANCER sheets (commissioner.py),
  scopes `31d_cancer` and `62d_cancer`;
* 31-DAY (BY TREATMENT MODALITY) and 62-DAY (BY TREATMENT MODALITY): by modality (`modality`),
  scopes `31d_modality` and `62d_modality`. The 31-day sheet's Subsequent Treatment rows for
  surgery, anti-cancer drug regimen and radiotherapy are also stored as the measures of the
  retired subsequent treatment standards (`cwt_31d_sub_surgery_treated`, ...), as their own
  sheets stored them before October 2023;
* 28-DAY FDS (BY ROUTE): rows by route and suspected cancer type (or breast symptoms, or
  `Missing or Invalid` screening referrals); stored as the FDS measures' drill-down by route
  (each route's rows added up) and by suspected cancer type (each type's rows added up over
  the routes), scope `fds_route`. The sheet prints no route totals: each route is the sum of
  its rows;
* USC referral to FOA (urgent suspected cancer referral to first outpatient appointment) and
  UBS referral to FHA (urgent breast symptomatic referral to first hospital assessment): people
  seen, and seen within 14 days (the first time band), per commissioner: the sum of its rows,
  since the sheets print one row per suspected cancer type (referral reason) and none for all
  of them; the first-appointment sheet's rows are also stored as the drill-down by suspected
  cancer type. Scopes `usc_foa` and `ubs_fha`.

Every national row must equal the sum of its commissioner rows, section and part alike. Decided
on the real July 2024 workbook: for every commissioner the parts of each sheet add up exactly
to the whole its ALL CANCER (ALL ROUTES) sheet publishes (31 days by cancer type and by
modality, stage by stage; 62 days by cancer type and by modality, route by route; FDS over
its routes and types), and the route (stage) sections to the all-routes (all-stages) one,
part by part; the sheets' own sections are checked here. The first-appointment sheets have no
whole published anywhere: England (224,980 of 287,567 urgent suspected cancer referrals seen
within 14 days; 7,032 of 10,020 breast symptomatic referrals) is the sum of the national rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import polars as pl

from scorecard.periods import Month
from scorecard.sources.base import Extract
from scorecard.sources.cwt import layouts
from scorecard.sources.cwt.checks import check_national_rows, check_parts, spread
from scorecard.sources.cwt.frames import (
    D31_MEASURES,
    D62_MEASURES,
    DATASET,
    FDS_MEASURES,
    SUB_MODALITY_MEASURES,
    UBS_FHA,
    USC_FOA,
    Pair,
    breakdowns,
    extract,
)
from scorecard.sources.cwt.sheet import WHOLE, Layout, Sheet, layout_match, read_sheet
from scorecard.sources.naming import period_from


def by_part(
    file: str, data: bytes, fmt: str, scope: str, period: Month, sheet: Sheet,
    layout: Layout, measures: Mapping[str, Pair], dimension: str,
    part_measures: Mapping[str, Pair] | None = None,
) -> Extract:  # fmt: skip
    """A stacked sheet by part: each section's measures by part, as drill-down rows.

    `part_measures` (keys `<section>_<part>`) are parts also stored as measures.
    """
    check_national_rows(file, layout, sheet, ["section", "part"])
    orgs = sheet.orgs
    if orgs["part"].eq(WHOLE).any():  # repeated totals: checked, never added
        check_parts(file, layout, orgs, "part", ["org_code", "section"])
    rows = orgs.filter(pl.col("part") != WHOLE)
    check_parts(file, layout, rows, "section", ["org_code", "part"])
    present = set(rows["section"])
    found = [
        breakdowns(rows.filter(pl.col("section") == key), "part", dimension, pair)
        for key, pair in measures.items()
        if key in present
    ]
    parts = pl.concat(found) if found else None
    keyed = rows.with_columns(key=pl.col("section") + "_" + pl.col("part"))
    stored = part_measures or {}
    wide = spread(keyed, "key", list(stored))
    return extract(file, data, fmt, scope, period, wide, stored, parts)


class _PartSheet:
    """A sheet by part whose every row is a part (no whole printed beside them)."""

    name: str
    dataset = DATASET
    description: str
    layout: Layout
    scope: str
    measures: ClassVar[Mapping[str, Pair]]
    part_measures: ClassVar[Mapping[str, Pair]] = {}

    def match(self, header: list[str]) -> float:
        return layout_match(self.layout, header)

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        sheet = read_sheet(file, data, self.layout)
        period = period_from(file, period_hint)
        return by_part(
            file, data, self.name, self.scope, period, sheet, self.layout, self.measures,
            "modality", self.part_measures,
        )  # fmt: skip


class Cwt31DayModalitySheet(_PartSheet):
    name = "cwt_31d_modality_sheet"
    description = layouts.D31_MODALITY.description
    layout = layouts.D31_MODALITY
    scope = "31d_modality"
    measures = D31_MEASURES
    part_measures = SUB_MODALITY_MEASURES


class Cwt62DayModalitySheet(_PartSheet):
    name = "cwt_62d_modality_sheet"
    description = layouts.D62_MODALITY.description
    layout = layouts.D62_MODALITY
    scope = "62d_modality"
    measures = D62_MEASURES


class CwtFdsRouteSheet:
    """28-DAY FDS (BY ROUTE): the FDS measures by route and by suspected cancer type."""

    name = "cwt_fds_route_sheet"
    dataset = DATASET
    description = layouts.FDS_BY_ROUTE.description
    layout = layouts.FDS_BY_ROUTE
    scope = "fds_route"

    def match(self, header: list[str]) -> float:
        return layout_match(self.layout, header)

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        sheet = read_sheet(file, data, self.layout)
        period = period_from(file, period_hint)
        check_national_rows(file, self.layout, sheet, ["section", "part"])
        rows = sheet.orgs
        if rows["section"].eq(WHOLE).any():  # an ALL ROUTES section: checked, never added
            check_parts(file, self.layout, rows, "section", ["org_code", "part"])
            rows = rows.filter(pl.col("section") != WHOLE)
        pair = FDS_MEASURES[WHOLE]
        parts = pl.concat(
            [
                breakdowns(rows, "section", "route", pair),
                breakdowns(rows, "part", "cancer_type", pair),
            ]
        )
        wide = spread(rows, "section", [])
        return extract(file, data, self.name, self.scope, period, wide, {}, parts)


class _SeenSheet:
    """A referral-to-first-appointment sheet: people seen, and seen within 14 days, the sum
    of each commissioner's rows (one per suspected cancer type or referral reason)."""

    name: str
    dataset = DATASET
    description: str
    layout: Layout
    scope: str
    pair: Pair
    dimension: str | None = None  # the rows are stored as this drill-down too

    def match(self, header: list[str]) -> float:
        return layout_match(self.layout, header)

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        sheet = read_sheet(file, data, self.layout)
        period = period_from(file, period_hint)
        check_national_rows(file, self.layout, sheet, ["section", "part"])
        rows = sheet.orgs
        wide = spread(rows.with_columns(whole=pl.lit(WHOLE)), "whole", [WHOLE])
        parts = None
        if self.dimension is not None:
            parts = breakdowns(rows, "part", self.dimension, self.pair)
        measures = {WHOLE: self.pair}
        return extract(file, data, self.name, self.scope, period, wide, measures, parts)


class CwtUscFoaSheet(_SeenSheet):
    name = "cwt_usc_foa_sheet"
    description = layouts.USC_FOA.description
    layout = layouts.USC_FOA
    scope = "usc_foa"
    pair = USC_FOA
    dimension = "cancer_type"


class CwtUbsFhaSheet(_SeenSheet):
    name = "cwt_ubs_fha_sheet"
    description = layouts.UBS_FHA.description
    layout = layouts.UBS_FHA
    scope = "ubs_fha"
    pair = UBS_FHA
