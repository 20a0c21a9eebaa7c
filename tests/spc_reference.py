"""The Making Data Count analysis as it was first written, kept as the oracle the faster
one (scorecard.spc) is checked against: every point made at once, a dict of hits for
every usable point, the target against the limits as Fractions. It shares with the
package only what was not rewritten: the centre and limits, partitions,
warnings, scaling and the variation words."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from fractions import Fraction

from scorecard.periods import Month
from scorecard.spc.analysis import _DRAWN, MDC_RULES, _limits, _partitions, _validate, _warnings
from scorecard.spc.icons import Assurance, Improvement, Variation, no_assurance
from scorecard.spc.icons import special as spc_special
from scorecard.spc.icons import variation as spc_variation
from scorecard.spc.result import SpcPoint, SpcResult, SpcRules
from scorecard.spc.rules import (
    BEYOND_LIMITS,
    HIGH,
    LOW,
    RULE_ORDER,
    SHIFT,
    TREND,
    TWO_OF_THREE,
    Hit,
    Limits,
    decimal,
    scaled,
    to_float,
)


def exact(v: float) -> Fraction:
    digits, exponent = decimal(v)
    return Fraction(digits) * Fraction(10) ** exponent


def line(lim: Limits, sigmas: int, sign: int) -> Fraction | None:
    if lim.step is None and sigmas:
        return None
    num = lim.centre + sign * sigmas * (lim.step or 0)
    return Fraction(num, lim.den) * Fraction(10) ** lim.exponent


def _place(lim: Limits, x: int) -> tuple[int, int]:
    d = x * lim.den - lim.centre
    side = (d > 0) - (d < 0)
    if not side or lim.step is None:
        return side, 0
    far = abs(d)
    if far > 3 * lim.step:
        return side, 3 * side
    if far > 2 * lim.step:
        return side, 2 * side
    return side, 0


def _runs(signs: list[int], length: int) -> list[tuple[int, int, int]]:
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


def detect(
    usable: list[int],
    x: dict[int, int],
    part: list[int],
    limits: dict[int, Limits],
    shift: int,
    trend: int,
    hits: dict[int, list[Hit]],
) -> None:
    pos = {i: k for k, i in enumerate(usable)}
    side: dict[int, int] = {}
    beyond: dict[int, int] = {}
    for i in usable:
        side[i], beyond[i] = _place(limits[part[i]], x[i])
    for i in usable:
        if abs(beyond[i]) == 3:
            hits[i].append(Hit(BEYOND_LIMITS, HIGH if beyond[i] > 0 else LOW, pos[i], 1))
    by_part: dict[int, list[int]] = {}
    for i in usable:
        by_part.setdefault(part[i], []).append(i)
    for idx in by_part.values():
        for a, b, s in _runs([side[i] for i in idx], shift):
            for i in idx[a : b + 1]:
                hits[i].append(Hit(SHIFT, HIGH if s > 0 else LOW, pos[idx[a]], b - a + 1))
    steps = [(x[b] > x[a]) - (x[b] < x[a]) for a, b in itertools.pairwise(usable)]
    for a, b, s in _runs(steps, trend - 1):
        for i in usable[a : b + 2]:
            hits[i].append(Hit(TREND, HIGH if s > 0 else LOW, a, b - a + 2))
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


def assurance(
    lim: Limits,
    improvement: Improvement,
    target: float | None,
    when: Month,
    fmt: Callable[[float], str],
    label: Callable[[Month], str],
) -> tuple[Assurance, str]:
    none = no_assurance(improvement, target)
    if none is not None or target is None:
        return Assurance.NONE, none or "No target in force"
    upl, lpl = line(lim, 3, 1), line(lim, 3, -1)
    if upl is None or lpl is None:
        return Assurance.NONE, f"No assurance: the limits for {label(when)} rest on a single point"
    t = exact(target)
    ft, fu, fl = fmt(target), fmt(float(upl)), fmt(float(lpl))
    if improvement is Improvement.UP:
        if t <= lpl:
            return Assurance.PASS, (
                f"Consistently passes: the target {ft} is at or below the lower limit {fl}"
            )
        if t >= upl:
            return Assurance.FAIL, (
                f"Consistently fails: the target {ft} is at or above the upper limit {fu}"
            )
    else:
        if t >= upl:
            return Assurance.PASS, (
                f"Consistently passes: the target {ft} is at or above the upper limit {fu}"
            )
        if t <= lpl:
            return Assurance.FAIL, (
                f"Consistently fails: the target {ft} is at or below the lower limit {fl}"
            )
    return Assurance.HIT_OR_MISS, (
        f"Hit and miss: the target {ft} lies between the lower limit {fl} "
        f"and the upper limit {fu}, so it will be met some months and missed in others"
    )


def analyse(
    series: Sequence[tuple[Month, float | None]],
    improvement: Improvement,
    target: float | None = None,
    *,
    rules: SpcRules = MDC_RULES,
    rebase_at: Sequence[Month] = (),
    ghosted: Sequence[Month] = (),
    format_value: Callable[[float], str] = lambda v: f"{v:g}",
    label: Callable[[Month], str] = Month.short_label,
) -> SpcResult:
    _validate(series)
    months = [m for m, _ in series]
    ghost = set(ghosted)
    is_ghost = [m in ghost for m in months]
    part = _partitions(months, rebase_at)
    usable = [i for i, (_, v) in enumerate(series) if v is not None and not is_ghost[i]]
    present = [(i, v) for i, (_, v) in enumerate(series) if v is not None]
    ints, exponent = scaled(v for _, v in present)
    x = {i: xi for (i, _), xi in zip(present, ints, strict=True)}
    limits: dict[int, Limits] = {}
    mr: dict[int, int] = {}
    by_part: dict[int, list[int]] = {}
    for i in usable:
        by_part.setdefault(part[i], []).append(i)
    for p, idx in by_part.items():
        moving = {b: abs(x[b] - x[a]) for a, b in itertools.pairwise(idx)}
        mr.update(moving)
        limits[p] = _limits([x[i] for i in idx], list(moving.values()), rules.centre, exponent)
    warnings = _warnings(series, months, part, by_part, ghost, label)
    enough = len(usable) >= rules.min_points
    hits: dict[int, list[Hit]] = {i: [] for i in usable}
    if enough:
        detect(usable, x, part, limits, rules.shift, rules.trend, hits)
    points: list[SpcPoint] = []
    specials: dict[int, tuple[str | None, bool]] = {}
    for i, (m, v) in enumerate(series):
        p = part[i]
        special, conflict = (None, False)
        flagged: tuple[str, ...] = ()
        if found := hits.get(i):
            special, conflict = spc_special({h.side for h in found}, improvement, rules.conflict)
            fired = {h.rule for h in found}
            flagged = tuple(r for r in RULE_ORDER if r in fired)
        specials[i] = (special, conflict)
        lim = limits.get(p)
        shown = lim if enough else None
        centre = lim.line_float(0, 1) if lim else None
        upl, lpl, upper_2s, lower_2s, upper_1s, lower_1s = (
            shown.line_float(s, d) if shown else None for s, d in _DRAWN
        )
        step = mr.get(i)
        step_float = None if step is None else to_float(step, 1, exponent)
        value = None if v is None else float(v)
        points.append(
            SpcPoint(
                m,
                value,
                p,
                is_ghost[i],
                centre,
                upl,
                lpl,
                upper_2s,
                lower_2s,
                upper_1s,
                lower_1s,
                special,
                flagged,
                step_float,
                conflict,
            )
        )
    made = tuple(points)
    if not enough:
        return SpcResult(
            lambda: made,
            Variation.NONE,
            Assurance.NONE,
            f"Too few points: {len(usable)} of the {rules.min_points} needed; shown as a run chart",
            no_assurance(improvement, target) or "No assurance: too few points for process limits",
            target,
            warnings,
        )
    last = usable[-1]
    variation, reason = spc_variation(
        last, usable, series, hits[last], specials[last], improvement, rules.centre, limits,
        part, format_value, label,
    )  # fmt: skip
    sure, why = assurance(
        limits[part[last]], improvement, target, series[last][0], format_value, label
    )
    return SpcResult(lambda: made, variation, sure, reason, why, target, warnings)
