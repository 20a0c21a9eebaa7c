"""Acceptance on NHS England's real AmbSYS files (skipped when ../shared is absent).

For every month in the file, England's published means (A25 category 1, A31 category 2) are
reproduced from totals and counts; England's and every region's 90th centiles are the
published ones; quarters and years of a centile are "Not available", never estimated. With
NHS England's System-Mapping lookup stored too, no ICB gets an ambulance figure: QRL
(Hampshire and Isle of Wight) is not the Isle of Wight trust, nor QJK (Devon) South Western.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.model import ENGLAND

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "ambsys"
SERIES = REAL / "AmbSYS_2017-08_to_2021-01.csv"
CURRENT = REAL / "AmbSYS_sample_2026-04_current_layout.csv"
MAPPING = REAL.parent / "ae" / "provider_level_sheet" / "System-Mapping.csv"
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
    files = [str(SERIES), str(CURRENT), *([str(MAPPING)] if MAPPING.is_file() else [])]
    result = runner.invoke(app, ["ingest", *files, "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _values(
    db: Path, indicator: str, window: str = "month", org: str = "ENG"
) -> dict[str, dict[str, str]]:
    args = ["values", "--db", str(db), "--org", org, "--indicator", indicator]
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
    args = ["values", "--db", str(db), "--org", "ENG", "--indicator", "amb_c1_p90"]
    result = runner.invoke(app, [*args, "--window", "quarter"])
    # No quarter figure: an empty table, or a one-line refusal saying why.
    if result.exit_code == 0:
        assert list(csv.DictReader(io.StringIO(result.stdout))) == []
    else:
        (line,) = result.output.strip().splitlines()
        assert result.exit_code == 1 and "amb_c1_p90" in line
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
    """A region's figure is its own published row (stored, never rebuilt from trusts)."""
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


def _rows(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    return {
        (f"{int(r['Year']):04d}-{int(r['Month']):02d}", r["Org Code"]): r
        for r in csv.DictReader(path.open())
    }


@pytest.mark.parametrize("path", [SERIES, CURRENT], ids=["2017-2021", "2026-04"])
def test_region_centiles_are_the_published_region_rows(db: Path, path: Path) -> None:
    """A region's 90th centile cannot be made from its trusts': it is read as published."""
    published = {k: r for k, r in _rows(path).items() if k[1].startswith("Y")}
    for region in sorted({code for _, code in published}):
        got = _values(db, "amb_c2_p90", org=region)
        for (month, code), row in published.items():
            if code == region:
                assert got.get(month, {}).get("value", ".") == row["A32"], (month, code)


def test_no_icb_has_an_ambulance_figure(db: Path) -> None:
    if not MAPPING.is_file():
        pytest.skip("System-Mapping.csv is absent")
    mapped = {r["Code"]: r["ICB Code"] for r in csv.DictReader(MAPPING.open(encoding="utf-8"))}
    assert mapped["R1F"] == "QRL" and mapped["RYF"] == "QJK"  # trusts the lookup puts in ICBs
    args = ["values", "--db", str(db), "--indicator", "amb_c1_mean", "--period", "2026-04"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    orgs = {r["org_code"] for r in csv.DictReader(io.StringIO(result.stdout))}
    trusts = {code for (month, code) in _rows(CURRENT) if month == "2026-04"}
    assert orgs == {ENGLAND if c == "Eng" else c for c in trusts}  # 11 trusts, 7 regions, ENG
    assert not orgs & set(mapped.values())


@pytest.mark.parametrize(
    ("indicator", "field"),
    [
        ("amb_c1t_mean", "A28"),
        ("amb_c3_mean", "A34"),
        ("amb_c4_mean", "A37"),
        ("amb_c1t_p90", "A29"),
        ("amb_incidents", "A7"),
        ("amb_calls_answered", "A1"),
    ],
)
def test_the_other_published_ambulance_measures_reproduce_englands_row(
    db: Path, indicator: str, field: str
) -> None:
    """Category 1T, 3 and 4 means (total / incidents), the 1T centile and the activity
    counts give England's published figure in every month that has one, and none where
    the field is not published."""
    published = {m: r[field] for m, r in (_published(SERIES) | _published(CURRENT)).items()}
    rows = _values(db, indicator)
    assert {m for m, v in published.items() if v != "."} == set(rows)
    for month, value in rows.items():
        assert abs(float(value["value"]) - float(published[month])) <= 0.5, month
        assert value["rating"] == "Not rated"
