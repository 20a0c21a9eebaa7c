"""Making Data Count on scorecard rows: icons with text alternatives, legend, explain, chart."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard import api
from scorecard.assemble import SPC_MONTHS
from scorecard.cli import app
from scorecard.periods import Month
from scorecard.render.html import render_html
from scorecard.spc.analysis import analyse, improvement_for
from scorecard.spc.icons import Assurance, Variation

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def board() -> object:
    """The sample trust board at September 2025, built once: the tests only read it."""
    catalogue = api.catalogue()
    spec = api.board_spec(ROOT / "scorecards" / "trust-board.toml", catalogue)
    with api.open_store(None) as store:
        return api.board_for(store, catalogue, spec, Month(2025, 9))


def test_every_row_gets_spc_from_its_own_series_and_target(board: object) -> None:
    from scorecard.model import Scheme, Scorecard

    card = board
    assert isinstance(card, Scorecard)
    for row in card.rows:
        if row.indicator.scheme is Scheme.YES_NO:
            assert row.spc is None  # a yes/no answer is not a process
            continue
        assert row.spc is not None
        values = [v for _, v in row.history if v is not None]
        points = [p for p in row.spc.points if p.value is not None]
        assert points[-1].period == row.period and points[-1].value == row.month.value.value
        assert len(row.spc.points) <= SPC_MONTHS
        assert [p.value for p in points][-len(values) :] == values
        standard = row.month.rating.standard
        if row.indicator.scheme is Scheme.PLAN:
            assert row.spc.target == row.month.value.plan
        else:
            assert row.spc.target == (standard.standard if standard else None)
    # The A&E row's icons are exactly what the SPC engine gives for its series and target.
    ae = next(r for r in card.rows if r.indicator.id == "ae_4hr_all_pct")
    assert ae.spc is not None
    again = analyse(
        [(p.period, p.value) for p in ae.spc.points], improvement_for(ae.indicator.direction), 95.0
    )
    assert (again.variation, again.assurance) == (ae.spc.variation, ae.spc.assurance)
    assert ae.spc.assurance is Assurance.FAIL  # 95% is far above the sample trust's limits


def test_icons_have_text_alternatives_and_the_legend_is_shown(board: object) -> None:
    from scorecard.model import Scorecard

    card = board
    assert isinstance(card, Scorecard)
    html = render_html(card)
    assert ">Variation</th>" in html and ">Assurance</th>" in html
    assert "Making Data Count icons" in html  # the legend
    for row in card.rows:
        if row.spc is not None and row.spc.variation is not Variation.NONE:
            assert f"{row.spc.reason}" in html or row.spc.reason.replace("'", "&#x27;") in html
    assert 'role="img" aria-label="Consistently fails the target' in html
    assert "http" not in html.split("<style>")[0]


def test_explain_prints_the_spc_reasoning() -> None:
    result = runner.invoke(
        app, ["explain", "ae_4hr_all_pct", "--org", "ZA1", "--period", "2025-09"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Making Data Count (XmR"))
    assert lines[start + 1].startswith("  Centre ")
    assert lines[start + 2].startswith("  Variation (")
    assert lines[start + 3].startswith("  Assurance (fail): ")


def test_chart_writes_a_self_contained_svg(tmp_path: Path) -> None:
    args = ["chart", "amb_c2_mean", "--org", "ZR1", "--period", "2025-09", "--out", str(tmp_path)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    path = tmp_path / "chart-amb_c2_mean-ZR1-2025-09.svg"
    assert result.output.strip() == f"wrote {path}"
    svg = path.read_text(encoding="utf-8")
    assert svg.startswith("<svg ") and svg.rstrip().endswith("</svg>")
    assert "Ambulance: category 2 mean response: Northgate Ambulance" in svg
    assert "Target 18:00" in svg and ">Sep 25<" in svg
    assert "<image" not in svg and "href" not in svg
    again = runner.invoke(app, [*args[:-1], str(tmp_path / "b")])
    assert again.exit_code == 0
    assert (tmp_path / "b" / path.name).read_bytes() == path.read_bytes()


def test_declared_rebase_and_ghost_months_reach_the_rows_spc(tmp_path: Path) -> None:
    import shutil

    import pytest

    from scorecard.errors import DefinitionError

    shutil.copytree(ROOT / "indicators", tmp_path / "indicators")
    shutil.copy(ROOT / "thresholds.toml", tmp_path / "thresholds.toml")
    ae = tmp_path / "indicators" / "ae.toml"
    text = ae.read_text(encoding="utf-8")
    head = "[indicators.ae_4hr_all_pct]\n"
    ae.write_text(
        text.replace(head, head + 'spc_rebase = ["2025-04"]\nspc_ghost = ["2024-12"]\n'),
        encoding="utf-8",
    )
    catalogue = api.catalogue(tmp_path)
    assert catalogue.indicator("ae_4hr_all_pct").spc_rebase == (Month(2025, 4),)
    with api.open_store(None) as store:
        card = api.scorecard_for(store, catalogue, "ZA1", Month(2025, 9))
    row = next(r for r in card.rows if r.indicator.id == "ae_4hr_all_pct")
    assert row.spc is not None
    parts = {p.period: p.partition for p in row.spc.points}
    assert parts[Month(2025, 3)] == 0 and parts[Month(2025, 4)] == 1
    assert [p.period for p in row.spc.points if p.ghosted] == [Month(2024, 12)]
    ae.write_text(text.replace(head, head + 'spc_rebase = ["2025-4x"]\n'), encoding="utf-8")
    with pytest.raises(DefinitionError) as err:
        api.catalogue(tmp_path)
    assert err.value.key == "indicators.ae_4hr_all_pct.spc_rebase"
