"""The two Making Data Count icons and the words that explain them. Pure.

Used by scorecard.spc: which way is improvement, the variation icon for the last point
(from the rules that fired on it, see scorecard.spc.rules) and the assurance icon (the
target against the last point's partition limits; a target on a limit passes or fails,
MDC v2.1), each with a sentence saying why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum

from scorecard.periods import Month
from scorecard.spc.rules import (
    BEYOND_LIMITS,
    HIGH,
    LOW,
    RULE_ORDER,
    SHIFT,
    TREND,
    Hit,
    Limits,
)


class Improvement(StrEnum):
    """Which way is improvement (MDC ``MetricImprovement``)."""

    UP = "up"
    DOWN = "down"
    NEITHER = "neither"


class Variation(StrEnum):
    """The MDC variation icon for the last point."""

    COMMON_CAUSE = "common_cause"
    IMPROVEMENT_HIGH = "improvement_high"
    IMPROVEMENT_LOW = "improvement_low"
    CONCERN_HIGH = "concern_high"
    CONCERN_LOW = "concern_low"
    NEITHER_HIGH = "neither_high"
    NEITHER_LOW = "neither_low"
    NONE = "none"  # too few points: no limits, no icon


class Assurance(StrEnum):
    """The MDC assurance icon: can the process be relied on to meet the target?"""

    PASS = "pass"
    FAIL = "fail"
    HIT_OR_MISS = "hit_or_miss"
    NONE = "none"


def special(sides: set[str], improvement: Improvement, conflict: str) -> tuple[str | None, bool]:
    """The point's special-cause label and whether it was a conflict."""
    if improvement is Improvement.NEITHER:
        return ("neither_high" if HIGH in sides else "neither_low"), False
    good = HIGH if improvement is Improvement.UP else LOW
    is_good = good in sides
    is_bad = any(s != good for s in sides)
    if is_good and is_bad:
        return conflict, True
    return ("improvement" if is_good else "concern"), False


def _side_of(special: str, improvement: Improvement) -> str:
    if improvement is Improvement.NEITHER:
        return HIGH if special == "neither_high" else LOW
    good = HIGH if improvement is Improvement.UP else LOW
    bad = LOW if good == HIGH else HIGH
    return good if special == "improvement" else bad


def _describe(
    hit: Hit,
    last: int,
    usable: list[int],
    series: Sequence[tuple[Month, float | None]],
    centre_name: str,
    limits: dict[int, Limits],
    part: list[int],
    fmt: Callable[[float], str],
    label: Callable[[Month], str] = Month.short_label,
) -> str:
    since = label(series[usable[hit.start]][0])
    above = hit.side == HIGH
    if hit.rule == BEYOND_LIMITS:
        lim = limits[part[last]]
        line = lim.line_float(3, 1 if above else -1)
        assert line is not None  # a point beyond a limit has one
        value = series[last][1]
        assert value is not None
        return (
            f"{label(series[last][0])} ({fmt(value)}) is "
            f"{'above the upper' if above else 'below the lower'} limit {fmt(line)}"
        )
    if hit.rule == SHIFT:
        return f"{hit.count} points {'above' if above else 'below'} the {centre_name} since {since}"
    if hit.rule == TREND:
        return f"{hit.count} points {'rising' if above else 'falling'} in a row since {since}"
    return (
        f"{hit.count} of 3 points {'above the upper' if above else 'below the lower'} "
        f"2-sigma line since {since}"
    )


def variation(
    last: int,
    usable: list[int],
    series: Sequence[tuple[Month, float | None]],
    hits: list[Hit],
    special: tuple[str | None, bool],
    improvement: Improvement,
    centre_name: str,
    limits: dict[int, Limits],
    part: list[int],
    fmt: Callable[[float], str],
    period_label: Callable[[Month], str] = Month.short_label,
) -> tuple[Variation, str]:
    """The variation icon for the last usable point, from the rules that fired on it, and
    the sentence naming them (`period_label` names a point: `Sep 25`, `Q2 25/26`)."""
    label, conflict = special
    when = period_label(series[last][0])
    if label is None:
        return Variation.COMMON_CAUSE, f"Common cause: no rule fires on the last point ({when})"
    side = _side_of(label, improvement)
    ordered = sorted(hits, key=lambda h: RULE_ORDER.index(h.rule))

    def text(sel: list[Hit]) -> str:
        return "; ".join(
            _describe(h, last, usable, series, centre_name, limits, part, fmt, period_label)
            for h in sel
        )

    main = text([h for h in ordered if h.side == side])
    if improvement is Improvement.NEITHER:
        icon = Variation.NEITHER_HIGH if side == HIGH else Variation.NEITHER_LOW
        words = "higher" if side == HIGH else "lower"
        reason = f"Special cause, {words} (no improvement direction): {main}"
        other = [h for h in ordered if h.side != side]
        if other:
            reason += f"; also {'lower' if side == HIGH else 'higher'}: {text(other)}"
        return icon, reason
    icon = {
        ("improvement", HIGH): Variation.IMPROVEMENT_HIGH,
        ("improvement", LOW): Variation.IMPROVEMENT_LOW,
        ("concern", HIGH): Variation.CONCERN_HIGH,
        ("concern", LOW): Variation.CONCERN_LOW,
    }[(label, side)]
    reason = f"Special cause {label}: {main}"
    if conflict:
        loser = "concern" if label == "improvement" else "improvement"
        why = "as in the MDC Excel tool" if label == "improvement" else "by this chart's setting"
        reason += (
            f"; also {loser}: {text([h for h in ordered if h.side != side])} "
            f"({label} wins a conflict, {why})"
        )
    return icon, reason


def no_assurance(improvement: Improvement, target: float | None) -> str | None:
    """Why there can be no assurance icon at all, or None when there can be one."""
    if improvement is Improvement.NEITHER:
        return "No assurance for an indicator with no improvement direction"
    if target is None:
        return "No target in force"
    return None


def assurance(
    lim: Limits,
    improvement: Improvement,
    target: float | None,
    when: Month,
    fmt: Callable[[float], str],
    label: Callable[[Month], str] = Month.short_label,
) -> tuple[Assurance, str]:
    """The assurance icon: the target against the last point's partition limits."""
    none = no_assurance(improvement, target)
    if none is not None or target is None:
        return Assurance.NONE, none or "No target in force"
    above, below = lim.versus(target, 3, 1), lim.versus(target, 3, -1)  # exact
    upl, lpl = lim.line_float(3, 1), lim.line_float(3, -1)
    if above is None or below is None or upl is None or lpl is None:
        return (
            Assurance.NONE,
            f"No assurance: the limits for {label(when)} rest on a single point",
        )
    ft, fu, fl = fmt(target), fmt(upl), fmt(lpl)
    if improvement is Improvement.UP:
        if below <= 0:
            return Assurance.PASS, (
                f"Consistently passes: the target {ft} is at or below the lower limit {fl}"
            )
        if above >= 0:
            return Assurance.FAIL, (
                f"Consistently fails: the target {ft} is at or above the upper limit {fu}"
            )
    else:
        if above >= 0:
            return Assurance.PASS, (
                f"Consistently passes: the target {ft} is at or above the upper limit {fu}"
            )
        if below <= 0:
            return Assurance.FAIL, (
                f"Consistently fails: the target {ft} is at or below the lower limit {fl}"
            )
    return Assurance.HIT_OR_MISS, (
        f"Hit and miss: the target {ft} lies between the lower limit {fl} "
        f"and the upper limit {fu}, so it will be met some months and missed in others"
    )
