"""Indicators of every frequency: quarter and year periods in a local file, a quarterly figure
stored once at its quarter's last month, windows and trends of quarters, SPC on quarters,
and the definitions that declare them."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard import api
from scorecard.assemble import lookup_for, row_at, spc_for
from scorecard.cards import card_values
from scorecard.cli import app
from scorecard.definitions import load_catalogue
from scorecard.errors import DefinitionError, SourceError
from scorecard.frequency import period_label, series, short_label, trend_words
from scorecard.model import Frequency, Rating, Window
from scorecard.periods import Month
from scorecard.render.html import render_html
from scorecard.sources.local_measures import HEADER, LocalMeasures
from scorecard.sources.local_periods import parse_period
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
QUARTERLY = "cancelled_ops_not_rebooked"


def _text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([list(HEADER), *rows])
    return out.getvalue()


def _row(indicator: str, period: str, value: str = "", **more: str) -> list[str]:
    cells = dict.fromkeys(HEADER, "")
    cells.update(Indicator=indicator, **{"Org Code": "ZA1"}, Period=period, Value=value, **more)
    return [cells[h] for h in HEADER]


@pytest.mark.parametrize(
    ("text", "month", "form"),
    [
        ("2025-Q2", Month(2025, 9), "quarter"),
        ("Q2 2025/26", Month(2025, 9), "quarter"),
        ("q4 2025/26", Month(2026, 3), "quarter"),
        ("2025-Q4", Month(2026, 3), "quarter"),  # the year 2025/26's last quarter
        ("2025-Q1", Month(2025, 6), "quarter"),
        ("2025/26", Month(2026, 3), "year"),
        ("1999/00", Month(2000, 3), "year"),
    ],
)
def test_quarters_and_years_are_stored_at_their_last_month(
    text: str, month: Month, form: str
) -> None:
    assert parse_period(text) == (month, form)


@pytest.mark.parametrize(
    "text", ["2025-Q5", "2025-Q0", "Q2 2025/27", "Q5 2025/26", "2025 Q2", "2025-26", "2025/27",
             "Q2 2025", "Q2-2025/26", "FY2025/26"],
)  # fmt: skip
def test_bad_quarter_and_year_forms_are_not_guessed_at(text: str) -> None:
    assert parse_period(text) is None


def test_a_bad_quarter_is_one_line_naming_file_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "quarters.csv"
    path.write_text(_text([_row(QUARTERLY, "2025-Q1", "1"), _row(QUARTERLY, "2025-Q5", "2")]))
    result = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[0] == (
        "error: quarters.csv, column 'Period', row 3: expected a month as YYYY-MM (or Apr-25, "
        "April 2025), a financial quarter as 2025-Q2 or Q2 2025/26 (Q1 = April to June), or a "
        "financial year as 2025/26, got '2025-Q5'"
    )
    assert "Traceback" not in result.output
    assert not (tmp_path / "s.duckdb").exists() or _nothing_stored(tmp_path / "s.duckdb")


def _nothing_stored(db: Path) -> bool:
    with Store.open(db, read_only=True) as store:
        return store.months() == []


def test_a_quarter_and_its_last_month_are_not_duplicates() -> None:
    text = _text([
        _row("vte_risk_assessed_pct", "2025-06", "95.1"),
        _row("vte_risk_assessed_pct", "2025-Q1", "95.4"),
        _row("vte_risk_assessed_pct", "Q1 2025/26", "95.4"),  # the same quarter again
    ])  # fmt: skip
    with pytest.raises(SourceError) as err:
        LocalMeasures().parse("vte.csv", text.encode(), None)
    assert str(err.value).startswith("vte.csv, column 'Period', row 4: duplicate row")


def test_a_quarterly_figure_is_stored_once_at_its_quarters_last_month() -> None:
    text = _text([_row(QUARTERLY, "2025-Q1", "3"), _row(QUARTERLY, "Q2 2025/26", "1")])
    obs = LocalMeasures().parse("q.csv", text.encode(), None).observations
    got = {(Month.from_date(p).iso(), m): v for p, _, m, v in obs.iter_rows()}
    assert got == {
        ("2025-06", f"{QUARTERLY}_value"): 3.0,
        ("2025-09", f"{QUARTERLY}_value"): 1.0,
    }


@pytest.mark.parametrize(
    ("finer", "row", "column", "rule"),
    [
        (_row("vte_risk_assessed_pct", "2025-04", "", Numerator="9", Denominator="10"),
         _row("vte_risk_assessed_pct", "2025-Q1", "", Numerator="9", Denominator="10"),
         "Numerator", "expected a Value only in a quarter's own figure of vte_risk_assessed_pct"),
        (_row("vte_risk_assessed_pct", "2025-04", "95"),
         _row("vte_risk_assessed_pct", "2025-Q1", "95", Plan="95"), "Plan",
         "expected no Plan in a quarter's own figure"),
    ],
)  # fmt: skip
def test_a_windows_own_figure_carries_a_value_only(
    finer: list[str], row: list[str], column: str, rule: str
) -> None:
    with pytest.raises(SourceError) as err:
        LocalMeasures().parse("vte.csv", _text([finer, row]).encode(), None)
    problem = err.value.problems[0]
    assert (problem.row, problem.column) == (3, column)
    assert rule in problem.rule


def test_a_windows_own_figure_may_carry_a_comment_kept_after_its_months() -> None:
    rows = [
        _row("vte_risk_assessed_pct", "2025-Q1", "95.4", Comment="Published figure"),
        _row("vte_risk_assessed_pct", "2025-06", "95", Comment="June dipped"),
    ]
    comments = LocalMeasures().parse("vte.csv", _text(rows).encode(), None).comments
    assert comments is not None
    assert comments["comment"].to_list() == ["Published figure\n\nJune dipped"]


def _check(tmp_path: Path, rows: list[list[str]]) -> list[str]:
    path = tmp_path / "local.csv"
    path.write_text(_text(rows), encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "s.duckdb")])
    assert "Traceback" not in result.output
    return [] if result.exit_code == 0 else result.output.strip().splitlines()


def test_each_indicators_periods_are_held_to_its_frequency(tmp_path: Path) -> None:
    lines = _check(tmp_path, [
        _row(QUARTERLY, "2025-06", "1"),  # a month of a quarterly indicator
        _row("mrsa_cases", "2025-04", "0"),
        _row("mrsa_cases", "2025-Q1", "0"),  # a count's quarter adds up its months
        _row("vte_risk_assessed_pct", "2025-Q1", "95.0"),  # quarters only: a quarterly series
    ])  # fmt: skip
    assert lines[:3] == [
        "error: local.csv, column 'Period', row 2: expected a quarter (2025-Q2 or Q2 2025/26): "
        f"{QUARTERLY} is quarterly, got '2025-06'",
        "error: local.csv, column 'Period', row 4: expected a month (2025-04): mrsa_cases is "
        "monthly, and a quarter's own figure beside its months is for a percentage entered as "
        "a percentage only (its other figures add up), got '2025-Q1'",
        "error: local.csv, column 'Period', row 5: expected a month (2025-04): "
        'vte_risk_assessed_pct is monthly (declare frequency = "quarterly" or "annual" in its '
        "definition), got '2025-Q1'",
    ]
    assert lines[-1] == "error: 3 problems in 1 file"


def _store(rows: list[list[str]]) -> Store:
    store = Store.open(None)
    text = _text(rows)
    store.ingest([LocalMeasures().parse("local.csv", text.encode(), None)])
    return store


QUARTERS = [("2024-Q3", "4"), ("2024-Q4", "1"), ("2025-Q1", "2"), ("2025-Q2", "0")]


def test_a_quarterly_rows_windows_are_quarters() -> None:
    catalogue = api.catalogue()
    ind = catalogue.indicator(QUARTERLY)
    with _store([_row(QUARTERLY, q, v) for q, v in QUARTERS]) as store:
        frame = card_values(store, catalogue, Month(2025, 11), "ZA1")
    lookup = lookup_for(frame, "ZA1")
    row = row_at(catalogue, lookup, ind, "ZA1", "Northgate", Month(2025, 9))
    assert (row.month.value.value, row.quarter.value.value, row.ytd.value.value) == (0, 0, 2)
    assert row.ytd.value.months == 2  # two quarters: 2025-Q1 and 2025-Q2, never six months
    assert (row.month.value.first, row.ytd.value.first) == (Month(2025, 7), Month(2025, 4))
    assert row.month.rating.rating is Rating.GREEN and row.ytd.rating.rating is Rating.AMBER
    assert lookup.get((QUARTERLY, "month", Month(2025, 8).first_day())) is None  # never spread
    assert period_label(row.period, ind.frequency) == "Q2 2025/26"


def test_spc_runs_on_the_quarters_one_point_each() -> None:
    catalogue = api.catalogue()
    ind = replace(catalogue.indicator(QUARTERLY), id=QUARTERLY)
    values = [str(v) for v in (3, 5, 2, 4, 3, 6, 2, 3, 4, 5, 3, 2, 4, 3, 9, 10, 12)]
    quarters = series(Month(2025, 9), Frequency.QUARTERLY, len(values))
    rows = [
        _row(QUARTERLY, f"{m.fy_start_year}-Q{m.fy_quarter}", v)
        for m, v in zip(quarters, values, strict=True)
    ]
    with _store(rows) as store:
        frame = card_values(store, catalogue, Month(2025, 9), "ZA1")
    row = row_at(catalogue, lookup_for(frame, "ZA1"), ind, "ZA1", "Northgate", Month(2025, 9))
    spc = spc_for(row, lookup_for(frame, "ZA1"))
    assert spc is not None and row.spc == spc
    assert [p.period for p in spc.points] == list(quarters)  # one point a quarter
    assert spc.variation.value != "none"  # 17 points: limits, not a run chart
    assert "Q2 25/26" in spc.reason
    assert trend_words(Frequency.QUARTERLY, 8) == "quarterly, 8 quarters"
    assert short_label(Month(2025, 9), Frequency.QUARTERLY) == "Q2 25/26"


def test_the_sample_board_shows_its_quarterly_row_as_a_quarter() -> None:
    catalogue = api.catalogue()
    spec = api.board_spec(ROOT / "scorecards" / "trust-board.toml", catalogue)
    with api.open_store(None) as store:
        card = api.board_for(store, catalogue, spec, None)
    row = next(r for r in card.rows if r.indicator.id == QUARTERLY)
    assert len(row.history) == 8 and row.history[-1][0] == Month(2025, 9)
    html = render_html(card)
    assert "quarterly, 8 quarters" in html and "monthly, 13 months" in html
    assert "<td" in html and "Q2 2025/26 (Jul&#8211;Sep 2025)" in html
    assert "1 quarterly row at Q2 2025/26" in html


def test_an_annual_indicator_has_no_quarter(tmp_path: Path) -> None:
    config = _config(tmp_path, 'frequency = "annual"')
    catalogue = load_catalogue(config)
    ind = catalogue.indicator("staff_survey")
    rows = [["staff_survey", "ZA1", y, v, "", "", "", ""] for y, v in
            (("2023/24", "6.5"), ("2024/25", "6.9"))]  # fmt: skip
    with _store(rows) as store:
        frame = card_values(store, catalogue, Month(2025, 9), "ZA1")
    lookup = lookup_for(frame, "ZA1")
    row = row_at(catalogue, lookup, ind, "ZA1", "Northgate", Month(2025, 3))
    assert row.month.value.value == 6.9 and row.ytd.value.value == 6.9
    assert row.quarter.rating.rating is Rating.NOT_AVAILABLE
    assert row.quarter.rating.rule == "Not available: an annual figure has no quarter"
    assert period_label(row.period, ind.frequency) == "2024/25"


def _config(tmp_path: Path, extra: str, family: str = "local", unit: str = "count") -> Path:
    (tmp_path / "indicators").mkdir(exist_ok=True)
    (tmp_path / "indicators" / "local.toml").write_text(
        f'family = "{family}"\n\n[indicators.staff_survey]\nname = "Staff survey score"\n'
        f'unit = "{unit}"\ndirection = "higher"\nnumerator = "staff_survey_value"\n'
        f'basis = "b"\n{extra}\n',
        encoding="utf-8",
    )
    (tmp_path / "thresholds.toml").write_text("", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("extra", "family", "unit", "key", "problem"),
    [
        ('frequency = "weekly"', "local", "count", "frequency",
         "expected one of monthly, quarterly, annual, got 'weekly'"),
        ('over_time = "sum"', "local", "percent", "over_time",
         "a percentage entered as a percentage cannot be added up"),
        ('over_time = "mean"', "local", "count", None, None),
        ('denominator = "staff_survey_numerator"\nover_time = "mean"', "local", "percent",
         "over_time", "'mean' averages values entered without counts"),
    ],
)  # fmt: skip
def test_frequency_and_averaging_are_declared_and_checked(
    tmp_path: Path, extra: str, family: str, unit: str, key: str | None, problem: str | None
) -> None:
    config = _config(tmp_path, extra, family, unit)
    if key is None:
        assert load_catalogue(config).indicator("staff_survey").over_time.value == "mean"
        return
    with pytest.raises(DefinitionError) as err:
        load_catalogue(config)
    assert err.value.key == f"indicators.staff_survey.{key}"
    assert problem is not None and problem in err.value.problem


def test_national_indicators_are_monthly(tmp_path: Path) -> None:
    (tmp_path / "indicators").mkdir()
    (tmp_path / "indicators" / "ae.toml").write_text(
        'family = "ae"\n\n[indicators.ae_x]\nname = "x"\nunit = "count"\ndirection = "higher"\n'
        'numerator = "ae_att_type1"\nbasis = "b"\nfrequency = "quarterly"\n',
        encoding="utf-8",
    )
    (tmp_path / "thresholds.toml").write_text("", encoding="utf-8")
    with pytest.raises(DefinitionError) as err:
        load_catalogue(tmp_path)
    assert err.value.key == "indicators.ae_x.frequency"
    assert "NHS England publishes the ae files monthly" in err.value.problem


def test_the_windows_name_quarters_and_the_month_cell_its_quarter() -> None:
    catalogue = api.catalogue()
    with _store([_row(QUARTERLY, q, v) for q, v in QUARTERS]) as store:
        frame = card_values(store, catalogue, Month(2025, 9), "ZA1")
    row = row_at(catalogue, lookup_for(frame, "ZA1"), catalogue.indicator(QUARTERLY), "ZA1",
                 "Northgate", Month(2025, 9), Window.QUARTER)  # fmt: skip
    from scorecard.render.cells import span_text

    assert span_text(row.month, row) == "Q2 2025/26 (Jul–Sep 2025)"
    assert span_text(row.quarter, row) == "Q2 2025/26 (Jul–Sep 2025)"
    assert span_text(row.ytd, row) == "2025/26 YTD (Apr–Sep 2025)"
    assert row.rated is row.quarter
