"""rate.py: the RAG rules, their mirror for lower-is-better, and the rule text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from scorecard.model import (
    Direction,
    Formula,
    Indicator,
    Rating,
    Standard,
    Term,
    Unit,
    Value,
    Window,
)
from scorecard.periods import Month
from scorecard.rate import classify, rate

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


def _indicator(direction: Direction, unit: Unit = Unit.PERCENT) -> Indicator:
    den = Formula((Term(1, "d"),)) if unit is Unit.PERCENT else None
    return Indicator("x", "X", "ae", unit, direction, Formula((Term(1, "n"),)), den, "basis")


def _standard(standard: float, lower: float | None) -> Standard:
    return Standard("x", Month(2025, 4), None, standard, lower, "basis", "source")


def _value(v: float | None) -> Value:
    return Value("x", "ORG", Month(2025, 9), Window.MONTH, None, None, v, 1)


def test_edges_higher_is_better() -> None:
    assert classify(95.0, 95.0, 78.0, Direction.HIGHER) is Rating.GREEN
    assert classify(94.99999, 95.0, 78.0, Direction.HIGHER) is Rating.AMBER
    assert classify(78.0, 95.0, 78.0, Direction.HIGHER) is Rating.AMBER
    assert classify(77.99999, 95.0, 78.0, Direction.HIGHER) is Rating.RED


def test_unrounded_comparison() -> None:
    # 94.96 shows as 95.0% but is below the standard: Amber, not Green.
    assert classify(94.96, 95.0, 78.0, Direction.HIGHER) is Rating.AMBER


def test_no_lower_threshold_means_no_amber() -> None:
    assert classify(94.0, 95.0, None, Direction.HIGHER) is Rating.RED
    assert classify(5.0, 1.0, None, Direction.LOWER) is Rating.RED


def test_edges_lower_is_better() -> None:
    assert classify(1.0, 1.0, 5.0, Direction.LOWER) is Rating.GREEN
    assert classify(5.0, 1.0, 5.0, Direction.LOWER) is Rating.AMBER
    assert classify(5.01, 1.0, 5.0, Direction.LOWER) is Rating.RED


@given(finite, finite, finite)
def test_lower_is_better_mirrors_higher(value: float, a: float, b: float) -> None:
    standard, lower = max(a, b), min(a, b)
    higher = classify(value, standard, lower, Direction.HIGHER)
    mirrored = classify(-value, -standard, -lower, Direction.LOWER)
    assert higher is mirrored


@given(finite, finite, finite, finite)
def test_rating_is_monotonic_in_value(v1: float, v2: float, a: float, b: float) -> None:
    standard, lower = max(a, b), min(a, b)
    order = {Rating.RED: 0, Rating.AMBER: 1, Rating.GREEN: 2}
    lo, hi = sorted((v1, v2))
    r_lo = classify(lo, standard, lower, Direction.HIGHER)
    r_hi = classify(hi, standard, lower, Direction.HIGHER)
    assert order[r_lo] <= order[r_hi]


def test_rate_states_the_rule() -> None:
    result = rate(_value(76.4), _indicator(Direction.HIGHER), _standard(95.0, 78.0))
    assert result.rating is Rating.RED
    assert "76.4%" in result.rule and "78.0%" in result.rule and "lower threshold" in result.rule
    amber = rate(_value(80.0), _indicator(Direction.HIGHER), _standard(95.0, 78.0))
    assert amber.rating is Rating.AMBER and "between" in amber.rule


def test_no_data_and_no_standard() -> None:
    assert (
        rate(_value(None), _indicator(Direction.HIGHER), _standard(95, 78)).rating is Rating.NO_DATA
    )
    no_std = rate(_value(50.0), _indicator(Direction.HIGHER), None)
    assert no_std.rating is Rating.NOT_RATED
    assert "No national standard" in no_std.rule
