"""Pure: each window's rating (month, quarter to date, year to date), against its standard.

Every window a card shows is rated, each against the standard in force for the window. A
window spans several months, and a standard can change within it (a new zero-tolerance
standard from September 2024 inside Q2 2024/25; the next year's planning target inside a
year to date only at April, when a new year starts). The rule chosen: a window is rated
against the standard in force for its **last month**, the month the row shows. That is the
standard the board is held to now (planning targets are "by March" targets, so the last
month's is the one in force), and it is the same one the month is rated against, so the
windows of a row never disagree for a reason no one can see. When the standards in force over
the window's months differ, the rule behind the rating says so, naming each one.

A percentage entered as a percentage (`over_time = "mean"`) has no counts: its quarter or
year is the average of its periods' values, or the local file's own figure for the window, and
the rule says which. An annual indicator has no quarter.
"""

from __future__ import annotations

from dataclasses import replace

from scorecard.definitions import Catalogue
from scorecard.formatting import format_threshold
from scorecard.frequency import short_label, unit_word, window_first
from scorecard.model import (
    Frequency,
    Indicator,
    Rating,
    RatingResult,
    Scheme,
    Standard,
    Value,
    Window,
)
from scorecard.periods import months_between
from scorecard.rate import rate

RATED = frozenset({Rating.GREEN, Rating.AMBER_GREEN, Rating.AMBER, Rating.AMBER_RED, Rating.RED})
WINDOW_WORDS = {
    Window.MONTH: "month",
    Window.QUARTER: "quarter to date",
    Window.YTD: "year to date",
}
NO_QUARTER = "Not available: an annual figure has no quarter"


def rate_window(
    catalogue: Catalogue, ind: Indicator, value: Value, *, explain: bool = True
) -> RatingResult:
    """The value's rating against the standard in force for its window's last month, with
    the rule saying when the standard changed within the window, and how a window of a
    percentage entered as a percentage was found. `explain=False`: the rating alone is
    meant (scorecard.rate.rate's), and the rule is not worked out in full."""
    if ind.frequency is Frequency.ANNUAL and value.window is Window.QUARTER:
        return RatingResult(Rating.NOT_AVAILABLE, NO_QUARTER, None)
    standard = catalogue.standard_for(ind.id, value.period)
    result = rate(value, ind, standard, explain=explain)
    if not explain:
        return result
    notes = []
    if value.how:
        notes.append(how_text(value, ind))
    if result.rating in RATED or result.rating is Rating.NOT_RATED:
        changed = standard_changes(catalogue, ind, value)
        if changed:
            notes.append(changed)
    if not notes:
        return result
    return replace(result, rule="; ".join([result.rule, *notes]))


def how_text(value: Value, ind: Indicator) -> str:
    """How a window of a percentage entered as a percentage was found."""
    window = WINDOW_WORDS[value.window]
    if value.how == "own":
        return f"the {window} figure is the local file's own, as entered (no counts)"
    n = value.months
    if n == 1:
        return f"the {window} figure is its one {unit_word(ind.frequency)}'s value, as entered"
    return (
        f"the {window} figure is the average of its {n} {unit_word(ind.frequency, n)}' "
        "values as entered (percentages without counts), not a percentage of counts"
    )


def standard_changes(catalogue: Catalogue, ind: Indicator, value: Value) -> str | None:
    """`the standard changed within the quarter to date (Jul–Aug 2024: none; Sep 2024: 0);
    rated against the one in force for Sep 2024, its last month`, or None when one standard
    was in force for the whole window (or the scheme takes none)."""
    if ind.scheme not in (Scheme.STANDARD, Scheme.FOUR_BAND):
        return None
    first = window_first(value.period, value.window, ind.frequency)
    spans: list[tuple[Standard | None, list[str]]] = []
    for month in months_between(first, value.period):
        std = catalogue.standard_for(ind.id, month)
        if not spans or spans[-1][0] is not std:
            spans.append((std, []))
        spans[-1][1].append(short_label(month, Frequency.MONTHLY))
    if len(spans) < 2:
        return None
    parts = [
        f"{months[0]}{'–' + months[-1] if len(months) > 1 else ''}: {_shown(std, ind)}"
        for std, months in spans
    ]
    return (
        f"the standard changed within the {WINDOW_WORDS[value.window]} ({'; '.join(parts)}); "
        f"rated against the one in force for {value.period.label()}, its last month"
    )


def _shown(std: Standard | None, ind: Indicator) -> str:
    if std is None:
        return "none"
    text = format_threshold(std.standard, ind.unit)
    if std.lower_threshold is not None and std.cuts is None:
        text += f", lower threshold {format_threshold(std.lower_threshold, ind.unit)}"
    return text
