"""Cancer waiting times parts: cancer type, referral route and treatment modality.

Keys are short stable names; names as NHS England's commissioner workbooks print them (from
October 2023), without their footnote markers (`Other (a)` is `Other`). `key` maps each
era's published wording to these keys, case and spacing aside:

* cancer types: the 31-day and 62-day sheets' thirteen treated cancer types (also the provider
  extract's, with or without `(a)`); the 28-day FDS and urgent suspected cancer referral
  sheets' suspected cancer types and referral reasons (`Suspected lung cancer`, `Exhibited
  (non-cancer) breast symptoms - cancer not initially suspected`, `Missing or Invalid`),
  which the two-week wait sheets before October 2023 spelt the same (in capitals in the
  quarterly provider workbook's totals). Before October 2023 the treated cancer types were
  grouped differently (`Urological (Excluding Testicular)`, one `Upper Gastrointestinal`,
  the 31-day rarer cancers): different parts, not mapped to these keys;
* routes: the 62-day sheets' four (`Urgent Suspected Cancer`, `Breast Symptomatic`,
  `Screening`, `Consultant Upgrade`), the 28-day FDS sheets' three in their own words
  (`URGENT SUSPECTED CANCER`, `BREAST SYMPTOMATIC, CANCER NOT SUSPECTED`, `NATIONAL SCREENING
  PROGRAMME`), and before October 2023 the 62-day sheets' routes by sheet (the urgent GP
  referral, `CONSULTANT UPGRADE`, `SCREENING`);
* modalities: `Surgery`, `Anti-cancer drug regimen`, `Radiotherapy`, `Other` (from October
  2023), and the 31-day subsequent treatment sheets' `SURGERY`, `DRUGS`, `RADIOTHERAPY`
  before it (the quarterly workbooks': `ANTI-CANCER DRUG REGIMEN`). Before October 2023 no
  `Other` modality was published.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# Treated cancer types (31-day and 62-day sheets), then suspected types and referral reasons
# (28-day FDS by route; urgent suspected cancer referral to first appointment).
TYPES: dict[str, str] = {
    "breast": "Breast",
    "gynae": "Gynaecological",
    "haem_lymphoma": "Haematological - Lymphoma",
    "haem_other": "Haematological - Other",
    "head_neck": "Head & Neck",
    "lower_gi": "Lower Gastrointestinal",
    "lung": "Lung",
    "other": "Other",
    "skin": "Skin",
    "upper_gi_hpb": "Upper Gastrointestinal - Hepatobiliary",
    "upper_gi_og": "Upper Gastrointestinal - Oesophagus & Stomach",
    "urology_other": "Urological - Other",
    "urology_prostate": "Urological - Prostate",
    "suspected_acute_leukaemia": "Suspected acute leukaemia",
    "suspected_brain_cns": "Suspected brain/central nervous system tumours",
    "suspected_breast": "Suspected breast cancer",
    "suspected_non_specific": "Suspected cancer - non-specific symptoms",
    "suspected_childrens": "Suspected children's cancer",
    "suspected_gynae": "Suspected gynaecological cancer",
    "suspected_haem": "Suspected haematological malignancies (excluding acute leukaemia)",
    "suspected_head_neck": "Suspected head & neck cancer",
    "suspected_lower_gi": "Suspected lower gastrointestinal cancer",
    "suspected_lung": "Suspected lung cancer",
    "suspected_other": "Suspected other cancer",
    "suspected_sarcoma": "Suspected sarcoma",
    "suspected_skin": "Suspected skin cancer",
    "suspected_testicular": "Suspected testicular cancer",
    "suspected_upper_gi": "Suspected upper gastrointestinal cancer",
    "suspected_urology": "Suspected urological malignancies (excluding testicular)",
    "breast_symptoms": "Exhibited (non-cancer) breast symptoms - cancer not initially suspected",
    "missing": "Missing or Invalid",
}
TREATED = tuple(list(TYPES)[:13])  # the cancer types of the 31-day and 62-day sheets
SUSPECTED = tuple(k for k in TYPES if k not in TREATED)  # FDS and first-appointment sheets
ROUTES: dict[str, str] = {
    "usc": "Urgent Suspected Cancer",
    "breast_symptomatic": "Breast Symptomatic",
    "screening": "Screening",
    "upgrade": "Consultant Upgrade",
}
MODALITIES: dict[str, str] = {
    "surgery": "Surgery",
    "drug": "Anti-cancer drug regimen",
    "radio": "Radiotherapy",
    "other": "Other",
}
# Other published wordings of the same parts (the names above are accepted as they are).
ROUTE_SPELLINGS = {
    "URGENT SUSPECTED CANCER": "usc",
    "BREAST SYMPTOMATIC, CANCER NOT SUSPECTED": "breast_symptomatic",
    "NATIONAL SCREENING PROGRAMME": "screening",
    "URGENT SCREENING": "screening",
}
MODALITY_SPELLINGS = {"DRUGS": "drug", "ANTI-CANCER DRUG REGIMEN": "drug"}
_FOOTNOTE = re.compile(r"\s*\([a-z]\)$")  # `Other (a)`; never `(excluding testicular)`


def normal(text: str) -> str:
    """Published wording compared without case, runs of spaces or a footnote marker."""
    return _FOOTNOTE.sub("", " ".join(text.split())).casefold()


def _lookup(names: Mapping[str, str], spellings: Mapping[str, str]) -> dict[str, str]:
    return {normal(n): k for k, n in names.items()} | {normal(s): k for s, k in spellings.items()}


_KEYS = {
    "cancer_type": _lookup(TYPES, {}),
    "route": _lookup(ROUTES, ROUTE_SPELLINGS),
    "modality": _lookup(MODALITIES, MODALITY_SPELLINGS),
}


def key(dimension: str, text: str) -> str | None:
    """The key of a published part name (`Other (a)`, `DRUGS`, `NATIONAL SCREENING
    PROGRAMME`) in `dimension` (cancer_type, route or modality); None when it names none."""
    return _KEYS[dimension].get(normal(text))


def spellings(dimension: str, keys: tuple[str, ...] | None = None) -> dict[str, str]:
    """Every accepted wording (normalised) of the dimension's parts, or of `keys`, by key."""
    return {s: k for s, k in _KEYS[dimension].items() if keys is None or k in keys}
