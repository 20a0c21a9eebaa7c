"""Window ratings on NHS England's real A&E provider-level sheets (skipped when ../shared is
absent).

Wrightington, Wigan and Leigh (RRF), March 2026: 78.1% of attendances within four hours in
the month (Amber against the 2025/26 planning target of 78%), but 25,959 of 37,100 (70.0%)
over January to March, Red for the quarter to date. The card shows both, each window with
its own rating, and a board rated by the quarter takes the quarter's Red.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard import api
from scorecard.cli import app
from scorecard.model import Rating, Window
from scorecard.periods import Month
from scorecard.render.html import render_html

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "ae"
SHEETS = REAL / "provider_level_sheet"
pytestmark = pytest.mark.skipif(not SHEETS.is_dir(), reason="../shared/data/real is absent")
FILES = ["January-2026-AE.csv", "February-2026-AE.csv", "March-2026-AE.csv", "System-Mapping.csv"]
MARCH = Month(2026, 3)
runner = CliRunner()
BOARD = """title = "Wigan board"
audience = "Governing body"
org = "RRF"
rate_by = "quarter"

[[domains]]
name = "Urgent care"

[[domains.rows]]
indicator = "ae_4hr_all_pct"
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("windows") / "ae.duckdb"
    result = runner.invoke(app, ["ingest", *(str(SHEETS / f) for f in FILES), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_the_card_rates_the_month_amber_and_the_quarter_red(db: Path) -> None:
    with api.open_store(db) as store:
        card = api.scorecard_for(store, api.catalogue(), "RRF", MARCH)
    row = next(r for r in card.rows if r.indicator.id == "ae_4hr_all_pct")
    assert row.month.rating.rating is Rating.AMBER
    assert (row.quarter.value.numerator, row.quarter.value.denominator) == (25959, 37100)
    assert row.quarter.rating.rating is Rating.RED
    assert row.quarter.rating.rule.startswith("Red: 70.0% is below the lower threshold 78.0%")
    html = render_html(card)
    cell = html[html.index("Q4 2025/26 (Jan&#8211;Mar 2026)") :]
    assert cell.index('class="sc-rag sc-rag-red"') < cell.index("</td>")


def test_explain_and_the_card_agree_on_the_quarter(db: Path) -> None:
    args = ["explain", "ae_4hr_all_pct", "--db", str(db), "--org", "RRF", "--period", "2026-03"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Quarter to date: Red: 70.0% is below the lower threshold 78.0%" in result.output
    assert "Month: Amber: 78.1% is between" in result.output


def test_a_board_rated_by_the_quarter_is_red(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "wigan.toml"
    path.write_text(BOARD, encoding="utf-8")
    catalogue = api.catalogue()
    with api.open_store(db) as store:
        card = api.board_for(store, catalogue, api.board_spec(path, catalogue), MARCH)
    assert card.rate_by is Window.QUARTER
    assert card.domains[0].rating is Rating.RED
    assert [r.exception for r in card.exceptions] == ["Red (quarter to date)"]
