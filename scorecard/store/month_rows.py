"""An extract's rows split by month, for the store to write each month as its own load. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection

import polars as pl

from scorecard.store.schema import PARTS


def parts_of(breakdowns: pl.DataFrame | None) -> frozenset[str]:
    """The `measure@dimension` entries a month's drill-downs list in load_measures."""
    if breakdowns is None:
        return frozenset()
    parts = breakdowns.select("measure", "dimension").unique()
    return frozenset(f"{m}{PARTS}{d}" for m, d in parts.iter_rows())


def by_month(
    frame: pl.DataFrame, known: Collection[dt.date] = ()
) -> Callable[[dt.date], pl.DataFrame]:
    """A frame's rows of one month (`period`), in order, each month's split off once.
    `known`: months the rows are known to be among (without a look at them); when that is
    one month, or the rows hold one month, the frame is that month's rows itself."""
    only = next(iter(known)) if len(known) == 1 else None
    if only is None:
        periods = frame["period"].unique()
        only = periods[0] if periods.len() == 1 else None
    if only is not None:
        return lambda day: frame if day == only else frame.clear()
    parts = frame.partition_by("period", as_dict=True, maintain_order=True)
    return lambda day: parts.get((day,), frame.clear())
