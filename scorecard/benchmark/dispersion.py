"""Over-dispersion: z-scores, the outlier-robust step, φ and the DerSimonian–Laird τ².

Follows FunnelPlotR v0.6.0 (FPR, commit 9020d49; funnel-methods.md section 3.2) step by step:

1. z-scores on the method's scale (`z_score`, `standard_error`). Arcsine (FPR ``PR``):
   z = (asin √(r/n) − asin √θ) / s with s = 1 / (2√n). Normal and exact: the Pearson
   residual z = (r/n − θ) / s with s = √(θ(1 − θ)/n), the scale on which those limits are
   drawn (Spiegelhalter 2005, S05b, standardises the same way). With θ at 0 or 1, s = 0:
   a unit on the centre has z = 0, any other has no z (None) and is left out of φ.
2. The robust step, ``trim`` (default 0.1) at each end:
   - "winsorise" (FPR ``winsorisation``, its choice for PR): z below the type-7 quantile
     at ``trim`` is set to it, z above the one at 1 − ``trim`` likewise; every unit is kept.
   - "truncate" (FPR ``truncation``, its choice for SHMI): k = 1/trim groups, ranks with
     ties averaged, sp = floor(rank · k / (N + 1)); a unit is kept iff 0 < sp < k − 1.
   - "none": the z-scores as they are.
3. φ = (1/n) Σ z², over the n units kept (FPR ``phi_func``).
4. τ² (FPR ``tau_func``, exactly, with S the standard errors of the kept units and
   w = 1/S²): 0 if nφ < n − 1, else max(0, (nφ − (n − 1)) / (Σw − Σw²/Σw)).

Fewer than 3 units with a z-score: `estimate` returns None (φ and τ² are not estimated),
for the caller to say so; FPR has no such floor.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from scorecard.benchmark.stats import quantile_type7

Method = Literal["normal", "arcsine", "exact"]
Robust = Literal["winsorise", "truncate", "none"]
MIN_UNITS = 3  # fewer units than this with a z-score: no dispersion estimate


@dataclass(frozen=True)
class Dispersion:
    """φ and τ² as estimated, and how many units went into them."""

    phi: float
    tau2: float
    units_used: int
    robust: Robust
    trim: float


def standard_error(method: Method, centre: float, n: float) -> float:
    """The within-unit standard error at denominator n on the method's scale."""
    if n <= 0:
        raise ValueError(f"a standard error needs a denominator above 0, got {n}")
    if method == "arcsine":
        return 1.0 / (2.0 * math.sqrt(n))
    return math.sqrt(centre * (1.0 - centre) / n)


def z_score(method: Method, centre: float, numerator: float, denominator: float) -> float | None:
    """The unit's z-score against the centre on the method's scale (None if undefined)."""
    s = standard_error(method, centre, denominator)
    value = numerator / denominator
    if method == "arcsine":
        return (math.asin(math.sqrt(value)) - math.asin(math.sqrt(centre))) / s
    if s == 0.0:
        return 0.0 if value == centre else None
    return (value - centre) / s


def winsorise(z: Sequence[float], trim: float) -> list[float]:
    """Each z clamped to the type-7 quantiles at ``trim`` and 1 − ``trim`` (FPR)."""
    low, high = quantile_type7(z, trim), quantile_type7(z, 1.0 - trim)
    return [low if v < low else high if v > high else v for v in z]


def average_ranks(values: Sequence[float]) -> list[float]:
    """Ranks from 1, tied values sharing their mean rank (R's ``ties.method = "average"``)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for m in range(i, j + 1):
            ranks[order[m]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return ranks


def truncation_kept(z: Sequence[float], trim: float) -> list[bool]:
    """Which units FPR's truncation keeps: 0 < floor(rank · k / (N + 1)) < k − 1, k = 1/trim."""
    k = 1.0 / trim
    ranks = average_ranks(z)
    groups = [math.floor(r * k / (len(z) + 1)) for r in ranks]
    return [0 < g < k - 1 for g in groups]


def phi_of(z: Sequence[float]) -> float:
    """The dispersion ratio φ = mean of z² (FPR ``phi_func``)."""
    return sum(v * v for v in z) / len(z)


def tau2_of(n: int, phi: float, s: Sequence[float]) -> float:
    """DerSimonian–Laird τ² from φ and the kept units' standard errors (FPR ``tau_func``)."""
    if not s or n * phi < n - 1:
        return 0.0
    w = [1.0 / (v * v) for v in s]
    total = sum(w)
    spread = total - sum(v * v for v in w) / total
    if spread <= 0.0:  # every unit has the same weight and there is one: nothing to split
        return 0.0
    return max(0.0, (n * phi - (n - 1)) / spread)


def estimate(
    z: Sequence[float], s: Sequence[float], robust: Robust = "winsorise", trim: float = 0.1
) -> Dispersion | None:
    """φ and τ² from the units' z-scores and standard errors; None for fewer than 3 units."""
    if len(z) != len(s):
        raise ValueError(f"{len(z)} z-scores but {len(s)} standard errors")
    if not 0.0 < trim < 0.5:
        raise ValueError(f"trim is above 0 and below 0.5, got {trim}")
    if len(z) < MIN_UNITS:
        return None
    if robust == "winsorise":
        used_z, used_s = winsorise(z, trim), list(s)
    elif robust == "truncate":
        kept = truncation_kept(z, trim)
        used_z = [v for v, k in zip(z, kept, strict=True) if k]
        used_s = [v for v, k in zip(s, kept, strict=True) if k]
    else:
        used_z, used_s = list(z), list(s)
    if not used_z:
        return None
    phi = phi_of(used_z)
    return Dispersion(phi, tau2_of(len(used_z), phi, used_s), len(used_z), robust, trim)
