"""Scorecard definitions (scorecards/*.toml), domain summaries and exceptions, and the CLI."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard import api
from scorecard.board import summarise
from scorecard.cli import app
from scorecard.errors import DefinitionError, UsageError
from scorecard.model import (
    Cell,
    Direction,
    DomainRule,
    Formula,
    Indicator,
    Rating,
    RatingResult,
    Row,
    Term,
    Unit,
    Value,
    Window,
)
from scorecard.periods import Month

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
BOARD = """title = "Board"
audience = "Trust board"
org = "ZA1"

[[domains]]
name = "Urgent care"
red_if_red = ["ae_4hr_all_pct"]

[[domains.rows]]
indicator = "ae_4hr_all_pct"

[[domains.rows]]
indicator = "amb_c2_mean"
org = "ZR1"
"""


def _board(tmp_path: Path, text: str = BOARD) -> Path:
    path = tmp_path / "board.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        ('indicator = "amb_c2_mean"', 'indicator = "amb_c9_mean"', "domains[1].rows[2].indicator",
         "unknown indicator 'amb_c9_mean'"),
        ('org = "ZR1"', 'org = "zr1"', "domains[1].rows[2].org", "expected an organisation code"),
        ('name = "Urgent care"', 'name = "Urgent care"\nrule = "best"', "domains[1].rule",
         "expected one of worst, majority"),
        ('red_if_red = ["ae_4hr_all_pct"]', 'red_if_red = ["rtt_52wk_pct"]',
         "domains[1].red_if_red", "'rtt_52wk_pct' is not an indicator of this domain"),
        ('org = "ZA1"', 'org = "ZA1"\nwindows = ["week"]', "windows", "expected one of month"),
        ('audience = "Trust board"', 'audiance = "Trust board"', "(top level).audiance",
         "unknown key"),
        ('org = "ZR1"', 'org = "ZR1"\nscheme = "x"', "domains[1].rows[2].scheme", "unknown key"),
    ],
)  # fmt: skip
def test_bad_definitions_fail_naming_file_and_key(
    tmp_path: Path, old: str, new: str, key: str, problem: str
) -> None:
    path = _board(tmp_path, BOARD.replace(old, new))
    with pytest.raises(DefinitionError) as err:
        api.board_spec(path, api.catalogue())
    assert (err.value.file, err.value.key) == ("board.toml", key)
    assert problem in err.value.problem


def test_unknown_organisation_is_named_at_build_as_one_line(tmp_path: Path) -> None:
    path = _board(tmp_path, BOARD.replace('org = "ZR1"', 'org = "ZQ9"'))
    result = runner.invoke(app, ["build", "--scorecard", str(path), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "error: board.toml: key 'domains[1].rows[2].org': unknown organisation 'ZQ9': "
        "not in the store (build your own definitions with --scorecard FILE or --config DIR, "
        "or one organisation's card with --org CODE)"
    )
    assert "Traceback" not in result.output


def _row(ind_id: str, rating: Rating) -> Row:
    ind = Indicator(ind_id, ind_id.upper(), "ae", Unit.COUNT, Direction.LOWER,
                    Formula((Term(1, "m"),)), None, "b")  # fmt: skip
    value = Value(ind_id, "ZA1", Month(2025, 9), Window.MONTH, 1.0, None, 1.0, 1)
    cell = Cell(value, RatingResult(rating, "r", None))
    return Row(ind, "ZA1", "A", Month(2025, 9), cell, cell, cell)


def test_domain_rules() -> None:
    rows = [_row("a", Rating.GREEN), _row("b", Rating.GREEN), _row("c", Rating.AMBER),
            _row("d", Rating.NOT_RATED)]  # fmt: skip
    counts, rating, rule = summarise(rows, DomainRule.WORST)
    assert dict(counts)[Rating.GREEN] == 2 and dict(counts)[Rating.NOT_RATED] == 1
    assert (rating, rule) == (Rating.AMBER, "Amber: the worst rated row is Amber")
    _, rating, rule = summarise(rows, DomainRule.MAJORITY)
    assert (rating, rule) == (Rating.GREEN, "Green: 2 of 3 rated rows are Green")
    tie = [*rows, _row("e", Rating.RED), _row("f", Rating.RED)]
    _, rating, rule = summarise(tie, DomainRule.MAJORITY)
    assert rating is Rating.RED and rule.endswith("(a tie goes to the worse)")
    flagged = [_row("a", Rating.GREEN), _row("b", Rating.RED), _row("c", Rating.GREEN)]
    _, rating, rule = summarise(flagged, DomainRule.MAJORITY, ["b"])
    assert (rating, rule) == (Rating.RED, "Red: a flagged indicator is Red (B)")
    _, rating, _ = summarise([_row("a", Rating.NO_DATA)], DomainRule.WORST)
    assert rating is Rating.NOT_RATED


@pytest.fixture(scope="module")
def icb_card() -> object:
    catalogue = api.catalogue()
    spec = api.board_spec(ROOT / "scorecards" / "icb-board.toml", catalogue)
    with api.open_store(None) as store:
        return api.board_for(store, catalogue, spec, Month(2025, 9))


def test_sample_icb_board_rows_monitor_the_named_organisations(icb_card: object) -> None:
    from scorecard.model import Scorecard

    assert isinstance(icb_card, Scorecard)
    card = icb_card
    assert [d.name for d in card.domains] == [
        "Urgent and emergency care",
        "Elective care and diagnostics",
        "Cancer",
    ]
    urgent = card.domains[0].rows
    assert [(r.indicator.id, r.org_code) for r in urgent[:2]] == [
        ("ae_4hr_all_pct", "ZI1"),
        ("ae_4hr_all_pct", "ZA1"),
    ]
    assert urgent[3].org_code == "ZR1"
    for domain in card.domains:
        assert sum(n for _, n in domain.counts) == len(domain.rows)
        for row in domain.rows:
            assert len(row.history) == 13 and row.history[-1][0] == row.period
            assert row.history[-1][1] == row.month.value.value
    # Each family at its own latest month: cancer lags A&E.
    assert card.domains[2].rows[0].period == Month(2025, 7)
    # Exceptions: every Red row, and every row rated worse than the month before.
    for row in card.rows:
        red = row.month.rating.rating is Rating.RED
        assert (row in card.exceptions) == bool(red or row.exception)
        if not red and row.exception:
            assert row.exception.startswith("Worse than")


def test_build_all_and_one_definition(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--all", "--period", "2025-09", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"wrote {tmp_path / 'icb-board-ZI1-2025-09.html'}" in result.output
    one = runner.invoke(app, ["build", "--scorecard", str(ROOT / "scorecards" / "icb-board.toml"),
                              "--out", str(tmp_path / "one")])  # fmt: skip
    assert one.exit_code == 0, one.output
    clash = runner.invoke(app, ["build", "--all", "--org", "ZA1"])
    assert clash.exit_code == 1 and "each choose what to build; give one" in clash.output


def test_a_month_with_no_data_for_any_row_is_refused() -> None:
    """A board whose every row would say "No data" is not built: the refusal names the
    latest month its rows have figures (the cancer rows lag A&E by two months)."""
    catalogue = api.catalogue()
    spec = api.board_spec(ROOT / "scorecards" / "icb-board.toml", catalogue)
    spec = dataclasses.replace(spec, domains=spec.domains[2:])
    with api.open_store(None) as store:
        for month in (Month(2024, 3), Month(2025, 9)):
            with pytest.raises(UsageError, match=r"latest month with figures .* is Jul 2025"):
                api.board_for(store, catalogue, spec, month)
        assert api.board_for(store, catalogue, spec, None).period == Month(2025, 7)


def test_revised_and_partial_figures_get_footnotes(tmp_path: Path) -> None:
    """A replaced publication and a window missing a month are each a row footnote."""
    from scorecard.render.html import render_html
    from scorecard.render.tables import scorecard_rows

    local = tmp_path / "local.csv"
    header = "Indicator,Org Code,Period,Value,Numerator,Denominator,Plan,Comment\n"
    rows = "".join(f"cdiff_cases,ZA1,2025-{m:02d},3,,,4,\n" for m in (4, 5, 7, 8, 9))
    local.write_text(header + rows, encoding="utf-8")
    db = tmp_path / "s.duckdb"
    assert runner.invoke(app, ["ingest", str(local), "--db", str(db)]).exit_code == 0
    local.write_text(header + rows.replace("2025-09,3", "2025-09,5"), encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(local), "--db", str(db)])
    assert "2025-09: 2 values stored, replacing local.csv" in result.output
    board = _board(tmp_path, BOARD.replace("ae_4hr_all_pct", "cdiff_cases").replace(
        '\n[[domains.rows]]\nindicator = "amb_c2_mean"\norg = "ZR1"\n', ""))  # fmt: skip
    catalogue = api.catalogue()
    with api.open_store(db) as store:
        card = api.board_for(store, catalogue, api.board_spec(board, catalogue), None)
    (row,) = card.rows
    assert row.caveats == (
        "Revised: the Sep 2025 figures replace local.csv.",
        "Partial: the year to date has 5 of 6 months of data.",
    )
    html = render_html(card)
    assert "<sup>1,2</sup>" in html  # June is missing: the year is partial, Q2 is whole
    assert "<sup>2</sup> C. difficile: cases (ZA1): Partial: the year to date has 5 of 6" in html
    table = scorecard_rows(card)
    assert table["caveats"][0].startswith("Revised: the Sep 2025 figures")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('indicator = "amb_c2_mean"', 'indicator = "amb_c9_mean"',
         "error: board.toml: key 'domains[1].rows[2].indicator': unknown indicator 'amb_c9_mean'"),
        ('name = "Urgent care"', 'name = "Urgent care"\nrule = "best"',
         "error: board.toml: key 'domains[1].rule': expected one of worst, majority"),
    ],
)  # fmt: skip
def test_a_bad_definition_is_one_line_from_the_cli(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = _board(tmp_path, BOARD.replace(old, new))
    result = runner.invoke(app, ["build", "--scorecard", str(path), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert result.output.startswith(expected)
