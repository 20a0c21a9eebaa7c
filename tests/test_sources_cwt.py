"""Cancer waiting times adapters on small sheets written here in the published layouts.

Every expected value is a cell written by the test; every bad file must fail with one line
naming the file, the column, the row and what was expected.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path

import polars as pl
import pytest

from scorecard.errors import SourceError
from scorecard.measures import MEASURES
from scorecard.sources import read_extract
from scorecard.sources.base import Extract
from scorecard.sources.cwt.commissioner import Cwt31DaySheet, Cwt62DaySheet
from scorecard.sources.cwt.commissioner import CwtFdsSheet as Fds
from scorecard.store import Store

ORG = "ODS CODE (1),INTEGRATED CARE BOARD (ICB)/COMMISSIONING HUB"
H_FDS = (
    f"{ORG},REFERRAL ROUTE,TOTAL,WITHIN 28 DAYS,AFTER 28 DAYS,TOLD WITHIN 28 DAYS,"
    "WITHIN 14 DAYS,IN 15 TO 28 DAYS,IN 29 TO 42 DAYS,IN 43 TO 62 DAYS,AFTER 62 DAYS"
)
H_31 = (
    f"{ORG},TREATMENT STAGE,CANCER TYPE,TOTAL,WITHIN 31 DAYS,AFTER 31 DAYS,"
    "TREATED WITHIN 31 DAYS,WITHIN 31 DAYS ,IN 32 TO 38 DAYS,IN 39 TO 48 DAYS,"
    "IN 49 TO 62 DAYS,AFTER 62 DAYS"
)
H_62 = (
    f"{ORG},REFERRAL ROUTE,CANCER TYPE,TOTAL,WITHIN 62 DAYS,AFTER 62 DAYS,"
    "TREATED WITHIN 62 DAYS,WITHIN 31 DAYS,IN 32 TO 38 DAYS,IN 39 TO 48 DAYS,"
    "IN 49 TO 62 DAYS,IN 63 TO 76 DAYS,IN 77 TO 90 DAYS,IN 91 TO 104 DAYS,AFTER 104 DAYS"
)
NAMES = {
    "QAA": "NHS ALPHA, BETA AND GAMMA INTEGRATED CARE BOARD",
    "QBB": "NHS DELTA INTEGRATED CARE BOARD",
    "UNKNOWN": "UNKNOWN",
}
Groups = Mapping[tuple[str, str | None], Mapping[str, tuple[float, float]]]
FDS_DATA: Groups = {("ALL ROUTES", None): {"QAA": (100, 76), "QBB": (50, 40)}}
D31_DATA: Groups = {
    ("ALL STAGES", "ALL CANCERS"): {"QAA": (8, 7), "QBB": (10, 9)},
    ("First Treatment", "ALL CANCERS"): {"QAA": (5, 4), "QBB": (6, 6)},
    ("Subsequent Treatment", "ALL CANCERS"): {"QAA": (3, 3), "QBB": (4, 3)},
}
D62_DATA: Groups = {
    ("ALL ROUTES", "ALL CANCERS"): {"QAA": (12.5, 8.5), "QBB": (20, 15), "UNKNOWN": (3, 2)},
    ("Urgent Suspected Cancer", "ALL CANCERS"): {
        "QAA": (10.5, 7.5), "QBB": (14, 10), "UNKNOWN": (3, 2),
    },
    ("Screening", "ALL CANCERS"): {"QAA": (2, 1), "QBB": (6, 5)},
}  # fmt: skip
BY_CANCER: Groups = {
    (route, cancer): counts
    for route in ("ALL ROUTES", "Urgent Suspected Cancer")
    for cancer, counts in (
        ("ALL CANCERS", {"QAA": (10.5, 8.5), "QBB": (7, 6)}),
        ("Lung", {"QAA": (4, 3), "QBB": (5, 4)}),
        ("Skin", {"QAA": (6.5, 5.5), "QBB": (2, 2)}),
    )
}
# 0-based positions in the 62-day layout
TOTAL, WITHIN, AFTER, FIRST_OUT = 4, 5, 6, 12


def _text(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def _cells(line: str) -> list[str]:
    return next(csv.reader([line]))


def _line(header: str, ids: list[str], t: float, w: float) -> str:
    """A row whose within-standard people are all in the first band, the rest after it."""
    a = t - w
    bands = {12: [w, 0, a, 0, 0], 13: [w, a, 0, 0, 0], 16: [w, 0, 0, 0, a, 0, 0, 0]}
    counts = [f"{c:g}" for c in (t, w, a)]
    rest = [f"{c:g}" for c in bands[len(header.split(","))]]
    return _text([*ids, *counts, f"{w / t:.15g}", *rest])


def _sheet(header: str, groups: Groups) -> list[str]:
    lines = [header]
    for (section, cancer), orgs in groups.items():
        labels = [section] if cancer is None else [section, cancer]
        for code, (t, w) in orgs.items():
            lines.append(_line(header, [code, NAMES[code], *labels], t, w))
        t, w = sum(c[0] for c in orgs.values()), sum(c[1] for c in orgs.values())
        lines.append(_line(header, ["", "ALL ENGLISH COMMISSIONERS", *labels], t, w))
    return lines


def _write(tmp_path: Path, lines: list[str], sheet: str = "62-DAY-ALL-CANCER") -> Path:
    path = tmp_path / f"CWT-Commissioner-2024-07_{sheet}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _set(lines: list[str], row: int, changes: Mapping[int, str]) -> list[str]:
    """`lines` with cells changed in file row `row` (the header is row 1)."""
    cells = _cells(lines[row - 1])
    for i, value in changes.items():
        cells[i] = value
    return [*lines[: row - 1], _text(cells), *lines[row:]]


def _bump(lines: list[str], row: int) -> list[str]:
    """One more person, treated late, in a 62-day row: its own sums still hold."""
    cells = _cells(lines[row - 1])
    new = {i: f"{float(cells[i]) + 1:g}" for i in (TOTAL, AFTER, FIRST_OUT)}
    return _set(lines, row, new)


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


def test_halves_are_stored_exactly(tmp_path: Path) -> None:
    ex = read_extract(_write(tmp_path, _sheet(H_62, D62_DATA)))
    assert (ex.format, ex.dataset, ex.scope) == ("cwt_62d_sheet", "cwt", "62d")
    assert _value(ex, "QAA", "cwt_62d_treated") == 12.5
    assert _value(ex, "QAA", "cwt_62d_within_62d") == 8.5
    assert _value(ex, "QAA", "cwt_62d_usc_treated") == 10.5


def test_unknown_is_an_organisation_and_england_is_not_stored(tmp_path: Path) -> None:
    ex = read_extract(_write(tmp_path, _sheet(H_62, D62_DATA)))
    assert sorted(ex.observations["org_code"].unique()) == ["QAA", "QBB", "UNKNOWN"]
    treated = ex.observations.filter(pl.col("measure") == "cwt_62d_treated")["value"]
    assert float(treated.sum()) == 35.5


def test_a_section_without_a_row_counts_zero(tmp_path: Path) -> None:
    ex = read_extract(_write(tmp_path, _sheet(H_62, D62_DATA)))
    assert _value(ex, "UNKNOWN", "cwt_62d_screening_treated") == 0.0
    assert _value(ex, "QBB", "cwt_62d_upgrade_treated") == 0.0


def _part(ex: Extract, org: str, measure: str, dimension: str, key: str) -> float | None:
    assert ex.breakdowns is not None
    sel = ex.breakdowns.filter(
        (pl.col("org_code") == org)
        & (pl.col("measure") == measure)
        & (pl.col("dimension") == dimension)
        & (pl.col("breakdown") == key)
    )
    assert sel.height <= 1
    return float(sel["value"][0]) if sel.height else None


def test_all_cancers_rows_are_not_added_to_the_cancer_type_rows(tmp_path: Path) -> None:
    lines = _sheet(H_62.replace("CANCER TYPE", "CANCER TYPE (3)"), BY_CANCER)
    ex = read_extract(_write(tmp_path, lines, "62-DAY-BY-CANCER"))
    assert ex.scope == "62d_cancer"
    assert ex.observations.is_empty() and ex.breakdowns is not None
    assert set(ex.breakdowns["dimension"]) == {"cancer_type"}
    assert _part(ex, "QAA", "cwt_62d_treated", "cancer_type", "lung") == 4.0
    assert _part(ex, "QAA", "cwt_62d_within_62d", "cancer_type", "skin") == 5.5
    assert _part(ex, "QAA", "cwt_62d_usc_treated", "cancer_type", "skin") == 6.5
    assert _part(ex, "QAA", "cwt_62d_treated", "cancer_type", "breast") is None  # no row
    qaa = ex.breakdowns.filter(
        (pl.col("org_code") == "QAA") & (pl.col("measure") == "cwt_62d_treated")
    )
    assert float(qaa["value"].sum()) == 10.5  # its ALL CANCERS row, counted once


def test_an_all_cancers_row_that_disagrees_is_rejected(tmp_path: Path) -> None:
    lines = _sheet(H_62.replace("CANCER TYPE", "CANCER TYPE (3)"), BY_CANCER)
    lines = _bump(_bump(lines, 2), 4)  # QAA's ALL CANCERS row and its national row
    err = _error(_write(tmp_path, lines, "62-DAY-BY-CANCER"))
    assert (err.column, err.row) == ("TOTAL", 2)
    assert "ALL CANCERS" in err.problem and "cancer-type rows add up to 10.5" in err.problem


def test_national_row_that_is_not_the_sum_is_rejected(tmp_path: Path) -> None:
    lines = _bump(_sheet(H_62, D62_DATA), 5)  # ALL ROUTES national row
    err = _error(_write(tmp_path, lines))
    assert (err.column, err.row) == ("TOTAL", 5)
    assert "ALL ENGLISH COMMISSIONERS row says 36.5" in err.problem and "35.5" in err.problem


def test_route_sections_that_do_not_add_up_are_rejected(tmp_path: Path) -> None:
    lines = _bump(_bump(_sheet(H_62, D62_DATA), 6), 9)  # QAA's USC row and its national row
    err = _error(_write(tmp_path, lines))
    assert (err.column, err.row) == ("TOTAL", 2)
    assert "ALL ROUTES section says 12.5 for QAA" in err.problem and "13.5" in err.problem


def test_row_whose_counts_do_not_add_up(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, _set(_sheet(H_62, D62_DATA), 2, {WITHIN: "8"})))
    assert (err.column, err.row) == ("TOTAL", 2)
    assert err.problem == "12.5 is not the sum of 'WITHIN 62 DAYS', 'AFTER 62 DAYS' (12)"


def test_quarterly_provider_workbook_is_refused(tmp_path: Path) -> None:
    header = "ODS CODE (1),PROVIDER,SUSPECTED TYPE OF CANCER (4),TOTAL,WITHIN 14 DAYS"
    err = _error(_write(tmp_path, [header, "RAA,A TRUST,ALL CANCERS,10,9"], "2WW"))
    assert err.row == 1 and "quarterly provider-based" in err.problem


def test_missing_column(tmp_path: Path) -> None:
    lines = [_text(_cells(x)[:AFTER] + _cells(x)[AFTER + 1 :]) for x in _sheet(H_62, D62_DATA)]
    err = _error(_write(tmp_path, lines))
    assert (err.column, err.row) == ("AFTER 62 DAYS", 1)
    assert "missing column" in err.problem


@pytest.mark.parametrize("bad", ["-3", "n/a", "", "7.5%"])
def test_bad_count_cell(tmp_path: Path, bad: str) -> None:
    err = _error(_write(tmp_path, _set(_sheet(H_62, D62_DATA), 3, {WITHIN: bad})))
    assert (err.column, err.row) == ("WITHIN 62 DAYS", 3)
    assert "non-negative number" in err.problem or "expected a value" in err.problem
    if bad:
        assert f"'{bad}'" in err.problem


def test_duplicate_commissioner_in_a_section(tmp_path: Path) -> None:
    lines = _sheet(H_62, D62_DATA)
    err = _error(_write(tmp_path, [*lines[:3], lines[2], *lines[3:]]))
    assert (err.column, err.row) == ("ODS CODE (1)", 4)
    assert "appears twice" in err.problem


def test_unknown_section_label(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, _set(_sheet(H_62, D62_DATA), 7, {2: "Urgent Suspected"})))
    assert (err.column, err.row) == ("REFERRAL ROUTE", 7)
    assert "Consultant Upgrade" in err.problem and "'Urgent Suspected'" in err.problem


def test_truncated_file_without_its_last_national_row(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, _sheet(H_62, D62_DATA)[:-1]))
    assert (err.column, err.row) == ("INTEGRATED CARE BOARD (ICB)/COMMISSIONING HUB", 10)
    assert "no ALL ENGLISH COMMISSIONERS row" in err.problem and "(Screening)" in err.problem


def test_an_unknown_cancer_type_is_refused(tmp_path: Path) -> None:
    lines = _set(_sheet(H_31, D31_DATA), 2, {3: "Lungs"})
    err = _error(_write(tmp_path, lines, "31-DAY-ALL-CANCER"))
    assert (err.column, err.row) == ("CANCER TYPE", 2)
    assert "'Lungs'" in err.problem and "Urological - Prostate" in err.problem


def test_month_from_the_name_or_period_hint(tmp_path: Path) -> None:
    path = tmp_path / "62-day.csv"
    path.write_text("\n".join(_sheet(H_62, D62_DATA)) + "\n", encoding="utf-8")
    assert "--period" in _error(path).problem
    assert read_extract(path, "2025-01").observations["period"].dt.month().unique().to_list() == [1]


def test_blank_spacer_column_is_ignored(tmp_path: Path) -> None:
    """The workbook has an empty column with a blank header before the time bands."""
    lines = _sheet(H_62, D62_DATA)
    plain = read_extract(_write(tmp_path, lines))
    (tmp_path / "spaced").mkdir()
    spaced = [_text([*c[:8], "", *c[8:]]) for c in map(_cells, lines)]
    other = read_extract(_write(tmp_path / "spaced", spaced))
    assert other.observations.equals(plain.observations)


def test_every_stored_measure_is_a_known_cwt_measure(tmp_path: Path) -> None:
    known = set(MEASURES["cwt"])
    for fmt in (Fds(), Cwt31DaySheet(), Cwt62DaySheet()):
        assert {m for pair in fmt.measures.values() for m in pair} <= known


def test_three_sheets_of_one_month_ingest_side_by_side(tmp_path: Path) -> None:
    paths = [
        _write(tmp_path, _sheet(H_FDS, FDS_DATA), "28-DAY-FDS-ALL-ROUTES"),
        _write(tmp_path, _sheet(H_31, D31_DATA), "31-DAY-ALL-CANCER"),
        _write(tmp_path, _sheet(H_62, D62_DATA), "62-DAY-ALL-CANCER"),
    ]
    extracts = [read_extract(p) for p in paths]
    assert [e.scope for e in extracts] == ["fds", "31d", "62d"]
    with Store.open(tmp_path / "cwt.duckdb") as store:
        results = store.ingest(extracts)
        assert [r.action for r in results] == ["stored"] * 3
        assert len(store.active_loads()) == 3
        count = store.con.execute("SELECT count(*) FROM current_observations").fetchone()
        assert count == (sum(e.observations.height for e in extracts),)
        before = store.snapshot()
        again = store.ingest([read_extract(paths[2])])
        assert [r.action for r in again] == ["unchanged"]
        assert store.snapshot() == before
        _write(tmp_path, _bump(_bump(_bump(_bump(_sheet(H_62, D62_DATA), 3), 5), 7), 9))
        replaced = store.ingest([read_extract(paths[2])])
        assert [(r.action, r.replaced_file) for r in replaced] == [("replaced", paths[2].name)]
        assert len(store.active_loads()) == 3
        sql = "SELECT value FROM current_observations WHERE measure = ? AND org_code = 'QBB'"
        assert store.con.execute(sql, ["cwt_fds_told"]).fetchall() == [(50.0,)]
        assert store.con.execute(sql, ["cwt_62d_treated"]).fetchall() == [(21.0,)]
