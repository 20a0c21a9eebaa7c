"""Rating schemes other than standard/lower threshold: plan, four-band, yes/no, none."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard.definitions import load_catalogue
from scorecard.errors import DefinitionError
from scorecard.model import (
    Direction,
    Formula,
    Indicator,
    Rating,
    Scheme,
    Standard,
    Term,
    Unit,
    Value,
    Window,
)
from scorecard.periods import Month
from scorecard.rate import rate

COUNT = Indicator("x", "X", "local", Unit.COUNT, Direction.HIGHER, Formula((Term(1, "x_value"),)),
                  None, "basis")  # fmt: skip
ORDER = [Rating.GREEN, Rating.AMBER_GREEN, Rating.AMBER_RED, Rating.RED]


def _value(v: float | None, plan: float | None = None) -> Value:
    return Value("x", "ORG", Month(2025, 9), Window.MONTH, None, None, v, 1, plan=plan)


def _cuts(cuts: tuple[float, float, float]) -> Standard:
    return Standard("x", Month(2025, 4), None, cuts[0], cuts[2], "b", "s", cuts=cuts)


@pytest.mark.parametrize(
    ("direction", "value", "rating"),
    [
        (Direction.HIGHER, 100.0, Rating.GREEN),
        (Direction.HIGHER, 99.0, Rating.GREEN),
        (Direction.HIGHER, 98.9, Rating.AMBER_GREEN),
        (Direction.HIGHER, 97.0, Rating.AMBER_GREEN),
        (Direction.HIGHER, 96.99, Rating.AMBER_RED),
        (Direction.HIGHER, 95.0, Rating.AMBER_RED),
        (Direction.HIGHER, 94.99, Rating.RED),
        (Direction.LOWER, 1.0, Rating.GREEN),
        (Direction.LOWER, 1.01, Rating.AMBER_GREEN),
        (Direction.LOWER, 5.5, Rating.RED),
    ],
)
def test_four_band_cut_points(direction: Direction, value: float, rating: Rating) -> None:
    cuts = (99.0, 97.0, 95.0) if direction is Direction.HIGHER else (1.0, 3.0, 5.0)
    ind = replace(COUNT, direction=direction, scheme=Scheme.FOUR_BAND)
    result = rate(_value(value), ind, _cuts(cuts))
    assert result.rating is rating
    assert result.rule.startswith(f"{rating}:") and "four-band scheme" in result.rule


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_four_band_never_rates_a_better_value_worse(a: float, b: float) -> None:
    ind = replace(COUNT, scheme=Scheme.FOUR_BAND)
    std = _cuts((10.0, 0.0, -10.0))
    ra, rb = rate(_value(a), ind, std).rating, rate(_value(b), ind, std).rating
    if a >= b:
        assert ORDER.index(ra) <= ORDER.index(rb)


@pytest.mark.parametrize(
    ("direction", "value", "plan", "rating"),
    [
        (Direction.HIGHER, 100.0, 100.0, Rating.GREEN),  # at plan
        (Direction.HIGHER, 95.0, 100.0, Rating.AMBER),  # 5% short: within tolerance
        (Direction.HIGHER, 94.9, 100.0, Rating.RED),
        (Direction.HIGHER, -105.0, -100.0, Rating.AMBER),  # a deficit 5% worse than planned
        (Direction.HIGHER, -106.0, -100.0, Rating.RED),
        (Direction.LOWER, 10.0, 10.0, Rating.GREEN),  # infections at trajectory
        (Direction.LOWER, 10.5, 10.0, Rating.AMBER),
        (Direction.LOWER, 11.0, 10.0, Rating.RED),
    ],
)
def test_against_plan_with_tolerance(
    direction: Direction, value: float, plan: float, rating: Rating
) -> None:
    ind = replace(COUNT, direction=direction, scheme=Scheme.PLAN, tolerance_pct=5.0)
    result = rate(_value(value, plan), ind, None)
    assert result.rating is rating
    assert "plan" in result.rule


def test_no_plan_or_no_answer_says_so() -> None:
    ind = replace(COUNT, scheme=Scheme.PLAN, tolerance_pct=5.0)
    assert rate(_value(3.0, None), ind, None).rule == "No plan for Sep 25; not rated"
    assert rate(_value(None, 4.0), ind, None).rating is Rating.NO_DATA


@pytest.mark.parametrize(("answer", "expected", "rating"), [
    (1.0, True, Rating.GREEN), (0.0, True, Rating.RED), (0.0, False, Rating.GREEN),
])  # fmt: skip
def test_yes_no(answer: float, expected: bool, rating: Rating) -> None:
    ind = replace(COUNT, scheme=Scheme.YES_NO, expected=expected)
    result = rate(_value(answer), ind, None)
    assert result.rating is rating
    assert "expected answer is " + ("Yes" if expected else "No") in result.rule


def test_none_is_monitored_even_with_a_value() -> None:
    result = rate(_value(7.0), replace(COUNT, scheme=Scheme.NONE), None)
    assert (result.rating, result.rule) == (
        Rating.NOT_RATED,
        "Monitored, not rated (rating = none)",
    )


LOCAL = """family = "local"

[indicators.cases]
name = "Cases"
unit = "count"
direction = "lower"
numerator = "cases_value"
basis = "b"
"""


def _config(tmp_path: Path, extra: str, thresholds: str = "") -> Path:
    (tmp_path / "indicators").mkdir()
    (tmp_path / "indicators" / "local.toml").write_text(LOCAL + extra, encoding="utf-8")
    (tmp_path / "thresholds.toml").write_text(thresholds, encoding="utf-8")
    return tmp_path


def test_schemes_load_from_the_definitions(tmp_path: Path) -> None:
    extra = 'rating = "four_band"\n'
    cuts = '[[cases]]\nfrom = "2025-04"\ncuts = [1, 3, 5]\nbasis = "b"\nsource = "s"\n'
    cat = load_catalogue(_config(tmp_path, extra, cuts))
    assert cat.indicator("cases").scheme is Scheme.FOUR_BAND
    std = cat.standard_for("cases", Month(2025, 6))
    assert std is not None and std.cuts == (1.0, 3.0, 5.0)
    assert (std.standard, std.lower_threshold) == (1.0, 5.0)


@pytest.mark.parametrize(
    ("extra", "thresholds", "key", "problem"),
    [
        ('rating = "plan"\n', "", "indicators.cases.plan", "rating = 'plan' needs it"),
        ('rating = "plan"\nplan = "cases_plan"\ntolerance_pct = -1\n', "",
         "indicators.cases.tolerance_pct", "expected 0 or more"),
        ('expected = "yes"\n', "", "indicators.cases.expected", "not used by rating = 'standard'"),
        ('rating = "yes_no"\nexpected = "maybe"\nover_time = "latest"\n', "",
         "indicators.cases.expected", "expected 'yes' or 'no'"),
        ('rating = "yes_no"\nexpected = "yes"\n', "", "indicators.cases.over_time",
         "a yes/no answer is a position"),
        ('rating = "traffic"\n', "", "indicators.cases.rating", "expected one of standard, plan"),
        ('rating = "four_band"\n', '[[cases]]\nfrom = "2025-04"\ncuts = [5, 3, 1]\n'
         'basis = "b"\nsource = "s"\n', "cases[1].cuts", "best first (rising"),
        ('rating = "four_band"\n', '[[cases]]\nfrom = "2025-04"\nstandard = 1\n'
         'basis = "b"\nsource = "s"\n', "cases[1].standard", "takes cuts"),
        ('rating = "none"\n', '[[cases]]\nfrom = "2025-04"\nstandard = 1\n'
         'basis = "b"\nsource = "s"\n', "cases", "takes no thresholds"),
        ("", '[[cases]]\nfrom = "2025-04"\ncuts = [1, 3, 5]\nbasis = "b"\nsource = "s"\n',
         "cases[1].cuts", "only a four_band indicator takes cuts"),
    ],
)  # fmt: skip
def test_bad_schemes_fail_by_name(
    tmp_path: Path, extra: str, thresholds: str, key: str, problem: str
) -> None:
    with pytest.raises(DefinitionError) as err:
        load_catalogue(_config(tmp_path, extra, thresholds))
    assert err.value.key == key
    assert problem in err.value.problem
