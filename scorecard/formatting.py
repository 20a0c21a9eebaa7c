"""Pure display helpers shared by the renderers, `explain` and the CLI.

Values are rounded for display only (half away from zero, on the value's shortest decimal
form); ratings always compare the unrounded value.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from scorecard.model import Unit, Value, Window
from scorecard.periods import Month

MISSING = "–"


def _round(x: float, places: int) -> Decimal:
    return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_value(value: float | None, unit: Unit) -> str:
    """`74.8%`, `44,881`, `24:27` (minutes:seconds); an en dash when missing."""
    if value is None:
        return MISSING
    if unit is Unit.PERCENT:
        return f"{_round(value, 1)}%"
    if unit is Unit.COUNT:
        return f"{int(_round(value, 0)):,}"
    total = int(_round(value, 0))
    sign, total = ("-" if total < 0 else ""), abs(total)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{seconds:02d}"
    return f"{sign}{minutes}:{seconds:02d}"


def span_label(first: Month, last: Month) -> str:
    """`Jul–Sep 2025`, `Nov 2025–Jan 2026`, or `Sep 2025` for one month."""
    if first == last:
        return last.label()
    if first.year == last.year:
        return f"{first.label()[:3]}–{last.label()}"
    return f"{first.label()}–{last.label()}"


def window_label(value: Value, *, position: bool = False) -> str:
    """What period a value covers, so nobody confuses a monthly figure with a quarter's.

    `position`: the indicator is a month-end position (OverTime.LATEST), so a quarter or
    year shows the position at its latest month rather than a sum.
    """
    period = value.period
    if value.window is Window.MONTH:
        return period.label()
    if position:
        name = period.quarter_label() if value.window is Window.QUARTER else period.fy_label()
        return f"{name}: position at {period.label()}"
    if value.window is Window.QUARTER:
        start, name, length = period.quarter_start(), period.quarter_label(), 3
    else:
        start, name, length = period.fy_start(), f"{period.fy_label()} YTD", 12
    expected = period.index() - start.index() + 1
    text = name
    if value.window is Window.QUARTER and expected < length:
        text += " to date"
    text += f" ({span_label(start, period)})"
    if 0 < value.months < expected:
        text += f", {value.months} of {expected} months with data"
    return text
