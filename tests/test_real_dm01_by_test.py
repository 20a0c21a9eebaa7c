"""Acceptance on NHS England's real DM01 "Provider by Test" sheet (skipped when ../shared is
absent): the March 2020 sheet saved as CSV beside that month's Provider sheet, and the April
2019 workbook with both sheets.

Figures are those the files print: England's Total row (13+ weeks 9,348 of 838,569 waiting
in March 2020; tests done 146,716 planned, 257,849 unscheduled and 1,116,175 from the waiting
list), a provider's Total and test rows (RF4, Barking, Havering and Redbridge: MRI 2,050
waiting, 67 for 6+ weeks, 14 for 13+), and each row's `Percentage waiting 6+ weeks`. The
sheet prints England only as a whole; England by test is the sum of the providers' rows for
the test (MRI: 160,769 waiting, 15,630 for 6+ weeks, 9.72%), as NHS England's tests add up
to each Total row.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.dimensions import diagnostics
from scorecard.store import Store

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "dm01"
BY_TEST = REAL / "DM01-ProviderByTest-2020-03.csv"
PROVIDER = REAL / "provider_csv" / "DM01-Provider-2020-03.csv"
XLS = REAL / "original_xls" / "Monthly-Diagnostics-Web-File-Provider-2019-04.xls"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
runner = CliRunner()
COLUMNS = {
    "dm01_waiting_list": "Total Waiting List",
    "dm01_waiting_6wk_plus": "Number waiting 6+ Weeks",
    "dm01_waiting_13wk_plus": "Number waiting 13+ Weeks",
    "dm01_activity_planned": "Planned tests / procedures",
    "dm01_activity_unscheduled": "Unscheduled tests / procedures",
    "dm01_activity_waiting_list": "Waiting list tests / procedures (excluding planned)",
}


def _ingest(db: Path, *files: Path) -> str:
    result = runner.invoke(app, ["ingest", *map(str, files), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("dm01") / "both.duckdb"
    said = _ingest(db, BY_TEST, PROVIDER)  # one command: no refusal, whichever order
    assert "its figures by part are used" in said
    return db


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("dm01") / "alone.duckdb"
    _ingest(db, BY_TEST)
    return db


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("dm01") / "xls.duckdb"
    said = _ingest(db, XLS)
    assert "[Provider by Test]: dm01_provider_by_test_csv, dm01 2019-04" in said
    return db


def _values(db: Path, org: str, period: str) -> dict[str, str]:
    args = ["values", "--db", str(db), "--org", org, "--period", period]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = csv.DictReader(io.StringIO(result.stdout))
    return {r["indicator_id"]: r["value"] for r in rows if r["indicator_id"].startswith("dm01")}


def _sql(db: Path, sql: str) -> list[tuple[object, ...]]:
    store = Store.open(db, read_only=True)
    try:
        return store.con.execute(sql).fetchall()
    finally:
        store.close()


def _parts(db: Path, org: str | None, test: str) -> dict[str, float]:
    """A test's figures for a provider, or England (None: the providers' sum)."""
    where = f"AND org_code = '{org}'" if org else ""
    rows = _sql(
        db,
        "SELECT measure, sum(value) FROM current_breakdowns WHERE dimension = "
        f"'diagnostic_test' AND breakdown = '{test}' {where} GROUP BY measure",
    )
    return {str(m): float(v) for m, v in rows}  # type: ignore[arg-type]


def _rows() -> list[dict[str, str]]:
    return list(csv.DictReader(BY_TEST.open()))


@pytest.mark.parametrize("store", ["both", "alone"])
def test_england_whole_equals_the_sheets_england_row(
    store: str, request: pytest.FixtureRequest
) -> None:
    db = request.getfixturevalue(store)
    got = _values(db, "ENG", "2020-03")
    assert got["dm01_waiting_list"] == "838569"
    assert f"{float(got['dm01_6wk_pct']):.2f}" == "10.19"
    assert got["dm01_13wk_count"] == "9348"
    assert f"{float(got['dm01_13wk_pct']):.2f}" == "1.11"  # 9,348 / 838,569
    assert got["dm01_activity_planned"] == "146716"
    assert got["dm01_activity_unscheduled"] == "257849"
    assert got["dm01_activity_waiting_list"] == "1116175"
    assert got["dm01_activity"] == str(146716 + 257849 + 1116175)


def test_a_provider_whole_and_by_test(both: Path) -> None:
    got = _values(both, "RF4", "2020-03")
    assert (got["dm01_waiting_list"], got["dm01_13wk_count"]) == ("10128", "201")
    assert f"{float(got['dm01_6wk_pct']) / 100:.15g}" == "0.0751382306477093"  # as printed
    assert got["dm01_activity"] == str(1280 + 2081 + 13683)
    mri = _parts(both, "RF4", "mri")
    assert mri == {
        "dm01_waiting_list": 2050,
        "dm01_waiting_6wk_plus": 67,
        "dm01_waiting_13wk_plus": 14,
        "dm01_activity_planned": 188,
        "dm01_activity_unscheduled": 482,
        "dm01_activity_waiting_list": 2250,
    }
    assert _parts(both, "RF4", "urodynamics")["dm01_waiting_6wk_plus"] == 33


def test_england_by_test_is_the_providers_rows_for_it(both: Path) -> None:
    mri = _parts(both, None, "mri")
    assert (mri["dm01_waiting_list"], mri["dm01_waiting_6wk_plus"]) == (160769, 15630)
    assert mri["dm01_waiting_13wk_plus"] == 1035
    assert f"{100 * mri['dm01_waiting_6wk_plus'] / mri['dm01_waiting_list']:.2f}" == "9.72"
    ct = _parts(both, None, "ct")
    assert (ct["dm01_waiting_list"], ct["dm01_waiting_6wk_plus"]) == (115602, 8740)
    assert ct["dm01_activity_unscheduled"] == 146227


def test_every_row_reproduces_its_published_percentage(both: Path) -> None:
    parts = _sql(
        both,
        "SELECT org_code, breakdown, max(value) FILTER (measure = 'dm01_waiting_6wk_plus'), "
        "max(value) FILTER (measure = 'dm01_waiting_list') FROM current_breakdowns GROUP BY ALL",
    )
    shares = {(o, b): (s / n if n else 0.0) for o, b, s, n in parts}  # type: ignore[operator]
    checked = 0
    for r in _rows():
        if r["Provider Code"] and r["Diagnostic Test Name"] != "Total":
            key = (r["Provider Code"], diagnostics.key(r["Diagnostic Test Name"]))
            assert shares[key] == pytest.approx(float(r["Percentage waiting 6+ weeks"]), abs=1e-14)
            checked += 1
    assert checked == len(parts) == 3043 - 1 - 392


def test_the_tests_add_up_to_each_total_row_and_to_england(both: Path) -> None:
    rows = _sql(
        both,
        "SELECT o.org_code, o.measure, o.value, p.value FROM current_observations o JOIN "
        "(SELECT org_code, measure, sum(value) AS value FROM current_breakdowns GROUP BY ALL) p "
        "USING (org_code, measure)",
    )
    assert len(rows) == 392 * 6 and all(whole == parts for _, _, whole, parts in rows)
    england = next(r for r in _rows() if r["Provider Name"] == "Total")
    rows = _sql(both, "SELECT measure, sum(value) FROM current_breakdowns GROUP BY 1")
    summed = {str(m): float(v) for m, v in rows}  # type: ignore[arg-type]
    assert {m: int(summed[m]) for m in COLUMNS} == {m: int(england[c]) for m, c in COLUMNS.items()}


def test_the_two_sheets_agree(both: Path) -> None:
    """On every provider the by-test sheet lists; the 5 it leaves out have nothing to report."""
    differ = _sql(
        both,
        "SELECT count(*) FROM observations a JOIN observations b USING (org_code, measure) "
        "JOIN loads la ON la.load_id = a.load_id JOIN loads lb ON lb.load_id = b.load_id "
        "WHERE la.format = 'dm01_provider_by_test_csv' AND lb.format = 'dm01_provider_csv' "
        "AND a.value <> b.value",
    )
    assert differ == [(0,)]
    left_out = _sql(
        both,
        "SELECT org_code, sum(value) FROM current_observations WHERE org_code NOT IN "
        "(SELECT org_code FROM current_breakdowns) GROUP BY 1 ORDER BY 1",
    )
    assert left_out == [(c, 0.0) for c in ("AAH", "NT212", "NT238", "NT241", "NVC14")]


def test_the_workbook_reads_both_sheets(book: Path) -> None:
    got = _values(book, "ENG", "2019-04")
    assert (got["dm01_waiting_list"], got["dm01_13wk_count"]) == ("1054527", "5189")
    assert f"{float(got['dm01_6wk_pct']):.2f}" == "3.58"
    assert got["dm01_activity"] == str(208228 + 303809 + 1405271)
    mri = _parts(book, "RF4", "mri")
    assert (mri["dm01_waiting_list"], mri["dm01_waiting_6wk_plus"]) == (2646, 143)
    assert mri["dm01_waiting_13wk_plus"] == 68
    used = _sql(
        book, "SELECT DISTINCT l.format FROM current_observations JOIN loads l USING (load_id)"
    )
    assert used == [("dm01_provider_csv",)]  # the Provider sheet lists every provider
    rows = _sql(
        book,
        "SELECT count(*), count(*) FILTER (o.value = p.value) FROM current_observations o JOIN "
        "(SELECT org_code, measure, sum(value) AS value FROM current_breakdowns GROUP BY ALL) p "
        "USING (org_code, measure)",
    )
    assert rows[0][0] == rows[0][1] == 397 * 6  # the tests add up to every Total row


def _by_part(db: Path, *args: str) -> dict[str, dict[str, str]]:
    result = runner.invoke(app, ["values", "--db", str(db), "--period", "2020-03", *args])
    assert result.exit_code == 0, result.output
    return {r["breakdown"]: r for r in csv.DictReader(io.StringIO(result.stdout))}


def test_values_by_test_end_to_end(both: Path) -> None:
    """`scorecard values --breakdown`: England by test is the providers' sum for the test."""
    england = _by_part(
        both, "--org", "ENG", "--indicator", "dm01_6wk_pct", "--breakdown", "diagnostic_test"
    )
    assert sorted(england) == sorted(diagnostics.LABELS)
    mri = england["mri"]
    assert (mri["numerator"], mri["denominator"]) == ("15630", "160769")
    assert f"{float(mri['value']):.2f}" == "9.72"
    assert mri["breakdown_name"] == "Magnetic Resonance Imaging"
    assert f"{float(england['colonoscopy']['value']):.2f}" == "20.91"  # 9,317 / 44,561
    rf4 = _by_part(both, "--org", "RF4", "--indicator", "dm01_13wk_count", "--breakdown", "MRI")
    assert rf4["mri"]["value"] == "14"
    activity = _by_part(both, "--org", "ENG", "--indicator", "dm01_activity", "--breakdown", "ct")
    assert activity["ct"]["value"] == str(38140 + 146227 + 252536)
