"""Pure: windows as an indicator's frequency and `over_time` make them, after compute's sums.

- A percentage entered as a percentage (`over_time = "mean"`) has no counts: its quarter and
  year are the average of its periods' values (scorecard.compute.windowed), unless the local
  file gives the window's own figure: a quarter row (`2025-Q2`) of a monthly indicator, or a
  year row (`2025/26`) of a monthly or quarterly one, stored as `<id>_quarter_value` or
  `<id>_year_value` at the window's last month. Then that figure is the complete window's
  (`how` = "own"), shown and rated as entered. Its numerator and denominator stay empty in
  every window: there are no counts, and none are made up.
- An annual indicator has no quarter.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from scorecard.frequency import MONTHS_IN
from scorecard.model import Formula, Frequency, Indicator, OverTime, Term, Window
from scorecard.periods import Month

OWN_PARTS = {Window.QUARTER: "quarter_value", Window.YTD: "year_value"}
_SUFFIX = {Window.QUARTER: "__quarter", Window.YTD: "__year"}
_SPAN = {Window.QUARTER: 3, Window.YTD: 12}


def own_windows(ind: Indicator) -> tuple[Window, ...]:
    """The windows for which the local file can give an indicator's own figure."""
    if ind.over_time is not OverTime.MEAN:
        return ()
    if ind.frequency is Frequency.MONTHLY:
        return (Window.QUARTER, Window.YTD)
    return (Window.YTD,) if ind.frequency is Frequency.QUARTERLY else ()


def own_measure(ind_id: str, window: Window) -> str:
    """`<id>_quarter_value`: where the local file's own figure for a window is stored."""
    return f"{ind_id}_{OWN_PARTS[window]}"


def stand_in(ind: Indicator, window: Window) -> Indicator:
    """An indicator reading the window's own figure, as a monthly value at the window's end
    (for compute, and for provenance: the row of the file that gave it)."""
    return replace(
        ind,
        id=ind.id + _SUFFIX[window],
        numerator=Formula((Term(1, own_measure(ind.id, window)),)),
        denominator=None,
        plan=None,
        over_time=OverTime.NONE,
    )


def own_indicators(indicators: list[Indicator]) -> list[Indicator]:
    """Stand-ins reading each window's own figure (`stand_in`), for every window it can have."""
    return [stand_in(ind, window) for ind in indicators for window in own_windows(ind)]


def with_own_windows(frame: pl.DataFrame, indicators: list[Indicator]) -> pl.DataFrame:
    """`frame` (compute's values) with each own figure in place of its window's average, no
    quarter for an annual indicator, and no counts for a percentage entered as one."""
    stand_ins: dict[str, tuple[str, Window, int]] = {}
    for ind in indicators:
        for window in own_windows(ind):
            periods = _SPAN[window] // MONTHS_IN[ind.frequency]
            stand_ins[ind.id + _SUFFIX[window]] = (ind.id, window, periods)
    mine = pl.col("indicator_id").is_in(list(stand_ins))
    own, frame = frame.filter(mine & (pl.col("window") == Window.MONTH.value)), frame.filter(~mine)
    for frequency in (Frequency.QUARTERLY, Frequency.ANNUAL):
        ids = [i.id for i in indicators if i.frequency is frequency]
        if ids:  # a window of quarters starts at its first quarter's first month
            frame = frame.with_columns(
                window_start=pl.when(pl.col("indicator_id").is_in(ids))
                .then(_period_start(pl.col("window_start"), MONTHS_IN[frequency]))
                .otherwise(pl.col("window_start"))
            )
    annual = [i.id for i in indicators if i.frequency is Frequency.ANNUAL]
    if annual:
        frame = frame.filter(
            ~(pl.col("indicator_id").is_in(annual) & (pl.col("window") == Window.QUARTER.value))
        )
    means = [i.id for i in indicators if i.over_time is OverTime.MEAN]
    if means:
        blank = pl.col("indicator_id").is_in(means)
        frame = frame.with_columns(
            numerator=pl.when(blank).then(None).otherwise(pl.col("numerator")),
            denominator=pl.when(blank).then(None).otherwise(pl.col("denominator")),
        )
    if not own.height:
        return frame
    rows = []
    for rec in own.iter_rows(named=True):
        base, window, periods = stand_ins[rec["indicator_id"]]
        end = Month.from_date(rec["period"])
        start = end.quarter_start() if window is Window.QUARTER else end.fy_start()
        rows.append(
            {
                **rec,
                "indicator_id": base,
                "window": window.value,
                "window_start": start.first_day(),
                "months": periods,
                "numerator": None,
                "denominator": None,
                "plan": None,
                "how": "own",
            }
        )
    owned = pl.DataFrame(rows, schema=frame.schema)
    keys = ["indicator_id", "org_code", "period", "window"]
    kept = frame.join(owned.select(keys), on=keys, how="anti")
    return pl.concat([kept, owned]).sort(keys)


def _period_start(day: pl.Expr, months: int) -> pl.Expr:
    """The first day of the financial quarter (`months` 3) or year (12) holding `day`."""
    index = day.dt.year() * 12 + day.dt.month() - 1
    start = index - (day.dt.month() - 4) % months
    return pl.date(start // 12, start % 12 + 1, 1)
