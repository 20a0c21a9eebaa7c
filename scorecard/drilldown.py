"""Drill-downs: which part of an indicator a user or a board names (pure).

A part is named by its dimension (`treatment_function`: every part), by a key or name
(`110`, `Trauma and Orthopaedic`), or as `dimension:key` where a name could belong to two
dimensions. Only the dimensions an indicator declares (`breakdowns` in indicators/*.toml)
can be drilled into.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from scorecard.dimensions import DIMENSIONS, find, label
from scorecard.model import Indicator


@dataclass(frozen=True)
class Part:
    """A dimension, and one part of it (None: every part)."""

    dimension: str
    key: str | None = None

    def describe(self) -> str:
        title = DIMENSIONS[self.dimension].title.lower()
        return title if self.key is None else f"{title} {label(self.dimension, self.key)}"


def resolve(text: str, indicators: Sequence[Indicator]) -> Part:
    """The part `text` names among the indicators' dimensions; ValueError says why not."""
    offered = tuple(dict.fromkeys(d for ind in indicators for d in ind.breakdowns))
    wanted = text.strip()
    if not offered:
        which = ", ".join(i.id for i in indicators[:3]) + ("..." if len(indicators) > 3 else "")
        raise ValueError(f"'{wanted}': {which} has no drill-downs")
    if wanted in DIMENSIONS:
        if wanted not in offered:
            raise ValueError(f"'{wanted}': not a drill-down here; expected {_listed(offered)}")
        return Part(wanted)
    found = find(offered, wanted)
    if len(found) == 1:
        return Part(*found[0])
    if len(found) > 1:
        both = ", ".join(f"{d}:{k}" for d, k in found)
        raise ValueError(f"'{wanted}' names more than one part; write one of {both}")
    raise ValueError(
        f"'{wanted}' names no part of {_listed(offered)}; give a dimension, or a part's code "
        "or name as `scorecard indicators --breakdowns` lists them"
    )


def _listed(dimensions: Sequence[str]) -> str:
    return " or ".join(dimensions)


def parts_table() -> pl.DataFrame:
    """Every dimension's parts: dimension, key and name (`scorecard indicators --breakdowns`)."""
    rows = [
        {"dimension": d.name, "breakdown": key, "name": name}
        for d in DIMENSIONS.values()
        for key, name in d.labels.items()
    ]
    return pl.DataFrame(rows, schema=dict.fromkeys(("dimension", "breakdown", "name"), pl.String))
