"""Acceptance on NHS England's real cancer waiting times sheets (skipped when ../shared is absent).

July 2024, commissioner basis, as published in each sheet's ALL ENGLISH COMMISSIONERS rows:
FDS 224,491 of 294,616 told within 28 days (76.2%); 31 days 55,789 of 60,665 (92.0%); 62 days
20,361 of 29,924 (68.0%). Expected values are read from the files with the csv module.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.errors import SourceError
from scorecard.sources import read_extract

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "cwt"
FILES = sorted((REAL / "csv").glob("CWT-Commissioner-2024-07_*.csv"))
SHEETS = ("28-DAY-FDS-ALL-ROUTES", "31-DAY-ALL-CANCER", "62-DAY-ALL-CANCER", "62-DAY-BY-CANCER")
FDS, D31, D62, BY_CANCER = (REAL / "csv" / f"CWT-Commissioner-2024-07_{s}.csv" for s in SHEETS)
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
runner = CliRunner()
NATIONAL = "ALL ENGLISH COMMISSIONERS"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cwt") / "cwt.duckdb"
    args = ["ingest", *map(str, FILES), "--db", str(path), "--period", "2024-07"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return path


def _values(db: Path, org: str) -> dict[str, dict[str, str]]:
    args = ["values", "--db", str(db), "--org", org, "--period", "2024-07"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = csv.DictReader(io.StringIO(result.stdout))
    return {r["indicator_id"]: r for r in rows}


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))[1:]


def _row(path: Path, code: str, name: str, section: str) -> tuple[str, str]:
    """(TOTAL, WITHIN) of the row for `code` (or the national row) in a section."""
    width = 3 if path == FDS else 4
    for r in _rows(path):
        if r[0] == code and r[2] == section and (code or r[1] == name):
            return r[width], r[width + 1]
    raise AssertionError((path.name, code, section))


def test_england_reproduces_the_published_totals(db: Path) -> None:
    rows = _values(db, "ENG")
    expected = {
        "cwt_fds_28d_pct": ("224491", "294616", "76.2", FDS, "ALL ROUTES"),
        "cwt_31d_combined_pct": ("55789", "60665", "92.0", D31, "ALL STAGES"),
        "cwt_62d_combined_pct": ("20361", "29924", "68.0", D62, "ALL ROUTES"),
    }
    for indicator, (num, den, pct, path, section) in expected.items():
        row = rows[indicator]
        assert (row["numerator"], row["denominator"]) == (num, den), indicator
        assert f"{float(row['value']):.1f}" == pct, indicator
        assert _row(path, "", NATIONAL, section) == (den, num)


def test_england_ratings_against_the_standards_in_force(db: Path) -> None:
    rows = _values(db, "ENG")
    # FDS: 76.2% meets the 75% standard but not the 2024/25 plan of 77%.
    fds = rows["cwt_fds_28d_pct"]
    assert (fds["standard"], fds["lower_threshold"], fds["rating"]) == ("77", "75", "Amber")
    assert rows["cwt_31d_combined_pct"]["rating"] == "Red"  # 92.0% < 96%, no Amber band
    assert rows["cwt_62d_combined_pct"]["lower_threshold"] == "70"
    assert rows["cwt_62d_combined_pct"]["rating"] == "Red"  # 68.0% < the 70% plan


def test_retired_standards_are_re_derived_from_the_route_sections(db: Path) -> None:
    rows = _values(db, "ENG")
    for indicator, path, section in (
        ("cwt_31d_first_pct", D31, "First Treatment"),
        ("cwt_62d_usc_pct", D62, "Urgent Suspected Cancer"),
        ("cwt_62d_screening_pct", D62, "Screening"),
    ):
        total, within = _row(path, "", NATIONAL, section)
        assert (rows[indicator]["numerator"], rows[indicator]["denominator"]) == (within, total)
        assert rows[indicator]["rating"] == "Not rated"  # retired at the end of September 2023


def test_an_icb_equals_its_own_rows(db: Path) -> None:
    """NHS Greater Manchester ICB (QOP), from its rows read with the csv module."""
    rows = _values(db, "QOP")
    for indicator, path, section in (
        ("cwt_fds_28d_pct", FDS, "ALL ROUTES"),
        ("cwt_31d_combined_pct", D31, "ALL STAGES"),
        ("cwt_62d_combined_pct", D62, "ALL ROUTES"),
    ):
        total, within = _row(path, "QOP", "", section)
        assert (rows[indicator]["numerator"], rows[indicator]["denominator"]) == (within, total)
        assert float(rows[indicator]["value"]) == pytest.approx(100 * float(within) / float(total))
    tumours = [r for r in _rows(BY_CANCER) if r[0] == "QOP" and r[2] == "ALL ROUTES"]
    assert sum(float(r[4]) for r in tumours) == float(_row(D62, "QOP", "", "ALL ROUTES")[0])


def test_unknown_commissioner_is_kept_so_england_adds_up(db: Path) -> None:
    fds = _values(db, "UNKNOWN")["cwt_fds_28d_pct"]
    assert (fds["numerator"], fds["denominator"]) == _row(FDS, "UNKNOWN", "", "ALL ROUTES")[::-1]
    assert fds["denominator"] == "842"  # without it England would be 293,774, not 294,616


def test_by_cancer_sheet_is_the_drill_down_of_the_route_totals() -> None:
    ex = read_extract(BY_CANCER)
    assert ex.scope == "62d_cancer" and ex.observations.is_empty()
    assert ex.breakdowns is not None
    parts = ex.breakdowns.filter(pl.col("dimension") == "cancer_type")
    treated = parts.filter(pl.col("measure") == "cwt_62d_treated")["value"].sum()
    within = parts.filter(pl.col("measure") == "cwt_62d_within_62d")["value"].sum()
    assert (treated, within) == (29924.0, 20361.0)  # the ALL ROUTES totals
    national = {r[3]: r[4] for r in _rows(BY_CANCER) if not r[0] and r[2] == "ALL ROUTES"}
    lung = parts.filter((pl.col("measure") == "cwt_62d_treated") & (pl.col("breakdown") == "lung"))
    assert lung["value"].sum() == float(national["Lung"]) == 3280.0


def test_month_comes_from_the_file_name() -> None:
    for path in FILES:
        ex = read_extract(path)
        frame = ex.observations if ex.breakdowns is None else ex.breakdowns
        assert frame["period"].unique().to_list() == [dt.date(2024, 7, 1)], path.name


def test_quarterly_provider_workbook_is_refused_in_one_line() -> None:
    for path in sorted((REAL / "csv").glob("CWT-Provider-2015-16-Q2_*.csv")):
        with pytest.raises(SourceError) as info:
            read_extract(path)
        assert "quarterly" in info.value.problem and "\n" not in str(info.value)
