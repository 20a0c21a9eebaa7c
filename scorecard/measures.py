"""The canonical measures each dataset stores, by name.

Source adapters map published columns to these;
indicator formulas are written in them. Pure data."""

from __future__ import annotations

import re
from types import MappingProxyType

# Local measures (the organisation's own returns: infections, finance, Friends & Family...)
# have no fixed list: each local indicator's figures are stored as `<indicator>_value`,
# `<indicator>_numerator`, `<indicator>_denominator` and `<indicator>_plan`.
LOCAL = "local"
LOCAL_PARTS = ("value", "numerator", "denominator", "plan")
LOCAL_MEASURE = re.compile(rf"^[a-z][a-z0-9_]*_({'|'.join(LOCAL_PARTS)})$")

_AE = {
    "ae_att_type1": "A&E attendances, type 1 (major A&E), booked appointments included",
    "ae_att_type2": "A&E attendances, type 2 (single specialty), booked appointments included",
    "ae_att_other": "A&E attendances, other departments (type 3/4: UTC, MIU, WIC), booked included",
    "ae_over4h_type1": "Attendances over 4 hours, type 1, booked appointments included",
    "ae_over4h_type2": "Attendances over 4 hours, type 2, booked appointments included",
    "ae_over4h_other": "Attendances over 4 hours, other departments, booked appointments included",
    "ae_att_booked_type1": "Booked-appointment attendances, type 1 (official CSV only)",
    "ae_att_booked_type2": "Booked-appointment attendances, type 2 (official CSV only)",
    "ae_att_booked_other": "Booked-appointment attendances, other departments (official CSV only)",
    "ae_over4h_booked_type1": "Booked attendances over 4 hours, type 1 (official CSV only)",
    "ae_over4h_booked_type2": "Booked attendances over 4 hours, type 2 (official CSV only)",
    "ae_over4h_booked_other": "Booked attendances over 4 hours, other (official CSV only)",
    "ae_dta_over4h": "Patients waiting over 4 hours from decision to admit to admission",
    "ae_dta_over12h": "Patients waiting over 12 hours from decision to admit to admission",
    "ae_emadm_type1": "Emergency admissions via type 1 A&E",
    "ae_emadm_type2": "Emergency admissions via type 2 A&E",
    "ae_emadm_other": "Emergency admissions via other A&E departments",
    "ae_emadm_not_ae": "Other emergency admissions (not via A&E)",
}

_DM01 = {
    "dm01_waiting_list": "Patients waiting for a diagnostic test at month end",
    "dm01_waiting_6wk_plus": "Of those, waiting 6 weeks or more",
    "dm01_waiting_13wk_plus": "Of those, waiting 13 weeks or more",
    "dm01_activity_waiting_list": "Tests done in the month from the waiting list (excl. planned)",
    "dm01_activity_planned": "Planned tests done in the month",
    "dm01_activity_unscheduled": "Unscheduled tests done in the month",
}

_AMBSYS = {
    **{
        f"amb_c{c}_total_s": f"Category {c}: total response time of incidents, seconds"
        for c in range(1, 5)
    },
    **{f"amb_c{c}_count": f"Category {c}: incidents with a response" for c in range(1, 5)},
    **{
        f"amb_c{c}_p90_s": f"Category {c}: 90th centile response time, seconds (as published)"
        for c in range(1, 5)
    },
    "amb_c1t_total_s": "Category 1T (life-threatening, transported): total response time, s",
    "amb_c1t_count": "Category 1T: incidents with a transporting response",
    "amb_c1t_p90_s": "Category 1T: 90th centile response time, seconds (as published)",
    "amb_incidents": "All incidents (AmbSYS A7)",
    "amb_calls_answered": "Calls answered (AmbSYS A1)",
    "amb_call_answer_total_s": "Calls answered: total time to answer, seconds (AmbSYS A2)",
    "amb_call_answer_p90_s": "Call answer time, 90th centile, seconds (AmbSYS A114, as published)",
    "amb_hear_treat": "Incidents resolved without a face-to-face response: hear and treat (A17)",
    "amb_see_treat": "Incidents attended, patient not conveyed: see and treat (AmbSYS A55)",
    "amb_conveyed_ed": "Incidents with a patient conveyed to an emergency department (AmbSYS A53)",
    "amb_conveyed_non_ed": "Incidents with a patient conveyed elsewhere than an ED (AmbSYS A54)",
}

_RTT = {
    "rtt_incomplete_total": "Incomplete pathways (the RTT waiting list), all specialties",
    "rtt_incomplete_within_18wk": "Incomplete pathways waiting up to 18 weeks",
    "rtt_incomplete_over_52wk": "Incomplete pathways waiting over 52 weeks",
    "rtt_incomplete_over_65wk": "Incomplete pathways waiting over 65 weeks (104-week bands only)",
    "rtt_incomplete_over_78wk": "Incomplete pathways waiting over 78 weeks (104-week bands only)",
    "rtt_incomplete_over_104wk": "Incomplete pathways waiting over 104 weeks",
    "rtt_admitted_known": "Admitted completed pathways with a known clock start",
    "rtt_admitted_within_18wk": "Admitted completed pathways within 18 weeks",
    "rtt_nonadmitted_known": "Non-admitted completed pathways with a known clock start",
    "rtt_nonadmitted_within_18wk": "Non-admitted completed pathways within 18 weeks",
    "rtt_admitted_over_52wk": "Admitted completed pathways that had waited over 52 weeks",
    "rtt_nonadmitted_over_52wk": "Non-admitted completed pathways that had waited over 52 weeks",
    # Centiles of the incomplete pathways' waits (not additive): as NHS England publishes them
    # for England, or worked out from an organisation's weekly bands (scorecard.rtt_percentiles).
    "rtt_incomplete_median_wk": "Median wait of incomplete pathways, weeks (as published)",
    "rtt_incomplete_p92_wk": "92nd percentile wait of incomplete pathways, weeks (as published)",
}

# Cancer waiting times, commissioner basis (standards from October 2023). Counts can be
# halves (a treatment shared between two organisations counts 0.5 to each). The route and
# stage breakdowns re-derive the pre-October 2023 standards where the sheets allow; for months
# to September 2023 the same measures come from the retired standards' own sheets. Cancer
# type, route and modality are drill-downs (scorecard.dimensions) of these measures. Two
# parts are also measures, on purpose: the 62-day routes and the 31-day subsequent treatment
# modalities, which feed the retired standards' indicators (with their own sheets' history
# before October 2023, when no whole was published).
_CWT = {
    "cwt_fds_told": "28-day FDS: people told their diagnosis outcome, all routes",
    "cwt_fds_told_within_28d": "28-day FDS: of those, told within 28 days of referral",
    "cwt_31d_treated": "31 days: people treated (first or subsequent), all stages",
    "cwt_31d_within_31d": "31 days: of those, treated within 31 days of the decision to treat",
    "cwt_31d_first_treated": "31 days: people receiving a first treatment",
    "cwt_31d_first_within_31d": "31 days: first treatments within 31 days",
    "cwt_31d_sub_treated": "31 days: people receiving a subsequent treatment, all modalities",
    "cwt_31d_sub_within_31d": "31 days: subsequent treatments within 31 days",
    # Subsequent treatments by modality (no Other: it had no standard).
    **{
        f"cwt_31d_sub_{key}_{what}": f"31 days, subsequent treatment by {name}: {text}"
        for key, name in (
            ("surgery", "surgery"),
            ("drug", "anti-cancer drug regimen"),
            ("radio", "radiotherapy"),
        )
        for what, text in (("treated", "people treated"), ("within_31d", "treated within 31 days"))
    },
    "cwt_62d_treated": "62 days: people receiving a first treatment, all routes",
    "cwt_62d_within_62d": "62 days: of those, treated within 62 days of referral",
    **{
        f"cwt_62d_{key}_{what}": f"62 days, {route} route: {text}"
        for key, route in (
            ("usc", "urgent suspected cancer"),
            ("breast_symptomatic", "breast symptomatic"),
            ("screening", "national screening programme"),
            ("upgrade", "consultant upgrade"),
        )
        for what, text in (("treated", "people treated"), ("within_62d", "treated within 62 days"))
    },
    # From the pre-October 2023 workbook's TWO WEEK WAIT sheets (standards retired then).
    "cwt_2ww_seen": "Two-week wait: people seen by a specialist after an urgent GP referral",
    "cwt_2ww_within_14d": "Two-week wait: of those, seen within 14 days of referral",
    "cwt_2ww_breast_seen": "Two-week wait, breast symptoms (cancer not suspected): people seen",
    "cwt_2ww_breast_within_14d": "Two-week wait, breast symptoms: of those, seen within 14 days",
    # From October 2023: the USC referral to FOA and UBS referral to FHA sheets.
    "cwt_usc_foa_seen": "Urgent suspected cancer referrals seen at a first outpatient attendance",
    "cwt_usc_foa_within_14d": "Of those, seen within 14 days of the referral",
    "cwt_ubs_fha_seen": "Urgent breast symptomatic referrals seen at a first hospital assessment",
    "cwt_ubs_fha_within_14d": "Of those, seen within 14 days of the referral",
}

# Measures that cannot be added up over organisations or months (a centile, a median or a
# published mean): an indicator reading one has rollup = "published" and over_time = "none",
# so each level shows the figure published for it, or none.
NON_ADDITIVE: frozenset[str] = frozenset(
    {
        *(f"amb_c{c}_p90_s" for c in range(1, 5)),
        "amb_c1t_p90_s",
        "amb_call_answer_p90_s",
        "rtt_incomplete_median_wk",
        "rtt_incomplete_p92_wk",
    }
)

MEASURES: MappingProxyType[str, MappingProxyType[str, str]] = MappingProxyType(
    {
        "ae": MappingProxyType(_AE),
        "dm01": MappingProxyType(_DM01),
        "ambsys": MappingProxyType(_AMBSYS),
        "rtt": MappingProxyType(_RTT),
        "cwt": MappingProxyType(_CWT),
        LOCAL: MappingProxyType({}),
    }
)

DATASET_TITLES: MappingProxyType[str, str] = MappingProxyType(
    {
        "ae": "NHS England, A&E Attendances and Emergency Admissions (monthly)",
        "dm01": "NHS England, Diagnostics Waiting Times and Activity (DM01, monthly)",
        "ambsys": "NHS England, Ambulance Quality Indicators: AmbSYS (monthly)",
        "rtt": "NHS England, Referral to Treatment waiting times (monthly)",
        "cwt": "NHS England, Cancer Waiting Times (monthly)",
        LOCAL: "Local measures (the organisation's own returns)",
    }
)
