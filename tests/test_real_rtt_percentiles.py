"""The centile rule (scorecard/rtt_percentiles.py) reproduces every median and percentile
NHS England printed in the real RTT files (skipped when ../shared is absent).

The files are read here with the csv module; each printed figure (the CSVs carry the cells'
full precision, 13 to 17 significant digits) is compared with the rule's result to 1e-9 weeks:

* March 2015 commissioner sheet (incomplete pathways, 211 CCGs and NHS England's hub x 20
  treatment functions): all 3,476 medians and 3,472 95th percentiles, except eight cells of
  one CCG (09L) whose bands were revised after its centiles were calculated (the sheet is
  the revised edition); `-` exactly where there are fewer than 50 pathways (and in four of
  09L's revised 95th percentiles).
* March 2015 National sheet: all 20 medians and 95th percentiles; England's 92nd percentile,
  17.23 weeks, is the March 2015 line of the overview time series.
* September 2025 non-admitted provider sheet (completed pathways with a known clock start):
  all 2,331 medians and 95th percentiles, including one 95th percentile in the open-ended
  `104 plus` band, printed as 104; `-` exactly where there are fewer than 20 pathways.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from scorecard.rtt_percentiles import (
    MARCH_2015,
    MEDIAN,
    P92,
    SEPTEMBER_2025,
    Convention,
    weeks_at,
)

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "rtt"
COMMISSIONER = REAL / "RTT-Incomplete-Commissioner-2015-03.csv"
NATIONAL = REAL / "RTT-Incomplete-National-2015-03.csv"
NON_ADMITTED = REAL / "RTT-NonAdmitted-Provider-2025-09.csv"
OVERVIEW = REAL / "RTT-Overview-Timeseries-October22.xlsx"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
MEDIAN_COLUMN = "Average (median) waiting time (in weeks)"
P95_COLUMN = "95th percentile waiting time (in weeks)"
# The revised CCG whose printed centiles do not follow from its printed bands.
STALE_MEDIANS = {("09L", f"IP{c}") for c in ("100", "101", "110", "120", "130", "160")}
STALE_P95 = {("09L", "IP120"), ("09L", "IP130")}
BLANKED_P95 = {("09L", f"IP{c}") for c in ("100", "101", "110", "160")}


def _rows(path: Path, last: int) -> list[tuple[dict[str, str], list[float]]]:
    names = [f">{w}-{w + 1}" for w in range(last)] + [f"{last} plus"]
    with path.open(encoding="utf-8", newline="") as fh:
        return [(r, [float(r[n]) for n in names]) for r in csv.DictReader(fh)]


def _compare(
    rows: list[tuple[dict[str, str], list[float]]],
    column: str,
    fraction: float,
    convention: Convention,
    key: tuple[str, str],
) -> tuple[int, set[tuple[str, str]], set[tuple[str, str]]]:
    """(cells printed, cells that differ, `-` cells with enough pathways), by (org, TFC)."""
    printed = 0
    differ: set[tuple[str, str]] = set()
    blank: set[tuple[str, str]] = set()
    for row, bands in rows:
        got = weeks_at(bands, fraction, convention)
        where = (row[key[0]], row[key[1]])
        if row[column].strip() == "-":
            if got is not None:
                blank.add(where)
            continue
        printed += 1
        if got is None or abs(got - float(row[column])) > 1e-9:
            differ.add(where)
    return printed, differ, blank


def test_march_2015_commissioner_medians() -> None:
    rows = _rows(COMMISSIONER, 52)
    key = ("CCG Code", "Treatment Function Code")
    printed, differ, blank = _compare(rows, MEDIAN_COLUMN, MEDIAN, MARCH_2015, key)
    assert (printed, differ, blank) == (3476, STALE_MEDIANS, set())
    # Under 50 pathways, `-`: the Notes sheet's rule.
    assert {sum(b) < 50 for r, b in rows if r[MEDIAN_COLUMN] == "-"} == {True}


def test_march_2015_commissioner_95th_percentiles() -> None:
    rows = _rows(COMMISSIONER, 52)
    key = ("CCG Code", "Treatment Function Code")
    printed, differ, blank = _compare(rows, P95_COLUMN, 0.95, MARCH_2015, key)
    assert (printed, differ, blank) == (3472, STALE_P95, BLANKED_P95)


def test_march_2015_one_ccg_and_one_specialty() -> None:
    """NHS Eastern Cheshire CCG (01C), Trauma & Orthopaedics: 7.19 and 26.68 weeks."""
    ((row, bands),) = [
        (r, b)
        for r, b in _rows(COMMISSIONER, 52)
        if (r["CCG Code"], r["Treatment Function Code"]) == ("01C", "IP110")
    ]
    assert weeks_at(bands, MEDIAN, MARCH_2015) == pytest.approx(float(row[MEDIAN_COLUMN]))
    assert f"{weeks_at(bands, MEDIAN, MARCH_2015):.2f}" == "7.19"
    assert f"{weeks_at(bands, 0.95, MARCH_2015):.2f}" == "26.68"


def test_march_2015_national_sheet_and_the_overview() -> None:
    rows = _rows(NATIONAL, 52)
    key = ("Treatment Function Code", "Treatment Function Code")
    assert _compare(rows, MEDIAN_COLUMN, MEDIAN, MARCH_2015, key) == (20, set(), set())
    assert _compare(rows, P95_COLUMN, 0.95, MARCH_2015, key) == (20, set(), set())
    (bands,) = [b for r, b in rows if r["Treatment Function Code"] == "IP999"]
    median = weeks_at(bands, MEDIAN, MARCH_2015)
    p92 = weeks_at(bands, P92, MARCH_2015)
    assert median is not None and p92 is not None
    assert f"{median:.2f} {p92:.2f}" == "5.56 17.23"  # England, March 2015
    if OVERVIEW.is_file():  # the overview time series prints England's 92nd percentile
        from python_calamine import CalamineWorkbook

        sheet = CalamineWorkbook.from_path(str(OVERVIEW)).get_sheet_by_name("Full Time Series")
        ((_, _, printed_median, printed_p92, *_),) = [
            r for r in sheet.to_python() if str(r[1]).startswith("2015-03")
        ]
        assert (median, p92) == pytest.approx((printed_median, printed_p92), abs=1e-9)


def test_september_2025_non_admitted_medians_and_95th_percentiles() -> None:
    rows = _rows(NON_ADMITTED, 104)
    key = ("Provider Code", "Treatment Function Code")
    for column, fraction in ((MEDIAN_COLUMN, MEDIAN), (P95_COLUMN, 0.95)):
        assert _compare(rows, column, fraction, SEPTEMBER_2025, key) == (2331, set(), set())
        assert {sum(b) < 20 for r, b in rows if r[column] == "-"} == {True}
    # The one rank in the open-ended band: printed as its lower bound.
    ((row, bands),) = [
        (r, b)
        for r, b in rows
        if (r["Provider Code"], r["Treatment Function Code"]) == ("RTG", "C_160")
    ]
    assert row[P95_COLUMN] == "104" and weeks_at(bands, 0.95) == 104.0


def test_september_2025_one_trust() -> None:
    """Barts Health (R1H), all specialties, as printed."""
    ((row, bands),) = [
        (r, b)
        for r, b in _rows(NON_ADMITTED, 104)
        if (r["Provider Code"], r["Treatment Function Code"]) == ("R1H", "C_999")
    ]
    assert weeks_at(bands, MEDIAN) == pytest.approx(float(row[MEDIAN_COLUMN]), abs=1e-9)
    assert weeks_at(bands, 0.95) == pytest.approx(float(row[P95_COLUMN]), abs=1e-9)
