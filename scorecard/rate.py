"""Pure rating rules: a value and the standard in force -> a RAG rating and the rule that fired.

Values are compared unrounded. For a lower-is-better indicator the comparisons are mirrored.
A rule's text shows values as every table does (`format_value`), never a float's raw digits.
"""

from __future__ import annotations

from scorecard.formatting import format_value
from scorecard.measures import LOCAL
from scorecard.model import (
    Direction,
    Indicator,
    OverTime,
    Rating,
    RatingResult,
    Scheme,
    Standard,
    Unit,
    Value,
    Window,
)


def rate(
    value: Value, indicator: Indicator, standard: Standard | None, *, explain: bool = True
) -> RatingResult:
    """Rate one value against the standard in force for its period.

    `explain=False`: the same rating, its rule left empty where a rating against a standard
    would word it (for a caller that shows only the rating, row after row).
    """
    if value.value is None and value.window is not Window.MONTH and not combinable(indicator):
        return RatingResult(Rating.NOT_AVAILABLE, NOT_COMBINABLE, standard)
    if value.value is None:
        return RatingResult(Rating.NO_DATA, f"No data for {value.period.short_label()}", standard)
    if indicator.scheme is Scheme.NONE:
        return RatingResult(Rating.NOT_RATED, "Monitored, not rated (rating = none)", None)
    if indicator.scheme is Scheme.YES_NO:
        return _yes_no(value.value, indicator)
    if indicator.scheme is Scheme.PLAN:
        return _against_plan(value, value.value, indicator)
    if standard is None:
        return RatingResult(
            Rating.NOT_RATED,
            f"No {'local' if indicator.family == LOCAL else 'national'} standard in force "
            f"for {value.period.label()}; monitored, not rated",
            None,
        )
    if standard.cuts is not None:
        return _four_band(value.value, indicator, standard, standard.cuts)
    rating = classify(value.value, standard.standard, standard.lower_threshold, indicator.direction)
    rule = _rule(value.value, indicator, standard, rating) if explain else ""
    return RatingResult(rating, rule, standard)


def _better_or_equal(value: float, than: float, direction: Direction) -> bool:
    return value >= than if direction is Direction.HIGHER else value <= than


def _four_band(
    value: float, indicator: Indicator, standard: Standard, cuts: tuple[float, float, float]
) -> RatingResult:
    """Green at or better than the first cut, then Amber/Green, Amber/Red; Red beyond."""
    bands = (Rating.GREEN, Rating.AMBER_GREEN, Rating.AMBER_RED)
    unit, direction = indicator.unit, indicator.direction
    shown = format_value(value, unit)
    better = "at or above" if direction is Direction.HIGHER else "at or below"
    for band, cut in zip(bands, cuts, strict=True):
        if _better_or_equal(value, cut, direction):
            text = f"{band}: {shown} is {better} the {band} cut {format_value(cut, unit)}"
            break
    else:
        band = Rating.RED
        worse = "below" if direction is Direction.HIGHER else "above"
        text = f"Red: {shown} is {worse} the Amber/Red cut {format_value(cuts[2], unit)}"
    tail = compared(value, unit, *cuts)
    return RatingResult(band, f"{text}; four-band scheme; {tail}", standard)


def _against_plan(value: Value, actual: float, indicator: Indicator) -> RatingResult:
    """Green at or better than plan, Amber worse by no more than the tolerance, else Red."""
    if value.plan is None:
        return RatingResult(
            Rating.NOT_RATED, f"No plan for {value.period.short_label()}; not rated", None
        )
    unit, direction, pct = indicator.unit, indicator.direction, indicator.tolerance_pct or 0.0
    shown, plan = format_value(actual, unit), format_value(value.plan, unit)
    gap = actual - value.plan if direction is Direction.HIGHER else value.plan - actual
    allowed = abs(value.plan) * pct / 100
    tolerance = f"{pct:g}%"
    if gap >= 0:
        rating, text = Rating.GREEN, f"Green: {shown} is at or better than the plan {plan}"
    elif -gap <= allowed:
        rating = Rating.AMBER
        text = f"Amber: {shown} is worse than the plan {plan} but within {tolerance} of it"
    else:
        rating = Rating.RED
        text = f"Red: {shown} is worse than the plan {plan} by more than {tolerance}"
    rule = f"{text}; {direction.value} is better; {compared(actual, unit, value.plan)}"
    return RatingResult(rating, rule, None)


def _yes_no(answer: float, indicator: Indicator) -> RatingResult:
    said, expected = answer != 0, bool(indicator.expected)
    words = {True: "Yes", False: "No"}
    rating = Rating.GREEN if said == expected else Rating.RED
    rule = f"{rating}: the answer is {words[said]}; the expected answer is {words[expected]}"
    return RatingResult(rating, rule, None)


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
    tail = compared(value, unit, standard.standard, lower)
    return f"{text}; {direction} is better; {tail}"


def compared(value: float, unit: Unit, *against: float | None) -> str:
    """`compared unrounded`; where rounding shows the value equal to a standard, cut or plan
    it is not equal to, which side of it the value is (the rule's text shows values as the
    tables do, rounded by `format_value`, never a float's raw digits)."""
    shown = format_value(value, unit)
    for limit in against:
        if limit is not None and value != limit and format_value(limit, unit) == shown:
            side = "above" if value > limit else "below"
            return f"compared unrounded: {shown} is rounded, the value itself is just {side} it"
    return "compared unrounded"
