"""formatting.py: display rounding, units, thresholds and window labels.

Rounding rule under test: half away from zero on the float's shortest decimal form
(`Decimal(repr(x))`), so the number a reader would type in is the number that is rounded.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard.formatting import (
    MISSING,
    calendar_start,
    format_threshold,
    format_value,
    span_label,
    window_label,
    window_start,
)
from scorecard.model import Direction, Unit, Value, Window
from scorecard.periods import Month

SEP = Month(2025, 9)
finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)


def value(
    window: Window, period: Month = SEP, months: int = 3, first: Month | None = None
) -> Value:
    return Value("ae_4hr", "R1", period, window, 1.0, 2.0, 50.0, months, first)


@pytest.mark.parametrize(
    ("x", "shown"),
    [
        (74.85, "74.9%"),  # the float is 74.8499999..., but 74.85 is what was meant
        (74.95, "75.0%"),
        (2.25, "2.3%"),  # banker's rounding would give 2.2
        (2.35, "2.4%"),
        (0.25, "0.3%"),  # f"{0.25:.1f}" gives 0.2
        (0.15, "0.2%"),  # round(0.15, 1) gives 0.1
        (74.84999, "74.8%"),
        (74.8, "74.8%"),
        (100.0, "100.0%"),
        (0.0, "0.0%"),
        (-0.04, "0.0%"),  # never a negative zero
        (-2.25, "-2.3%"),  # away from zero
    ],
)
def test_percent_one_decimal_half_away_from_zero(x: float, shown: str) -> None:
    assert format_value(x, Unit.PERCENT) == shown


@pytest.mark.parametrize(
    ("x", "shown"),
    [
        (44881.0, "44,881"),
        (44881.5, "44,882"),
        (0.5, "1"),
        (2.5, "3"),  # banker's rounding would give 2
        (-2.5, "-3"),
        (999.4, "999"),
        (1234567.0, "1,234,567"),
        (0.0, "0"),
    ],
)
def test_count_whole_number_with_separators(x: float, shown: str) -> None:
    assert format_value(x, Unit.COUNT) == shown


@pytest.mark.parametrize(
    ("x", "shown"),
    [
        (1467.0, "24:27"),
        (0.0, "0:00"),
        (59.4, "0:59"),
        (59.5, "1:00"),
        (3599.0, "59:59"),
        (3600.0, "1:00:00"),
        (3725.0, "1:02:05"),
        (14400.0, "4:00:00"),
    ],
)
def test_seconds_as_clock(x: float, shown: str) -> None:
    assert format_value(x, Unit.SECONDS) == shown


@pytest.mark.parametrize("unit", list(Unit))
def test_missing_is_an_en_dash(unit: Unit) -> None:
    assert format_value(None, unit) == MISSING == "–"
    assert format_threshold(None, unit) == "–"


@pytest.mark.parametrize("x", [math.nan, math.inf, -math.inf])
def test_non_finite_values_are_a_bug_not_a_display(x: float) -> None:
    with pytest.raises(ValueError, match="non-finite"):
        format_value(x, Unit.PERCENT)


def test_thresholds_are_shown_exactly() -> None:
    assert format_threshold(95.0, Unit.PERCENT) == "95.0%"
    assert format_threshold(78.25, Unit.PERCENT) == "78.25%"  # not rounded to 78.3%
    assert format_threshold(1000.0, Unit.COUNT) == "1,000"
    assert format_threshold(2.5, Unit.COUNT) == "2.5"
    assert format_threshold(1080.0, Unit.SECONDS) == "18:00"
    assert format_threshold(1080.5, Unit.SECONDS) == "18:00.5"
    assert format_threshold(14400.0, Unit.SECONDS) == "4:00:00"


def test_threshold_with_direction_says_which_side_meets_it() -> None:
    assert format_threshold(95.0, Unit.PERCENT, Direction.HIGHER) == "≥ 95.0%"
    assert format_threshold(1080.0, Unit.SECONDS, Direction.LOWER) == "≤ 18:00"
    assert format_threshold(None, Unit.PERCENT, Direction.HIGHER) == "–"


def test_span_label() -> None:
    assert span_label(Month(2025, 7), SEP) == "Jul–Sep 2025"
    assert span_label(Month(2025, 11), Month(2026, 1)) == "Nov 2025–Jan 2026"
    assert span_label(SEP, SEP) == "Sep 2025"


def test_window_labels() -> None:
    assert window_label(value(Window.MONTH, months=1)) == "Sep 2025"
    assert window_label(value(Window.QUARTER)) == "Q2 2025/26 (Jul–Sep 2025)"
    assert window_label(value(Window.QUARTER, Month(2025, 8), 2)) == (
        "Q2 2025/26 to date (Jul–Aug 2025)"
    )
    assert window_label(value(Window.QUARTER, Month(2026, 2), 2)) == (
        "Q4 2025/26 to date (Jan–Feb 2026)"
    )
    assert window_label(value(Window.YTD, months=6)) == "2025/26 YTD (Apr–Sep 2025)"
    assert window_label(value(Window.YTD, Month(2026, 1), 10)) == (
        "2025/26 YTD (Apr 2025–Jan 2026)"
    )
    assert window_label(value(Window.YTD, Month(2026, 3), 12)) == (
        "2025/26 YTD (Apr 2025–Mar 2026)"
    )


def test_partial_coverage_is_stated() -> None:
    assert window_label(value(Window.QUARTER, months=2)) == (
        "Q2 2025/26 (Jul–Sep 2025), 2 of 3 months with data"
    )
    assert window_label(value(Window.YTD, months=5)) == (
        "2025/26 YTD (Apr–Sep 2025), 5 of 6 months with data"
    )
    # No data at all is shown by the value ("No data"), not by the label.
    assert window_label(value(Window.YTD, months=0)) == "2025/26 YTD (Apr–Sep 2025)"


def test_month_end_positions_are_labelled_as_positions() -> None:
    assert window_label(value(Window.QUARTER, months=1), position=True) == (
        "Q2 2025/26: position at Sep 2025"
    )
    assert window_label(value(Window.YTD, months=1), position=True) == (
        "2025/26: position at Sep 2025"
    )
    assert window_label(value(Window.MONTH, months=1), position=True) == "Sep 2025"


def test_window_start() -> None:
    assert calendar_start(SEP, Window.MONTH) == SEP
    assert calendar_start(SEP, Window.QUARTER) == Month(2025, 7)
    assert calendar_start(Month(2026, 2), Window.YTD) == Month(2025, 4)
    assert window_start(value(Window.QUARTER)) == Month(2025, 7)
    assert window_start(value(Window.QUARTER, first=Month(2025, 8))) == Month(2025, 8)


def _half_up(x: float, places: int) -> Decimal:
    return Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@given(finite)
def test_percent_always_has_exactly_one_decimal(x: float) -> None:
    shown = format_value(x, Unit.PERCENT)
    assert re.fullmatch(r"-?\d{1,3}(,\d{3})*\.\d%", shown), shown
    assert Decimal(shown[:-1].replace(",", "")) == _half_up(x, 1)


@given(finite)
def test_count_parses_back_to_the_rounded_integer(x: float) -> None:
    shown = format_value(x, Unit.COUNT)
    assert re.fullmatch(r"-?\d{1,3}(,\d{3})*", shown), shown
    parsed = int(shown.replace(",", ""))
    assert parsed == int(_half_up(x, 0))
    assert abs(Decimal(repr(x)) - parsed) <= Decimal("0.5")


@given(st.floats(min_value=0, max_value=1e7, allow_nan=False))
def test_seconds_parse_back_to_the_rounded_total(x: float) -> None:
    parts = [int(p) for p in format_value(x, Unit.SECONDS).split(":")]
    assert all(0 <= p < 60 for p in parts[1:])
    total = sum(p * 60**i for i, p in enumerate(reversed(parts)))
    assert total == int(_half_up(x, 0))


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False))
def test_thresholds_round_trip_exactly(x: float) -> None:
    shown = format_threshold(x, Unit.PERCENT)
    assert Decimal(shown[:-1].replace(",", "")) == Decimal(repr(x))
