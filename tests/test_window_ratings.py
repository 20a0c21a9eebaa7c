"""Every window rated (month, quarter to date, year to date), each against the standard in
force for its last month, saying so when the standard changed within the window; a board's
`rate_by` window rating its domains and filling its exception report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard import api
from scorecard.board import build_board
from scorecard.definitions import Catalogue
from scorecard.errors import DefinitionError
from scorecard.model import (
    BoardSpec,
    Direction,
    DomainRule,
    DomainSpec,
    Formula,
    Indicator,
    Rating,
    RowSpec,
    Standard,
    Term,
    Unit,
    Value,
    Window,
)
from scorecard.periods import Month
from scorecard.render.html import render_html
from scorecard.windows import rate_window

SEP24 = Month(2024, 9)
IND = Indicator(
    "waits_pct", "Seen in time", "ae", Unit.PERCENT, Direction.HIGHER,
    Formula((Term(1, "a"),)), Formula((Term(1, "b"),)), "basis",
)  # fmt: skip
# A new standard from August 2024: the quarter Jul-Sep 2024 spans the change.
OLD = Standard("waits_pct", Month(2024, 4), Month(2024, 7), 90.0, 80.0, "old", "s")
NEW = Standard("waits_pct", Month(2024, 8), None, 95.0, 85.0, "new", "s")
CATALOGUE = Catalogue({IND.id: IND}, {IND.id: (OLD, NEW)})


def _value(window: Window, value: float, period: Month = SEP24) -> Value:
    first = {Window.MONTH: period, Window.QUARTER: period.quarter_start()}.get(
        window, period.fy_start()
    )
    return Value(IND.id, "ZA1", period, window, value, 100.0, value, 3, first)


def test_a_window_spanning_a_change_is_rated_against_its_last_months_standard() -> None:
    result = rate_window(CATALOGUE, IND, _value(Window.QUARTER, 88.0))
    assert result.standard is NEW
    assert result.rating is Rating.AMBER  # 88 is below the new 95, above its 85
    assert result.rule.endswith(
        "the standard changed within the quarter to date (Jul 24: 90.0%, lower threshold "
        "80.0%; Aug 24–Sep 24: 95.0%, lower threshold 85.0%); rated against the one in force "
        "for Sep 2024, its last month"
    )


def test_a_window_within_one_standard_says_nothing_more() -> None:
    result = rate_window(CATALOGUE, IND, _value(Window.MONTH, 96.0))
    assert result.rating is Rating.GREEN
    assert "changed" not in result.rule
    oct_quarter = rate_window(CATALOGUE, IND, _value(Window.QUARTER, 96.0, Month(2024, 11)))
    assert "changed" not in oct_quarter.rule


def test_the_year_to_date_names_each_standard_in_force() -> None:
    rule = rate_window(CATALOGUE, IND, _value(Window.YTD, 70.0)).rule
    assert rule.startswith("Red: 70.0% is below the lower threshold 85.0%")
    assert "(Apr 24–Jul 24: 90.0%, lower threshold 80.0%; Aug 24–Sep 24: 95.0%" in rule


def test_a_standard_beginning_within_the_window_is_named_against_none() -> None:
    late = Standard("waits_pct", Month(2024, 9), None, 95.0, None, "zero", "s")
    catalogue = Catalogue({IND.id: IND}, {IND.id: (late,)})
    rule = rate_window(catalogue, IND, _value(Window.QUARTER, 96.0)).rule
    assert "(Jul 24–Aug 24: none; Sep 24: 95.0%)" in rule


BOARD = """title = "Board"
audience = "Trust board"
org = "ZA1"
{extra}

[[domains]]
name = "Urgent care"

[[domains.rows]]
indicator = "ae_4hr_all_pct"
"""


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ('rate_by = "weekly"', "expected one of month, quarter, ytd, got 'weekly'"),
        ('rate_by = 3', "expected one of month, quarter, ytd, got 3"),
        ('windows = ["month", "ytd"]\nrate_by = "quarter"',
         "'quarter' is not a window this board shows (month, ytd)"),
    ],
)  # fmt: skip
def test_rate_by_is_validated_by_name(tmp_path: Path, extra: str, problem: str) -> None:
    path = tmp_path / "board.toml"
    path.write_text(BOARD.format(extra=extra), encoding="utf-8")
    with pytest.raises(DefinitionError) as err:
        api.board_spec(path, api.catalogue())
    assert (err.value.file, err.value.key, err.value.problem) == ("board.toml", "rate_by", problem)


def test_rate_by_defaults_to_the_month(tmp_path: Path) -> None:
    path = tmp_path / "board.toml"
    path.write_text(BOARD.format(extra=""), encoding="utf-8")
    assert api.board_spec(path, api.catalogue()).rate_by is Window.MONTH
    path.write_text(BOARD.format(extra='rate_by = "ytd"'), encoding="utf-8")
    assert api.board_spec(path, api.catalogue()).rate_by is Window.YTD
    path.write_text(BOARD.format(extra='windows = ["quarter", "ytd"]'), encoding="utf-8")
    assert api.board_spec(path, api.catalogue()).rate_by is Window.QUARTER  # the first shown


def _frame(rows: list[tuple[str, Month, str, float]]) -> pl.DataFrame:
    """compute_values' table: (indicator, month, window, value), numerator = value of 100."""
    records = [
        {
            "indicator_id": ind, "org_code": "ZA1", "period": m.first_day(), "window": w,
            "window_start": (m.quarter_start() if w == "quarter" else m).first_day()
            if w != "ytd" else m.fy_start().first_day(),
            "months": 1, "numerator": v, "denominator": 100.0, "value": v, "plan": None,
            "how": "",
        }
        for ind, m, w, v in rows
    ]  # fmt: skip
    return pl.DataFrame(records).with_columns(pl.col("plan").cast(pl.Float64))


def _spec(rate_by: Window) -> BoardSpec:
    domain = DomainSpec("Care", (RowSpec("waits_pct", "self", "domains[1].rows[1]"),),
                        DomainRule.WORST)  # fmt: skip
    return BoardSpec("b.toml", "Board", "Trust board", "ZA1", tuple(Window), (domain,),
                     rate_by=rate_by)  # fmt: skip


def _board(rate_by: Window):  # type: ignore[no-untyped-def]
    aug, sep = Month(2024, 8), Month(2024, 9)
    values = _frame([
        ("waits_pct", aug, "month", 96.0), ("waits_pct", aug, "quarter", 90.0),
        ("waits_pct", aug, "ytd", 96.0), ("waits_pct", sep, "month", 96.0),
        ("waits_pct", sep, "quarter", 80.0), ("waits_pct", sep, "ytd", 90.0),
    ])  # fmt: skip
    return build_board(
        _spec(rate_by), CATALOGUE, values, org="ZA1", names={"ZA1": "Northgate"}, period=sep,
        title="Board", sources=[], comments={},
    )  # fmt: skip


def test_the_month_rates_the_domain_by_default() -> None:
    card = _board(Window.MONTH)
    row = card.rows[0]
    assert (row.month.rating.rating, row.quarter.rating.rating) == (Rating.GREEN, Rating.RED)
    assert card.domains[0].rating is Rating.GREEN
    assert card.exceptions == ()


def test_rate_by_quarter_rates_the_domain_and_fills_the_exception_report() -> None:
    card = _board(Window.QUARTER)
    row = card.rows[0]
    assert row.rated is row.quarter
    assert card.domains[0].rating is Rating.RED
    assert (
        card.domains[0].rule
        == "Red: the worst rated row is Red (rows rated by the quarter to date)"
    )
    assert row.exception == "Red (quarter to date)"
    assert row.previous is Rating.AMBER  # the quarter to date at August: 90.0%, Amber
    html = render_html(card)
    assert "Rating (quarter to date)</th>" in html
    assert "Rows by rating (quarter to date)" in html
    assert "Every row Red for the quarter to date" in html


def test_rate_by_ytd_names_a_worse_year_to_date() -> None:
    card = _board(Window.YTD)
    row = card.rows[0]
    assert row.rated.rating.rating is Rating.AMBER
    assert row.exception == "Year to date worse than at Aug 24 (Green to Amber)"
    assert card.domains[0].rating is Rating.AMBER
    assert dt.date(2024, 9, 1) == row.period.first_day()


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.sampled_from(sorted(api.catalogue(None).indicators)),
    st.sampled_from(list(Window)),
    st.integers(2019, 2027),
    st.integers(1, 12),
    st.one_of(st.none(), st.floats(-10, 1e6, allow_nan=False)),
)
def test_the_rating_alone_is_the_explained_ratings(
    indicator: str, window: Window, year: int, month: int, figure: float | None
) -> None:
    """`scorecard values` and a board's earlier ratings ask for the rating alone
    (explain=False): it is the rating, and the standard, that the explained rating has, for
    every catalogue indicator, window and month, and for no figure at all."""
    catalogue = api.catalogue(None)
    ind = catalogue.indicator(indicator)
    period = Month(year, month)
    value = Value(ind.id, "ZA1", period, window, figure, 100.0, figure, 3, period, plan=figure)
    full = rate_window(catalogue, ind, value)
    alone = rate_window(catalogue, ind, value, explain=False)
    assert (alone.rating, alone.standard) == (full.rating, full.standard)
