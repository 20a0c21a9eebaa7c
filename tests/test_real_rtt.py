"""Acceptance on NHS England's real RTT files (skipped when ../shared is absent).

March 2015, commissioner basis: 2,800,845 of 3,006,877 incomplete pathways within 18 weeks,
93.15%, as published in the sheet's own National tab and the RTT overview time series.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard.cli import app

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "rtt"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rtt") / "rtt.duckdb"
    src = REAL / "RTT-Incomplete-Commissioner-2015-03.csv"
    result = runner.invoke(app, ["ingest", str(src), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _value(db: Path, indicator: str, org: str = "ENG") -> dict[str, str]:
    args = ["values", "--db", str(db), "--org", org, "--indicator", indicator]
    result = runner.invoke(app, [*args, "--period", "2015-03"])
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    return row


def test_march_2015_england_within_18_weeks(db: Path) -> None:
    row = _value(db, "rtt_incomplete_18wk_pct")
    assert (row["numerator"], row["denominator"]) == ("2800845", "3006877")
    assert f"{float(row['value']):.2f}" == "93.15"
    assert row["rating"] == "Green"  # at or above 92%


def test_england_matches_the_national_sheet() -> None:
    """The National tab's IP999 row, read with the csv module, equals our commissioner sum."""
    national = next(
        r
        for r in csv.DictReader((REAL / "RTT-Incomplete-National-2015-03.csv").open())
        if r["Treatment Function Code"] == "IP999"
    )
    assert national["Total number of incomplete pathways"].replace(",", "") == "3006877"


def test_specialty_rows_are_not_added_to_the_total(db: Path) -> None:
    row = _value(db, "rtt_waiting_list", "00C")
    src = csv.DictReader((REAL / "RTT-Incomplete-Commissioner-2015-03.csv").open())
    total = next(
        r for r in src if r["CCG Code"] == "00C" and r["Treatment Function Code"] == "IP999"
    )
    assert row["value"] == total["Total number of incomplete pathways"].replace(",", "")
