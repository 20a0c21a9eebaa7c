"""Pure: a scorecard definition and computed values -> a board Scorecard with domains.

Every row the definition asks for is shown, at its indicator's latest month with data up to
the scorecard's month (or saying "No data" when there is none). Each row carries its trend
(13 months, 8 quarters or 5 years: scorecard.frequency), the rating the period before, and
the analyst's commentary. Every window is rated; the definition's `rate_by` window (the month
unless it says otherwise) rates the row: each domain counts its rows by that rating and takes
a rating by its declared rule, and the exception report lists every row Red in that window
and every row rated worse there than the period before.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

import polars as pl

from scorecard.assemble import Lookup, latest_months, lookup_for, month_value, row_at, to_value
from scorecard.definitions import Catalogue
from scorecard.frequency import TREND_POINTS, periods_expected, previous, series, short_label
from scorecard.frequency import unit_word as period_word
from scorecard.model import (
    SELF,
    BoardSpec,
    Domain,
    DomainRule,
    DomainSpec,
    Frequency,
    OverTime,
    Rating,
    Row,
    Scorecard,
    Window,
)
from scorecard.periods import Month
from scorecard.windows import WINDOW_WORDS, rate_window

HISTORY = TREND_POINTS[Frequency.MONTHLY]  # months of trend on a monthly row
RATING_ORDER = (
    Rating.GREEN,
    Rating.AMBER_GREEN,
    Rating.AMBER,
    Rating.AMBER_RED,
    Rating.RED,
    Rating.NOT_RATED,
    Rating.NO_DATA,
    Rating.NOT_AVAILABLE,
)
SEVERITY = {r: i for i, r in enumerate(RATING_ORDER[:5])}  # rated: higher is worse


def build_board(
    spec: BoardSpec,
    catalogue: Catalogue,
    values: pl.DataFrame,
    *,
    org: str,
    names: Mapping[str, str],
    period: Month,
    title: str,
    sources: Sequence[str],
    comments: Mapping[tuple[str, str, Month], str],
    revisions: Mapping[tuple[str, Month], str] | None = None,
    statuses: Mapping[tuple[str, Month], str] | None = None,
) -> Scorecard:
    """The board scorecard for `org` at `period` (rows for "self" monitor `org`).

    `revisions` names, for a dataset and month, the earlier file a revised publication
    replaced, and `statuses` the status its file states (provisional, final, revised); a
    row showing that month says so in a footnote.
    """
    lookups: dict[str, Lookup] = {}
    latest: dict[str, dict[str, dt.date]] = {}
    domains = []
    for d in spec.domains:
        rows = []
        for r in d.rows:
            code = org if r.org == SELF else r.org
            if code not in lookups:
                lookups[code] = lookup_for(values, code)
                latest[code] = latest_months(values, code, period, catalogue)
            day = latest[code].get(r.indicator_id)
            month = Month.from_date(day) if day else period
            ind = catalogue.indicator(r.indicator_id)
            row = row_at(catalogue, lookups[code], ind, code, names[code], month, spec.rate_by)
            row = _annotate(row, catalogue, lookups[code], comments)
            notes = caveats(row, spec.windows, revisions or {}, statuses or {})
            rows.append(replace(row, caveats=notes))
        domains.append(_domain(d, tuple(rows), spec.rate_by))
    every = tuple(row for d in domains for row in d.rows)
    return Scorecard(
        title=title,
        org_code=org,
        org_name=names[org],
        period=period,
        rows=every,
        sources=tuple(sources),
        audience=spec.audience,
        windows=spec.windows,
        domains=tuple(domains),
        exceptions=tuple(row for row in every if row.exception),
        rate_by=spec.rate_by,
    )


def _annotate(
    row: Row, catalogue: Catalogue, lookup: Lookup, comments: Mapping[tuple[str, str, Month], str]
) -> Row:
    """History, the period before's rating, commentary, and why it is an exception.

    The rating that counts is the row's `rate_by` window's: an exception is Red there, or
    rated worse there than the same window was the period before (the month before; a
    quarterly indicator's quarter before).
    """
    ind, window = row.indicator, row.rated_by
    points = series(row.period, ind.frequency, TREND_POINTS[ind.frequency])
    history = tuple((m, month_value(lookup, ind.id, m)) for m in points)
    before = previous(row.period, ind.frequency)
    record = lookup.get((ind.id, window.value, before.first_day()))
    earlier = None
    if record is not None:
        value = to_value(record, ind.id, row.org_code, before, window, ind.frequency)
        earlier = rate_window(catalogue, ind, value, explain=False).rating
    now = row.rated.rating.rating
    exception = None
    what = "" if window is Window.MONTH else f" ({WINDOW_WORDS[window]})"
    if now is Rating.RED:
        exception = f"Red{what}"
    elif earlier in SEVERITY and now in SEVERITY and SEVERITY[now] > SEVERITY[earlier]:
        when = short_label(before, ind.frequency)
        exception = f"Worse than {when} ({earlier} to {now})"
        if window is not Window.MONTH:
            exception = (
                f"{WINDOW_WORDS[window].capitalize()} worse than at {when} ({earlier} to {now})"
            )
    comment = comments.get((ind.id, row.org_code, row.period))
    return replace(row, history=history, previous=earlier, comment=comment, exception=exception)


def caveats(
    row: Row,
    windows: Sequence[Window],
    revisions: Mapping[tuple[str, Month], str],
    statuses: Mapping[tuple[str, Month], str] | None = None,
) -> tuple[str, ...]:
    """A row's data caveats: provisional or revised figures, and windows missing months."""
    notes = []
    key = (row.indicator.family, row.period)
    replaced, status = revisions.get(key), (statuses or {}).get(key)
    if status == "provisional":
        notes.append(f"Provisional: the {row.period.label()} figures may be revised.")
    if replaced is not None:
        notes.append(f"Revised: the {row.period.label()} figures replace {replaced}.")
    elif status == "revised":
        notes.append(f"Revised: the {row.period.label()} figures are a revised publication.")
    frequency = row.indicator.frequency
    if row.indicator.over_time in (OverTime.SUM, OverTime.MEAN):
        for window in windows:
            value = row.cell(window).value
            expected = periods_expected(row.period, window, frequency)
            if value.value is not None and value.how != "own" and value.months < expected:
                notes.append(
                    f"Partial: the {WINDOW_WORDS[window]} has {value.months} of {expected} "
                    f"{period_word(frequency, expected)} of data."
                )
    return tuple(notes)


def summarise(
    rows: Sequence[Row], rule: DomainRule, flagged: Sequence[str] = ()
) -> tuple[tuple[tuple[Rating, int], ...], Rating, str]:
    """Counts by rating, the domain's rating, and the rule that produced it."""
    ratings = [r.rated.rating.rating for r in rows]
    counts = Counter(ratings)
    table = tuple((rating, counts.get(rating, 0)) for rating in RATING_ORDER)
    rated = [r for r in ratings if r in SEVERITY]
    red_flags = [
        r.indicator.name
        for r in rows
        if r.indicator.id in flagged and r.rated.rating.rating is Rating.RED
    ]
    if red_flags:
        return table, Rating.RED, f"Red: a flagged indicator is Red ({'; '.join(red_flags)})"
    if not rated:
        return table, Rating.NOT_RATED, "Not rated: no row in this domain is rated"
    if rule is DomainRule.WORST:
        worst = max(rated, key=SEVERITY.__getitem__)
        return table, worst, f"{worst}: the worst rated row is {worst}"
    tally = Counter(rated)
    top = max(tally.values())
    winner = max((r for r in tally if tally[r] == top), key=SEVERITY.__getitem__)
    tie = " (a tie goes to the worse)" if list(tally.values()).count(top) > 1 else ""
    return table, winner, f"{winner}: {top} of {len(rated)} rated rows are {winner}{tie}"


def _domain(spec: DomainSpec, rows: tuple[Row, ...], rate_by: Window) -> Domain:
    counts, rating, rule = summarise(rows, spec.rule, spec.red_if_red)
    if rate_by is not Window.MONTH:
        rule = f"{rule} (rows rated by the {WINDOW_WORDS[rate_by]})"
    return Domain(spec.name, rows, counts, rating, rule)
