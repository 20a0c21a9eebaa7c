"""Funnel-plot control limits for a proportion at any denominator, by method.

Limits are proportions (0 to 1) around a centre θ, at 95% and 99.8% (two-sided; 2.5% and
0.1% in each tail; z from `stats.z_for`). Sections refer to funnel-methods.md.

- "normal": θ ± z·√(θ(1 − θ)/n) (section 1.1). This is the PHE/Fingertips proportion
  funnel: PHEindicatormethods' ``sigma_adjustment`` inverts the Wilson score interval, which
  comes to exactly this (section 1.2; tests/test_funnel_phe.py shows they agree to 1e-12).
- "arcsine": FunnelPlotR's ``PR`` limits (section 1.4), sin²(asin √θ ± z·√(s² + τ²)) with
  s = 1/(2√n), truncated to [0, 1]. At small n the back-transform is not monotone: FPR
  compares each row of its lookup table with the next and sets a lower limit that is still
  falling as n grows to 0, an upper one still rising to 1. That happens exactly where the
  angle has passed 0 (lower) or π/2 (upper), so here: angle ≤ 0 gives 0, angle ≥ π/2
  gives 1, at any n, with no dependence on a grid.
- "exact": the exact binomial limit with Spiegelhalter's interpolation (section 1.3; S05,
  as OZ ``contAdjustBin`` and Stata ``funnelcompar, exact`` write it): with r_p the smallest
  r with F(r) ≥ p, limit = (r_p − (F(r_p) − p) / (F(r_p) − F(r_p − 1))) / n, clipped to
  [0, 1]; p = 0.025/0.975 and 0.001/0.999. Needs a whole-number n (it is rounded).
  The limit lies between (r_p − 1)/n and r_p/n, so a count of r_p is beyond it although
  its tail probability is above p (MS12b: interpolations differ in which side of p the
  in-control probability falls). At tiny nθ or n(1 − θ), where one count is a large step,
  that can put a limit on the wrong side of the centre: with (1 − θ)^n ≥ 0.975 the upper
  95% limit is 0, with n = 1 and θ = 0.984 it is 0.975. Unlike the other two methods these
  limits step with the counts, so they need not narrow at every n.

Over-dispersion (`Adjustment`, section 3): "multiplicative" widens the distance from the
centre on the z scale by √φ (OZ ``pointLimits``: normal θ ± z√φ·s; arcsine on the angle;
exact θ + √φ·(limit − θ)). "additive" adds τ² to the within-unit variance on the method's
scale (FPR: √(s² + τ²)); for "exact", which has no variance scale, the exact limit's
distance from the centre is stretched by √(1 + τ²/s²) with s² = θ(1 − θ)/n, the factor the
additive model gives on the normal scale (the same device OZ uses for φ; neither FPR nor
PHE has exact limits).

A centre of exactly 0 or 1 leaves no room for variation: every limit is the centre.
All limits are clamped to [0, 1] (PHE clamps to [0, 100] on its percentage scale).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from scorecard.benchmark.dispersion import Method, standard_error
from scorecard.benchmark.stats import binom_quantile_mass, z_for

Kind = Literal["none", "multiplicative", "additive"]
Side = Literal["low", "high"]
LEVELS = (0.95, 0.998)
METHODS: tuple[Method, ...] = ("normal", "arcsine", "exact")


@dataclass(frozen=True)
class Adjustment:
    """The over-dispersion applied to the limits: none, ×√φ, or +τ² in the variance."""

    kind: Kind = "none"
    phi: float = 1.0
    tau2: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in ("none", "multiplicative", "additive"):
            raise ValueError(f"adjustment is none, multiplicative or additive: {self.kind}")
        if not (self.phi > 0.0 and math.isfinite(self.phi)):
            raise ValueError(f"phi is a positive number, got {self.phi}")
        if not (self.tau2 >= 0.0 and math.isfinite(self.tau2)):
            raise ValueError(f"tau2 is 0 or more, got {self.tau2}")


NO_ADJUSTMENT = Adjustment()


@dataclass(frozen=True)
class Limits:
    """The four limits at one denominator, as proportions."""

    n: float
    lower_95: float
    upper_95: float
    lower_998: float
    upper_998: float


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def _spread(method: Method, centre: float, n: float, adjustment: Adjustment) -> float:
    """The within-unit standard error, inflated for over-dispersion (not for exact)."""
    s = standard_error(method, centre, n)
    if adjustment.kind == "multiplicative" and adjustment.phi != 1.0:
        return s * math.sqrt(adjustment.phi)
    if adjustment.kind == "additive" and adjustment.tau2 > 0.0:
        return math.sqrt(s * s + adjustment.tau2)
    return s


def _arcsine(centre: float, spread: float, z: float, side: Side) -> float:
    angle = math.asin(math.sqrt(centre)) + (z if side == "high" else -z) * spread
    if side == "low" and angle <= 0.0:
        return 0.0
    if side == "high" and angle >= math.pi / 2:
        return 1.0
    return math.sin(angle) ** 2


def exact_limit(centre: float, n: int, p: float) -> float:
    """The interpolated exact binomial limit at tail probability p (unclipped)."""
    r, cdf, mass = binom_quantile_mass(p, n, centre)
    return (r - (cdf - p) / mass) / n


def _exact(centre: float, n: float, level: float, side: Side, adjustment: Adjustment) -> float:
    whole = max(1, round(n))
    tail = (1.0 - level) / 2.0
    bound = exact_limit(centre, whole, 1.0 - tail if side == "high" else tail)
    if adjustment.kind == "multiplicative" and adjustment.phi != 1.0:
        return centre + math.sqrt(adjustment.phi) * (bound - centre)
    if adjustment.kind == "additive" and adjustment.tau2 > 0.0:
        s2 = centre * (1.0 - centre) / whole
        return centre + math.sqrt(1.0 + adjustment.tau2 / s2) * (bound - centre)
    return bound


def limit(
    centre: float,
    n: float,
    level: float,
    side: Side,
    method: Method = "normal",
    adjustment: Adjustment = NO_ADJUSTMENT,
) -> float:
    """One control limit (a proportion, 0 to 1) at denominator n."""
    if not 0.0 <= centre <= 1.0:
        raise ValueError(f"a proportion's centre is between 0 and 1, got {centre}")
    if not n > 0:
        raise ValueError(f"limits need a denominator above 0, got {n}")
    if centre in (0.0, 1.0):
        return centre
    if method == "exact":
        return _clamp(_exact(centre, n, level, side, adjustment))
    z = z_for(level)
    spread = _spread(method, centre, n, adjustment)
    if method == "arcsine":
        return _arcsine(centre, spread, z, side)
    if method == "normal":
        return _clamp(centre + (z if side == "high" else -z) * spread)
    raise ValueError(f"method is one of {', '.join(METHODS)}, got '{method}'")


def limits_at(
    centre: float, n: float, method: Method = "normal", adjustment: Adjustment = NO_ADJUSTMENT
) -> Limits:
    """The 95% and 99.8% limits at denominator n."""
    low95, high95, low998, high998 = (
        limit(centre, n, level, side, method, adjustment)
        for level in LEVELS
        for side in ("low", "high")
    )
    return Limits(n, low95, high95, low998, high998)


def fingertips_grid(min_n: float, max_n: float, count: int = 100) -> tuple[int, ...]:
    """The denominators PHEindicatormethods tabulates its funnel at (``phe_funnels``).

    From 1 when the largest denominator is over twice the smallest, else from the smallest
    rounded down to its leading digit after taking 5% off; to the largest plus 5% rounded up
    to two significant figures; each step the geometric step to that end that is left,
    rounded, and at least 1 (funnel-methods.md section 1.2).
    """
    if not (0 < min_n <= max_n):
        raise ValueError(f"a grid needs 0 < smallest <= largest, got {min_n}, {max_n}")
    start = 0 if max_n > 2 * min_n else _floor_leading(min_n)
    end = _ceil_two_figures(max_n)
    grid = [max(1, start)]
    for j in range(2, count + 1):
        last = grid[-1]
        grid.append(max(round((end / last) ** (1 / (count + 1 - j)) * last), last + 1))
    return tuple(grid)


def _floor_leading(x: float) -> int:
    """PHE ``signif.floor``: 95% of x, rounded down to its leading digit."""
    reduced = x * 0.95
    digits = len(str(math.floor(reduced))) - 1
    scale: int = 10**digits
    return math.floor(reduced / scale) * scale


def _ceil_two_figures(x: float) -> float:
    """PHE ``signif.ceiling``: 105% of x, rounded up to two significant figures."""
    raised = x * 1.05
    scale = 10.0 ** (len(str(math.ceil(raised))) - 2)
    return math.ceil(raised / scale) * scale


def curve(
    centre: float,
    ns: Iterable[float],
    method: Method = "normal",
    adjustment: Adjustment = NO_ADJUSTMENT,
) -> tuple[Limits, ...]:
    """The limits at each denominator of ``ns`` (in the order given)."""
    return tuple(limits_at(centre, n, method, adjustment) for n in ns)
