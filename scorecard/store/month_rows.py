"""An extract's rows split by month, for the store to write each month as its own load. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl

from scorecard.store.schema import PARTS


def parts_of(breakdowns: pl.DataFrame | None) -> frozenset[str]:
    """The `measure@dimension` entries a month's drill-downs list in load_measures."""
    if breakdowns is None:
        return frozenset()
    parts = breakdowns.select("measure", "dimension").unique()
    return frozenset(f"{m}{PARTS}{d}" for m, d in parts.iter_rows())


def all_of(frame: pl.DataFrame) -> Callable[[dt.date], pl.DataFrame]:
    """A frame of one month's rows, as by_month gives them."""
    return lambda day: frame


def by_month(frame: pl.DataFrame) -> Callable[[dt.date], pl.DataFrame]:
    """A frame's rows of one month (`period`), in order, each month's split off once: most
    extracts hold one month, which is then the frame itself."""
    periods = frame["period"].unique()
    if periods.len() == 1:
        only = periods[0]
        return lambda day: frame if day == only else frame.clear()
    parts = frame.partition_by("period", as_dict=True, maintain_order=True)
    return lambda day: parts.get((day,), frame.clear())
