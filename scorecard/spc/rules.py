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
from fractions import Fraction

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


def exact(v: float) -> Fraction:
    """``v`` as the exact fraction of the decimal it prints as."""
    digits, exponent = decimal(v)
    return Fraction(digits) * Fraction(10) ** exponent


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

    def place(self, x: int) -> tuple[int, int]:
        """A scaled value's side of the centre (1 above, -1 below, 0 on it) and the sigma
        line it is strictly beyond on that side (3 or 2, signed; 0 for neither)."""
        d = x * self.den - self.centre
        side = (d > 0) - (d < 0)
        if not side or self.step is None:
            return side, 0
        far = abs(d)
        if far > 3 * self.step:
            return side, 3 * side
        if far > 2 * self.step:
            return side, 2 * side
        return side, 0

    def line(self, sigmas: int, sign: int) -> Fraction | None:
        """The line ``sigmas`` (0-3) sigma above (sign 1) or below (sign -1) the centre, as
        an exact fraction; None without sigma lines."""
        if self.step is None and sigmas:
            return None
        num = self.centre + sign * sigmas * (self.step or 0)
        return Fraction(num, self.den) * Fraction(10) ** self.exponent

    def line_float(self, sigmas: int, sign: int) -> float | None:
        """``line`` as the float nearest it."""
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
    i = 0
    while i < len(signs):
        j = i
        while j + 1 < len(signs) and signs[j + 1] == signs[i]:
            j += 1
        if signs[i] != 0 and j - i + 1 >= length:
            out.append((i, j, signs[i]))
        i = j + 1
    return out


def sign(x: int) -> int:
    return (x > 0) - (x < 0)


def detect(
    usable: list[int],
    x: dict[int, int],
    part: list[int],
    limits: dict[int, Limits],
    shift: int,
    trend: int,
    hits: dict[int, list[Hit]],
) -> None:
    """Record every rule hit on the usable points (indices into ``series``; ``x`` their
    values scaled to integers, see ``scaled``)."""
    pos = {i: k for k, i in enumerate(usable)}
    # Each point's side of its centre (1 above, -1 below, 0 on it) and beyond which line
    # (3 or 2 sigma, above +, below -), each an exact comparison made once.
    side: dict[int, int] = {}
    beyond: dict[int, int] = {}
    for i in usable:
        side[i], beyond[i] = limits[part[i]].place(x[i])

    # Rule 1: beyond a process limit.
    for i in usable:
        if abs(beyond[i]) == 3:
            hits[i].append(Hit(BEYOND_LIMITS, HIGH if beyond[i] > 0 else LOW, pos[i], 1))

    by_part: dict[int, list[int]] = {}
    for i in usable:
        by_part.setdefault(part[i], []).append(i)

    # Rule 2: shift, within a partition; a point on the centre line breaks it.
    for idx in by_part.values():
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
    for p, idx in by_part.items():
        if limits[p].step is None:
            continue
        for w in range(len(idx) - 2):
            window = idx[w : w + 3]
            way = side[window[0]]
            if not way or side[window[1]] != way or side[window[2]] != way:
                continue
            label = HIGH if way > 0 else LOW
            past = [i for i in window if beyond[i] * way >= 2]
            if len(past) >= 2:
                for i in past:
                    if not any(h.rule == TWO_OF_THREE and h.side == label for h in hits[i]):
                        hits[i].append(Hit(TWO_OF_THREE, label, pos[window[0]], len(past)))
