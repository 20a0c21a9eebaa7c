"""The distribution functions funnel plots need, with the standard library only.

- `z_for(level)`: the two-sided normal quantile, ``qnorm(1 - (1 - level) / 2)``, from
  `statistics.NormalDist` (Wichura's AS241, accurate to about 1e-16): 1.959963985 for 95%,
  3.090232306 for 99.8%. PHEindicatormethods calls ``qnorm`` the same way; FunnelPlotR
  writes the rounded constants 1.959964 and 3.090232, which differ by under 1e-8 relative
  (funnel-methods.md, section 0).
- Binomial `binom_pmf`, `binom_cdf` and `binom_quantile` (R's ``dbinom``, ``pbinom`` and
  ``qbinom``: the smallest k with P(X <= k) >= q). The probability of the starting count
  comes from ``math.lgamma`` (relative error about 1e-10 at n = 100,000, from the size of
  the log-gamma terms); neighbouring probabilities follow by the exact ratio
  P(k+1)/P(k) = (n-k)p / ((k+1)(1-p)), and a tail is summed outwards from k until its terms
  no longer change the sum, on whichever side of the mean is shorter, so the work grows
  with the standard deviation, not with n.
- `quantile_type7`: R's default ``quantile`` (type 7), as FunnelPlotR's Winsorisation
  uses it: h = (N - 1)q, linear between the order statistics around h.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

_NORMAL = NormalDist()
_NEGLIGIBLE = 1e-17  # a tail term this small relative to the sum so far ends the sum


def z_for(level: float) -> float:
    """The two-sided normal quantile for a confidence level (0.95 -> 1.96)."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"a confidence level is between 0 and 1, got {level}")
    return _NORMAL.inv_cdf(1.0 - (1.0 - level) / 2.0)


def _check(n: int, p: float) -> None:
    if n < 0:
        raise ValueError(f"a binomial size is 0 or more, got {n}")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"a binomial probability is between 0 and 1, got {p}")


def binom_pmf(k: int, n: int, p: float) -> float:
    """P(X = k) for X ~ Binomial(n, p)."""
    _check(n, p)
    if k < 0 or k > n:
        return 0.0
    if p == 0.0:
        return 1.0 if k == 0 else 0.0
    if p == 1.0:
        return 1.0 if k == n else 0.0
    log = math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
    return math.exp(log + k * math.log(p) + (n - k) * math.log1p(-p))


def _lower_tail(k: int, n: int, p: float) -> float:
    """P(X <= k), summed from k downwards (k at or below the mean, so the terms shrink)."""
    term = binom_pmf(k, n, p)
    total = term
    odds = (1.0 - p) / p
    j = k
    while j > 0 and term > total * _NEGLIGIBLE:
        term *= j / (n - j + 1) * odds
        total += term
        j -= 1
    return total


def _upper_tail(k: int, n: int, p: float) -> float:
    """P(X >= k), summed from k upwards (k at or above the mean)."""
    term = binom_pmf(k, n, p)
    total = term
    odds = p / (1.0 - p)
    j = k
    while j < n and term > total * _NEGLIGIBLE:
        term *= (n - j) / (j + 1) * odds
        total += term
        j += 1
    return total


def binom_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    _check(n, p)
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    if p == 0.0:
        return 1.0
    if p == 1.0:
        return 0.0
    if k < n * p:
        return min(1.0, _lower_tail(k, n, p))
    return max(0.0, 1.0 - _upper_tail(k + 1, n, p))


def binom_quantile_mass(q: float, n: int, p: float) -> tuple[int, float, float]:
    """(k, P(X <= k), P(X = k)) for the smallest k with P(X <= k) >= q (R's ``qbinom``)."""
    _check(n, p)
    if not 0.0 < q < 1.0:
        raise ValueError(f"a binomial quantile is for 0 < q < 1, got {q}")
    if p == 0.0:
        return 0, 1.0, 1.0
    if p == 1.0:
        return n, 1.0, 1.0
    guess = n * p + _NORMAL.inv_cdf(q) * math.sqrt(n * p * (1.0 - p))
    k = min(n, max(0, math.floor(guess)))
    cdf, mass = binom_cdf(k, n, p), binom_pmf(k, n, p)
    while cdf < q and k < n:  # step up: F(k + 1) = F(k) + P(k + 1)
        mass = mass * (n - k) / (k + 1) * p / (1.0 - p) if mass > 0 else binom_pmf(k + 1, n, p)
        k += 1
        cdf = 1.0 if k == n else cdf + mass
    while k > 0 and cdf - mass >= q:  # step down while F(k - 1) still reaches q
        cdf -= mass
        mass = mass * k / (n - k + 1) * (1.0 - p) / p if mass > 0 else binom_pmf(k - 1, n, p)
        k -= 1
    return k, cdf, mass


def binom_quantile(q: float, n: int, p: float) -> int:
    """The smallest k with P(X <= k) >= q, for X ~ Binomial(n, p) (R's ``qbinom``)."""
    return binom_quantile_mass(q, n, p)[0]


def quantile_type7(values: Sequence[float], q: float) -> float:
    """R's ``quantile(values, q)`` with its default type 7 (numpy's 'linear')."""
    if not values:
        raise ValueError("a quantile needs at least one value")
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"a quantile probability is between 0 and 1, got {q}")
    ordered = sorted(values)
    h = (len(ordered) - 1) * q
    low = math.floor(h)
    if low + 1 >= len(ordered):
        return ordered[-1]
    return ordered[low] + (h - low) * (ordered[low + 1] - ordered[low])
