"""Pure Making Data Count (MDC) SPC: XmR limits, special-cause rules and the two icons.

Follows NHS England's MDC "SPC charts SQL query" (v2.4/v2.5) with the Nov 2023 two-sigma
change, as written down in the project's MDC rules notes:

- Limits per partition over all its non-ghosted points: centre (mean, or median for the
  PBI-SPC ``i_m`` variant) +/- 2.66 x mean moving range; the 2-sigma and 1-sigma lines at
  2/3 and 1/3 of that distance. A moving range uses the previous non-ghosted point of the
  same partition; a partition's first point has none.
- Four rules, all with strict inequalities: a point beyond a process limit; a shift of 7
  points on one side of the centre within a partition (a point on the centre breaks it);
  a trend of 7 points rising or falling, which may cross partitions (an equal value breaks
  it); 2 or 3 of 3 consecutive points beyond the same 2-sigma line (points beyond the
  process limit count too, since Nov 2023) with all three on the same side of the centre,
  within a partition. Every point of a shift or trend is flagged; for 2-of-3 only the
  points beyond 2 sigma.
- Fewer than ``SpcRules.min_points`` (15) usable points in the whole chart (MDC SQL
  ``@SettingMinimumPoints``): no limits, flags or icons, only the centre line; the chart is
  a run chart. A partition shorter than 12 points only gives a warning, as in MDC SQL.
- Conflict (a point flagged both as improvement and as concern, e.g. a rising trend below
  the mean): improvement wins by default, as the MDC Excel single chart tool shows it;
  ``SpcRules.conflict = "concern"`` gives MDC SQL's other ``MetricConflictRule``.
- The variation icon is for the last usable point; the assurance icon compares the target
  with that point's partition limits (a target on a limit passes or fails, MDC v2.1).
  There is none for Neither or without a target; ``SpcResult.target`` is the target as
  given either way (a chart may still draw it).

Gaps: a None value is a missing month. It is no point: it is skipped exactly as a ghosted
point is (the moving range and every run go from the previous usable point to the next
one), and it is reported in ``points`` with value None and no flag. A usable point is one
that is neither ghosted nor missing.

Arithmetic is exact: each value (and the target) is taken as the decimal it prints as
(``repr``), the values are scaled to integers by one power of ten, and the mean, moving
ranges, limits and every comparison are integer arithmetic (see
``scorecard.spc.rules.Limits``), so a value equal to the mean, or a target equal to a
limit, is recognised as equal rather than lost to binary rounding. Limits are reported as
the floats nearest them.

The rules are in scorecard.spc.rules, the icons and the words for them in scorecard.spc.icons,
the result types in scorecard.spc.result.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from functools import partial
from typing import NamedTuple

from scorecard.model import Direction
from scorecard.periods import Month
from scorecard.spc.icons import Assurance, Improvement, Variation, no_assurance
from scorecard.spc.icons import assurance as spc_assurance
from scorecard.spc.icons import special as spc_special
from scorecard.spc.icons import variation as spc_variation
from scorecard.spc.result import SpcPoint, SpcResult, SpcRules
from scorecard.spc.rules import RULE_ORDER, Hit, Limits, detect, last_hits, scaled, to_float

_SIGMAS = (266, 100)  # 2.66 = 3 / d2 (1.128): three sigma from the mean moving range
MDC_RULES = SpcRules()  # Making Data Count's defaults
_PARTITION_WARN = 12  # MDC SQL @SettingMinimumPointsPartition: a warning, not a removal


def improvement_for(direction: Direction) -> Improvement:
    """Higher is better -> UP; lower is better -> DOWN."""
    return Improvement.UP if direction is Direction.HIGHER else Improvement.DOWN


# --- internal --------------------------------------------------------------------------


# The lines a point carries, after its centre: 3, 2 and 1 sigma, above then below.
_DRAWN = ((3, 1), (3, -1), (2, 1), (2, -1), (1, 1), (1, -1))


def _centre(xs: list[int], centre: str) -> tuple[int, int]:
    """The mean or median of scaled values, as (numerator, denominator)."""
    if centre == "mean":
        return sum(xs), len(xs)
    s = sorted(xs)
    mid = len(s) // 2
    return (s[mid], 1) if len(s) % 2 else (s[mid - 1] + s[mid], 2)


def _limits(vals: list[int], ranges: list[int], centre: str, exponent: int) -> Limits:
    """A partition's limits: the centre +/- 2.66 x the mean moving range (exact)."""
    half = (_SIGMAS[0] * sum(ranges), _SIGMAS[1] * len(ranges)) if ranges else None
    return Limits.of(_centre(vals, centre), half, exponent)


def _validate(series: Sequence[tuple[Month, float | None]]) -> None:
    before = -1  # the previous month's index (as Month orders them: by year, then month)
    for i, (month, value) in enumerate(series):
        at = month.year * 12 + month.month
        if not before < at:
            raise ValueError(
                f"series months must be strictly increasing: {series[i - 1][0].iso()} "
                f"then {month.iso()}"
            )
        before = at
        if value is not None and not math.isfinite(value):
            raise ValueError(f"value for {month.iso()} is not finite: {value}")


def _partitions(months: list[Month], rebase_at: Sequence[Month]) -> list[int]:
    """Partition number per point: 0, then one more at each rebase month reached."""
    if not months:
        return []
    starts = sorted({m for m in rebase_at if m > months[0]})
    if not starts:
        return [0] * len(months)
    raw = [sum(1 for s in starts if s <= m) for m in months]
    renumber: dict[int, int] = {}
    for r in raw:
        renumber.setdefault(r, len(renumber))
    return [renumber[r] for r in raw]


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
    """MDC XmR analysis of a monthly series (in month order) against an optional target.

    A quarterly or annual indicator's series is one point a period, each at its period's
    last month; `label` names a point in the reasons (`Sep 25`, or `Q2 25/26`).

    ``rebase_at``: a new partition, with fresh limits, starts at each listed month (months
    outside the series are ignored). ``ghosted``: points kept on the chart but left out of
    the limits and every rule. Raises ValueError for months out of order or a value that is
    not finite (programming errors).
    """
    _validate(series)
    if target is not None and not math.isfinite(target):
        raise ValueError(f"target is not finite: {target}")
    months = [m for m, _ in series]
    values = [v for _, v in series]
    ghost = set(ghosted)
    is_ghost = [m in ghost for m in months] if ghost else [False] * len(months)
    part = _partitions(months, rebase_at)
    present = [i for i, v in enumerate(values) if v is not None]
    usable = [i for i in present if not is_ghost[i]] if ghost else present
    ints, exponent = scaled([v for v in values if v is not None])
    x: list[int | None] = [None] * len(values)
    for i, xi in zip(present, ints, strict=True):
        x[i] = xi
    centre_name = rules.centre

    # Limits per partition, over its usable points; each usable point's moving range from
    # the previous usable point of its partition.
    limits: dict[int, Limits] = {}
    mr: list[int | None] = [None] * len(values)
    by_part: dict[int, list[int]] = {}
    for i in usable:
        by_part.setdefault(part[i], []).append(i)
    for p, idx in by_part.items():
        xs: list[int] = [x[i] for i in idx]  # type: ignore[misc]  # usable: each has one
        ranges = [abs(b - a) for a, b in itertools.pairwise(xs)]
        for i, r in zip(idx[1:], ranges, strict=True):
            mr[i] = r
        limits[p] = _limits(xs, ranges, centre_name, exponent)

    warnings = _warnings(series, months, part, by_part, ghost, label)
    enough = len(usable) >= rules.min_points
    working = _Working(
        months, values, part, is_ghost, mr, exponent, limits, enough, usable, x, rules,
        improvement,
    )  # fmt: skip
    make_points = partial(_points, working)
    if not enough:
        have = len(usable)
        return SpcResult(
            make_points,
            Variation.NONE,
            Assurance.NONE,
            f"Too few points: {have} of the {rules.min_points} needed; shown as a run chart",
            no_assurance(improvement, target) or "No assurance: too few points for process limits",
            target,
            warnings,
        )

    last = usable[-1]
    found = last_hits(usable, x, part, limits, rules.shift, rules.trend)
    variation, reason = spc_variation(
        last, usable, series, found, _flags(found, improvement, rules.conflict)[:2],
        improvement, centre_name, limits, part, format_value, label,
    )  # fmt: skip
    assurance, assurance_reason = spc_assurance(
        limits[part[last]], improvement, target, series[last][0], format_value, label
    )
    return SpcResult(make_points, variation, assurance, reason, assurance_reason, target, warnings)


class _Working(NamedTuple):
    """What an analysis worked out that its points are made from (`_points`); nothing in
    it is changed once made."""

    months: list[Month]
    values: list[float | None]
    part: list[int]
    ghosted: list[bool]
    moving: list[int | None]  # scaled moving range from the previous usable point
    exponent: int
    limits: dict[int, Limits]
    enough: bool  # enough usable points for limits, rules and icons
    usable: list[int]  # the points neither ghosted nor missing
    x: list[int | None]  # each point's value scaled (see scorecard.spc.rules.scaled)
    rules: SpcRules
    improvement: Improvement


def _flags(
    found: Sequence[Hit], improvement: Improvement, conflict: str
) -> tuple[str | None, bool, tuple[str, ...]]:
    """A point's special-cause label, whether it was a conflict, and the rules that fired
    on it in RULE_ORDER, from its hits."""
    if not found:
        return None, False, ()
    special, clash = spc_special({h.side for h in found}, improvement, conflict)
    fired = {h.rule for h in found}
    return special, clash, tuple(r for r in RULE_ORDER if r in fired)


def _points(w: _Working) -> tuple[SpcPoint, ...]:
    """The chart's points, each with its partition's lines and any special cause."""
    drawn: dict[int, tuple[float | None, ...]] = {}
    for p in set(w.part):  # each partition's lines as floats: the centre, then _DRAWN's
        lim = w.limits.get(p)
        shown = lim if w.enough else None
        drawn[p] = (
            lim.line_float(0, 1) if lim else None,
            *(shown.line_float(s, d) if shown else None for s, d in _DRAWN),
        )
    rules = w.rules
    hits = detect(w.usable, w.x, w.part, w.limits, rules.shift, rules.trend) if w.enough else {}
    points: list[SpcPoint] = []
    for i, m in enumerate(w.months):
        v, step = w.values[i], w.moving[i]
        special, conflict, flagged = _flags(hits.get(i, ()), w.improvement, rules.conflict)
        centre, upl, lpl, upper_2s, lower_2s, upper_1s, lower_1s = drawn[w.part[i]]
        points.append(
            SpcPoint(
                m,
                None if v is None else float(v),
                w.part[i],
                w.ghosted[i],
                centre,
                upl,
                lpl,
                upper_2s,
                lower_2s,
                upper_1s,
                lower_1s,
                special,
                flagged,
                None if step is None else to_float(step, 1, w.exponent),
                conflict,
            )
        )
    return tuple(points)


def _warnings(
    series: Sequence[tuple[Month, float | None]],
    months: list[Month],
    part: list[int],
    by_part: dict[int, list[int]],
    ghost: set[Month],
    label: Callable[[Month], str] = Month.short_label,
) -> tuple[str, ...]:
    out: list[str] = []
    gaps = [label(m) for m, v in series if v is None and m not in ghost]
    if gaps:
        out.append(f"No value for {', '.join(gaps)}: skipped like a ghosted point")
    for p in sorted(set(part)):
        first = months[part.index(p)]
        n = len(by_part.get(p, []))
        if n < _PARTITION_WARN:
            out.append(
                f"The limits from {label(first)} rest on {n} point{'s' * (n != 1)}; "
                f"MDC advises at least {_PARTITION_WARN}"
            )
    return tuple(out)
