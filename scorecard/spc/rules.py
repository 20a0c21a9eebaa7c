"""Making Data Count's four special-cause rules over a series' usable points. Pure.

Used by scorecard.spc. Strict inequalities throughout: a point beyond a process limit; a
shift of `shift` points one side of the centre within a partition (a point on the centre
breaks it); a trend of `trend` points rising or falling, across partitions (an equal value
breaks it); 2 or 3 of 3 consecutive points beyond the same 2-sigma line with all three on
that side of the centre, within a partition (points beyond the limit count, Nov 2023).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

BEYOND_LIMITS = "beyond_limits"
SHIFT = "shift"
TREND = "trend"
TWO_OF_THREE = "two_of_three"
RULE_ORDER = (BEYOND_LIMITS, SHIFT, TREND, TWO_OF_THREE)

HIGH = "high"
LOW = "low"


def decimal(v: float) -> tuple[int, int]:
    """``v`` as the decimal it prints as (``repr``): ``(digits, exponent)``, value
    ``digits * 10**exponent``. ``0.1`` is ``(1, -1)``, not the binary fraction nearest it."""
    mantissa, _, power = repr(float(v)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    return int(whole + fraction), (int(power) if power else 0) - len(fraction)


def scaled(values: Iterable[float]) -> tuple[list[int], int]:
    """Each value as an integer count of ``10**exponent``, for one common (smallest)
    exponent, so that sums, differences and comparisons are exact integer arithmetic."""
    parts = [decimal(v) for v in values]
    exponent = min((e for _, e in parts), default=0)
    return [d * _power(e - exponent) for d, e in parts], exponent


def to_float(numerator: int, denominator: int, exponent: int) -> float:
    """``numerator / denominator * 10**exponent``, correctly rounded (integer true division
    rounds correctly, as ``float(Fraction)`` does)."""
    scale = _power(abs(exponent))
    if exponent >= 0:
        return numerator * scale / denominator
    return numerator / (denominator * scale)


_POWERS = tuple(10**n for n in range(64))  # the powers scaling needs, worked out once


def _power(n: int) -> int:
    """10 to the power n >= 0, as an int."""
    return _POWERS[n] if n < len(_POWERS) else int(10**n)


@dataclass(frozen=True)
class Limits:
    """A partition's centre and sigma lines, exact, over values scaled by ``10**exponent``.

    Every line is ``(centre + sign * sigmas * step) / den`` scaled values: the centre, and
    1, 2 and 3 sigma above (sign 1) or below (sign -1) it. ``step`` is None when the
    partition has no moving range (a single point), so there are no sigma lines.
    """

    centre: int
    step: int | None
    den: int  # positive
    exponent: int

    @classmethod
    def of(cls, centre: tuple[int, int], half: tuple[int, int] | None, exponent: int) -> Limits:
        """From the centre and the 3-sigma distance, each ``(numerator, denominator)``."""
        cn, cd = centre
        if half is None:
            return cls(cn, None, cd, exponent)
        hn, hd = half
        return cls(3 * hd * cn, hn * cd, 3 * cd * hd, exponent)

    def places(self, xs: list[int]) -> tuple[list[int], list[int]]:
        """For each scaled value, its side of the centre (1 above, -1 below, 0 on it) and
        the sigma line it is strictly beyond on that side (3 or 2, signed; 0 for neither)."""
        centre, den = self.centre, self.den
        ds = [x * den - centre for x in xs]
        sides = [(d > 0) - (d < 0) for d in ds]
        if self.step is None:
            return sides, [0] * len(ds)
        three, two = 3 * self.step, 2 * self.step
        beyond = [
            3 * s if (far := abs(d)) > three else 2 * s if far > two else 0
            for d, s in zip(ds, sides, strict=True)
        ]
        return sides, beyond

    def versus(self, value: float, sigmas: int, sign: int) -> int | None:
        """Where ``value`` (taken as the decimal it prints as) lies against the line
        ``sigmas`` (0-3) sigma above (sign 1) or below (sign -1) the centre: 1 above it, -1
        below, 0 on it; None without sigma lines. Exact integer arithmetic."""
        if self.step is None and sigmas:
            return None
        digits, exponent = decimal(value)
        num = self.centre + sign * sigmas * (self.step or 0)
        low = min(exponent, self.exponent)
        d = digits * _power(exponent - low) * self.den - num * _power(self.exponent - low)
        return (d > 0) - (d < 0)

    def line_float(self, sigmas: int, sign: int) -> float | None:
        """The line ``sigmas`` (0-3) sigma above (sign 1) or below (sign -1) the centre,
        as the float nearest it; None without sigma lines."""
        if self.step is None and sigmas:
            return None
        num = self.centre + sign * sigmas * (self.step or 0)
        return to_float(num, self.den, self.exponent)


@dataclass(frozen=True, init=False)
class Hit:
    rule: str
    side: str  # HIGH or LOW
    start: int  # index into the usable points where the run or window starts
    count: int  # points in the run, or points beyond 2 sigma in the window

    def __init__(self, rule: str, side: str, start: int, count: int) -> None:
        # Written out: a frozen dataclass's own sets each field through object.__setattr__.
        self.__dict__.update(rule=rule, side=side, start=start, count=count)


def runs(signs: list[int], length: int) -> list[tuple[int, int, int]]:
    """Maximal runs of one non-zero sign at least ``length`` long: (start, end, sign)."""
    out: list[tuple[int, int, int]] = []
    start, n = 0, len(signs)
    for k in range(1, n + 1):
        if k == n or signs[k] != signs[start]:
            if signs[start] and k - start >= length:
                out.append((start, k - 1, signs[start]))
            start = k
    return out


def detect(
    usable: list[int],
    x: list[int | None],
    part: list[int],
    limits: dict[int, Limits],
    shift: int,
    trend: int,
) -> dict[int, list[Hit]]:
    """Every rule hit on the usable points (indices into the series; ``x`` the series'
    values scaled to integers, see ``scaled``, None for a missing month), by point; a point
    with none is left out."""
    hits: dict[int, list[Hit]] = {}
    vals: list[int] = [x[i] for i in usable]  # type: ignore[misc]  # usable points have one
    # Each point's side of its centre (1 above, -1 below, 0 on it) and beyond which line
    # (3 or 2 sigma, above +, below -), each an exact comparison made once (Limits.places).
    n = len(usable)
    side, beyond = [0] * n, [0] * n
    by_part: dict[int, list[int]] = {}  # positions in usable, by partition
    for k, i in enumerate(usable):
        by_part.setdefault(part[i], []).append(k)
    for p, idx in by_part.items():
        sides, past = limits[p].places([vals[k] for k in idx])
        for k, s, b in zip(idx, sides, past, strict=True):
            side[k], beyond[k] = s, b

    # Rule 1: beyond a process limit.
    for k, b in enumerate(beyond):
        if b == 3 or b == -3:
            hits.setdefault(usable[k], []).append(Hit(BEYOND_LIMITS, HIGH if b > 0 else LOW, k, 1))

    # Rule 2: shift, within a partition; a point on the centre line breaks it.
    for idx in by_part.values():
        for a, b, s in runs([side[k] for k in idx], shift):
            found = Hit(SHIFT, HIGH if s > 0 else LOW, idx[a], b - a + 1)
            for k in idx[a : b + 1]:
                hits.setdefault(usable[k], []).append(found)

    # Rule 3: trend, across partitions; an equal value breaks it. A run of n steps
    # covers n + 1 points.
    steps = [(b > a) - (b < a) for a, b in itertools.pairwise(vals)]
    for a, b, s in runs(steps, trend - 1):
        found = Hit(TREND, HIGH if s > 0 else LOW, a, b - a + 2)
        for i in usable[a : b + 2]:
            hits.setdefault(i, []).append(found)

    # Rule 4: 2 or 3 of 3 consecutive points beyond the same 2-sigma line, all three on
    # that side of the centre, within a partition; only the points beyond 2 sigma flag
    # (points beyond the 3-sigma limit are beyond 2 sigma too).
    for p, idx in by_part.items():
        if limits[p].step is None:
            continue
        for k0, k1, k2 in zip(idx, idx[1:], idx[2:], strict=False):  # each window of 3
            way = side[k0]
            if not way or side[k1] != way or side[k2] != way:
                continue
            past = [k for k in (k0, k1, k2) if beyond[k] * way >= 2]
            if len(past) < 2:
                continue
            label = HIGH if way > 0 else LOW
            for k in past:
                at = hits.setdefault(usable[k], [])
                if not any(h.rule == TWO_OF_THREE and h.side == label for h in at):
                    at.append(Hit(TWO_OF_THREE, label, k0, len(past)))
    return hits


def last_hits(
    usable: list[int],
    x: list[int | None],
    part: list[int],
    limits: dict[int, Limits],
    shift: int,
    trend: int,
) -> list[Hit]:
    """The rule hits of the last usable point alone, as ``detect`` finds them (the same
    hits in the same order), from the runs and the one window that end at it: the
    variation icon needs no other point's (``detect`` finds every point's when a chart's
    points are asked for)."""
    vals: list[int] = [x[i] for i in usable]  # type: ignore[misc]  # usable points have one
    last = len(vals) - 1
    p = part[usable[last]]
    lim = limits[p]
    first = last  # the last partition's usable points are the last of all
    while first > 0 and part[usable[first - 1]] == p:
        first -= 1
    side, beyond = lim.places(vals[first:])
    found: list[Hit] = []
    way, far = side[-1], beyond[-1]
    label = HIGH if way > 0 else LOW
    if far == 3 or far == -3:  # Rule 1
        found.append(Hit(BEYOND_LIMITS, label, last, 1))
    if way:  # Rule 2: the run of points on its side, within its partition
        run = 1
        while run < len(side) and side[-1 - run] == way:
            run += 1
        if run >= shift:
            found.append(Hit(SHIFT, label, last - run + 1, run))
    if last:  # Rule 3: the run of steps one way, across partitions
        step = (vals[last] > vals[last - 1]) - (vals[last] < vals[last - 1])
        steps = 1
        while step and steps < last:
            before, after = vals[last - steps - 1], vals[last - steps]
            if (after > before) - (after < before) != step:
                break
            steps += 1
        if step and steps >= trend - 1:
            found.append(Hit(TREND, HIGH if step > 0 else LOW, last - steps, steps + 1))
    if lim.step is not None and len(side) >= 3 and way and side[-2] == way and side[-3] == way:
        past = [k for k in (-3, -2, -1) if beyond[k] * way >= 2]  # Rule 4: its one window
        if len(past) >= 2 and past[-1] == -1:
            found.append(Hit(TWO_OF_THREE, label, last - 2, len(past)))
    return found
