"""Assurance matrices: the definition's [[matrix]] tables, the cells, and their Reds."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sample_board import copy_config, trust_board
from typer.testing import CliRunner

from scorecard import api
from scorecard.cli import app
from scorecard.errors import DefinitionError
from scorecard.model import Rating, Scorecard
from scorecard.periods import Month
from scorecard.render.html import board_id, render_html
from scorecard.render.matrix import cell_text, matrices_html
from scorecard.render.tables import scorecard_rows

ROOT = Path(__file__).resolve().parents[1]
EVIL = "<script>alert(1)</script>"
BOARD = """title = "Board"
audience = "Trust board"
org = "ZA1"

[[domains]]
name = "Safe care"

[[domains.rows]]
indicator = "mrsa_cases"

[[matrix]]
title = "Provider assurance"
questions = ["cqc_registered", "never_events"]
orgs = ["ZA1", "ZE5"]
"""
runner = CliRunner()


def _board(tmp_path: Path, text: str = BOARD) -> Path:
    path = tmp_path / "board.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_matrix_is_read_from_the_definition(tmp_path: Path) -> None:
    spec = api.board_spec(_board(tmp_path), api.catalogue(ROOT))
    [matrix] = spec.matrices
    assert matrix.questions == ("cqc_registered", "never_events")
    assert (matrix.orgs, matrix.key) == (("ZA1", "ZE5"), "matrix[1]")


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        ('"never_events"]', '"never_event"]', "matrix[1].questions",
         "unknown indicator 'never_event'"),
        ('"ZE5"]', '"ZA1"]', "matrix[1].orgs", "'ZA1' is listed twice"),
        ('"ZE5"]', '"ze5"]', "matrix[1].orgs", "'ze5': expected an organisation code"),
        ('questions = ["cqc_registered", "never_events"]', "questions = []",
         "matrix[1].questions", "expected a list of indicator ids"),
        ('title = "Provider assurance"', 'title = "Provider assurance"\ncolumns = 2',
         "matrix[1].columns", "unknown key; valid keys are title, questions, orgs"),
        ('title = "Provider assurance"\n', "", "matrix[1].title", "missing required field"),
    ],
)  # fmt: skip
def test_a_bad_matrix_fails_by_key(
    tmp_path: Path, old: str, new: str, key: str, problem: str
) -> None:
    assert old in BOARD
    with pytest.raises(DefinitionError) as err:
        api.board_spec(_board(tmp_path, BOARD.replace(old, new)), api.catalogue(ROOT))
    assert err.value.one_line().startswith(f"board.toml: key '{key}': "), err.value.one_line()
    assert problem in err.value.one_line()


def test_an_unknown_organisation_is_refused_when_the_board_is_built(tmp_path: Path) -> None:
    path = _board(tmp_path, BOARD.replace('"ZE5"]', '"ZZ9"]'))
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--scorecard", str(path), "--out", str(out)])
    assert result.exit_code == 1
    assert result.output.startswith(
        "error: board.toml: key 'matrix[1].orgs': unknown organisation 'ZZ9': not in the store"
    )
    assert result.output.count("\n") == 1
    assert not out.exists() or not any(out.iterdir())


@pytest.fixture(scope="module")
def card() -> Scorecard:
    return trust_board()


def test_each_cell_is_an_answer_rated_with_its_comment(card: Scorecard) -> None:
    [matrix] = card.matrices
    assert [code for code, _ in matrix.orgs] == ["ZA1", "ZE5", "ZR1"]
    grid = [[cell_text(c) for c in row] for row in matrix.rows]
    assert grid == [
        ["Yes (Green)", "Yes (Green)", "Yes (Green)"],
        ["Yes (Green)", "No (Red)", "Yes (Green)"],
        ["0 (Green)", "0 (Green)", "1 (Red)"],
        ["Yes (Green)", "Yes (Green)", "Yes (Green)"],
    ]
    late = matrix.rows[1][1]
    assert late.comment is not None and late.comment.startswith("Two incidents were reported late")
    assert {c.period for c in matrix.cells()} == {Month(2025, 9)}


def test_red_cells_join_the_exception_report(card: Scorecard) -> None:
    reds = [(r.indicator.id, r.org_code) for r in card.exceptions if r.org_code in ("ZE5", "ZR1")]
    assert reds == [("serious_incidents_reported", "ZE5"), ("never_events", "ZR1")]
    html = render_html(card)
    bid = board_id(card)
    report = html[html.index("<h3>Exception report</h3>") :]
    assert "Provider quality assurance (assurance matrix): Brightwater" in report
    for anchor in (f"{bid}-cell-5", f"{bid}-cell-9"):  # question by question, org by org
        assert f'id="{anchor}"' in report and f'href="#{anchor}"' in html


def test_each_cell_says_its_answer_and_rating_in_words(card: Scorecard) -> None:
    html = matrices_html(card, board_id(card))
    assert "<h3>Provider quality assurance</h3>" in html
    assert ">No (Red)</span>" in html and ">1 (Red)</span>" in html
    assert "<td>Expected: Yes<br><small>yes/no question</small></td>" in html
    assert "<strong>patient safety incident investigation</strong>" in html
    assert "reporting system &amp; its training backlog" in html


def test_hostile_text_in_a_matrix_is_escaped(card: Scorecard) -> None:
    [matrix] = card.matrices
    cell = matrix.rows[0][0]
    evil = replace(cell, comment=EVIL, org_name=EVIL, indicator=replace(cell.indicator, name=EVIL))
    rows = ((evil, *matrix.rows[0][1:]), *matrix.rows[1:])
    hostile = replace(matrix, title=EVIL, orgs=((cell.org_code, EVIL), *matrix.orgs[1:]), rows=rows)
    html = matrices_html(replace(card, matrices=(hostile,)), "b")
    assert "<script>" not in html and html.count("&lt;script&gt;") == 4


def test_the_csv_holds_each_answer_under_the_matrix_title(card: Scorecard) -> None:
    table = scorecard_rows(card)
    mine = table.filter(table["domain"] == "Provider quality assurance")
    assert mine.height == 12 * len(card.windows)
    month = mine.filter(mine["window"] == "month")
    assert month["org_code"].to_list()[:3] == ["ZA1", "ZE5", "ZR1"]
    assert month.filter(month["rating"] == Rating.RED.value)["exception"].to_list() == ["Red"] * 2
    assert month["source_files"].drop_nulls().str.contains("provider-assurance.csv").all()


def test_the_sample_config_copied_elsewhere_still_builds(tmp_path: Path) -> None:
    config = copy_config(tmp_path)
    spec = api.board_spec(config / "scorecards" / "trust-board.toml", api.catalogue(config))
    assert spec.risks is not None and spec.risks.folder == config / "scorecards/trust-board/risks"
    assert spec.narratives[0][1] == config / "scorecards" / "trust-board" / "narratives.csv"
