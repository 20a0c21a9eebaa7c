"""Pure display helpers shared by the renderers, `explain`, the rating rules and the CLI.

Rounding rule: a value is rounded for display only, half away from zero, on the float's
shortest decimal form (`Decimal(repr(x))`). So 74.85 shows as 74.9% although the binary
float is a little below 74.85, and 74.95 shows as 75.0% (never banker's rounding).
Ratings always compare the unrounded value.

Standards and thresholds are shown exactly (never rounded into a different number), so
a value of 78.24 shown as 78.2% is never confused with a threshold of 78.25%.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal

from scorecard.frequency import (
    period_end,
    period_label,
    period_start,
    periods_expected,
    unit_word,
)
from scorecard.model import Direction, Frequency, Unit, Value, Window
from scorecard.periods import Month

MISSING = "–"  # en dash: no value
_CONTEXT = Context(prec=400)  # room for any finite float's digits, so quantize never fails
_PREFIX = {Direction.HIGHER: "≥ ", Direction.LOWER: "≤ "}
_PLACES = {Unit.PERCENT: 1, Unit.WEEKS: 1}  # decimals shown; other units whole


def _decimal(x: float) -> Decimal:
    """The float's shortest decimal form; a non-finite value is a bug upstream."""
    if not math.isfinite(x):
        raise ValueError(f"cannot display the non-finite value {x!r}")
    return Decimal(repr(float(x)))


def round_half_up(x: float, places: int) -> Decimal:
    """`x` rounded half away from zero to `places` decimals, without a negative zero."""
    rounded = _decimal(x).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP, _CONTEXT)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def _clock(seconds: Decimal, places: int = 0) -> str:
    """`24:27`, `1:02:05`; `places` keeps fractional seconds (`18:00.5`)."""
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    tail = f"{secs:02d}"
    if places:
        tail += f"{seconds - whole:.{places}f}"[1:]  # "0.5" -> ".5"
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{tail}"
    return f"{sign}{minutes}:{tail}"


def _show(d: Decimal, unit: Unit, places: int) -> str:
    if unit is Unit.PERCENT:
        return f"{d:,.{places}f}%"
    if unit is Unit.COUNT:
        return f"{d:,.{places}f}"
    if unit is Unit.WEEKS:
        return f"{d:,.{places}f} weeks"
    return _clock(d, places)


def _places(unit: Unit) -> int:
    """Decimals shown: one for a percentage or a wait in weeks, none for a count or a time."""
    return 1 if unit in (Unit.PERCENT, Unit.WEEKS) else 0


def format_value(value: float | None, unit: Unit) -> str:
    """`74.8%` (one decimal), `44,881` (whole number), `13.9 weeks`, `24:27` or `1:02:05`;
    `–` when missing."""
    if value is None:
        return MISSING
    places = _places(unit)
    return _show(round_half_up(value, places), unit, places)


def format_threshold(
    threshold: float | None, unit: Unit, direction: Direction | None = None
) -> str:
    """A standard or lower threshold, exactly: `95.0%`, `78.25%`, `4:00:00`; `–` when none.

    With `direction`, the side that meets it: `≥ 95.0%` (higher is better), `≤ 18:00`.
    """
    if threshold is None:
        return MISSING
    exact = _decimal(threshold)
    places = max(_places(unit), -int(exact.normalize().as_tuple().exponent))
    shown = _show(round_half_up(threshold, places), unit, places)
    return _PREFIX[direction] + shown if direction is not None else shown


def span_label(first: Month, last: Month) -> str:
    """`Jul–Sep 2025`, `Nov 2025–Jan 2026`, or `Sep 2025` for one month."""
    if first == last:
        return last.label()
    if first.year == last.year:
        return f"{first.label()[:3]}–{last.label()}"
    return f"{first.label()}–{last.label()}"


def calendar_start(period: Month, window: Window) -> Month:
    """The first calendar month of the window that ends at `period`."""
    if window is Window.MONTH:
        return period
    return period.quarter_start() if window is Window.QUARTER else period.fy_start()


def window_months(period: Month, window: Window) -> int:
    """How many calendar months the window ending at `period` spans (to date)."""
    return period.index() - calendar_start(period, window).index() + 1


def window_start(value: Value) -> Month:
    """The value's first month as the Scorecard records it, else its window's calendar start."""
    return value.first if value.first is not None else calendar_start(value.period, value.window)


def window_label(
    value: Value, *, position: bool = False, frequency: Frequency = Frequency.MONTHLY
) -> str:
    """What period a value covers, so nobody confuses a monthly figure with a quarter's.

    `Sep 2025`; `Q2 2025/26 to date (Jul–Aug 2025)` while the quarter is under way and
    `Q2 2025/26 (Jul–Sep 2025)` once it is complete; `2025/26 YTD (Apr–Sep 2025)`. When fewer
    months had data than the window spans: `..., 2 of 3 months with data`.

    `position`: the indicator is a month-end position (OverTime.LATEST), so a quarter or
    year shows the position at its latest month rather than a sum. A quarterly or annual
    indicator's own period is named as such (`Q2 2025/26 (Jul–Sep 2025)`, `2025/26`), and
    its windows count quarters; a percentage entered without counts says its quarter or
    year is an average (`average of 3 months`) or the local file's own figure.
    """
    period = value.period
    if value.window is Window.MONTH:
        if frequency is Frequency.MONTHLY:
            return period.label()
        first = period_start(period, frequency)
        return f"{period_label(period, frequency)} ({span_label(first, period)})"
    if position:
        name = period.quarter_label() if value.window is Window.QUARTER else period.fy_label()
        return f"{name}: position at {period_label(period, frequency)}"
    start = calendar_start(period, value.window)
    quarter = value.window is Window.QUARTER
    name = period.quarter_label() if quarter else f"{period.fy_label()} YTD"
    expected = periods_expected(period, value.window, frequency)
    text = name
    if value.window is Window.QUARTER and period_end(period, Frequency.QUARTERLY) != period:
        text += " to date"
    text += f" ({span_label(start, period)})"
    count = f"{value.months} of {expected}" if value.months < expected else str(value.months)
    if value.how == "own":
        text += ", the local file's own figure"
    elif value.how == "mean" and value.months > 1:
        text += f", average of {count} {unit_word(frequency, expected)}"
    elif 0 < value.months < expected:
        text += f", {count} {unit_word(frequency, expected)} with data"
    return text


def plain_number(x: float | None) -> str:
    """Full precision for machine-readable text: integers without `.0`, empty for missing."""
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else repr(float(x))
