"""Pre-October 2023 cancer waiting times sheets on small CSVs written here in their layouts.

Every expected value is a cell written by the test; every bad file must fail with one line
naming the file, the column, the row and what was expected.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

import polars as pl
import pytest

from scorecard.errors import SourceError
from scorecard.measures import MEASURES
from scorecard.sources import detect_format, read_extract
from scorecard.sources.base import Extract
from scorecard.sources.cwt.legacy import BREAST
from scorecard.store import Store

ORG = "ODS CODE,INTEGRATED CARE BOARD (ICB)/COMMISSIONING HUB"
H_2WW = f"{ORG},SUSPECTED TYPE OF CANCER,TOTAL,WITHIN 14 DAYS,AFTER 14 DAYS,SEEN WITHIN 14 DAYS"
H_31 = f"{ORG},CARE SETTING,CANCER TYPE,TOTAL,WITHIN 31 DAYS,AFTER 31 DAYS,TREATED WITHIN 31 DAYS"
H_SUB = H_31.replace("CANCER TYPE", "TREATMENT TYPE")
H_62 = H_31.replace("31", "62")
H_FDS = f"{ORG},REFERRAL ROUTE,TOTAL,WITHIN 28 DAYS,AFTER 28 DAYS,TOLD WITHIN 28 DAYS"
NAMES = {
    "QAA": "NHS ALPHA, BETA AND GAMMA INTEGRATED CARE BOARD",
    "QBB": "NHS DELTA INTEGRATED CARE BOARD",
    "UNKNOWN": "UNKNOWN",
}
ALL_CARE = ["ALL CARE", "ALL CANCERS"]
ORGS: Mapping[str, tuple[float, float]] = {"QAA": (12.5, 8.5), "QBB": (20, 15), "UNKNOWN": (3, 2)}
TOTAL = 3  # 0-based position of TOTAL in a two-week-wait or FDS row (4 with CARE SETTING)


def _text(cells: Sequence[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def _line(ids: Sequence[str], t: float, w: float) -> str:
    return _text([*ids, f"{t:g}", f"{w:g}", f"{t - w:g}", f"{w / t:.15g}"])


def _sheet(
    header: str,
    labels: Sequence[str],
    orgs: Mapping[str, tuple[float, float]] = ORGS,
    national: bool = False,
) -> list[str]:
    lines = [header, *(_line([c, NAMES[c], *labels], *tw) for c, tw in orgs.items())]
    if national:
        t, w = sum(v[0] for v in orgs.values()), sum(v[1] for v in orgs.values())
        lines.append(_line(["", "ALL ENGLISH COMMISSIONERS", *labels], t, w))
    return lines


def _write(tmp_path: Path, lines: Sequence[str], sheet: str) -> Path:
    path = tmp_path / f"CWT-Commissioner-2023-07_{sheet}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _set(lines: list[str], row: int, column: int, value: str) -> list[str]:
    """`lines` with one cell changed in file row `row` (the header is row 1)."""
    cells = next(csv.reader([lines[row - 1]]))
    cells[column] = value
    return [*lines[: row - 1], _text(cells), *lines[row:]]


def _error(path: Path, period: str | None = None) -> SourceError:
    with pytest.raises(SourceError) as info:
        read_extract(path, period)
    assert "\n" not in str(info.value)
    assert info.value.file == path.name
    return info.value


def _value(ex: Extract, org: str, measure: str) -> float:
    sel = ex.observations.filter((pl.col("org_code") == org) & (pl.col("measure") == measure))
    assert sel.height == 1, (org, measure)
    return float(sel["value"][0])


# One file per sheet of the July 2023 workbook: (file-name sheet, header, labels) -> (format,
# scope, (people, within) measures).
SHEETS = {
    ("TWO-WEEK-WAIT-ALL-CANCER", H_2WW, ("ALL SUSPECTED CANCER",)): (
        "cwt_legacy_2ww_sheet", "2ww", ("cwt_2ww_seen", "cwt_2ww_within_14d")),
    ("TWO-WEEK-WAIT-BREAST-SYMPTOMS", H_2WW, (BREAST,)): (
        "cwt_legacy_2ww_sheet", "2ww_breast",
        ("cwt_2ww_breast_seen", "cwt_2ww_breast_within_14d")),
    ("31-DAY-FIRST-TREAT-ALL-CANCER", H_31, ("ALL CARE", "ALL CANCERS")): (
        "cwt_legacy_31d_first_sheet", "31d_first",
        ("cwt_31d_first_treated", "cwt_31d_first_within_31d")),
    ("31-DAY-SUB-TREAT-SURGERY", H_SUB, ("ALL CARE", "SURGERY")): (
        "cwt_legacy_31d_sub_sheet", "31d_sub_surgery",
        ("cwt_31d_sub_surgery_treated", "cwt_31d_sub_surgery_within_31d")),
    ("31-DAY-SUB-TREAT-DRUGS", H_SUB, ("ALL CARE", "DRUGS")): (
        "cwt_legacy_31d_sub_sheet", "31d_sub_drug",
        ("cwt_31d_sub_drug_treated", "cwt_31d_sub_drug_within_31d")),
    ("31-DAY-SUB-TREAT-RADIOTHERAPY", H_SUB, ("ALL CARE", "RADIOTHERAPY")): (
        "cwt_legacy_31d_sub_sheet", "31d_sub_radio",
        ("cwt_31d_sub_radio_treated", "cwt_31d_sub_radio_within_31d")),
    ("62-DAY-ALL-CANCER", H_62, ("ALL CARE", "ALL CANCERS")): (
        "cwt_legacy_62d_sheet", "62d_usc", ("cwt_62d_usc_treated", "cwt_62d_usc_within_62d")),
    ("62-DAY-SCREENING", H_62, ("ALL CARE", "ALL CANCERS")): (
        "cwt_legacy_62d_sheet", "62d_screening",
        ("cwt_62d_screening_treated", "cwt_62d_screening_within_62d")),
    ("62-DAY-CONSULTANT-UPGRADE", H_62, ("ALL CARE", "ALL CANCERS")): (
        "cwt_legacy_62d_sheet", "62d_upgrade",
        ("cwt_62d_upgrade_treated", "cwt_62d_upgrade_within_62d")),
    ("28-DAY-FDS-ALL-ROUTES", H_FDS, ("ALL REFERRAL ROUTES",)): (
        "cwt_legacy_fds_sheet", "fds", ("cwt_fds_told", "cwt_fds_told_within_28d")),
}  # fmt: skip


@pytest.mark.parametrize(("sheet", "expected"), SHEETS.items(), ids=[k[0] for k in SHEETS])
def test_each_sheet_stores_its_own_measures_halves_exactly(
    tmp_path: Path,
    sheet: tuple[str, str, tuple[str, ...]],
    expected: tuple[str, str, tuple[str, str]],
) -> None:
    name, header, labels = sheet
    fmt, scope, (people, within) = expected
    ex = read_extract(_write(tmp_path, _sheet(header, labels), name))
    assert (ex.format, ex.dataset, ex.scope, ex.basis) == (fmt, "cwt", scope, "commissioner")
    assert set(ex.observations["measure"]) == {people, within}
    assert {people, within} <= set(MEASURES["cwt"])
    assert (_value(ex, "QAA", people), _value(ex, "QAA", within)) == (12.5, 8.5)
    assert _value(ex, "UNKNOWN", people) == 3.0  # UNKNOWN is kept as an organisation
    assert float(ex.observations.filter(pl.col("measure") == people)["value"].sum()) == 35.5


def test_all_sheets_of_one_month_ingest_side_by_side(tmp_path: Path) -> None:
    paths = [_write(tmp_path, _sheet(h, labels), name) for name, h, labels in SHEETS]
    extracts = [read_extract(p) for p in paths]
    assert len({e.scope for e in extracts}) == len(SHEETS)
    with Store.open(tmp_path / "cwt.duckdb") as store:
        assert [r.action for r in store.ingest(extracts)] == ["stored"] * len(SHEETS)
        assert len(store.active_loads()) == len(SHEETS)
        count = store.con.execute("SELECT count(*) FROM current_observations").fetchone()
        assert count == (2 * 3 * len(SHEETS),)
        assert [r.action for r in store.ingest([read_extract(paths[0])])] == ["unchanged"]


DETECTED = {
    H_2WW: "cwt_legacy_2ww_sheet",
    H_31: "cwt_legacy_31d_first_sheet",
    H_SUB: "cwt_legacy_31d_sub_sheet",
    H_62: "cwt_legacy_62d_sheet",
    H_FDS: "cwt_legacy_fds_sheet",
    # The October 2023 sheets: the same names plus a route or stage and time bands.
    f"{ORG.replace('CODE', 'CODE (1)')},REFERRAL ROUTE,TOTAL,WITHIN 28 DAYS,AFTER 28 DAYS,"
    "TOLD WITHIN 28 DAYS,WITHIN 14 DAYS,IN 15 TO 28 DAYS,IN 29 TO 42 DAYS,IN 43 TO 62 DAYS,"
    "AFTER 62 DAYS": "cwt_fds_sheet",
    f"{ORG},TREATMENT STAGE,CANCER TYPE,TOTAL,WITHIN 31 DAYS,AFTER 31 DAYS,"
    "TREATED WITHIN 31 DAYS,WITHIN 31 DAYS ,IN 32 TO 38 DAYS,IN 39 TO 48 DAYS,"
    "IN 49 TO 62 DAYS,AFTER 62 DAYS": "cwt_31d_sheet",
    f"{ORG},REFERRAL ROUTE,CANCER TYPE,TOTAL,WITHIN 62 DAYS,AFTER 62 DAYS,"
    "TREATED WITHIN 62 DAYS,WITHIN 31 DAYS,IN 32 TO 38 DAYS,IN 39 TO 48 DAYS,"
    "IN 49 TO 62 DAYS,IN 63 TO 76 DAYS,IN 77 TO 90 DAYS,IN 91 TO 104 DAYS,"
    "AFTER 104 DAYS": "cwt_62d_sheet",
    # The quarterly provider workbook (old standards, provider rows).
    "ODS CODE (1),PROVIDER,SUSPECTED TYPE OF CANCER (4),TOTAL,WITHIN 14 DAYS, AFTER 14 DAYS,"
    "PERCENTAGE SEEN WITHIN 14 DAYS": "cwt_provider_quarterly",
}


@pytest.mark.parametrize(("header", "name"), DETECTED.items(), ids=list(DETECTED.values()))
def test_detection_picks_the_layout_of_each_header(header: str, name: str) -> None:
    assert detect_format("sheet.csv", f"{header}\n".encode()).name == name


def test_a_national_row_that_agrees_is_checked_and_not_stored(tmp_path: Path) -> None:
    ex = read_extract(_write(tmp_path, _sheet(H_62, ALL_CARE, national=True), "62-DAY-SCREENING"))
    assert sorted(ex.observations["org_code"].unique()) == ["QAA", "QBB", "UNKNOWN"]


def test_a_national_row_that_is_not_the_sum_is_rejected(tmp_path: Path) -> None:
    lines = _sheet(H_2WW, ["ALL SUSPECTED CANCER"], national=True)
    lines = _set(_set(lines, 5, TOTAL, "36.5"), 5, TOTAL + 2, "11")  # still TOTAL = sum
    err = _error(_write(tmp_path, lines, "TWO-WEEK-WAIT-ALL-CANCER"))
    assert (err.column, err.row) == ("TOTAL", 5)
    assert "ALL ENGLISH COMMISSIONERS row says 36.5" in err.problem and "35.5" in err.problem


def test_row_whose_counts_do_not_add_up(tmp_path: Path) -> None:
    lines = _set(_sheet(H_FDS, ["ALL REFERRAL ROUTES"]), 3, TOTAL + 1, "14")
    err = _error(_write(tmp_path, lines, "28-DAY-FDS-ALL-ROUTES"))
    assert (err.column, err.row) == ("TOTAL", 3)
    assert err.problem == "20 is not the sum of 'WITHIN 28 DAYS', 'AFTER 28 DAYS' (19)"


def test_missing_column(tmp_path: Path) -> None:
    full = _sheet(H_2WW, ["ALL SUSPECTED CANCER"])
    lines = [_text([c for i, c in enumerate(next(csv.reader([x]))) if i != 5]) for x in full]
    err = _error(_write(tmp_path, lines, "TWO-WEEK-WAIT-ALL-CANCER"))
    assert (err.column, err.row) == ("AFTER 14 DAYS", 1)
    assert "missing column" in err.problem and "TWO WEEK WAIT" in err.problem


@pytest.mark.parametrize("bad", ["-3", "n/a", "", "7.5%"])
def test_negative_or_non_number_count(tmp_path: Path, bad: str) -> None:
    lines = _set(_sheet(H_SUB, ["ALL CARE", "DRUGS"]), 3, 5, bad)
    err = _error(_write(tmp_path, lines, "31-DAY-SUB-TREAT-DRUGS"))
    assert (err.column, err.row) == ("WITHIN 31 DAYS", 3)
    assert "non-negative number" in err.problem or "expected a value" in err.problem
    if bad:
        assert f"'{bad}'" in err.problem


def test_62_day_route_comes_from_the_file_name(tmp_path: Path) -> None:
    lines = _sheet(H_62, ALL_CARE)
    path = tmp_path / "62-day.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = _error(path, "2023-07")
    assert "62-DAY-SCREENING" in err.problem and "file name" in err.problem
    # The screening sheet's title also says ALL CANCERS: screening wins.
    screening = tmp_path / "62-DAY-SCREENING-ALL-CANCERS-Jul-2023.csv"
    screening.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ex = read_extract(screening)
    assert ex.scope == "62d_screening"
    assert ex.observations["period"].dt.month().unique().to_list() == [7]


def test_two_kinds_in_one_file_are_refused(tmp_path: Path) -> None:
    lines = _set(_sheet(H_2WW, ["ALL SUSPECTED CANCER"]), 4, 2, BREAST)
    err = _error(_write(tmp_path, lines, "TWO-WEEK-WAIT"))
    assert (err.column, err.row) == ("SUSPECTED TYPE OF CANCER", 4)
    assert f"'{BREAST}'" in err.problem and "'ALL SUSPECTED CANCER'" in err.problem
    lines = _set(_sheet(H_SUB, ["ALL CARE", "SURGERY"]), 3, 3, "RADIOTHERAPY")
    err = _error(_write(tmp_path, lines, "31-DAY-SUB-TREAT"))
    assert (err.column, err.row) == ("TREATMENT TYPE", 3)


def test_a_subsequent_treatment_sheet_needs_a_treatment_type(tmp_path: Path) -> None:
    lines = _set(_sheet(H_SUB, ["ALL CARE", "SURGERY"]), 2, 3, "ALL CANCERS")
    err = _error(_write(tmp_path, lines, "31-DAY-SUB-TREAT-SURGERY"))
    assert (err.column, err.row) == ("TREATMENT TYPE", 2)
    assert "SURGERY, DRUGS or RADIOTHERAPY" in err.problem and "'ALL CANCERS'" in err.problem


def test_cancer_type_and_section_labels_are_checked(tmp_path: Path) -> None:
    lines = _set(_sheet(H_31, ALL_CARE), 3, 3, "Lung")
    err = _error(_write(tmp_path, lines, "31-DAY-FIRST-TREAT-ALL-CANCER"))
    assert (err.column, err.row) == ("CANCER TYPE", 3)
    lines = _set(_sheet(H_FDS, ["ALL REFERRAL ROUTES"]), 2, 2, "ALL ROUTES")
    err = _error(_write(tmp_path, lines, "28-DAY-FDS-ALL-ROUTES"))
    assert (err.column, err.row) == ("REFERRAL ROUTE", 2)
    assert "ALL REFERRAL ROUTES" in err.problem


def test_admitted_and_non_admitted_rows_must_add_up_to_all_care(tmp_path: Path) -> None:
    split = {"QAA": (10.5, 7.5), "QBB": (20, 15), "UNKNOWN": (3, 2)}
    rest = {"QAA": (2, 1)}
    lines = [
        *_sheet(H_62, ALL_CARE),
        *_sheet(H_62, ["ADMITTED", "ALL CANCERS"], split)[1:],
        *_sheet(H_62, ["NON-ADMITTED", "ALL CANCERS"], rest)[1:],
    ]
    ex = read_extract(_write(tmp_path, lines, "62-DAY-ALL-CANCER"))
    assert _value(ex, "QAA", "cwt_62d_usc_treated") == 12.5  # ALL CARE only, not added again
    lines = _set(_set(lines, 8, 4, "3"), 8, 6, "2")  # QAA's NON-ADMITTED row: one more, late
    err = _error(_write(tmp_path, lines, "62-DAY-ALL-CANCER"))
    assert (err.column, err.row) == ("TOTAL", 2)
    assert "ALL CARE section says 12.5 for QAA" in err.problem and "13.5" in err.problem


def test_duplicate_commissioner(tmp_path: Path) -> None:
    lines = _sheet(H_2WW, ["ALL SUSPECTED CANCER"])
    err = _error(_write(tmp_path, [*lines, lines[1]], "TWO-WEEK-WAIT-ALL-CANCER"))
    assert (err.column, err.row) == ("ODS CODE", 5)
    assert "appears twice" in err.problem


def test_month_from_the_name_or_period_hint(tmp_path: Path) -> None:
    path = tmp_path / "TWO-WEEK-WAIT-ALL-CANCER.csv"
    path.write_text("\n".join(_sheet(H_2WW, ["ALL SUSPECTED CANCER"])) + "\n", encoding="utf-8")
    assert "--period" in _error(path).problem
    ex = read_extract(path, "2023-09")
    assert ex.observations["period"].dt.month().unique().to_list() == [9]
