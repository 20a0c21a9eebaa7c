"""The columns, sections and parts of the monthly commissioner workbook's sheets (from October
2023), as NHS England prints them. Pure data.

Every sheet starts `ODS CODE (1)`, `INTEGRATED CARE BOARD (ICB)/COMMISSIONING HUB`. The 28-day,
31-day and 62-day sheets then name the section (REFERRAL ROUTE or TREATMENT STAGE), the part
where the sheet has one (CANCER TYPE, TREATMENT MODALITY, SUSPECTED CANCER OR BREAST
SYMPTOMATIC), and TOTAL, within and after the standard, the percentage and the time bands. The
two referral-to-first-appointment sheets (USC referral to FOA, UBS referral to FHA) name the
suspected cancer type or referral reason, then TOTAL and five time bands only, the first
`WITHIN 14 DAYS`: no after-column and no percentage.
"""

from __future__ import annotations

from scorecard.dimensions import cancer
from scorecard.sources.cwt.sheet import ALL_CANCERS, Layout

ORG = (("org_code", "ODS CODE (1)"), ("name", "INTEGRATED CARE BOARD (ICB)/COMMISSIONING HUB"))
Columns = tuple[tuple[str, str], ...]
Sums = tuple[tuple[str, tuple[str, ...]], ...]


def _counts(
    within: str, after: str, pct: str, bands_in: tuple[str, ...], bands_out: tuple[str, ...]
) -> tuple[Columns, Sums]:
    """Count columns in their published order, and the sums that must hold in each row."""
    keys_in = tuple(f"in{i}" for i in range(len(bands_in)))
    keys_out = tuple(f"out{i}" for i in range(len(bands_out)))
    columns = (
        ("total", "TOTAL"),
        ("within", within),
        ("after", after),
        ("pct", pct),
        *zip(keys_in, bands_in, strict=True),
        *zip(keys_out, bands_out, strict=True),
    )
    sums = (("total", ("within", "after")), ("within", keys_in), ("after", keys_out))
    return columns, sums


FDS_COUNTS, FDS_SUMS = _counts(
    "WITHIN 28 DAYS",
    "AFTER 28 DAYS",
    "TOLD WITHIN 28 DAYS",
    ("WITHIN 14 DAYS", "IN 15 TO 28 DAYS"),
    ("IN 29 TO 42 DAYS", "IN 43 TO 62 DAYS", "AFTER 62 DAYS"),
)
D31_COUNTS, D31_SUMS = _counts(
    "WITHIN 31 DAYS",
    "AFTER 31 DAYS",
    "TREATED WITHIN 31 DAYS",
    ("WITHIN 31 DAYS ",),  # the first time band, published with a trailing space
    ("IN 32 TO 38 DAYS", "IN 39 TO 48 DAYS", "IN 49 TO 62 DAYS", "AFTER 62 DAYS"),
)
D62_COUNTS, D62_SUMS = _counts(
    "WITHIN 62 DAYS",
    "AFTER 62 DAYS",
    "TREATED WITHIN 62 DAYS",
    ("WITHIN 31 DAYS", "IN 32 TO 38 DAYS", "IN 39 TO 48 DAYS", "IN 49 TO 62 DAYS"),
    ("IN 63 TO 76 DAYS", "IN 77 TO 90 DAYS", "IN 91 TO 104 DAYS", "AFTER 104 DAYS"),
)
# The referral-to-first-appointment sheets: the first band is the count within 14 days.
SEEN_BANDS = ("IN 15 TO 16 DAYS", "IN 17 TO 21 DAYS", "IN 22 TO 28 DAYS", "AFTER 28 DAYS")
SEEN_COUNTS: Columns = (
    ("total", "TOTAL"),
    ("within", "WITHIN 14 DAYS"),
    *((f"out{i}", band) for i, band in enumerate(SEEN_BANDS)),
)
SEEN_SUMS: Sums = (("total", ("within", *(f"out{i}" for i in range(len(SEEN_BANDS))))),)

FDS_ROUTES = (
    ("all", "ALL ROUTES"),
    ("usc", "URGENT SUSPECTED CANCER"),
    ("breast_symptomatic", "BREAST SYMPTOMATIC, CANCER NOT SUSPECTED"),
    ("screening", "NATIONAL SCREENING PROGRAMME"),
)
STAGES = (("all", "ALL STAGES"), ("first", "First Treatment"), ("sub", "Subsequent Treatment"))
ROUTES = (("all", "ALL ROUTES"), *cancer.ROUTES.items())
TREATED = cancer.spellings("cancer_type", cancer.TREATED)
SUSPECTED = cancer.spellings("cancer_type", cancer.SUSPECTED)
MODALITIES = cancer.spellings("modality")


def _expected(names: dict[str, str], what: str) -> str:
    return f"expected {ALL_CANCERS} or {what} ({', '.join(names.values())})"


def _sheet(name: str) -> str:
    return f"CWT commissioner sheet {name} saved as CSV"


FDS = Layout(
    description=_sheet("28-DAY FDS (ALL ROUTES)"),
    columns=(*ORG, ("section", "REFERRAL ROUTE"), *FDS_COUNTS),
    sections=(("all", "ALL ROUTES"),),
    row_sums=FDS_SUMS,
)
FDS_BY_ROUTE = Layout(
    description=_sheet("28-DAY FDS (BY ROUTE)"),
    columns=(
        *ORG,
        ("section", "REFERRAL ROUTE"),
        ("part", "SUSPECTED CANCER OR BREAST SYMPTOMATIC"),
        *FDS_COUNTS,
    ),
    sections=FDS_ROUTES,
    row_sums=FDS_SUMS,
    parts=SUSPECTED,
    part_expected=_expected(
        {k: cancer.TYPES[k] for k in cancer.SUSPECTED}, "a suspected cancer type"
    ),
    part_name="suspected cancer type",
)
D31 = Layout(
    description=_sheet("31-DAY (ALL CANCER) or 31-DAY (BY CANCER)"),
    columns=(*ORG, ("section", "TREATMENT STAGE"), ("part", "CANCER TYPE"), *D31_COUNTS),
    sections=STAGES,
    row_sums=D31_SUMS,
    parts=TREATED,
    part_expected=_expected({k: cancer.TYPES[k] for k in cancer.TREATED}, "a cancer type"),
)
D31_MODALITY = Layout(
    description=_sheet("31-DAY (BY TREATMENT MODALITY)"),
    columns=(
        *ORG,
        ("section", "TREATMENT STAGE"),
        ("part", "TREATMENT MODALITY"),
        *D31_COUNTS,
    ),
    sections=STAGES,
    row_sums=D31_SUMS,
    parts=MODALITIES,
    part_expected=_expected(cancer.MODALITIES, "a treatment modality"),
    part_name="treatment modality",
)
D62 = Layout(
    description=_sheet("62-DAY (ALL CANCER) or 62-DAY (BY CANCER)"),
    columns=(*ORG, ("section", "REFERRAL ROUTE"), ("part", "CANCER TYPE"), *D62_COUNTS),
    sections=ROUTES,
    row_sums=D62_SUMS,
    parts=TREATED,
    part_expected=_expected({k: cancer.TYPES[k] for k in cancer.TREATED}, "a cancer type"),
)
D62_MODALITY = Layout(
    description=_sheet("62-DAY (BY TREATMENT MODALITY)"),
    columns=(*ORG, ("section", "REFERRAL ROUTE"), ("part", "TREATMENT MODALITY"), *D62_COUNTS),
    sections=ROUTES,
    row_sums=D62_SUMS,
    parts=MODALITIES,
    part_expected=_expected(cancer.MODALITIES, "a treatment modality"),
    part_name="treatment modality",
)
USC_FOA = Layout(
    description=_sheet("USC referral to FOA"),
    columns=(*ORG, ("part", "SUSPECTED TYPE OF CANCER"), *SEEN_COUNTS),
    sections=(("all", "USC referral to FOA"),),
    row_sums=SEEN_SUMS,
    parts=SUSPECTED,
    part_expected=_expected(
        {k: cancer.TYPES[k] for k in cancer.SUSPECTED}, "a suspected cancer type"
    ),
    part_name="suspected cancer type",
)
BREAST_SYMPTOMS = {cancer.normal(cancer.TYPES["breast_symptoms"]): "breast_symptoms"}
UBS_FHA = Layout(
    description=_sheet("UBS referral to FHA"),
    columns=(*ORG, ("part", "REFERRAL REASON"), *SEEN_COUNTS),
    sections=(("all", "UBS referral to FHA"),),
    row_sums=SEEN_SUMS,
    parts=BREAST_SYMPTOMS,
    part_expected=f"expected '{cancer.TYPES['breast_symptoms']}'",
    part_name="referral reason",
)
