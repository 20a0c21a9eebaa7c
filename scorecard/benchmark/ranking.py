"""Pure: ranks, quartiles and the peer distribution of one indicator's values.

- Rank 1 is the best value, whichever way is better (`Direction`). Tied values share the
  best rank of the tie and the next rank is skipped (1, 2, 2, 4): "joint 2nd". This is how
  NHS England's league tables show ties (see the project's NOF notes).
- The quartile is of the rank: quartile 1 holds the best quarter of the peers,
  `1 + floor(4 (rank - 1) / n)`, so every member of a tie is in the same quartile.
- The median and the lower and upper quartiles are of the values, by linear interpolation
  between order statistics (R's default type 7, numpy's `linear`, Excel's QUARTILE.INC).
  The "lower quartile" is the 25th centile of the values and the "upper" the 75th, whatever
  the direction.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scorecard.model import Direction


@dataclass(frozen=True)
class Standing:
    """One organisation's place among its peers."""

    rank: int  # 1 = best
    joint: bool  # shares its rank with another peer
    of: int  # how many peers have a value
    quartile: int  # 1 = the best quarter


@dataclass(frozen=True)
class Spread:
    """The peers' distribution: median, lower (25th centile) and upper (75th) quartiles."""

    median: float
    lower: float
    upper: float


def standings(values: Mapping[str, float], direction: Direction) -> dict[str, Standing]:
    """Each organisation's rank among all of `values` (every one a peer with a value)."""
    n = len(values)
    better_first = sorted(values.values(), reverse=direction is Direction.HIGHER)
    first_at: dict[float, int] = {}
    counts: dict[float, int] = {}
    for i, v in enumerate(better_first, start=1):
        first_at.setdefault(v, i)
        counts[v] = counts.get(v, 0) + 1
    out = {}
    for code, v in values.items():
        r = first_at[v]
        out[code] = Standing(r, counts[v] > 1, n, 1 + (4 * (r - 1)) // n)
    return out


def quantile(sorted_values: Sequence[float], q: float) -> float:
    """The type-7 quantile of ascending values (at least one)."""
    h = (len(sorted_values) - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (h - lo) * (sorted_values[hi] - sorted_values[lo])


def spread(values: Sequence[float]) -> Spread:
    """Median and quartiles of at least one value."""
    ordered = sorted(values)
    return Spread(quantile(ordered, 0.5), quantile(ordered, 0.25), quantile(ordered, 0.75))


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 101st, 111th."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_text(s: Standing) -> str:
    """`87th of 121`, `joint 45th of 121`."""
    return f"{'joint ' if s.joint else ''}{ordinal(s.rank)} of {s.of}"
