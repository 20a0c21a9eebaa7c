"""Roll-ups on NHS England's real files: the System-Mapping lookup and A&E April 2025.

Skipped when ../shared is absent. ICB figures are checked against sums computed here,
independently, from the published CSV rows; the seven regions must add up to England.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard.cli import app

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "ae"
AE = REAL / "Monthly-AE-April-2025.csv"
MAPPING = REAL / "provider_level_sheet" / "System-Mapping.csv"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
runner = CliRunner()
ATTENDANCES = (4, 5, 6, 7, 8, 9)  # all types, booked appointments included
OVER_4H = (10, 11, 12, 13, 14, 15)
REGIONS = ("Y56", "Y58", "Y59", "Y60", "Y61", "Y62", "Y63")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rollups") / "s.duckdb"
    result = runner.invoke(app, ["ingest", str(AE), str(MAPPING), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _values(db: Path, *args: str) -> dict[str, tuple[float, float]]:
    result = runner.invoke(app, ["values", "--db", str(db), "--indicator", "ae_4hr_all_pct", *args])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.output.splitlines()))
    return {r["org_code"]: (float(r["numerator"]), float(r["denominator"])) for r in rows}


def _published_sums(codes: set[str]) -> tuple[float, float]:
    with AE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[1:]
    mine = [r for r in rows if r[1] in codes]
    attendances = sum(int(r[i]) for r in mine for i in ATTENDANCES)
    over = sum(int(r[i]) for r in mine for i in OVER_4H)
    return attendances - over, attendances


def _icb_members(icb: str) -> set[str]:
    with MAPPING.open(encoding="utf-8", newline="") as f:
        return {r["Code"] for r in csv.DictReader(f) if r["ICB Code"] == icb}


@pytest.mark.parametrize("icb", ["QOP", "QE1", "QMF", "QHG"])
def test_icb_is_the_sum_of_its_providers_in_the_lookup(db: Path, icb: str) -> None:
    got = _values(db, "--org", icb)[icb]
    assert got == _published_sums(_icb_members(icb))


def test_regions_add_up_to_england(db: Path) -> None:
    values = _values(db)
    regions = [values[r] for r in REGIONS]
    assert sum(n for n, _ in regions) == values["ENG"][0]
    assert sum(d for _, d in regions) == values["ENG"][1]
    # ... and England is the published national 74.8%.
    assert round(100 * values["ENG"][0] / values["ENG"][1], 1) == 74.8


def test_build_for_a_region(db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--db", str(db), "--org", "Y56", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "scorecard-Y56-2025-04.html").read_text(encoding="utf-8")
    assert "NHS England London" in html
    assert "Region figures add up the numerators and denominators" in html
