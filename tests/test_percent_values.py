"""A percentage entered as a percentage (no counts): stored as a value, its quarter and year
the stated average of its months or the local file's own figure, and never a made-up count."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard import api
from scorecard.assemble import lookup_for, row_at
from scorecard.board import caveats
from scorecard.cards import card_values
from scorecard.cli import app
from scorecard.model import Rating, Window
from scorecard.periods import Month
from scorecard.render.cells import span_text
from scorecard.sources.local_measures import HEADER, LocalMeasures
from scorecard.store import Store

VTE = "vte_risk_assessed_pct"
runner = CliRunner()
MONTHS = [("2025-04", "96.0"), ("2025-05", "93.0"), ("2025-06", "94.5"), ("2025-07", "97.0")]


def _rows(extra: list[tuple[str, str]] = ()) -> list[list[str]]:  # type: ignore[assignment]
    return [[VTE, "ZA1", p, v, "", "", "", ""] for p, v in [*MONTHS, *extra]]


def _text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([list(HEADER), *rows])
    return out.getvalue()


def _row(month: Month, extra: list[tuple[str, str]] = ()):  # type: ignore[no-untyped-def,assignment]
    catalogue = api.catalogue()
    with Store.open(None) as store:
        store.ingest([LocalMeasures().parse("vte.csv", _text(_rows(extra)).encode(), None)])
        frame = card_values(store, catalogue, month, "ZA1")
    return row_at(catalogue, lookup_for(frame, "ZA1"), catalogue.indicator(VTE), "ZA1", "N", month)


def test_the_value_is_stored_without_counts() -> None:
    ex = LocalMeasures().parse("vte.csv", _text(_rows()).encode(), None)
    assert set(ex.observations["measure"]) == {f"{VTE}_value"}
    row = _row(Month(2025, 6))
    for cell in (row.month, row.quarter, row.ytd):
        assert (cell.value.numerator, cell.value.denominator) == (None, None)


def test_a_quarter_is_the_stated_average_of_its_months() -> None:
    row = _row(Month(2025, 6))
    assert row.quarter.value.value == pytest.approx((96.0 + 93.0 + 94.5) / 3)
    assert row.quarter.value.how == "mean"
    assert span_text(row.quarter, row) == "Q1 2025/26 (Apr–Jun 2025), average of 3 months"
    assert row.quarter.rating.rating is Rating.AMBER  # 94.5%: below 95%, above 90%
    assert row.quarter.rating.rule.endswith(
        "the quarter to date figure is the average of its 3 months' values as entered "
        "(percentages without counts), not a percentage of counts"
    )
    august = _row(Month(2025, 7))
    assert span_text(august.quarter, august) == "Q2 2025/26 to date (Jul 2025)"
    assert august.quarter.rating.rule.endswith("its one month's value, as entered")


def test_the_files_own_quarter_and_year_are_used_where_given() -> None:
    row = _row(Month(2025, 6), [("2025-Q1", "95.2")])
    assert (row.quarter.value.value, row.quarter.value.how) == (95.2, "own")
    assert span_text(row.quarter, row) == "Q1 2025/26 (Apr–Jun 2025), the local file's own figure"
    assert row.quarter.rating.rating is Rating.GREEN
    assert "the local file's own, as entered (no counts)" in row.quarter.rating.rule
    assert row.ytd.value.how == "mean"  # no year row: the average of the months so far
    july = _row(Month(2025, 7), [("2025-Q1", "95.2")])
    assert july.quarter.value.value == 97.0  # Q2 has no row of its own: its month
    march = _row(Month(2026, 3), [("2025/26", "95.7")] + [(f"2026-0{m}", "95") for m in (1, 2, 3)])
    assert (march.ytd.value.value, march.ytd.value.how) == (95.7, "own")
    assert caveats(march, tuple(Window), {}) == ()  # the year's own figure: nothing partial


def test_explain_shows_no_counts(tmp_path: Path) -> None:
    path = tmp_path / "vte.csv"
    path.write_text(_text(_rows([("2025-Q1", "95.2")])), encoding="utf-8")
    db = tmp_path / "s.duckdb"
    assert runner.invoke(app, ["ingest", str(path), "--db", str(db)]).exit_code == 0
    args = ["explain", VTE, "--org", "ZA1", "--db", str(db), "--period", "2025-06"]
    text = runner.invoke(app, args).output
    assert "value, as entered (no counts) = vte_risk_assessed_pct_value" in text
    assert "numerator" not in text and "denominator" not in text and " / " not in text
    assert "100 x" not in text
    assert "Quarter to date, Q1 2025/26 (Apr–Jun 2025), the local file's own figure: 95.2%" in text
    assert "Year to date, 2025/26 YTD (Apr–Jun 2025), average of 3 months: 94.5%" in text
    values = runner.invoke(app, ["values", "--db", str(db), "--org", "ZA1", "--indicator", VTE])
    assert values.output.splitlines()[1] == f'{VTE},ZA1,2025-04,"","",96,95,90,Green,"","",""'


@pytest.mark.parametrize(
    ("row", "column", "rule"),
    [
        ([VTE, "ZA1", "2025-04", "", "95", "100", "", ""], "Numerator",
         f"expected a Value: {VTE} reads one figure, not a Numerator"),
        ([VTE, "ZA1", "2025-04", "120", "", "", "", ""], "Value",
         f"expected a percentage from 0 to 100 for {VTE}"),
        ([VTE, "ZA1", "2025-04", "95%", "", "", "", ""], "Value",
         "expected a plain number, without a £ or % sign"),
    ],
)  # fmt: skip
def test_a_percentage_is_a_plain_value(
    tmp_path: Path, row: list[str], column: str, rule: str
) -> None:
    path = tmp_path / "vte.csv"
    path.write_text(_text([row]), encoding="utf-8")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert column in result.output and rule in result.output
    assert "Traceback" not in result.output
