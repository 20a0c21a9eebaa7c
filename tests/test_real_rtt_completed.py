"""Acceptance on NHS England's real RTT non-admitted completed-pathways sheet (skipped when
../shared is absent): September 2025, provider basis, 150 trusts. Expected figures are
recomputed here from the file with the csv module, not taken from the adapter.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.sources import detect_format, read_extract

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "rtt"
FILE = REAL / "RTT-NonAdmitted-Provider-2025-09.csv"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
WITHIN = [f">{w}-{w + 1}" for w in range(18)]
KNOWN = "Total number of completed pathways (with a known clock start)"
runner = CliRunner()


def _totals() -> list[dict[str, str]]:
    with FILE.open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["Treatment Function Code"] == "C_999"]


def _expected(rows: list[dict[str, str]]) -> tuple[int, int]:
    numerator = sum(int(r[b]) for r in rows for b in WITHIN)
    return numerator, sum(int(r[KNOWN]) for r in rows)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rtt_completed") / "rtt.duckdb"
    result = runner.invoke(app, ["ingest", str(FILE), "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert "rtt_completed_sheet" in result.output
    return path


def _value(db: Path, org: str) -> dict[str, str]:
    args = ["values", "--db", str(db), "--org", org, "--period", "2025-09"]
    result = runner.invoke(app, [*args, "--indicator", "rtt_nonadmitted_18wk_pct"])
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    return row


def test_england_non_admitted_within_18_weeks(db: Path) -> None:
    rows = _totals()
    assert len(rows) == 150
    assert sum(int(r["Total number of completed pathways (all)"]) for r in rows) == 1_185_980
    numerator, denominator = _expected(rows)
    row = _value(db, "ENG")
    assert (row["numerator"], row["denominator"]) == (str(numerator), str(denominator))
    assert float(row["value"]) == pytest.approx(100 * numerator / denominator)
    assert row["rating"] == "Not rated"  # the 95% standard ended in 2015


def test_one_provider(db: Path) -> None:
    numerator, denominator = _expected([r for r in _totals() if r["Provider Code"] == "R1H"])
    row = _value(db, "R1H")
    assert (row["numerator"], row["denominator"]) == (str(numerator), str(denominator))
    assert row["rating"] == "Not rated"


def test_each_real_rtt_file_goes_to_its_adapter() -> None:
    expected = {
        "RTT-Incomplete-Commissioner-2015-03.csv": "rtt_incomplete_sheet",
        "RTT-Incomplete-National-2015-03.csv": "rtt_national_sheet",
        FILE.name: "rtt_completed_sheet",
    }
    got = {p.name: detect_format(p.name, p.read_bytes()).name for p in REAL.glob("*.csv")}
    assert got == expected
    # No organisation columns: England's own sheet (tests/test_real_rtt_levels.py).
    national = read_extract(REAL / "RTT-Incomplete-National-2015-03.csv")
    assert national.orgs["org_code"].to_list() == ["ENG"]


def test_nhs_england_file_name(tmp_path: Path) -> None:
    """The name NHS England publishes under (`Sep25`) gives the month and the kind."""
    copy = tmp_path / "NonAdmitted-Provider-Sep25-XLSX-4M-87700.csv"
    shutil.copyfile(FILE, copy)
    ex = read_extract(copy)
    assert ex.scope == "nonadmitted"
    assert {str(d) for d in ex.observations["period"]} == {"2025-09-01"}
