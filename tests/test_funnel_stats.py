"""scorecard.benchmark.stats: the normal, binomial and type-7 quantile functions.

The binomial functions are checked against exact rational arithmetic (`fractions`), R's
``qbinom`` definition (smallest k with F(k) >= q) and, at large n, the normal
approximation; ``quantile_type7`` and ``z_for`` against values R prints.
"""

from __future__ import annotations

from fractions import Fraction
from math import comb

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.benchmark.stats import (
    binom_cdf,
    binom_pmf,
    binom_quantile,
    binom_quantile_mass,
    quantile_type7,
    z_for,
)


def exact_cdf(k: int, n: int, p: Fraction) -> Fraction:
    return sum(
        (comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(0, min(k, n) + 1)), Fraction(0)
    )


def test_z_matches_r_qnorm() -> None:
    # R 4.2: sprintf("%.15f", qnorm(c(0.975, 0.999)))
    assert z_for(0.95) == pytest.approx(1.959963984540054, abs=1e-15)
    assert z_for(0.998) == pytest.approx(3.090232306167814, abs=1e-14)
    # FunnelPlotR's literal constants differ by under 1e-8 relative
    assert abs(z_for(0.95) - 1.959964) / 1.959964 < 1e-8
    assert abs(z_for(0.998) - 3.090232) / 3.090232 < 1e-7
    with pytest.raises(ValueError):
        z_for(1.0)


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(1, 150),
    num=st.integers(1, 999),
    k=st.integers(-2, 152),
)
def test_cdf_and_pmf_match_exact_arithmetic(n: int, num: int, k: int) -> None:
    p = Fraction(num, 1000)
    assert binom_cdf(k, n, float(p)) == pytest.approx(float(exact_cdf(k, n, p)), abs=1e-13)
    if 0 <= k <= n:
        mass = comb(n, k) * p**k * (1 - p) ** (n - k)
        assert binom_pmf(k, n, float(p)) == pytest.approx(float(mass), rel=1e-11, abs=1e-300)


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(1, 120),
    num=st.integers(1, 999),
    q=st.sampled_from([0.001, 0.025, 0.5, 0.975, 0.999]),
)
def test_quantile_is_the_smallest_k_reaching_q(n: int, num: int, q: float) -> None:
    p = Fraction(num, 1000)
    k, cdf, mass = binom_quantile_mass(q, n, float(p))
    assert exact_cdf(k, n, p) >= Fraction(q) - Fraction(1, 10**12)
    assert k == 0 or exact_cdf(k - 1, n, p) < Fraction(q) + Fraction(1, 10**12)
    assert cdf == pytest.approx(float(exact_cdf(k, n, p)), abs=1e-12)
    assert mass == pytest.approx(float(comb(n, k) * p**k * (1 - p) ** (n - k)), rel=1e-10)


def test_edges() -> None:
    assert binom_cdf(-1, 10, 0.3) == 0.0
    assert binom_cdf(10, 10, 0.3) == 1.0
    assert binom_cdf(0, 10, 0.0) == 1.0
    assert binom_cdf(9, 10, 1.0) == 0.0
    assert binom_pmf(11, 10, 0.5) == 0.0
    assert binom_quantile(0.5, 10, 0.0) == 0
    assert binom_quantile(0.5, 10, 1.0) == 10
    assert binom_quantile(0.999, 10, 0.8) == 10  # F(9) = 1 - 0.8^10 = 0.8926 < 0.999
    with pytest.raises(ValueError):
        binom_quantile(0.0, 10, 0.5)
    with pytest.raises(ValueError):
        binom_cdf(1, 10, 1.5)


@pytest.mark.parametrize("n", [10_000, 100_000, 1_000_000])
def test_large_n_is_near_the_normal_approximation(n: int) -> None:
    p = 0.8
    sd = (n * p * (1 - p)) ** 0.5
    for q in (0.001, 0.025, 0.975, 0.999):
        k = binom_quantile(q, n, p)
        # Cornish-Fisher: the exact quantile is within a few units of the normal one
        assert abs(k - (n * p + z_for(1 - 2 * min(q, 1 - q)) * sd * (1 if q > 0.5 else -1))) < 5
    assert binom_cdf(round(n * p), n, p) == pytest.approx(0.5, abs=0.01)


def test_quantile_type7_matches_r() -> None:
    # R: quantile(1:10, c(0.1, 0.9)) -> 1.9, 9.1; quantile(c(3, 1, 2), 0.25) -> 1.5
    assert quantile_type7([float(v) for v in range(1, 11)], 0.1) == pytest.approx(1.9)
    assert quantile_type7([float(v) for v in range(1, 11)], 0.9) == pytest.approx(9.1)
    assert quantile_type7([3.0, 1.0, 2.0], 0.25) == pytest.approx(1.5)
    assert quantile_type7([5.0], 0.1) == 5.0
    assert quantile_type7([1.0, 2.0], 1.0) == 2.0
