"""Acceptance on NHS England's real AmbSYS files (skipped when ../shared is absent).

For every month in the file, England's published means (A25 category 1, A31 category 2) are
reproduced from totals and counts; England's 90th centiles are the published ones; quarters
and years of a centile are "Not available", never estimated.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard.cli import app

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "ambsys"
SERIES = REAL / "AmbSYS_2017-08_to_2021-01.csv"
CURRENT = REAL / "AmbSYS_sample_2026-04_current_layout.csv"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
runner = CliRunner()


def _published(path: Path) -> dict[str, dict[str, str]]:
    """England's row per month, read with the csv module (not the code under test)."""
    return {
        f"{int(r['Year']):04d}-{int(r['Month']):02d}": r
        for r in csv.DictReader(path.open())
        if r["Org Code"] == "Eng"
    }


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("amb") / "amb.duckdb"
    result = runner.invoke(app, ["ingest", str(SERIES), str(CURRENT), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _values(db: Path, indicator: str, window: str = "month") -> dict[str, dict[str, str]]:
    args = ["values", "--db", str(db), "--org", "ENG", "--indicator", indicator]
    result = runner.invoke(app, [*args, "--window", window])
    assert result.exit_code == 0, result.output
    return {r["period"]: r for r in csv.DictReader(io.StringIO(result.stdout))}


@pytest.mark.parametrize(("indicator", "field"), [("amb_c1_mean", "A25"), ("amb_c2_mean", "A31")])
def test_england_means_reproduce_the_published_fields(db: Path, indicator: str, field: str) -> None:
    published = _published(SERIES) | _published(CURRENT)
    rows = _values(db, indicator)
    assert set(rows) == set(published)
    for month, row in published.items():
        assert round(float(rows[month]["value"])) == int(row[field]), month


def test_england_centiles_are_the_published_ones(db: Path) -> None:
    published = _published(SERIES)
    rows = _values(db, "amb_c1_p90")
    for month, row in published.items():
        assert rows[month]["value"] == row["A26"]


def test_centiles_are_not_combined_over_a_quarter(db: Path) -> None:
    assert _values(db, "amb_c1_p90", "quarter") == {}
    result = runner.invoke(
        app, ["explain", "amb_c2_p90", "--db", str(db), "--org", "ENG", "--period", "2021-01"]
    )
    assert result.exit_code == 0, result.output
    assert "cannot be combined" in result.output


def test_april_2026_current_layout(db: Path) -> None:
    assert _values(db, "amb_c1_mean")["2026-04"]["rating"] == "Red"  # 460 s > 420 s
    c2 = _values(db, "amb_c2_mean")["2026-04"]
    assert round(float(c2["value"])) == 1467  # published A31
    assert c2["standard"] == "1080"


def test_region_means_reproduce_the_published_region_rows(db: Path) -> None:
    """Regions are rebuilt from their trusts (the file's region rows are not stored)."""
    published = {
        (f"{int(r['Year']):04d}-{int(r['Month']):02d}", r["Org Code"]): r
        for r in csv.DictReader(SERIES.open())
        if r["Org Code"].startswith("Y") and r["A25"] != "."
    }
    assert len(published) > 200
    regions = sorted({code for _, code in published})
    for region in regions:
        args = ["values", "--db", str(db), "--org", region, "--indicator", "amb_c1_mean"]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        rows = {r["period"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
        for (month, code), row in published.items():
            if code == region:
                assert round(float(rows[month]["value"])) == int(row["A25"]), (month, code)
