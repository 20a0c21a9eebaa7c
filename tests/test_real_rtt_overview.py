"""NHS England's RTT overview time series, read from the real workbook (skipped when absent).

England's incomplete pathways month by month from August 2007 to October 2022, as submitted:
October 2022 6,953,647 waiting, 60.15% within 18 weeks, 383,724 over 52 weeks, 46,157 over
78, 1,822 over 104, median 13.87 weeks; March 2019 4,233,414 / 86.70%; March 2020 4,235,970 /
79.69%. Its March 2015 line is the national file's IP999 row, and the national file ranks
first where both are stored.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.model import ENGLAND
from scorecard.sources import read_extracts

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "rtt"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
OVERVIEW = REAL / "RTT-Overview-Timeseries-October22.xlsx"
NATIONAL = REAL / "RTT-Incomplete-National-2015-03.csv"
runner = CliRunner()


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The overview and the national file of March 2015, in one command; what it said."""
    path = tmp_path_factory.mktemp("overview") / "rtt.duckdb"
    result = runner.invoke(app, ["ingest", str(OVERVIEW), str(NATIONAL), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path, result.output


@pytest.fixture(scope="module")
def db(ingested: tuple[Path, str]) -> Path:
    return ingested[0]


def _value(db: Path, indicator: str, period: str) -> dict[str, str]:
    args = ["values", "--db", str(db), "--org", ENGLAND, "--indicator", indicator]
    result = runner.invoke(app, [*args, "--period", period])
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    return row


def _shown(db: Path, indicator: str, period: str, places: int = 0) -> str:
    return f"{float(_value(db, indicator, period)['value']):,.{places}f}"


@pytest.mark.slow(seconds=10)
def test_acceptance_october_2022(db: Path) -> None:
    assert _shown(db, "rtt_waiting_list", "2022-10") == "6,953,647"
    assert _shown(db, "rtt_incomplete_18wk_pct", "2022-10", 2) == "60.15"
    assert _shown(db, "rtt_52wk_count", "2022-10") == "383,724"
    assert _shown(db, "rtt_78wk_count", "2022-10") == "46,157"
    assert _shown(db, "rtt_104wk_count", "2022-10") == "1,822"
    assert _shown(db, "rtt_incomplete_median_wk", "2022-10", 2) == "13.87"
    assert _shown(db, "rtt_incomplete_p92_wk", "2022-10", 2) == "46.53"


@pytest.mark.parametrize(
    ("period", "waiting", "within"),
    [("2019-03", "4,233,414", "86.70"), ("2020-03", "4,235,970", "79.69")],
)
def test_acceptance_march_2019_and_2020(db: Path, period: str, waiting: str, within: str) -> None:
    assert _shown(db, "rtt_waiting_list", period) == waiting
    assert _shown(db, "rtt_incomplete_18wk_pct", period, 2) == within


def test_a_long_monthly_history_from_august_2007() -> None:
    (extract,) = read_extracts(OVERVIEW)
    assert (extract.format, extract.scope) == ("rtt_overview_timeseries", "level:england:overview")
    months = extract.observations["period"].unique().sort()
    assert (months[0].isoformat(), months[-1].isoformat(), len(months)) == (
        "2007-08-01",
        "2022-10-01",
        183,
    )
    held = extract.observations.group_by("measure").len()
    counts = dict(held.iter_rows())
    assert counts["rtt_incomplete_total"] == 183
    assert counts["rtt_incomplete_over_104wk"] == 19  # April 2021 onwards
    assert counts["rtt_incomplete_p92_wk"] == 183 - 9  # `52+` in nine months, not stored
    said = " ".join(extract.warnings)
    assert "Apr 2007 to Jul 2007 (4 months): incomplete pathways not available" in said
    assert "Aug 2007 to Feb 2008, Feb 2021 to Mar 2021 (9 months)" in said


def test_the_overview_equals_the_national_file_and_ranks_below_it(
    ingested: tuple[Path, str],
) -> None:
    db, said = ingested
    assert "used in place of RTT-Overview-Timeseries-October22.xlsx" in said
    assert "differ" not in said  # every figure they share agrees
    row = _value(db, "rtt_incomplete_18wk_pct", "2015-03")
    assert (row["numerator"], row["denominator"]) == ("2800845", "3006877")
    assert _shown(db, "rtt_incomplete_median_wk", "2015-03", 2) == "5.56"
    # The 92nd percentile, which the national file does not print, still comes from the overview.
    assert _shown(db, "rtt_incomplete_p92_wk", "2015-03", 2) == "17.23"
    history = runner.invoke(
        app,
        ["history", "rtt_incomplete_median_wk", "--period", "2015-03", "--db", str(db)],
    )
    rows = list(csv.DictReader(io.StringIO(history.stdout)))
    assert [(r["format"], r["current"]) for r in rows] == [
        ("rtt_overview_timeseries", ""),
        ("rtt_national_sheet", "yes"),
    ]
