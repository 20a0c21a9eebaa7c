"""The issue's examples on NHS England's real files: an ambulance extract months ahead of A&E
does not move an acute trust's card to its month, and a month with no figures is one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard import api
from scorecard.cli import app
from scorecard.periods import Month

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
AE = REAL / "ae" / "September-2025-Csv-7hjr2.csv"
AMBSYS = REAL / "ambsys" / "AmbSYS_sample_2026-04_current_layout.csv"
runner = CliRunner()

pytestmark = pytest.mark.skipif(
    not (AE.is_file() and AMBSYS.is_file()), reason="real NHS England files not present"
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("real-default") / "store.duckdb"
    result = runner.invoke(app, ["ingest", str(AE), str(AMBSYS), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.mark.slow(seconds=12)
def test_each_card_is_at_its_own_latest_month(db: Path) -> None:
    catalogue = api.catalogue()
    with api.open_store(db) as store:
        assert store.latest_month() == Month(2026, 4)
        assert api.scorecard_for(store, catalogue, "RRF", None).period == Month(2025, 9)
        months = {c.org_code: c.period for c in api.every_scorecard(store, catalogue, None)}
    assert months["RRF"] == Month(2025, 9)
    # The ambulance trusts' cards (and England's) are at the month their own figures reach.
    assert months["ENG"] == Month(2026, 4)
    assert {c for c, m in months.items() if m == Month(2026, 4)} > {"ENG"}


def test_a_month_before_the_data_is_one_line(db: Path, tmp_path: Path) -> None:
    args = ["ae_4hr_all_pct", "--org", "RRF", "--period", "2019-01", "--db", str(db)]
    result = runner.invoke(app, ["chart", *args, "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: --period 2019-01: no figures for RRF in Jan 2019; the latest month with "
        "figures for RRF is Sep 2025 (--period 2025-09)\n"
    )
    assert not list(tmp_path.iterdir())
