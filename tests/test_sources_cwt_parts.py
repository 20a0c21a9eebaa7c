"""The cancer workbook's breakdown and first-appointment sheets, on small sheets written here in
the published layouts (scorecard/sources/cwt/parts.py).

Every expected value is a cell written by the test or a hand sum of them; every bad file must
fail with one line naming the file, the column, the row and what was expected.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

import polars as pl
import pytest

from scorecard.errors import SourceError
from scorecard.sources import detect_format, read_extract
from scorecard.sources.base import Extract
from scorecard.store import Store

ORG = "ODS CODE (1),INTEGRATED CARE BOARD (ICB)/COMMISSIONING HUB"
FDS = "TOTAL,WITHIN 28 DAYS,AFTER 28 DAYS,TOLD WITHIN 28 DAYS,WITHIN 14 DAYS,IN 15 TO 28 DAYS,"
FDS += "IN 29 TO 42 DAYS,IN 43 TO 62 DAYS,AFTER 62 DAYS"
D31 = "TOTAL,WITHIN 31 DAYS,AFTER 31 DAYS,TREATED WITHIN 31 DAYS,WITHIN 31 DAYS ,"
D31 += "IN 32 TO 38 DAYS,IN 39 TO 48 DAYS,IN 49 TO 62 DAYS,AFTER 62 DAYS"
D62 = "TOTAL,WITHIN 62 DAYS,AFTER 62 DAYS,TREATED WITHIN 62 DAYS,WITHIN 31 DAYS,"
D62 += "IN 32 TO 38 DAYS,IN 39 TO 48 DAYS,IN 49 TO 62 DAYS,IN 63 TO 76 DAYS,IN 77 TO 90 DAYS,"
D62 += "IN 91 TO 104 DAYS,AFTER 104 DAYS"
SEEN = "TOTAL,WITHIN 14 DAYS,IN 15 TO 16 DAYS,IN 17 TO 21 DAYS,IN 22 TO 28 DAYS,AFTER 28 DAYS"
H_FDS_ROUTE = f"{ORG},REFERRAL ROUTE,SUSPECTED CANCER OR BREAST SYMPTOMATIC (2),{FDS}"
H_31_CANCER = f"{ORG},TREATMENT STAGE,CANCER TYPE (3),{D31}"
H_31_MODALITY = f"{ORG},TREATMENT STAGE,TREATMENT MODALITY (4),{D31}"
H_62_MODALITY = f"{ORG},REFERRAL ROUTE,TREATMENT MODALITY (4),{D62}"
H_FOA = f"{ORG},SUSPECTED TYPE OF CANCER,{SEEN}"
H_FHA = f"{ORG},REFERRAL REASON,{SEEN}"
NAMES = {"QAA": "NHS ALPHA INTEGRATED CARE BOARD", "QBB": "NHS BETA INTEGRATED CARE BOARD"}
USC, SCREEN = "URGENT SUSPECTED CANCER", "NATIONAL SCREENING PROGRAMME"
SYMPTOMS = "Exhibited (non-cancer) breast symptoms - cancer not initially suspected"
Groups = Mapping[tuple[str, ...], Mapping[str, tuple[float, float]]]
FDS_ROUTE: Groups = {
    (USC, "Suspected lung cancer"): {"QAA": (10, 8), "QBB": (4, 3)},
    (USC, "Suspected skin cancer"): {"QAA": (20.5, 18.5)},
    (SCREEN, "Suspected lung cancer"): {"QBB": (2, 1)},
    ("BREAST SYMPTOMATIC, CANCER NOT SUSPECTED", SYMPTOMS): {"QAA": (5, 5)},
}
MODALITY_31: Groups = {
    ("ALL STAGES", "Surgery"): {"QAA": (9, 7), "QBB": (3, 3)},
    ("ALL STAGES", "Other"): {"QAA": (2, 2)},
    ("First Treatment", "Surgery"): {"QAA": (6, 5), "QBB": (3, 3)},
    ("Subsequent Treatment", "Surgery"): {"QAA": (3, 2)},
    ("Subsequent Treatment", "Other"): {"QAA": (2, 2)},
}
FOA: Groups = {
    ("Suspected lung cancer",): {"QAA": (30, 25), "QBB": (7, 7)},
    ("Suspected skin cancer",): {"QAA": (12.5, 10)},
}


def _text(cells: Sequence[object]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(
        [f"{c:.15g}" if isinstance(c, float) else c for c in cells]
    )
    return out.getvalue()


def _counts(header: str, t: float, w: float) -> list[float]:
    """The row's counts: those within in the first band, the rest in the first band after."""
    if header.endswith(SEEN):
        return [t, w, 0.0, 0.0, 0.0, t - w]
    bands = {FDS: (2, 3), D31: (1, 4), D62: (4, 4)}
    n_in, n_out = next(v for k, v in bands.items() if header.endswith(k))
    return [t, w, t - w, w / t, w, *[0.0] * (n_in - 1), t - w, *[0.0] * (n_out - 1)]


def _sheet(header: str, groups: Groups) -> list[str]:
    lines = [header]
    for labels, orgs in groups.items():
        for code, (t, w) in orgs.items():
            lines.append(_text([code, NAMES[code], *labels, *_counts(header, float(t), w)]))
        t = sum(c[0] for c in orgs.values())
        w = sum(c[1] for c in orgs.values())
        lines.append(_text(["", "ALL ENGLISH COMMISSIONERS", *labels, *_counts(header, t, w)]))
    return lines


def _write(tmp_path: Path, lines: list[str], sheet: str) -> Path:
    path = tmp_path / f"CWT-Commissioner-2024-07_{sheet}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _set(lines: list[str], row: int, column: int, value: str) -> list[str]:
    cells = next(csv.reader([lines[row - 1]]))
    cells[column] = value
    return [*lines[: row - 1], _text(cells), *lines[row:]]


def _error(path: Path) -> SourceError:
    with pytest.raises(SourceError) as info:
        read_extract(path)
    assert "\n" not in str(info.value)
    assert info.value.file == path.name
    return info.value


def _parts(ex: Extract, org: str, measure: str, dimension: str) -> dict[str, float]:
    assert ex.breakdowns is not None
    sel = ex.breakdowns.filter(
        (pl.col("org_code") == org)
        & (pl.col("measure") == measure)
        & (pl.col("dimension") == dimension)
    )
    return dict(zip(sel["breakdown"], sel["value"], strict=True))


def _value(ex: Extract, org: str, measure: str) -> float:
    sel = ex.observations.filter((pl.col("org_code") == org) & (pl.col("measure") == measure))
    assert sel.height == 1, (org, measure)
    return float(sel["value"][0])


def test_each_header_is_its_own_layout() -> None:
    for header, name in (
        (H_FDS_ROUTE, "cwt_fds_route_sheet"),
        (H_31_CANCER, "cwt_31d_sheet"),
        (H_31_MODALITY, "cwt_31d_modality_sheet"),
        (H_62_MODALITY, "cwt_62d_modality_sheet"),
        (H_FOA, "cwt_usc_foa_sheet"),
        (H_FHA, "cwt_ubs_fha_sheet"),
    ):
        assert detect_format("x.csv", (header + "\n").encode()).name == name, header


def test_fds_by_route_is_stored_by_route_and_by_suspected_type(tmp_path: Path) -> None:
    ex = read_extract(_write(tmp_path, _sheet(H_FDS_ROUTE, FDS_ROUTE), "28-DAY-FDS-BY-ROUTE"))
    assert (ex.format, ex.scope, ex.observations.height) == ("cwt_fds_route_sheet", "fds_route", 0)
    assert sorted(ex.orgs["org_code"]) == ["QAA", "QBB"]
    route = _parts(ex, "QAA", "cwt_fds_told", "route")
    assert route == {"usc": 30.5, "breast_symptomatic": 5.0}  # no route totals: rows added
    types = _parts(ex, "QBB", "cwt_fds_told_within_28d", "cancer_type")
    assert types == {"suspected_lung": 4.0}  # over its two routes: 3 + 1
    assert _parts(ex, "QAA", "cwt_fds_told", "cancer_type")["breast_symptoms"] == 5.0


def test_an_unknown_suspected_cancer_type_is_refused(tmp_path: Path) -> None:
    lines = _set(_sheet(H_FDS_ROUTE, FDS_ROUTE), 2, 3, "Suspected lungs cancer")
    err = _error(_write(tmp_path, lines, "28-DAY-FDS-BY-ROUTE"))
    assert (err.column, err.row) == ("SUSPECTED CANCER OR BREAST SYMPTOMATIC", 2)
    assert "'Suspected lungs cancer'" in err.problem and "Suspected sarcoma" in err.problem


def test_a_national_row_of_one_type_that_does_not_add_up_is_refused(tmp_path: Path) -> None:
    lines = _set(_sheet(H_FDS_ROUTE, FDS_ROUTE), 4, 4, "15")  # one more, told late: was 14
    lines = _set(_set(lines, 4, 6, "4"), 4, 10, "4")  # AFTER 28 DAYS and its band agree
    err = _error(_write(tmp_path, lines, "28-DAY-FDS-BY-ROUTE"))
    assert (err.column, err.row) == ("TOTAL", 4)
    assert "says 15 but the commissioner rows of its section add up to 14" in err.problem


def test_a_missing_national_row_names_its_route_and_type(tmp_path: Path) -> None:
    lines = _sheet(H_FDS_ROUTE, FDS_ROUTE)
    err = _error(_write(tmp_path, lines[:-1], "28-DAY-FDS-BY-ROUTE"))
    assert err.row == len(lines) - 1
    assert f"(BREAST SYMPTOMATIC, CANCER NOT SUSPECTED, {SYMPTOMS})" in err.problem


def test_31_day_modality_sheet_drill_downs_and_retired_measures(tmp_path: Path) -> None:
    path = _write(tmp_path, _sheet(H_31_MODALITY, MODALITY_31), "31-DAY-BY-TREATMENT-MODALITY")
    ex = read_extract(path)
    assert (ex.format, ex.scope) == ("cwt_31d_modality_sheet", "31d_modality")
    assert _parts(ex, "QAA", "cwt_31d_treated", "modality") == {"surgery": 9.0, "other": 2.0}
    assert _parts(ex, "QAA", "cwt_31d_sub_within_31d", "modality") == {"surgery": 2.0, "other": 2.0}
    assert _parts(ex, "QBB", "cwt_31d_first_treated", "modality") == {"surgery": 3.0}
    assert _value(ex, "QAA", "cwt_31d_sub_surgery_treated") == 3.0
    assert _value(ex, "QAA", "cwt_31d_sub_surgery_within_31d") == 2.0
    assert _value(ex, "QBB", "cwt_31d_sub_radio_treated") == 0.0  # no row: nobody
    assert "cwt_31d_sub_other_treated" not in set(ex.observations["measure"])


def test_stages_that_do_not_add_up_for_a_modality_are_refused(tmp_path: Path) -> None:
    groups = dict(MODALITY_31)
    groups[("ALL STAGES", "Surgery")] = {"QAA": (10, 8), "QBB": (3, 3)}  # 6 + 3 is 9, not 10
    path = _write(tmp_path, _sheet(H_31_MODALITY, groups), "31-DAY-BY-TREATMENT-MODALITY")
    err = _error(path)
    assert (err.column, err.row) == ("TOTAL", 2)
    assert "ALL STAGES section says 10 for QAA but its other sections add up to 9" in err.problem


def test_62_day_modality_sheet_by_route(tmp_path: Path) -> None:
    groups: Groups = {
        ("ALL ROUTES", "Radiotherapy"): {"QAA": (4, 1)},
        ("Urgent Suspected Cancer", "Radiotherapy"): {"QAA": (3, 1)},
        ("Consultant Upgrade", "Radiotherapy"): {"QAA": (1, 0)},
    }
    ex = read_extract(_write(tmp_path, _sheet(H_62_MODALITY, groups), "62-DAY-BY-MODALITY"))
    assert (ex.format, ex.scope, ex.observations.height) == (
        "cwt_62d_modality_sheet", "62d_modality", 0,
    )  # fmt: skip
    assert _parts(ex, "QAA", "cwt_62d_treated", "modality") == {"radio": 4.0}
    assert _parts(ex, "QAA", "cwt_62d_upgrade_treated", "modality") == {"radio": 1.0}
    assert _parts(ex, "QAA", "cwt_62d_usc_within_62d", "modality") == {"radio": 1.0}


def test_31_day_by_cancer_footnoted_types_are_one_part(tmp_path: Path) -> None:
    groups: Groups = {
        ("ALL STAGES", "Other (a)"): {"QAA": (2, 2)},
        ("ALL STAGES", "Urological - Prostate"): {"QAA": (5, 4)},
        ("First Treatment", "Other (a)"): {"QAA": (2, 2)},
        ("First Treatment", "Urological - Prostate"): {"QAA": (5, 4)},
    }
    ex = read_extract(_write(tmp_path, _sheet(H_31_CANCER, groups), "31-DAY-BY-CANCER"))
    assert (ex.scope, ex.observations.height) == ("31d_cancer", 0)
    assert _parts(ex, "QAA", "cwt_31d_first_treated", "cancer_type") == {
        "other": 2.0, "urology_prostate": 5.0,
    }  # fmt: skip


def test_first_appointment_sheet_adds_up_each_commissioners_rows(tmp_path: Path) -> None:
    ex = read_extract(_write(tmp_path, _sheet(H_FOA, FOA), "USC-referral-to-FOA"))
    assert (ex.format, ex.scope) == ("cwt_usc_foa_sheet", "usc_foa")
    assert _value(ex, "QAA", "cwt_usc_foa_seen") == 42.5  # no all-types row: 30 + 12.5
    assert _value(ex, "QAA", "cwt_usc_foa_within_14d") == 35.0
    assert _value(ex, "QBB", "cwt_usc_foa_seen") == 7.0
    assert _parts(ex, "QAA", "cwt_usc_foa_seen", "cancer_type") == {
        "suspected_lung": 30.0, "suspected_skin": 12.5,
    }  # fmt: skip


def test_first_appointment_bands_must_add_up(tmp_path: Path) -> None:
    lines = _set(_sheet(H_FOA, FOA), 2, 4, "26")  # WITHIN 14 DAYS, the total left at 30
    err = _error(_write(tmp_path, lines, "USC-referral-to-FOA"))
    assert (err.column, err.row) == ("TOTAL", 2)
    assert err.problem.startswith("30 is not the sum of 'WITHIN 14 DAYS', 'IN 15 TO 16 DAYS'")


def test_breast_symptomatic_first_assessment(tmp_path: Path) -> None:
    groups: Groups = {(SYMPTOMS,): {"QAA": (313, 224), "QBB": (9, 4)}}
    ex = read_extract(_write(tmp_path, _sheet(H_FHA, groups), "UBS-referral-to-FHA"))
    assert (ex.format, ex.scope, ex.breakdowns) == ("cwt_ubs_fha_sheet", "ubs_fha", None)
    assert _value(ex, "QAA", "cwt_ubs_fha_seen") == 313.0
    assert _value(ex, "QBB", "cwt_ubs_fha_within_14d") == 4.0
    other = _set(_sheet(H_FHA, groups), 3, 2, "Suspected breast cancer")
    err = _error(_write(tmp_path, other, "UBS-referral-to-FHA"))
    assert (err.column, err.row) == ("REFERRAL REASON", 3)
    assert SYMPTOMS in err.problem


def test_a_sheet_of_drill_downs_only_is_stored_and_read_back(tmp_path: Path) -> None:
    path = _write(tmp_path, _sheet(H_FDS_ROUTE, FDS_ROUTE), "28-DAY-FDS-BY-ROUTE")
    with Store.open(tmp_path / "cwt.duckdb") as store:
        (result,) = store.ingest([read_extract(path)])
        assert result.action == "stored" and result.things == "drill-down values"
        assert result.rows == 16  # 2 measures x (QAA: 2 routes + 3 types; QBB: 2 + 1)
        rows = store.con.execute(
            "SELECT org_code, breakdown, value FROM current_breakdowns "
            "WHERE measure = 'cwt_fds_told' AND dimension = 'route' ORDER BY 1, 2"
        ).fetchall()
        assert rows == [
            ("QAA", "breast_symptomatic", 5.0), ("QAA", "usc", 30.5),
            ("QBB", "screening", 2.0), ("QBB", "usc", 4.0),
        ]  # fmt: skip
        (again,) = store.ingest([read_extract(path)])
        assert again.action == "unchanged"
