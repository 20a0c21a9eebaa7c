"""One organisation's computed values by (indicator, window, month), for assembling its
rows (scorecard.assemble). Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import polars as pl

from scorecard.model import Window

_MONTH = Window.MONTH.value

Key = tuple[str, str, dt.date]  # (indicator id, window, month's first day)


class Lookup(Mapping[Key, Mapping[str, Any]]):
    """One organisation's computed values by (indicator, window, month): each row's record
    is made when it is read (a card reads a few dozen of its rows whole, the monthly
    values of its series through `months`, and not the rest)."""

    def __init__(self, mine: pl.DataFrame) -> None:
        self._frame = mine
        keys = zip(
            mine.get_column("indicator_id").to_list(),
            mine.get_column("window").to_list(),
            mine.get_column("period").to_list(),
            strict=True,
        )
        self._rows = {key: n for n, key in enumerate(keys)}  # the last row of a key recurring
        self._made: dict[int, dict[str, Any]] = {}
        values = mine.get_column("value").to_list()
        self.months: dict[tuple[str, dt.date], float | None] = {  # the month window's values
            (ind, day): values[n] for (ind, w, day), n in self._rows.items() if w == _MONTH
        }

    def __getitem__(self, key: Key) -> dict[str, Any]:
        n = self._rows[key]
        record = self._made.get(n)
        if record is None:
            record = self._made[n] = self._frame.row(n, named=True)
        return record

    def __iter__(self) -> Iterator[Key]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def lookup_for(values: pl.DataFrame, org_code: str) -> Lookup:
    """One organisation's computed values by (indicator, window, month)."""
    codes = values.get_column("org_code")
    if not (codes == org_code).all():  # a frame of several organisations
        values = values.filter(pl.col("org_code") == org_code)
    return Lookup(values)
