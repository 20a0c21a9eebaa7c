"""How often an indicator has a figure: monthly, quarterly or annual. Pure.

NHS England's files are monthly. A local measure can be quarterly (cancelled operations not
rebooked within 28 days) or annual (a staff survey score), declared per indicator with
`frequency = "quarterly"` in indicators/*.toml. Its figure for a period is stored at the
period's last month (Q2 2025/26 at September 2025, 2025/26 at March 2026), once: never spread
over the period's months. So the "month" window of a quarterly indicator is its latest quarter,
its quarter window that same quarter, its year to date the quarters of the year so far; an
annual indicator has no quarter. Trends and Making Data Count run on the indicator's own
periods (one point a quarter), and every label names them ("quarterly, 8 quarters").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scorecard.errors import DefinitionError
from scorecard.measures import LOCAL
from scorecard.model import Formula, Frequency, OverTime, Term, Unit, Window
from scorecard.periods import Month

MONTHS_IN = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}
# Points of trend on a board row, and how they are named.
TREND_POINTS = {Frequency.MONTHLY: 13, Frequency.QUARTERLY: 8, Frequency.ANNUAL: 5}
SPC_POINTS = 24  # Making Data Count's series: up to this many of the indicator's periods
# How far back a card looks for an indicator's latest figure, in months.
LOOKBACK = {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 12, Frequency.ANNUAL: 24}
_UNITS = {Frequency.MONTHLY: "month", Frequency.QUARTERLY: "quarter", Frequency.ANNUAL: "year"}


def unit_word(frequency: Frequency, n: int = 1) -> str:
    """`month`, `quarters`, `year`: the indicator's period, singular or plural."""
    word = _UNITS[frequency]
    return word if n == 1 else f"{word}s"


def trend_words(frequency: Frequency, n: int) -> str:
    """`monthly, 13 months`, `quarterly, 8 quarters`, `annual, 5 years`."""
    return f"{frequency.value}, {n} {unit_word(frequency, n)}"


def period_start(end: Month, frequency: Frequency) -> Month:
    """The first month of the indicator's period that ends at (or holds) `end`."""
    if frequency is Frequency.QUARTERLY:
        return end.quarter_start()
    if frequency is Frequency.ANNUAL:
        return end.fy_start()
    return end


def period_end(month: Month, frequency: Frequency) -> Month:
    """The last month of the indicator's period holding `month` (where its figure is kept)."""
    return period_start(month, frequency).plus(MONTHS_IN[frequency] - 1)


def period_label(end: Month, frequency: Frequency) -> str:
    """`Sep 2025`, `Q2 2025/26`, `2025/26`: the period whose figure is stored at `end`."""
    if frequency is Frequency.QUARTERLY:
        return end.quarter_label()
    if frequency is Frequency.ANNUAL:
        return end.fy_label()
    return end.label()


def short_label(end: Month, frequency: Frequency) -> str:
    """`Sep 25`, `Q2 25/26`, `2025/26`: as `period_label`, for tables and trend points."""
    if frequency is Frequency.QUARTERLY:
        return f"Q{end.fy_quarter} {end.fy_label()[2:]}"
    if frequency is Frequency.ANNUAL:
        return end.fy_label()
    return end.short_label()


def previous(end: Month, frequency: Frequency) -> Month:
    """The period before: the month, quarter or year before (at its last month)."""
    return end.plus(-MONTHS_IN[frequency])


def series(end: Month, frequency: Frequency, n: int) -> tuple[Month, ...]:
    """The last months of the `n` periods up to the one ending at `end`, oldest first."""
    step = MONTHS_IN[frequency]
    return tuple(end.plus(step * (i - n + 1)) for i in range(n))


def periods_expected(end: Month, window: Window, frequency: Frequency) -> int:
    """How many of the indicator's periods the window ending at `end` spans (to date)."""
    if window is Window.MONTH:
        return 1
    start = end.quarter_start() if window is Window.QUARTER else end.fy_start()
    return (end.index() - start.index()) // MONTHS_IN[frequency] + 1


def window_first(end: Month, window: Window, frequency: Frequency) -> Month:
    """The first calendar month the window ending at `end` covers."""
    if window is Window.MONTH:
        return period_start(end, frequency)
    if window is Window.QUARTER:
        return end.quarter_start()
    return end.fy_start()


def span_months(frequency: Frequency, points: int) -> int:
    """How many months `points` of the indicator's periods reach back."""
    return MONTHS_IN[frequency] * points


def frequency_from(file: str, where: str, body: Mapping[str, Any], family: str) -> Frequency:
    """An indicator definition's `frequency`: monthly (the default), quarterly or annual.

    NHS England's files publish every family here monthly, so only a local indicator (read
    from the analyst's own file) can be quarterly or annual.
    """
    text = body.get("frequency", Frequency.MONTHLY.value)
    valid = ", ".join(f.value for f in Frequency)
    if text not in {f.value for f in Frequency}:
        raise DefinitionError(file, f"{where}.frequency", f"expected one of {valid}, got {text!r}")
    frequency = Frequency(text)
    if frequency is not Frequency.MONTHLY and family != LOCAL:
        raise DefinitionError(
            file,
            f"{where}.frequency",
            f"NHS England publishes the {family} files monthly: only a local indicator can be "
            f"{frequency.value}",
        )
    return frequency


def over_time_from(
    file: str,
    where: str,
    body: Mapping[str, Any],
    family: str,
    percent_value: bool,
    ratio: bool,
) -> OverTime:
    """An indicator definition's `over_time`, checked against what its figures allow.

    A percentage entered as a percentage (`percent_value`: a local percent indicator whose
    numerator is its own `<id>_value`, with no denominator) has no counts to add up: its
    quarter and year are the average of its periods (`mean`, its default), or its latest
    period (`latest`), never a sum. `mean` is for a local figure entered as a value only.
    """
    key = f"{where}.over_time"
    default = OverTime.MEAN if percent_value else OverTime.SUM
    text = body.get("over_time", default.value)
    valid = ", ".join(o.value for o in OverTime)
    if text not in {o.value for o in OverTime}:
        raise DefinitionError(file, key, f"expected one of {valid}, got {text!r}")
    over_time = OverTime(text)
    if percent_value and over_time is OverTime.SUM:
        raise DefinitionError(
            file, key, "a percentage entered as a percentage cannot be added up: use 'mean' "
            "(a quarter is the average of its months) or 'latest'",
        )  # fmt: skip
    if over_time is OverTime.MEAN and (family != LOCAL or ratio):
        why = "NHS England's figures" if family != LOCAL else "a numerator and denominator"
        raise DefinitionError(
            file, key, f"'mean' averages values entered without counts; {why} add up exactly: "
            "use 'sum'",
        )  # fmt: skip
    return over_time


def percent_value_from(
    file: str,
    where: str,
    ind_id: str,
    family: str,
    unit: Unit,
    numerator: Formula,
    denominator: Formula | None,
) -> bool:
    """Whether a percent indicator is a percentage entered as a percentage: a local one read
    from its own `<id>_value`, with no denominator. Any other percent needs a denominator."""
    if unit is not Unit.PERCENT or denominator is not None:
        return False
    own = Formula((Term(1, f"{ind_id}_value"),))
    if family != LOCAL or numerator != own:
        raise DefinitionError(
            file,
            f"{where}.denominator",
            "a percent needs a denominator (or, for a local indicator, numerator = "
            f"'{ind_id}_value' alone: a percentage entered as a percentage)",
        )
    return True
