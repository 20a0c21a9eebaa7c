"""Making Data Count's four special-cause rules over a series' usable points. Pure.

Used by scorecard.spc. Strict inequalities throughout: a point beyond a process limit; a
shift of `shift` points one side of the centre within a partition (a point on the centre
breaks it); a trend of `trend` points rising or falling, across partitions (an equal value
breaks it); 2 or 3 of 3 consecutive points beyond the same 2-sigma line with all three on
that side of the centre, within a partition (points beyond the limit count, Nov 2023).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction

BEYOND_LIMITS = "beyond_limits"
SHIFT = "shift"
TREND = "trend"
TWO_OF_THREE = "two_of_three"
RULE_ORDER = (BEYOND_LIMITS, SHIFT, TREND, TWO_OF_THREE)

HIGH = "high"
LOW = "low"


@dataclass(frozen=True)
class Limits:
    centre: Fraction
    half: Fraction | None  # 2.66 x MR-bar; None when the partition has no moving range
    # The six sigma lines, worked out once (exact fractions are slow to build).
    _lines: dict[tuple[int, int], Fraction] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        half = self.half
        lines = {} if half is None else {
            (sigmas, sign): self.centre + sign * half * sigmas / 3
            for sigmas in (1, 2, 3)
            for sign in (1, -1)
        }  # fmt: skip
        object.__setattr__(self, "_lines", lines)

    def line(self, sigmas: int, sign: int) -> Fraction | None:
        """The line ``sigmas`` (1-3) sigma above (sign 1) or below (sign -1) the centre."""
        return self._lines.get((sigmas, sign))


@dataclass(frozen=True)
class Hit:
    rule: str
    side: str  # HIGH or LOW
    start: int  # index into the usable points where the run or window starts
    count: int  # points in the run, or points beyond 2 sigma in the window


def runs(signs: list[int], length: int) -> list[tuple[int, int, int]]:
    """Maximal runs of one non-zero sign at least ``length`` long: (start, end, sign)."""
    out: list[tuple[int, int, int]] = []
    i = 0
    while i < len(signs):
        j = i
        while j + 1 < len(signs) and signs[j + 1] == signs[i]:
            j += 1
        if signs[i] != 0 and j - i + 1 >= length:
            out.append((i, j, signs[i]))
        i = j + 1
    return out


def sign(x: Fraction) -> int:
    return (x > 0) - (x < 0)


def detect(
    usable: list[int],
    x: dict[int, Fraction],
    part: list[int],
    limits: dict[int, Limits],
    shift: int,
    trend: int,
    hits: dict[int, list[Hit]],
) -> None:
    """Record every rule hit on the usable points (indices into ``series``)."""
    pos = {i: k for k, i in enumerate(usable)}
    # Each point's side of its centre (1 above, -1 below, 0 on it) and beyond which line
    # (3 or 2 sigma, above +, below -), each an exact comparison made once.
    side: dict[int, int] = {}
    beyond: dict[int, int] = {}
    for i in usable:
        lim = limits[part[i]]
        side[i] = sign(x[i] - lim.centre)
        beyond[i] = 0
        if side[i]:
            for sigmas in (3, 2):
                line = lim.line(sigmas, side[i])
                if line is not None and (x[i] > line if side[i] > 0 else x[i] < line):
                    beyond[i] = sigmas * side[i]
                    break

    # Rule 1: beyond a process limit.
    for i in usable:
        if abs(beyond[i]) == 3:
            hits[i].append(Hit(BEYOND_LIMITS, HIGH if beyond[i] > 0 else LOW, pos[i], 1))

    # Rule 2: shift, within a partition; a point on the centre line breaks it.
    for p in sorted({part[i] for i in usable}):
        idx = [i for i in usable if part[i] == p]
        for a, b, s in runs([side[i] for i in idx], shift):
            for i in idx[a : b + 1]:
                hits[i].append(Hit(SHIFT, HIGH if s > 0 else LOW, pos[idx[a]], b - a + 1))

    # Rule 3: trend, across partitions; an equal value breaks it. A run of n steps
    # covers n + 1 points.
    steps = [sign(x[b] - x[a]) for a, b in itertools.pairwise(usable)]
    for a, b, s in runs(steps, trend - 1):
        for i in usable[a : b + 2]:
            hits[i].append(Hit(TREND, HIGH if s > 0 else LOW, a, b - a + 2))

    # Rule 4: 2 or 3 of 3 consecutive points beyond the same 2-sigma line, all three on
    # that side of the centre, within a partition; only the points beyond 2 sigma flag
    # (points beyond the 3-sigma limit are beyond 2 sigma too).
    for p in sorted({part[i] for i in usable}):
        if limits[p].line(2, 1) is None:
            continue
        idx = [i for i in usable if part[i] == p]
        for w in range(len(idx) - 2):
            window = idx[w : w + 3]
            for label, way in ((HIGH, 1), (LOW, -1)):
                if not all(side[i] == way for i in window):
                    continue
                past = [i for i in window if beyond[i] * way >= 2]
                if len(past) >= 2:
                    for i in past:
                        if not any(h.rule == TWO_OF_THREE and h.side == label for h in hits[i]):
                            hits[i].append(Hit(TWO_OF_THREE, label, pos[window[0]], len(past)))
