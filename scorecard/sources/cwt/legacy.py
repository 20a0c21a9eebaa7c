"""NHS England's monthly commissioner-based CWT sheets before October 2023, saved as CSV.

The workbook of a month up to September 2023 (`CWT-Commissioner-2023-07.xlsx`) has one sheet
per retired standard, each saved as its own CSV and read with sheet.py's machinery: TWO
WEEK WAIT-ALL CANCER, TWO WEEK WAIT-BREAST SYMPTOMS, 62-DAY (ALL CANCER) (the urgent GP referral
standard: its title reads "62-DAY (URGENT GP REFERRAL TO TREATMENT) WAIT FOR FIRST TREATMENT"),
62-DAY (CONSULTANT UPGRADE), 62-DAY (SCREENING), 31-DAY FIRST TREAT (ALL CANCER), 31-DAY SUB
TREAT (SURGERY), (DRUGS), (RADIOTHERAPY) and 28-DAY FDS (ALL ROUTES). Each has one row per
commissioner (ICBs, commissioning hubs and `UNKNOWN`, kept as an organisation as in the later
sheets) and four count columns: TOTAL, WITHIN, AFTER and the percentage (a fraction, checked
for form, never stored); no time bands. Counts may be halves, read as decimals (none in July
2023). The 31-day and 62-day sheets add CARE SETTING (only `ALL CARE` in July 2023; stacked
`ADMITTED` and `NON-ADMITTED` rows, as older provider workbooks have, must add up to it and
are not stored) and CANCER TYPE (`ALL CANCERS` only) or TREATMENT TYPE. Checks: every cell's
form; TOTAL = WITHIN + AFTER in each row; an `ALL ENGLISH COMMISSIONERS` row, if present,
equals the sum of the rows. The July 2023 sheets publish none (the workbook's front page
says England totals are in the provider-based outputs), so England is the sum of every row
and cannot be checked against a published total. The month comes from --period or the name.

The three 62-day sheets share one header and their rows say `ALL CARE, ALL CANCERS` alike: only
the sheet name tells the route, so the file name must keep it (`..._62-DAY-SCREENING.csv`).
The two-week-wait sheets differ by their SUSPECTED TYPE OF CANCER, the subsequent-treatment
sheets by their TREATMENT TYPE; a file holding two of either is refused. Each sheet has its
own scope, and stores measures no other sheet of its month stores. The FDS sheet stores the
same measures as the later FDS sheet, under the same scope (`fds`). A header is matched
exactly (same columns, no more), so these never take the later sheets' files or the reverse.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar

import polars as pl

from scorecard.dimensions import cancer
from scorecard.errors import SourceError
from scorecard.periods import Month
from scorecard.sources.base import Extract
from scorecard.sources.cwt.checks import check_national_rows, check_parts
from scorecard.sources.cwt.sheet import ALL_CANCERS, Layout, Sheet, layout_match, read_sheet
from scorecard.sources.naming import period_from
from scorecard.sources.text import ROW
from scorecard.sources.tidy import to_extract

DATASET = "cwt"
ORG = (("org_code", "ODS CODE"), ("name", "INTEGRATED CARE BOARD (ICB)/COMMISSIONING HUB"))
CARE = ("section", "CARE SETTING")
CARE_SETTINGS = (("all", "ALL CARE"), ("admitted", "ADMITTED"), ("non_admitted", "NON-ADMITTED"))
SUMS = (("total", ("within", "after")),)
BREAST = "Exhibited (non-cancer) breast symptoms - cancer not initially suspected"
# Published TREATMENT TYPE -> modality key (scorecard.dimensions; cwt_31d_sub_<key>_*).
MODALITIES = {"SURGERY": "surgery", "DRUGS": "drug", "RADIOTHERAPY": "radio"}
# 62-day route -> file-name pattern; looked for in this order (a screening sheet's title
# also says ALL CANCERS).
ROUTES = (
    ("upgrade", re.compile(r"upgrade", re.IGNORECASE)),
    ("screening", re.compile(r"screening", re.IGNORECASE)),
    ("usc", re.compile(r"all[\W_]*cancers?|urgent|(?<![a-z])usc(?![a-z])", re.IGNORECASE)),
)
Pair = tuple[str, str]  # (people counted, of those within the standard)


def _counts(days: int, verb: str) -> tuple[Pair, ...]:
    return (
        ("total", "TOTAL"),
        ("within", f"WITHIN {days} DAYS"),
        ("after", f"AFTER {days} DAYS"),
        ("pct", f"{verb} WITHIN {days} DAYS"),
    )


def _description(sheet: str) -> str:
    return f"CWT commissioner sheet {sheet} (before October 2023) saved as CSV"


TWO_WEEK = Layout(
    description=_description("TWO WEEK WAIT-ALL CANCER or TWO WEEK WAIT-BREAST SYMPTOMS"),
    columns=(*ORG, ("section", "SUSPECTED TYPE OF CANCER"), *_counts(14, "SEEN")),
    sections=(("all", "ALL SUSPECTED CANCER"), ("breast", BREAST)),
    row_sums=SUMS,
)
FIRST_31 = Layout(
    description=_description("31-DAY FIRST TREAT (ALL CANCER)"),
    columns=(*ORG, CARE, ("part", "CANCER TYPE"), *_counts(31, "TREATED")),
    sections=CARE_SETTINGS,
    row_sums=SUMS,
    part_expected=f"expected {ALL_CANCERS} (cancer-type rows are not read)",
)
SUB_31 = Layout(
    description=_description("31-DAY SUB TREAT (SURGERY), (DRUGS) or (RADIOTHERAPY)"),
    columns=(*ORG, CARE, ("part", "TREATMENT TYPE"), *_counts(31, "TREATED")),
    sections=CARE_SETTINGS,
    row_sums=SUMS,
    parts=cancer.spellings("modality", tuple(MODALITIES.values())),
    part_expected="expected SURGERY, DRUGS or RADIOTHERAPY",
    part_name="treatment type",
    whole=None,
)
D62 = Layout(
    description=_description("62-DAY (ALL CANCER), (CONSULTANT UPGRADE) or (SCREENING)"),
    columns=(*ORG, CARE, ("part", "CANCER TYPE"), *_counts(62, "TREATED")),
    sections=CARE_SETTINGS,
    row_sums=SUMS,
    part_expected=f"expected {ALL_CANCERS} (cancer-type rows are not read)",
)
FDS = Layout(
    description=_description("28-DAY FDS (ALL ROUTES)"),
    columns=(*ORG, ("section", "REFERRAL ROUTE"), *_counts(28, "TOLD")),
    sections=(("all", "ALL REFERRAL ROUTES"),),
    row_sums=SUMS,
)


class _LegacySheet:
    """One sheet: its single kind (scope and measures) decided by `_kind`."""

    name: str
    dataset = DATASET
    description: str
    layout: Layout
    care_settings = True  # a CARE SETTING column: ADMITTED + NON-ADMITTED = ALL CARE
    kinds: ClassVar[Mapping[str, tuple[str, Pair]]]  # kind -> (scope, measures)

    def match(self, header: list[str]) -> float:
        return layout_match(self.layout, header)

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        sheet = read_sheet(file, data, self.layout)
        period = period_from(file, period_hint)
        if sheet.national.height:  # the July 2023 sheets publish none
            check_national_rows(file, self.layout, sheet, ["section", "part"])
        if self.care_settings:
            check_parts(file, self.layout, sheet.orgs, "section", ["org_code", "part"])
        scope, (treated, within) = self.kinds[self._kind(file, sheet)]
        rows = sheet.orgs.filter(pl.col("section") == "all") if self.care_settings else sheet.orgs
        return _extract(file, data, self.name, scope, period, rows, treated, within)

    def _kind(self, file: str, sheet: Sheet) -> str:
        return next(iter(self.kinds))


def _extract(
    file: str, data: bytes, fmt: str, scope: str, period: Month, rows: pl.DataFrame,
    treated: str, within: str,
) -> Extract:  # fmt: skip
    wide = rows.select(
        "org_code", "name", "total", "within", ROW,
        period=pl.lit(period.first_day()), parent=pl.lit(None, pl.String),
    )  # fmt: skip
    sums = {treated: ("total",), within: ("within",)}
    return to_extract(file, data, fmt, DATASET, wide, sums, scope=scope, basis="commissioner")


def one_kind(
    file: str, rows: pl.DataFrame, column: str, published: str, labels: Mapping[str, str]
) -> str:
    """The one value of `column` in the sheet's rows; a second value is refused at its row."""
    ordered = rows.sort(ROW)
    first = str(ordered[column][0])
    other = ordered.filter(pl.col(column) != first)
    if other.height:
        row = other.row(0, named=True)
        got, want = labels.get(row[column], row[column]), labels.get(first, first)
        raise SourceError(
            file,
            f"'{got}' in a sheet whose first row is '{want}'; each sheet of the workbook "
            "holds one, so save each as its own CSV file",
            column=published,
            row=int(row[ROW]),
        )
    return first


class CwtLegacyTwoWeekSheet(_LegacySheet):
    """TWO WEEK WAIT-ALL CANCER or -BREAST SYMPTOMS: told apart by SUSPECTED TYPE OF CANCER."""

    name = "cwt_legacy_2ww_sheet"
    description = TWO_WEEK.description
    layout = TWO_WEEK
    care_settings = False
    kinds: ClassVar[Mapping[str, tuple[str, Pair]]] = {
        "all": ("2ww", ("cwt_2ww_seen", "cwt_2ww_within_14d")),
        "breast": ("2ww_breast", ("cwt_2ww_breast_seen", "cwt_2ww_breast_within_14d")),
    }

    def _kind(self, file: str, sheet: Sheet) -> str:
        published = self.layout.published["section"]
        return one_kind(file, sheet.orgs, "section", published, dict(self.layout.sections))


class CwtLegacy31DayFirstSheet(_LegacySheet):
    name = "cwt_legacy_31d_first_sheet"
    description = FIRST_31.description
    layout = FIRST_31
    kinds: ClassVar[Mapping[str, tuple[str, Pair]]] = {
        "first": ("31d_first", ("cwt_31d_first_treated", "cwt_31d_first_within_31d")),
    }


class CwtLegacy31DaySubSheet(_LegacySheet):
    """31-DAY SUB TREAT (SURGERY), (DRUGS) or (RADIOTHERAPY): told apart by TREATMENT TYPE."""

    name = "cwt_legacy_31d_sub_sheet"
    description = SUB_31.description
    layout = SUB_31
    kinds: ClassVar[Mapping[str, tuple[str, Pair]]] = {
        key: (f"31d_sub_{key}", (f"cwt_31d_sub_{key}_treated", f"cwt_31d_sub_{key}_within_31d"))
        for key in MODALITIES.values()
    }

    def _kind(self, file: str, sheet: Sheet) -> str:
        published = self.layout.published["part"]
        names = dict(zip(sheet.orgs["part"], sheet.orgs["part_name"], strict=True))
        return one_kind(file, sheet.orgs, "part", published, names)


class CwtLegacy62DaySheet(_LegacySheet):
    """62-DAY (ALL CANCER), (CONSULTANT UPGRADE) or (SCREENING): the route from the file name."""

    name = "cwt_legacy_62d_sheet"
    description = D62.description
    layout = D62
    kinds: ClassVar[Mapping[str, tuple[str, Pair]]] = {
        route: (f"62d_{route}", (f"cwt_62d_{route}_treated", f"cwt_62d_{route}_within_62d"))
        for route, _ in ROUTES
    }

    def _kind(self, file: str, sheet: Sheet) -> str:
        return route_from(file)


def route_from(file: str) -> str:
    """`usc`, `screening` or `upgrade`, from the sheet name kept in the file name."""
    for route, pattern in ROUTES:
        if pattern.search(file):
            return route
    raise SourceError(
        file,
        "the pre-October 2023 62-day sheets (ALL CANCER, the urgent GP referral route; "
        "CONSULTANT UPGRADE; SCREENING) share one layout and their rows do not say which "
        "this is; keep the sheet name in the file name (like "
        "CWT-Commissioner-2023-07_62-DAY-SCREENING.csv)",
    )


class CwtLegacyFdsSheet(_LegacySheet):
    name = "cwt_legacy_fds_sheet"
    description = FDS.description
    layout = FDS
    care_settings = False
    kinds: ClassVar[Mapping[str, tuple[str, Pair]]] = {
        "all": ("fds", ("cwt_fds_told", "cwt_fds_told_within_28d")),
    }
