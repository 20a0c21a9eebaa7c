"""Acceptance on NHS England's real DM01 provider files (skipped when ../shared is absent).

Published England figures, 6+ week waits: 3.58% in April 2019 and 10.19% in March 2020;
each file's own Total row carries the published fraction for its month.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard.cli import app

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "dm01"
FILES = sorted((REAL / "provider_csv").glob("DM01-Provider-*.csv"))
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dm01") / "dm01.duckdb"
    result = runner.invoke(app, ["ingest", *map(str, FILES), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _values(db: Path, *args: str) -> dict[str, dict[str, str]]:
    result = runner.invoke(app, ["values", "--db", str(db), "--org", "ENG", *args])
    assert result.exit_code == 0, result.output
    return {r["period"]: r for r in csv.DictReader(io.StringIO(result.stdout))}


def test_england_six_week_waits_match_published(db: Path) -> None:
    rows = _values(db, "--indicator", "dm01_6wk_pct")
    assert len(rows) == 12
    assert f"{float(rows['2019-04']['value']):.2f}" == "3.58"
    assert f"{float(rows['2020-03']['value']):.2f}" == "10.19"
    assert rows["2019-04"]["denominator"] == "1054527"
    assert rows["2020-03"]["denominator"] == "838569"
    assert rows["2019-04"]["rating"] == "Red"  # above the 1% standard, no interim band then


def test_every_month_equals_the_files_own_total_row(db: Path) -> None:
    rows = _values(db, "--indicator", "dm01_6wk_pct")
    for path in FILES:
        total = next(r for r in csv.DictReader(path.open()) if r["Provider Name"] == "Total")
        month = path.stem[-7:]
        assert float(rows[month]["value"]) == pytest.approx(
            100 * float(total["Percentage waiting 6+ weeks"]), abs=1e-9
        )


def test_quarter_shows_the_quarter_end_position_not_a_sum(db: Path) -> None:
    month = _values(db, "--indicator", "dm01_waiting_list")
    quarter = _values(db, "--indicator", "dm01_waiting_list", "--window", "quarter")
    assert quarter["2020-03"]["value"] == month["2020-03"]["value"] == "838569"
