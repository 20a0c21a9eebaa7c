"""Acceptance on NHS England's real RTT sheets (skipped when ../shared is absent): the
treatment-function parts, the median and 92nd percentile, and the completed pathways over
52 weeks, as stored, against the figures printed in the files (read here with the csv
module, not the code under test), at the published precision.

* March 2015 commissioner sheet: every CCG's and NHS England hub's specialty rows are
  stored as parts (IP100 ... IPX01 as 100 ... X01) and add up to its IP999 row in the waiting
  list, within 18 weeks and over 52 weeks; the stored medians are the printed ones (eight
  revised 09L cells apart, scorecard/rtt_percentiles.py); England has no stored median from
  this sheet (no England row; a median is never rebuilt from CCGs). England's specialty parts,
  added up from the CCGs' by `scorecard values --breakdown`, equal the National sheet's 19
  printed specialty rows (pathways, within 18 weeks and the % to full precision).
* September 2025 non-admitted provider sheet: 150 trusts x 23 specialties; Barts Health
  (R1H) trauma and orthopaedics as printed; every trust's parts add up to its C_999 row;
  England's completed pathways over 52 weeks are the sum of the trusts' `Total 52 plus
  weeks` (the sheet has no England row; a count adds up), in trauma and orthopaedics too; a
  board row drills into Barts' specialties.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.rtt_percentiles import MARCH_2015, MEDIAN, P92, weeks_at
from scorecard.store import Store

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "rtt"
COMMISSIONER = REAL / "RTT-Incomplete-Commissioner-2015-03.csv"
NON_ADMITTED = REAL / "RTT-NonAdmitted-Provider-2025-09.csv"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
MEDIAN_COLUMN = "Average (median) waiting time (in weeks)"
runner = CliRunner()


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rtt_parts") / "rtt.duckdb"
    result = runner.invoke(app, ["ingest", str(COMMISSIONER), str(NON_ADMITTED), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _parts(db: Path, measure: str, period: str) -> dict[tuple[str, str], float]:
    with Store.open(db, read_only=True) as store:
        got = store.con.execute(
            "SELECT org_code, breakdown, value FROM current_breakdowns WHERE measure = ? "
            "AND dimension = 'treatment_function' AND period = CAST(? AS DATE)",
            [measure, f"{period}-01"],
        ).fetchall()
    return {(org, key): value for org, key, value in got}


def _wholes(db: Path, measure: str, period: str) -> dict[str, float]:
    with Store.open(db, read_only=True) as store:
        got = store.con.execute(
            "SELECT org_code, value FROM current_observations WHERE measure = ? "
            "AND period = CAST(? AS DATE)",
            [measure, f"{period}-01"],
        ).fetchall()
    return dict(got)


def _value(db: Path, indicator: str, org: str, period: str) -> dict[str, str]:
    args = ["values", "--db", str(db), "--org", org, "--indicator", indicator]
    result = runner.invoke(app, [*args, "--period", period])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    return rows[0] if rows else {}


def _add_up(db: Path, measures: list[str], period: str) -> int:
    """Every organisation's parts add up to its whole in each measure; returns the wholes."""
    checked = 0
    for measure in measures:
        sums: dict[str, float] = defaultdict(float)
        for (org, _), value in _parts(db, measure, period).items():
            sums[org] += value
        wholes = _wholes(db, measure, period)
        assert set(sums) == set(wholes), measure
        assert sums == pytest.approx(wholes), measure
        checked += len(wholes)
    return checked


def test_march_2015_ccg_specialty_parts_are_as_printed(db: Path) -> None:
    printed = {
        (r["CCG Code"], r["Treatment Function Code"].removeprefix("IP")): r
        for r in _rows(COMMISSIONER)
    }
    parts = _parts(db, "rtt_incomplete_total", "2015-03")
    assert len(parts) == 212 * 19  # 211 CCGs and the hub x 19 specialties
    # NHS Eastern Cheshire CCG (01C), Trauma & Orthopaedics.
    row = printed[("01C", "110")]
    assert parts[("01C", "110")] == int(row["Total number of incomplete pathways"])
    within = _parts(db, "rtt_incomplete_within_18wk", "2015-03")
    assert within[("01C", "110")] == int(row["Total within 18 weeks"])
    assert all(parts[k] == int(printed[k]["Total number of incomplete pathways"]) for k in parts)


def test_march_2015_parts_add_up_to_the_ip999_rows(db: Path) -> None:
    measures = ["rtt_incomplete_total", "rtt_incomplete_within_18wk", "rtt_incomplete_over_52wk"]
    assert _add_up(db, measures, "2015-03") == 3 * 212


def test_march_2015_stored_medians_are_the_printed_ones(db: Path) -> None:
    rows = _rows(COMMISSIONER)
    wholes = _wholes(db, "rtt_incomplete_median_wk", "2015-03")
    parts = _parts(db, "rtt_incomplete_median_wk", "2015-03")
    differ, compared = set(), 0
    for r in rows:
        if r[MEDIAN_COLUMN] == "-":
            continue
        code = r["Treatment Function Code"].removeprefix("IP")
        stored = wholes[r["CCG Code"]] if code == "999" else parts[(r["CCG Code"], code)]
        compared += 1
        if abs(stored - float(r[MEDIAN_COLUMN])) > 1e-9:
            differ.add((r["CCG Code"], code))
    assert compared == 3476
    assert differ == {("09L", c) for c in ("100", "101", "110", "120", "130", "160")}
    # Fewer than 50 pathways: no median stored, as none is printed.
    dashes = {
        (r["CCG Code"], r["Treatment Function Code"].removeprefix("IP"))
        for r in rows
        if r[MEDIAN_COLUMN] == "-" and r["Treatment Function Code"] != "IP999"
    }
    assert not dashes & set(parts)


def test_march_2015_92nd_percentile_of_one_ccg(db: Path) -> None:
    (row,) = [
        r
        for r in _rows(COMMISSIONER)
        if (r["CCG Code"], r["Treatment Function Code"]) == ("01C", "IP999")
    ]
    bands = [float(row[f">{w}-{w + 1}"]) for w in range(52)] + [float(row["52 plus"])]
    got = _value(db, "rtt_incomplete_p92_wk", "01C", "2015-03")
    assert float(got["value"]) == pytest.approx(weeks_at(bands, P92, MARCH_2015), abs=1e-9)
    median = _value(db, "rtt_incomplete_median_wk", "01C", "2015-03")
    assert float(median["value"]) == pytest.approx(float(row[MEDIAN_COLUMN]), abs=1e-9)
    assert float(median["value"]) == pytest.approx(weeks_at(bands, MEDIAN, MARCH_2015))


def test_england_has_no_median_rebuilt_from_ccgs(db: Path) -> None:
    """The commissioner sheet has no England row: a median is only ever as published."""
    args = ["values", "--db", str(db), "--org", "ENG", "--period", "2015-03"]
    result = runner.invoke(app, [*args, "--indicator", "rtt_incomplete_median_wk"])
    assert result.exit_code == 1
    assert "no figures for rtt_incomplete_median_wk for ENG in Mar 2015" in result.output
    assert _value(db, "rtt_waiting_list", "ENG", "2015-03")["value"] == "3006877"  # adds up


def test_september_2025_barts_trauma_and_orthopaedics(db: Path) -> None:
    (row,) = [
        r
        for r in _rows(NON_ADMITTED)
        if (r["Provider Code"], r["Treatment Function Code"]) == ("R1H", "C_110")
    ]
    known = "Total number of completed pathways (with a known clock start)"
    within = sum(int(row[f">{w}-{w + 1}"]) for w in range(18))
    for measure, expected in (
        ("rtt_nonadmitted_known", int(row[known])),
        ("rtt_nonadmitted_within_18wk", within),
        ("rtt_nonadmitted_over_52wk", int(row["Total 52 plus weeks"])),
    ):
        assert _parts(db, measure, "2025-09")[("R1H", "110")] == expected, measure


def test_september_2025_parts_add_up_to_the_c999_rows(db: Path) -> None:
    measures = ["rtt_nonadmitted_known", "rtt_nonadmitted_within_18wk", "rtt_nonadmitted_over_52wk"]
    assert _add_up(db, measures, "2025-09") == 3 * 150
    assert len(_parts(db, "rtt_nonadmitted_known", "2025-09")) == 150 * 23


def test_september_2025_completed_over_52_weeks(db: Path) -> None:
    totals = {
        r["Provider Code"]: int(r["Total 52 plus weeks"])
        for r in _rows(NON_ADMITTED)
        if r["Treatment Function Code"] == "C_999"
    }
    assert _value(db, "rtt_nonadmitted_52wk_count", "R1H", "2025-09")["value"] == str(totals["R1H"])
    england = _value(db, "rtt_nonadmitted_52wk_count", "ENG", "2025-09")
    assert england["value"] == str(sum(totals.values()))


NATIONAL = REAL / "RTT-Incomplete-National-2015-03.csv"


def _by_part(db: Path, indicator: str, org: str, period: str) -> dict[str, dict[str, str]]:
    args = ["values", "--db", str(db), "--org", org, "--indicator", indicator]
    result = runner.invoke(app, [*args, "--period", period, "--breakdown", "treatment_function"])
    assert result.exit_code == 0, result.output
    return {r["breakdown"]: r for r in csv.DictReader(io.StringIO(result.stdout))}


def test_england_by_specialty_equals_the_national_sheet(db: Path) -> None:
    """England's parts, added up from the CCGs' (England has no part of its own in the
    commissioner sheet), equal the National sheet's printed rows, specialty by specialty."""
    got = _by_part(db, "rtt_incomplete_18wk_pct", "ENG", "2015-03")
    national = {
        r["Treatment Function Code"].removeprefix("IP"): r
        for r in _rows(NATIONAL)
        if r["Treatment Function Code"] != "IP999"
    }
    assert set(got) == set(national) and len(got) == 19
    for key, row in national.items():
        numbers = (got[key]["numerator"], got[key]["denominator"])
        printed = (row["Total within 18 weeks"], row["Total number of incomplete pathways"])
        assert numbers == printed, key
        assert float(got[key]["value"]) / 100 == pytest.approx(float(row["% within 18 weeks"]))
    assert got["110"]["breakdown_name"] == "Trauma and Orthopaedic"
    assert f"{float(got['110']['value']):.1f}" == "89.8"  # Trauma & Orthopaedics, 89.8%


def test_a_ccg_median_by_specialty_and_none_for_england(db: Path) -> None:
    got = _by_part(db, "rtt_incomplete_median_wk", "01C", "2015-03")
    printed = {
        r["Treatment Function Code"].removeprefix("IP"): r[MEDIAN_COLUMN]
        for r in _rows(COMMISSIONER)
        if r["CCG Code"] == "01C" and r["Treatment Function Code"] != "IP999"
    }
    assert {k: float(r["value"]) for k, r in got.items()} == pytest.approx(
        {k: float(v) for k, v in printed.items() if v != "-"}, abs=1e-9
    )
    args = ["values", "--db", str(db), "--org", "ENG", "--period", "2015-03"]
    result = runner.invoke(
        app, [*args, "--indicator", "rtt_incomplete_median_wk", "--breakdown", "110"]
    )
    assert result.exit_code == 1 and "no figures by treatment function" in result.output


def test_england_trauma_and_orthopaedics_completed_over_52_weeks(db: Path) -> None:
    expected = sum(
        int(r["Total 52 plus weeks"])
        for r in _rows(NON_ADMITTED)
        if r["Treatment Function Code"] == "C_110"
    )
    got = _by_part(db, "rtt_nonadmitted_52wk_count", "ENG", "2025-09")
    assert got["110"]["value"] == str(expected)


def test_a_board_drills_into_the_specialties(db: Path, tmp_path: Path) -> None:
    board = tmp_path / "elective.toml"
    board.write_text(
        'title = "Elective"\naudience = "Board"\norg = "R1H"\nwindows = ["month"]\n'
        '[[domains]]\nname = "Elective"\nrows = [\n'
        '  { indicator = "rtt_nonadmitted_52wk_count" },\n'
        '  { indicator = "rtt_nonadmitted_52wk_count", breakdown = "Trauma and Orthopaedic" },\n'
        '  { indicator = "rtt_nonadmitted_52wk_count", drill = "treatment_function",'
        " drill_top = 3 },\n]\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["build", "--db", str(db), "--period", "2025-09", "--scorecard", str(board)]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [r for r in _rows(NON_ADMITTED) if r["Provider Code"] == "R1H"]
    by_tfc = {r["Treatment Function Code"]: int(r["Total 52 plus weeks"]) for r in rows}
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert "Trauma and Orthopaedic" in html and "Drill-downs" in html
    top = sorted((v for k, v in by_tfc.items() if k != "C_999"), reverse=True)[:3]
    assert all(f"{v:,}" in html for v in top)


def test_the_national_sheet_stores_englands_specialties_as_printed() -> None:
    """A level's sheet (rtt_levels) keeps its specialty rows too, as England's own parts."""
    from scorecard.sources import read_extract

    ex = read_extract(NATIONAL)
    assert ex.breakdowns is not None
    parts = {
        (m, k): v
        for org, m, k, v in ex.breakdowns.select(
            "org_code", "measure", "breakdown", "value"
        ).iter_rows()
        if org == "ENG"
    }
    for r in _rows(NATIONAL):
        key = r["Treatment Function Code"].removeprefix("IP")
        if key == "999":
            continue
        assert parts[("rtt_incomplete_total", key)] == int(r["Total number of incomplete pathways"])
        assert parts[("rtt_incomplete_within_18wk", key)] == int(r["Total within 18 weeks"])
    assert len(parts) == 3 * 19  # waiting list, within 18 weeks, over 52 weeks
