"""The default month is each card's own latest month with figures; a month with none, and a
build that would write nothing asked for, are refused in one line (exit 1)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard import api
from scorecard.cli import app
from scorecard.errors import UsageError
from scorecard.periods import Month

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
HEADER = "Indicator,Org Code,Period,Value,Numerator,Denominator,Plan,Comment\n"
# ZA1 reports April to September 2025; ZX1 reported once, months later (like a small
# ambulance extract for April 2026 in a store of 2025 figures); ZA1's MRSA count is old.
ZA1 = [f"cdiff_cases,ZA1,2025-{m:02d},{m},,,4,\n" for m in range(4, 10)]
ZX1 = ["cdiff_cases,ZX1,2026-04,2,,,4,\n"]
OLD = ["mrsa_cases,ZA1,2023-01,1,,,,\n"]
BOARD = """title = "Board"
audience = "Trust board"
org = "ZA1"

[[domains]]
name = "Safe"

[[domains.rows]]
indicator = "cdiff_cases"

[[domains.rows]]
indicator = "mrsa_cases"
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("default-period")
    local = folder / "local.csv"
    local.write_text(HEADER + "".join(ZA1 + ZX1 + OLD), encoding="utf-8")
    path = folder / "store.duckdb"
    result = runner.invoke(app, ["ingest", str(local), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _one_line_error(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    return result.stderr


def test_each_card_defaults_to_its_own_latest_month(db: Path) -> None:
    catalogue = api.catalogue()
    with api.open_store(db) as store:
        assert store.latest_month() == Month(2026, 4)
        assert api.scorecard_for(store, catalogue, "ZA1", None).period == Month(2025, 9)
        assert api.scorecard_for(store, catalogue, "ZX1", None).period == Month(2026, 4)
        cards = {c.org_code: c.period for c in api.every_scorecard(store, catalogue, None)}
    # Local measures never add up into ICBs or England: nobody else has a card.
    assert cards == {"ZA1": Month(2025, 9), "ZX1": Month(2026, 4)}


def test_a_board_defaults_to_its_rows_latest_month(db: Path, tmp_path: Path) -> None:
    board = tmp_path / "board.toml"
    board.write_text(BOARD, encoding="utf-8")
    catalogue = api.catalogue()
    with api.open_store(db) as store:
        card = api.board_for(store, catalogue, api.board_spec(board, catalogue), None)
    assert card.period == Month(2025, 9)
    cdiff, mrsa = card.rows
    assert cdiff.month.value.value == 9
    # A row with no figure in the look-back still says so, beside rows that have figures.
    assert mrsa.month.rating.rule == "No data for Sep 25"
    out = tmp_path / "out"
    args = ["build", "--db", str(db), "--scorecard", str(board), "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (out / "board-ZA1-2025-09.html").is_file()
    message = _one_line_error([*args, "--period", "2026-04"])
    assert "no figures for the rows of board.toml in Apr 2026" in message
    assert "latest month with figures for the rows of board.toml is Sep 2025" in message
    assert not list(out.glob("*2026-04*"))


@pytest.mark.parametrize("period", ["2030-01", "2026-04", "2024-12"])
def test_a_month_with_no_figures_is_refused_naming_the_latest(
    db: Path, tmp_path: Path, period: str
) -> None:
    out = tmp_path / "out"
    args = ["--db", str(db), "--period", period]
    message = _one_line_error(["build", *args, "--org", "ZA1", "--out", str(out)])
    label = Month.parse(period).label()
    assert message.startswith(f"error: --period {period}: no figures for ZA1 in {label}")
    assert message.rstrip().endswith("is Sep 2025 (--period 2025-09)")
    assert not out.exists()
    message = _one_line_error(["values", *args, "--org", "ZA1"])
    assert "latest month with figures for ZA1 is Sep 2025" in message
    for command in ("explain", "chart", "history"):
        message = _one_line_error([command, "cdiff_cases", *args, "--org", "ZA1"])
        assert "Sep 2025" in message, command


def test_every_org_at_a_month_builds_those_with_figures(db: Path, tmp_path: Path) -> None:
    catalogue = api.catalogue()
    with api.open_store(db) as store:
        cards = list(api.every_scorecard(store, catalogue, Month(2026, 4)))
        assert [(c.org_code, c.period) for c in cards] == [("ZX1", Month(2026, 4))]
        with pytest.raises(UsageError, match="latest month with figures for any organisation"):
            list(api.every_scorecard(store, catalogue, Month(2030, 1)))
    message = _one_line_error(
        ["build", "--db", str(db), "--every-org", "--period", "2030-01", "--out", str(tmp_path)]
    )
    assert "is Apr 2026 (--period 2026-04)" in message


def test_an_organisation_with_no_figures_at_all_is_refused(db: Path) -> None:
    """England adds up no local measures: it has no card, rather than an empty one."""
    message = _one_line_error(["build", "--db", str(db), "--org", "ENG", "--out", "unused"])
    assert "no figures for ENG in the store" in message
    message = _one_line_error(["values", "--db", str(db), "--org", "ENG"])
    assert "no figures for ENG in the store" in message


def test_defaults_of_explain_chart_and_history_are_the_rows_latest_month(
    db: Path, tmp_path: Path
) -> None:
    args = ["cdiff_cases", "--db", str(db), "--org", "ZA1"]
    result = runner.invoke(app, ["explain", *args])
    assert result.exit_code == 0, result.output
    assert "Period: Sep 2025" in result.output
    result = runner.invoke(app, ["chart", *args, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "chart-cdiff_cases-ZA1-2025-09.svg").is_file()
    result = runner.invoke(app, ["history", *args])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") == 2  # the header and the one version of September


def test_build_with_no_definitions_fails_rather_than_building_england(tmp_path: Path) -> None:
    """`build` without --org builds the definitions in scorecards/: with none, it says so."""
    config = tmp_path / "config"
    config.mkdir()
    shutil.copytree(ROOT / "indicators", config / "indicators")
    shutil.copy(ROOT / "thresholds.toml", config / "thresholds.toml")
    out = tmp_path / "out"
    for extra in ([], ["--all"]):
        message = _one_line_error(["build", "--config", str(config), "--out", str(out), *extra])
        assert "no scorecard definition" in message and "--org CODE" in message
    assert not out.exists()


def test_a_chart_with_no_usable_point_says_so(db: Path) -> None:
    """A series with every value missing draws no axes from an empty range."""
    from dataclasses import replace

    from scorecard.render.chart import chart_svg

    catalogue = api.catalogue()
    with api.open_store(db) as store:
        row, _ = api.explain_row(store, catalogue, "cdiff_cases", "ZA1", None)
    assert row.spc is not None and "<circle" in chart_svg(row)
    blank = tuple(replace(p, value=None, centre=None, upl=None, lpl=None) for p in row.spc.points)
    svg = chart_svg(replace(row, spc=replace(row.spc, make_points=lambda: blank, target=None)))
    assert "No SPC for this row." in svg and "<circle" not in svg


def test_an_empty_store_refuses_every_card() -> None:
    from scorecard.store import Store

    catalogue = api.catalogue()
    with Store.open(None) as store:
        builds: list[Callable[[], object]] = [
            lambda: api.scorecard_for(store, catalogue, "ENG", Month(2025, 9)),
            lambda: api.scorecard_for(store, catalogue, "ENG", None),
            lambda: list(api.every_scorecard(store, catalogue, None)),
            lambda: list(api.every_scorecard(store, catalogue, Month(2025, 9))),
        ]
        for build in builds:
            with pytest.raises(UsageError, match="no figures for"):
                build()


def test_one_board_without_figures_stops_the_build_before_any_is_written(
    db: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    (config / "scorecards").mkdir(parents=True)
    shutil.copytree(ROOT / "indicators", config / "indicators")
    shutil.copy(ROOT / "thresholds.toml", config / "thresholds.toml")
    (config / "scorecards" / "a.toml").write_text(BOARD, encoding="utf-8")
    only_mrsa = BOARD.replace('[[domains.rows]]\nindicator = "cdiff_cases"\n\n', "")
    (config / "scorecards" / "b.toml").write_text(only_mrsa, encoding="utf-8")
    out = tmp_path / "out"
    args = ["build", "--db", str(db), "--config", str(config), "--out", str(out)]
    message = _one_line_error([*args, "--period", "2025-09"])
    assert "no figures for the rows of scorecards/b.toml in Sep 2025" in message
    assert "latest month with figures for the rows of scorecards/b.toml is Jan 2023" in message
    assert not out.exists()
    result = runner.invoke(app, args)  # by default each board is at its own latest month
    assert result.exit_code == 0, result.output
    pages = {p.name for p in out.glob("*.html") if ".fragment" not in p.name}
    assert pages == {"a-ZA1-2025-09.html", "b-ZA1-2023-01.html"}
