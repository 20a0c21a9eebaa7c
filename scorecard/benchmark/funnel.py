"""A funnel plot for a proportion: centre, control limits, over-dispersion, each unit's flag.

`funnel(units, ...)` takes each unit's numerator r and denominator n and returns a
`FunnelResult`: plain frozen data for a renderer or a league table. Choices, where
FunnelPlotR (FPR, v0.6.0) and PHEindicatormethods (PHE, v2.1.0) differ, with the sections
of funnel-methods.md that give their sources:

- Centre: the pooled Σr/Σn over the units with a denominator (both packages, section 0),
  or a ``target`` given instead (e.g. England's figure).
- Limits (`funnel_limits`): "normal" (default: the Fingertips funnel, PHE, section 1.2),
  "arcsine" (FPR ``PR``, 1.4) or "exact" (interpolated exact binomial, S05, 1.3), at 95%
  and 99.8%, with z = qnorm(0.975) and qnorm(0.999) as PHE computes them (FPR's rounded
  constants differ by under 1e-8 relative).
- Over-dispersion (`dispersion`, section 3): z-scores on the method's scale, 10% Winsorised
  (default; FPR for PR) or truncated (FPR for SHMI), φ and the DerSimonian–Laird τ² exactly
  as FPR ``tau_func``. ``dispersion``: "additive" (default; FPR's only method, S05b's
  preference: √(s² + τ²) on the method's scale), "multiplicative" (limits widened by √φ on
  the z scale, OZ) or "none" (PHE, which has no adjustment). With
  ``only_if_overdispersed`` (default, FPR's behaviour) φ ≤ 1 means no over-dispersion and
  the limits are unadjusted. φ and τ² are reported whenever they can be estimated, even
  when not applied (FPR returns 0 for both when it is told not to adjust).
- Fewer than 3 units with a denominator: φ and τ² are not estimated (None), the limits are
  unadjusted and ``dispersion_note`` says why; the limits still come from the centre.
- A unit with a zero denominator is left out of the centre and the dispersion, and
  flagged ``Flag.NO_DENOMINATOR`` with no value, z or limits.
- Flags: PHE's five labels, 99.8% checked before 95%, low before high, with strict
  comparisons (value < lower, value > upper). A value exactly on a limit is in control,
  which is also FPR's rule (``LCL <= x <= UCL`` is in control, section 4), so the two
  packages agree; limits clamped at 0 or 1 never flag a value of 0 or 1.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from scorecard.benchmark.dispersion import (
    MIN_UNITS,
    Method,
    Robust,
    estimate,
    standard_error,
    z_score,
)
from scorecard.benchmark.funnel_limits import (
    METHODS,
    NO_ADJUSTMENT,
    Adjustment,
    Kind,
    Limits,
    curve,
    fingertips_grid,
    limits_at,
)
from scorecard.errors import FunnelError

METHOD_WORDS = {
    "normal": "normal approximation (as Fingertips)",
    "arcsine": "arcsine transformation (FunnelPlotR's PR method)",
    "exact": "exact binomial, interpolated (Spiegelhalter 2005)",
}


class Flag(StrEnum):
    """A unit's place against the limits, in PHEindicatormethods' words."""

    HIGH_998 = "High (0.001)"
    HIGH_95 = "High (0.025)"
    NOT_SIGNIFICANT = "Not significant"
    LOW_95 = "Low (0.025)"
    LOW_998 = "Low (0.001)"
    NO_DENOMINATOR = "No denominator"

    @property
    def outlier(self) -> bool:
        """Outside the 95% limits (so also when outside 99.8%)."""
        return self in (Flag.HIGH_998, Flag.HIGH_95, Flag.LOW_95, Flag.LOW_998)


@dataclass(frozen=True)
class UnitCount:
    """One unit's counts: ``numerator`` of ``denominator`` (whole numbers for "exact")."""

    code: str
    numerator: float
    denominator: float


@dataclass(frozen=True)
class FunnelPoint:
    """A unit on the funnel: its proportion, z-score, the limits at its n, and its flag."""

    code: str
    numerator: float
    denominator: float
    value: float | None  # r/n; None with no denominator
    z: float | None  # on the method's scale, unadjusted; None if undefined
    limits: Limits | None
    flag: Flag


@dataclass(frozen=True)
class FunnelResult:
    """The funnel: centre, the method and the adjustment applied, φ, τ² and the points."""

    centre: float
    centre_source: Literal["pooled", "target"]
    method: Method
    dispersion: Kind  # as asked for
    adjustment: Adjustment  # as applied to the limits
    phi: float | None  # None: not estimated (fewer than 3 units)
    tau2: float | None
    robust: Robust
    trim: float
    points: tuple[FunnelPoint, ...]
    notes: tuple[str, ...] = ()  # about the data: units left out for want of a denominator
    dispersion_note: str | None = None  # why the adjustment asked for was not applied

    @property
    def dispersion_estimated(self) -> bool:
        """Whether φ and τ² could be estimated (at least 3 units with a z-score)."""
        return self.phi is not None

    def limits_at(self, n: float) -> Limits:
        """The limits the result applies, at denominator n."""
        return limits_at(self.centre, n, self.method, self.adjustment)

    def curve(self, ns: Iterable[float] | None = None) -> tuple[Limits, ...]:
        """The limits at each n of ``ns``; by default at `curve_ns`."""
        return curve(
            self.centre, self.curve_ns() if ns is None else ns, self.method, self.adjustment
        )

    def curve_ns(self, count: int = 100) -> tuple[int, ...]:
        """Fingertips' 100 denominators spanning the units' (none without a denominator)."""
        ns = [p.denominator for p in self.points if p.value is not None]
        return fingertips_grid(min(ns), max(ns), count) if ns else ()

    def describe(self) -> str:
        """One sentence on the limits: "99.8% and 95% limits, normal approximation, ..."."""
        words = f"99.8% and 95% limits, {METHOD_WORDS[self.method]}, "
        centre = "pooled average" if self.centre_source == "pooled" else "target"
        return words + self._dispersion_words() + f"; centre: {centre} {self.centre:.1%}"

    def _dispersion_words(self) -> str:
        how = (
            f"{self.trim:.0%} Winsorised"
            if self.robust == "winsorise"
            else f"{self.trim:.0%} truncated"
            if self.robust == "truncate"
            else "no trimming"
        )
        kind = self.adjustment.kind
        if kind == "additive":
            tau2 = _figures(self.adjustment.tau2)
            return f"additive over-dispersion τ² = {tau2} (FunnelPlotR's method, {how})"
        if kind == "multiplicative":
            return f"multiplicative over-dispersion φ = {self.adjustment.phi:.2f} ({how})"
        if self.dispersion == "none":
            return "no over-dispersion adjustment"
        if self.phi is None:
            return "no over-dispersion adjustment (fewer than 3 units to estimate it)"
        return f"no over-dispersion adjustment (φ = {self.phi:.2f} ≤ 1)"


def _figures(x: float, digits: int = 2) -> str:
    """x to ``digits`` significant figures in plain (never scientific) notation."""
    if x == 0:
        return "0"
    places = max(digits - 1 - math.floor(math.log10(abs(x))), 0)
    return f"{x:.{places}f}"


def flag_for(value: float, limits: Limits) -> Flag:
    """PHE's label for a value against the limits at its n (strict comparisons)."""
    if value < limits.lower_998:
        return Flag.LOW_998
    if value < limits.lower_95:
        return Flag.LOW_95
    if value > limits.upper_998:
        return Flag.HIGH_998
    if value > limits.upper_95:
        return Flag.HIGH_95
    return Flag.NOT_SIGNIFICANT


def _check(units: Sequence[UnitCount], method: Method) -> None:
    if method not in METHODS:
        raise FunnelError(f"funnel method is one of {', '.join(METHODS)}, got '{method}'")
    seen: set[str] = set()
    for u in units:
        if u.code in seen:
            raise FunnelError(f"unit {u.code} appears twice in the funnel")
        seen.add(u.code)
        r, n = u.numerator, u.denominator
        if not (math.isfinite(r) and math.isfinite(n)):
            raise FunnelError(f"unit {u.code}: numerator and denominator must be numbers")
        if r < 0 or n < 0:
            raise FunnelError(f"unit {u.code}: negative count ({r} of {n})")
        if n > 0 and r > n:
            raise FunnelError(f"unit {u.code}: numerator {r} is above its denominator {n}")
        if method == "exact" and n != math.floor(n):
            raise FunnelError(f"unit {u.code}: exact limits need a whole denominator, got {n}")


def funnel(
    units: Sequence[UnitCount],
    *,
    method: Method = "normal",
    target: float | None = None,
    dispersion: Kind = "additive",
    robust: Robust = "winsorise",
    trim: float = 0.1,
    only_if_overdispersed: bool = True,
) -> FunnelResult:
    """The funnel of the units' proportions (see the module docstring for every choice)."""
    _check(units, method)
    if dispersion not in ("none", "multiplicative", "additive"):
        raise FunnelError(f"dispersion is none, multiplicative or additive, got '{dispersion}'")
    if robust not in ("winsorise", "truncate", "none") or not 0.0 < trim < 0.5:
        raise FunnelError(f"robust is winsorise, truncate or none, with 0 < trim < 0.5: {robust}")
    valid = [u for u in units if u.denominator > 0]
    notes: list[str] = []
    if len(valid) < len(units):
        missing = len(units) - len(valid)
        notes.append(
            f"{missing} unit{'s' if missing != 1 else ''} with no denominator: "
            "left out of the centre and the over-dispersion."
        )
    source: Literal["pooled", "target"]
    if target is not None:
        if not 0.0 <= target <= 1.0:
            raise FunnelError(f"a proportion's target is between 0 and 1, got {target}")
        centre, source = target, "target"
    elif valid:
        centre = sum(u.numerator for u in valid) / sum(u.denominator for u in valid)
        source = "pooled"
    else:
        raise FunnelError("no unit has a denominator above 0 and no target was given")
    zs = {u.code: z_score(method, centre, u.numerator, u.denominator) for u in valid}
    scored = [u for u in valid if zs[u.code] is not None]
    found = estimate(
        [z for u in scored if (z := zs[u.code]) is not None],
        [standard_error(method, centre, u.denominator) for u in scored],
        robust,
        trim,
    )
    adjustment, why = NO_ADJUSTMENT, None
    if found is None:
        why = (
            f"Over-dispersion not estimated: {len(scored)} unit{'s' if len(scored) != 1 else ''}"
            f" with a z-score, fewer than {MIN_UNITS}; the limits are unadjusted."
        )
    elif dispersion != "none":
        if only_if_overdispersed and found.phi <= 1.0:
            why = (
                f"No over-dispersion (φ = {found.phi:.2f} ≤ 1): the limits are unadjusted, "
                "as FunnelPlotR does."
            )
        else:
            adjustment = Adjustment(dispersion, max(found.phi, 1e-12), found.tau2)
    points = []
    for u in units:
        if u.denominator <= 0:
            points.append(
                FunnelPoint(
                    u.code, u.numerator, u.denominator, None, None, None, Flag.NO_DENOMINATOR
                )
            )
            continue
        value = u.numerator / u.denominator
        at = limits_at(centre, u.denominator, method, adjustment)
        points.append(
            FunnelPoint(
                u.code, u.numerator, u.denominator, value, zs[u.code], at, flag_for(value, at)
            )
        )
    return FunnelResult(
        centre=centre,
        centre_source=source,
        method=method,
        dispersion=dispersion,
        adjustment=adjustment,
        phi=found.phi if found else None,
        tau2=found.tau2 if found else None,
        robust=robust,
        trim=trim,
        points=tuple(points),
        notes=tuple(notes),
        dispersion_note=why,
    )
