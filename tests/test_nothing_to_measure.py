"""A month whose figure is 0 of 0 has no figure (issue 14): an A&E provider with no type 2
department has 0 type 2 attendances every month, and its card shows no type 2 row rather
than a "No data" row, nor does that month count when choosing a card's or a row's month.
On the bundled sample: ZD4 (an eye hospital) has type 2 attendances only, ZE5 (an urgent
care operator) other-department attendances only, ZA1 all three types."""

from __future__ import annotations

from typer.testing import CliRunner

from scorecard import api
from scorecard.cli import app
from scorecard.periods import Month

runner = CliRunner()
SEPTEMBER = Month(2025, 9)
BY_TYPE = ("ae_4hr_type1_pct", "ae_4hr_type2_pct", "ae_4hr_other_pct")


def test_a_card_shows_only_the_department_types_the_provider_has() -> None:
    catalogue = api.catalogue()
    with api.open_store(None) as store:
        cards = {o: api.scorecard_for(store, catalogue, o, None) for o in ("ZA1", "ZD4", "ZE5")}
    shown = {o: {r.indicator.id for r in c.rows} & set(BY_TYPE) for o, c in cards.items()}
    assert shown == {
        "ZA1": set(BY_TYPE),
        "ZD4": {"ae_4hr_type2_pct"},
        "ZE5": {"ae_4hr_other_pct"},
    }
    assert all(c.period == SEPTEMBER for c in cards.values())
    (note,) = [n for n in cards["ZD4"].sources if n.startswith("Not shown, nothing to measure")]
    assert note == (
        "Not shown, nothing to measure for Kingsmere Eye Hospital NHS Foundation Trust in the "
        "12 months to Sep 2025 (0 of 0 every month, such as attendances at a type of "
        "department it does not have): A&E: seen within 4 hours, type 1; A&E: seen within 4 "
        "hours, other departments (type 3)."
    )


def test_no_card_has_a_row_without_a_figure_for_its_month() -> None:
    """The class of problem: every row of every catalogue card shows a figure for its month."""
    catalogue = api.catalogue()
    with api.open_store(None) as store:
        cards = list(api.every_scorecard(store, catalogue, SEPTEMBER))
    assert len(cards) > 10
    empty = [
        (c.org_code, r.indicator.id) for c in cards for r in c.rows if r.month.value.value is None
    ]
    assert empty == []
    england = next(c for c in cards if c.org_code == "ENG")
    assert set(BY_TYPE) <= {r.indicator.id for r in england.rows}


def test_a_row_with_nothing_to_measure_is_refused_in_one_line() -> None:
    for args in (
        ["explain", "ae_4hr_type2_pct", "--org", "ZE5"],
        ["explain", "ae_4hr_type1_pct", "--org", "ZD4", "--period", "2025-09"],
        ["history", "ae_4hr_type2_pct", "--org", "ZE5"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, result.output
        assert result.stderr == (
            f"error: no figures for {args[1]} for {args[3]}: nothing to measure, 0 of 0 in "
            "every month stored (such as attendances at a type of department it does not "
            "have)\n"
        )
    # The raw table still lists the month, 0 of 0 and no value.
    result = runner.invoke(
        app, ["values", "--org", "ZE5", "--indicator", "ae_4hr_type2_pct", "--period", "2025-09"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == (
        'ae_4hr_type2_pct,ZE5,2025-09,0,0,"","","",No data,"","",""'
    )
