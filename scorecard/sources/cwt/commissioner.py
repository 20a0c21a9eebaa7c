"""NHS England's monthly commissioner-based cancer waiting times (CWT) sheets, saved as CSV.

Four sheets of the monthly commissioner workbook (standards from October 2023) are read, each
saved as its own CSV: 28-DAY FDS (ALL ROUTES), 31-DAY (ALL CANCER), 62-DAY (ALL CANCER) and
62-DAY (BY CANCER). How a sheet is read is in sheet.py. The month is not in these CSVs
(the workbook's title block is not kept), so it comes from --period or the file name
(`CWT-Commissioner-2024-07_62-DAY-ALL-CANCER.csv`).

Which sums reproduce the published totals, decided on the July 2024 sheets: adding every
commissioner row of a section, the commissioning hubs and the `UNKNOWN` row included, gives its
`ALL ENGLISH COMMISSIONERS` row exactly: FDS 224,491 of 294,616 told within 28 days (76.2%),
31 days ALL STAGES 55,789 of 60,665 (92.0%), 62 days ALL ROUTES 20,361 of 29,924 (68.0%).
Without `UNKNOWN` the FDS total would be 293,774, so `UNKNOWN` is kept as an organisation with
code `UNKNOWN`, and England (the sum of organisations, computed, never stored) matches the
published total. For every commissioner the route (stage) sections add up to the ALL ROUTES (ALL
STAGES) section; the combined measures are taken from that section only, and each route or
stage is stored as its own measure, so nothing is counted twice. The 62-day BY CANCER sheet's
thirteen cancer-type rows add up to the same route totals; it repeats no `ALL CANCERS` row,
but one, if present, is checked against the cancer-type rows and not added to them.

The sheets of one month are separate files, so each has its own scope (`fds`, `31d`, `62d`,
`62d_cancer`) and they never store the same measure: the BY CANCER sheet stores 62-day figures
by cancer type (all routes), the ALL CANCER sheet the route totals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import ClassVar

import polars as pl

from scorecard.errors import SourceError
from scorecard.periods import Month
from scorecard.sources.base import Extract, MeasureRowsSchema
from scorecard.sources.cwt.sheet import (
    ALL_CANCERS,
    Layout,
    Sheet,
    check_national_rows,
    check_parts,
    header_name,
    key_rows,
    layout_match,
    read_sheet,
    spread,
)
from scorecard.sources.naming import period_from
from scorecard.sources.tidy import to_extract
from scorecard.sources.validation import check_result

DATASET = "cwt"
ORG = (("org_code", "ODS CODE (1)"), ("name", "INTEGRATED CARE BOARD (ICB)/COMMISSIONING HUB"))
# Published cancer type -> canonical key (the 62-day BY CANCER sheet, from October 2023).
CANCER_TYPES = {
    "Breast": "breast",
    "Gynaecological": "gynae",
    "Haematological - Lymphoma": "haem_lymphoma",
    "Haematological - Other (a)": "haem_other",
    "Head & Neck": "head_neck",
    "Lower Gastrointestinal": "lower_gi",
    "Lung": "lung",
    "Other (a)": "other",
    "Skin": "skin",
    "Upper Gastrointestinal - Hepatobiliary": "upper_gi_hpb",
    "Upper Gastrointestinal - Oesophagus & Stomach": "upper_gi_og",
    "Urological - Other (a)": "urology_other",
    "Urological - Prostate": "urology_prostate",
}
_SPELLINGS = {**CANCER_TYPES, **{k.removesuffix(" (a)"): v for k, v in CANCER_TYPES.items()}}
TUMOUR_MEASURES = {
    key: (f"cwt_62d_tumour_{key}_treated", f"cwt_62d_tumour_{key}_within_62d")
    for key in CANCER_TYPES.values()
}


def _counts(
    within: str, after: str, pct: str, bands_in: tuple[str, ...], bands_out: tuple[str, ...]
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """Count columns in their published order, and the sums that must hold in each row."""
    keys_in = tuple(f"in{i}" for i in range(len(bands_in)))
    keys_out = tuple(f"out{i}" for i in range(len(bands_out)))
    columns = (
        ("total", "TOTAL"), ("within", within), ("after", after), ("pct", pct),
        *zip(keys_in, bands_in, strict=True), *zip(keys_out, bands_out, strict=True),
    )  # fmt: skip
    sums = (("total", ("within", "after")), ("within", keys_in), ("after", keys_out))
    return columns, sums


_FDS_COUNTS, _FDS_SUMS = _counts(
    "WITHIN 28 DAYS", "AFTER 28 DAYS", "TOLD WITHIN 28 DAYS",
    ("WITHIN 14 DAYS", "IN 15 TO 28 DAYS"),
    ("IN 29 TO 42 DAYS", "IN 43 TO 62 DAYS", "AFTER 62 DAYS"),
)  # fmt: skip
_31D_COUNTS, _31D_SUMS = _counts(
    "WITHIN 31 DAYS", "AFTER 31 DAYS", "TREATED WITHIN 31 DAYS",
    ("WITHIN 31 DAYS ",),  # the first time band, published with a trailing space
    ("IN 32 TO 38 DAYS", "IN 39 TO 48 DAYS", "IN 49 TO 62 DAYS", "AFTER 62 DAYS"),
)  # fmt: skip
_62D_COUNTS, _62D_SUMS = _counts(
    "WITHIN 62 DAYS", "AFTER 62 DAYS", "TREATED WITHIN 62 DAYS",
    ("WITHIN 31 DAYS", "IN 32 TO 38 DAYS", "IN 39 TO 48 DAYS", "IN 49 TO 62 DAYS"),
    ("IN 63 TO 76 DAYS", "IN 77 TO 90 DAYS", "IN 91 TO 104 DAYS", "AFTER 104 DAYS"),
)  # fmt: skip

FDS = Layout(
    description="CWT commissioner sheet 28-DAY FDS (ALL ROUTES) saved as CSV",
    columns=(*ORG, ("section", "REFERRAL ROUTE"), *_FDS_COUNTS),
    sections=(("all", "ALL ROUTES"),),
    row_sums=_FDS_SUMS,
)
D31 = Layout(
    description="CWT commissioner sheet 31-DAY (ALL CANCER) saved as CSV",
    columns=(*ORG, ("section", "TREATMENT STAGE"), ("cancer", "CANCER TYPE"), *_31D_COUNTS),
    sections=(("all", "ALL STAGES"), ("first", "First Treatment"), ("sub", "Subsequent Treatment")),
    row_sums=_31D_SUMS,
    cancer_expected=f"expected {ALL_CANCERS} (the 31-DAY (BY CANCER) sheet is not read)",
)
D62 = Layout(
    description="CWT commissioner sheet 62-DAY (ALL CANCER) or 62-DAY (BY CANCER) saved as CSV",
    columns=(*ORG, ("section", "REFERRAL ROUTE"), ("cancer", "CANCER TYPE"), *_62D_COUNTS),
    sections=(
        ("all", "ALL ROUTES"),
        ("usc", "Urgent Suspected Cancer"),
        ("breast", "Breast Symptomatic"),
        ("screening", "Screening"),
        ("upgrade", "Consultant Upgrade"),
    ),
    row_sums=_62D_SUMS,
    cancer_types=tuple(_SPELLINGS),
    cancer_expected=f"expected {ALL_CANCERS} or a cancer type ({', '.join(CANCER_TYPES)})",
)


def _extract(
    file: str, data: bytes, fmt: str, scope: str, period: Month, wide: pl.DataFrame,
    measures: Mapping[str, tuple[str, str]],
) -> Extract:  # fmt: skip
    sums: dict[str, tuple[str, ...]] = {}
    for key, (treated, within) in measures.items():
        sums[treated] = (f"{key}_total",)
        sums[within] = (f"{key}_within",)
    wide = wide.with_columns(period=pl.lit(period.first_day()), parent=pl.lit(None, pl.String))
    extract = to_extract(file, data, fmt, DATASET, wide, sums, scope=scope, basis="commissioner")
    # A section's (or cancer type's) measures name its own row, not the commissioner's others.
    keys = {m: key for key, pair in measures.items() for m in pair}
    lines = key_rows(wide, keys)
    if lines is None:
        return extract
    return replace(extract, measure_rows=check_result(file, lines, MeasureRowsSchema))


class _SectionSheet:
    """A sheet whose sections (routes or stages) are stored as measures, all cancers."""

    name: str
    dataset = DATASET
    description: str
    layout: Layout
    scope: str
    measures: ClassVar[Mapping[str, tuple[str, str]]]

    def match(self, header: list[str]) -> float:
        return layout_match(self.layout, header)

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        sheet = read_sheet(file, data, self.layout)
        return self._sections(file, data, sheet, period_from(file, period_hint))

    def _sections(self, file: str, data: bytes, sheet: Sheet, period: Month) -> Extract:
        check_national_rows(file, self.layout, sheet, ["section"])
        check_parts(file, self.layout, sheet.orgs, "section", "all", ["org_code"])
        measures = self.measures
        if sheet.orgs["section"].eq("all").all():  # only the all-routes (all-stages) part
            measures = {"all": self.measures["all"]}
        wide = spread(sheet.orgs, "section", list(measures))
        return _extract(file, data, self.name, self.scope, period, wide, measures)


class CwtFdsSheet(_SectionSheet):
    name = "cwt_fds_sheet"
    description = FDS.description
    layout = FDS
    scope = "fds"
    measures: ClassVar[Mapping[str, tuple[str, str]]] = {
        "all": ("cwt_fds_told", "cwt_fds_told_within_28d")
    }


class Cwt31DaySheet(_SectionSheet):
    name = "cwt_31d_sheet"
    description = D31.description
    layout = D31
    scope = "31d"
    measures: ClassVar[Mapping[str, tuple[str, str]]] = {
        "all": ("cwt_31d_treated", "cwt_31d_within_31d"),
        "first": ("cwt_31d_first_treated", "cwt_31d_first_within_31d"),
        "sub": ("cwt_31d_sub_treated", "cwt_31d_sub_within_31d"),
    }


class Cwt62DaySheet(_SectionSheet):
    """62 days: route totals (ALL CANCER sheet) or cancer types (BY CANCER sheet)."""

    name = "cwt_62d_sheet"
    description = D62.description
    layout = D62
    scope = "62d"
    measures: ClassVar[Mapping[str, tuple[str, str]]] = {
        "all": ("cwt_62d_treated", "cwt_62d_within_62d"),
        "usc": ("cwt_62d_usc_treated", "cwt_62d_usc_within_62d"),
        "breast": ("cwt_62d_breast_symptomatic_treated", "cwt_62d_breast_symptomatic_within_62d"),
        "screening": ("cwt_62d_screening_treated", "cwt_62d_screening_within_62d"),
        "upgrade": ("cwt_62d_upgrade_treated", "cwt_62d_upgrade_within_62d"),
    }
    tumour_scope = "62d_cancer"

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        sheet = read_sheet(file, data, self.layout)
        period = period_from(file, period_hint)
        spellings = {k.lower(): v for k, v in _SPELLINGS.items()} | {ALL_CANCERS.lower(): "all"}
        orgs, national = (
            f.with_columns(pl.col("cancer").str.to_lowercase().replace_strict(spellings))
            for f in (sheet.orgs, sheet.national)
        )
        if orgs["cancer"].eq("all").all():
            return self._sections(file, data, sheet, period)
        check_national_rows(file, self.layout, Sheet(orgs, national), ["section", "cancer"])
        if orgs["cancer"].eq("all").any():  # repeated totals: checked, never added
            check_parts(file, self.layout, orgs, "cancer", "all", ["org_code", "section"])
        tumours = orgs.filter(pl.col("cancer") != "all")
        check_parts(file, self.layout, tumours, "section", "all", ["org_code", "cancer"])
        wide = spread(tumours.filter(pl.col("section") == "all"), "cancer", list(TUMOUR_MEASURES))
        return _extract(file, data, self.name, self.tumour_scope, period, wide, TUMOUR_MEASURES)


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
