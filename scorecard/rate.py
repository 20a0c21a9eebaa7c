"""Pure rating rules: a value and the standard in force -> a RAG rating and the rule that fired.

Values are compared unrounded. For a lower-is-better indicator the comparisons are mirrored.
"""

from __future__ import annotations

from scorecard.formatting import format_value
from scorecard.model import (
    Direction,
    Indicator,
    OverTime,
    Rating,
    RatingResult,
    Standard,
    Value,
    Window,
)


def rate(value: Value, indicator: Indicator, standard: Standard | None) -> RatingResult:
    """Rate one value against the standard in force for its period."""
    if value.value is None and value.window is not Window.MONTH and not combinable(indicator):
        return RatingResult(Rating.NOT_AVAILABLE, NOT_COMBINABLE, standard)
    if value.value is None:
        return RatingResult(Rating.NO_DATA, f"No data for {value.period.short_label()}", standard)
    if standard is None:
        return RatingResult(
            Rating.NOT_RATED,
            f"No national standard in force for {value.period.label()}; monitored, not rated",
            None,
        )
    rating = classify(value.value, standard.standard, standard.lower_threshold, indicator.direction)
    return RatingResult(rating, _rule(value.value, indicator, standard, rating), standard)


NOT_COMBINABLE = (
    "Not available: a 90th centile cannot be combined across months or organisations, "
    "so no quarter or year-to-date figure is computed"
)


def combinable(indicator: Indicator) -> bool:
    return indicator.over_time is not OverTime.NONE


def classify(
    value: float, standard: float, lower_threshold: float | None, direction: Direction
) -> Rating:
    """Green at or better than the standard, Red worse than the lower threshold, else Amber.

    With no lower threshold there is no Amber band: worse than the standard is Red.
    """
    if direction is Direction.HIGHER:
        if value >= standard:
            return Rating.GREEN
        if lower_threshold is None or value < lower_threshold:
            return Rating.RED
        return Rating.AMBER
    if value <= standard:
        return Rating.GREEN
    if lower_threshold is None or value > lower_threshold:
        return Rating.RED
    return Rating.AMBER


def _rule(value: float, indicator: Indicator, standard: Standard, rating: Rating) -> str:
    unit = indicator.unit
    shown = format_value(value, unit)
    std = format_value(standard.standard, unit)
    higher = indicator.direction is Direction.HIGHER
    better, worse = ("at or above", "below") if higher else ("at or below", "above")
    lower = standard.lower_threshold
    if rating is Rating.GREEN:
        text = f"Green: {shown} is {better} the standard {std}"
    elif lower is None:
        text = f"Red: {shown} is {worse} the standard {std} (no lower threshold, so no Amber band)"
    elif rating is Rating.RED:
        text = f"Red: {shown} is {worse} the lower threshold {format_value(lower, unit)}"
    else:
        low = format_value(lower, unit)
        span = f"the lower threshold {low} and the standard {std}"
        if not higher:
            span = f"the standard {std} and the lower threshold {low}"
        text = f"Amber: {shown} is between {span}"
    direction = "higher" if higher else "lower"
    return f"{text}; {direction} is better; compared unrounded ({value!r})"
