"""scorecard.benchmark.funnel: exact binomial limits worked by hand, edge cases, properties.

PHEindicatormethods' and FunnelPlotR's published cases are in test_funnel_phe.py and
test_funnel_fpr.py.
"""

from __future__ import annotations

import math
from fractions import Fraction
from math import comb

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.benchmark.funnel import Flag, FunnelResult, UnitCount, funnel
from scorecard.benchmark.funnel_limits import (
    Adjustment,
    exact_limit,
    limits_at,
)
from scorecard.errors import FunnelError

UNITS = [
    UnitCount("A", 30, 100),
    UnitCount("B", 45, 120),
    UnitCount("C", 80, 400),
    UnitCount("D", 260, 900),
    UnitCount("E", 12, 60),
    UnitCount("F", 500, 2000),
    UnitCount("G", 70, 150),
    UnitCount("H", 150, 800),
]


def _finite(result: FunnelResult) -> None:
    """No NaN or infinity anywhere in a result."""
    numbers = [result.centre, result.phi or 0.0, result.tau2 or 0.0]
    for p in result.points:
        numbers += [p.value or 0.0, p.z or 0.0]
        if p.limits is not None:
            numbers += [p.limits.lower_95, p.limits.upper_95]
            numbers += [p.limits.lower_998, p.limits.upper_998]
    assert all(math.isfinite(v) for v in numbers)


# --- exact binomial limits with Spiegelhalter's interpolation (funnel-methods.md 1.3) ---


def test_exact_upper_limit_worked_by_hand() -> None:
    """θ = 0.8, n = 10, upper 99.8% (p = 0.999).

    F(9) = 1 − 0.8¹⁰ = 0.8926258176 < 0.999 ≤ F(10) = 1, so r_p = 10, and
    F(10) − F(9) = 0.8¹⁰ = 0.1073741824: limit = (10 − 0.001 / 0.1073741824) / 10
    = 0.99906867742538 (funnel-methods.md 5.1 gives 0.999; normal 1.19, arcsine 1.0).
    """
    assert exact_limit(0.8, 10, 0.999) == pytest.approx(0.99906867742538, abs=1e-13)
    assert limits_at(0.8, 10, "exact").upper_998 == pytest.approx(0.99906867742538, abs=1e-13)
    assert limits_at(0.8, 10, "arcsine").upper_998 == 1.0
    unclamped = 0.8 + 3.090232306167814 * math.sqrt(0.8 * 0.2 / 10)
    assert unclamped == pytest.approx(1.19, abs=0.01)
    assert limits_at(0.8, 10, "normal").upper_998 == 1.0  # clamped, as PHE clamps at 100%


def test_exact_lower_limit_worked_by_hand() -> None:
    """θ = 0.5, n = 20, lower 95% (p = 0.025).

    2²⁰ F(5) = 1 + 20 + 190 + 1140 + 4845 + 15504 = 21700 (F = 0.0207 < 0.025) and
    2²⁰ F(6) = 21700 + 38760 = 60460 (F = 0.0577): r_p = 6;
    limit = (6 − (60460 − 26214.4) / 38760) / 20 = (6 − 0.8835294) / 20 = 0.2558235.
    """
    whole = Fraction(2**20)
    by_hand = (6 - (Fraction(60460) / whole - Fraction(1, 40)) / (Fraction(38760) / whole)) / 20
    assert float(by_hand) == pytest.approx(0.25582353, abs=1e-8)
    assert exact_limit(0.5, 20, 0.025) == pytest.approx(float(by_hand), abs=1e-13)
    assert limits_at(0.5, 20, "exact").lower_95 == pytest.approx(float(by_hand), abs=1e-13)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 60), num=st.integers(1, 99), p=st.sampled_from([0.001, 0.025, 0.975, 0.999])
)
def test_exact_limit_matches_exact_arithmetic(n: int, num: int, p: float) -> None:
    theta = Fraction(num, 100)
    cdf = Fraction(0)
    for r in range(n + 1):
        mass = comb(n, r) * theta**r * (1 - theta) ** (n - r)
        cdf += mass
        if cdf >= Fraction(p):
            break
    expected = (r - (cdf - Fraction(p)) / mass) / n
    assert exact_limit(float(theta), n, p) == pytest.approx(float(expected), abs=1e-11)


def test_exact_limit_clipped_at_zero() -> None:
    """θ = 0.05, n = 10: F(0) = 0.95¹⁰ = 0.599 ≥ 0.025, r_p = 0, the formula is negative."""
    assert exact_limit(0.05, 10, 0.025) < 0
    assert limits_at(0.05, 10, "exact").lower_95 == 0.0


def test_exact_limit_can_cross_the_centre_at_tiny_n() -> None:
    """The interpolated limit lies between (r_p − 1)/n and r_p/n, so a count of r_p itself is
    beyond it: at n = 1 and θ = 0.984375, F(0) = 0.015625 < 0.975 ≤ F(1) = 1, r_p = 1, and the
    upper 95% limit is 1 − 0.025/0.984375 = 0.9746, below the centre. Where even 0 events
    reach the upper quantile ((1 − θ)^n ≥ 0.975) it is negative and clipped to 0.
    """
    assert limits_at(0.984375, 1, "exact").upper_95 == pytest.approx(1 - 0.025 / 0.984375)
    assert limits_at(0.015625, 1, "exact").upper_95 == 0.0
    assert limits_at(0.015625, 1, "exact").upper_998 == pytest.approx(1 - 0.001 / 0.015625)


def test_exact_converges_to_normal_at_large_n() -> None:
    exact, normal = limits_at(0.8, 100_000, "exact"), limits_at(0.8, 100_000, "normal")
    assert exact.lower_998 == pytest.approx(normal.lower_998, abs=1e-4)
    assert exact.upper_95 == pytest.approx(normal.upper_95, abs=1e-4)


# --- zero denominators, ties, few units, targets ---


def test_zero_denominator_is_flagged_and_left_out() -> None:
    units = [*UNITS, UnitCount("Z", 0, 0), UnitCount("Y", 5, 0)]
    result = funnel(units)
    plain = funnel(UNITS)
    assert result.centre == plain.centre
    assert (result.phi, result.tau2) == (plain.phi, plain.tau2)
    for code in ("Z", "Y"):
        point = next(p for p in result.points if p.code == code)
        assert point.flag is Flag.NO_DENOMINATOR and not point.flag.outlier
        assert (point.value, point.z, point.limits) == (None, None, None)
    assert any("2 units with no denominator" in n for n in result.notes)
    _finite(result)
    assert result.curve_ns() == plain.curve_ns()


def test_no_denominator_anywhere() -> None:
    with pytest.raises(FunnelError, match="no unit has a denominator"):
        funnel([UnitCount("Z", 0, 0)])
    result = funnel([UnitCount("Z", 0, 0)], target=0.5)
    assert result.points[0].flag is Flag.NO_DENOMINATOR
    assert result.curve_ns() == () and result.curve() == ()
    assert not result.dispersion_estimated


def test_tied_units_share_everything() -> None:
    units = [*UNITS, UnitCount("A2", 30, 100), UnitCount("A3", 30, 100)]
    for method in ("normal", "arcsine", "exact"):
        for robust in ("winsorise", "truncate"):
            result = funnel(units, method=method, robust=robust)
            a, a2, a3 = (next(p for p in result.points if p.code == c) for c in ("A", "A2", "A3"))
            assert a.z == a2.z == a3.z and a.limits == a2.limits == a3.limits
            assert a.flag == a2.flag == a3.flag
            _finite(result)


@pytest.mark.parametrize("count", [1, 2])
def test_fewer_than_three_units(count: int) -> None:
    result = funnel(UNITS[:count])
    assert result.phi is None and result.tau2 is None and not result.dispersion_estimated
    assert result.adjustment == Adjustment()
    assert result.dispersion_note is not None
    assert result.dispersion_note.startswith("Over-dispersion not estimated")
    assert "fewer than 3 units" in result.describe()
    assert all(p.limits is not None for p in result.points)
    with_target = funnel(UNITS[:count], target=0.25)
    assert with_target.centre == 0.25 and with_target.centre_source == "target"
    assert with_target.points[0].limits == limits_at(0.25, UNITS[0].denominator)


def test_target_replaces_the_pooled_centre() -> None:
    result = funnel(UNITS, target=0.3, dispersion="none")
    assert result.centre == 0.3 and result.centre_source == "target"
    assert "centre: target 30.0%" in result.describe()
    assert result.points[0].limits == limits_at(0.3, 100)


def test_centre_at_zero_or_one() -> None:
    nothing = funnel([UnitCount(c, 0, n) for c, n in (("A", 10), ("B", 20), ("C", 30))])
    assert nothing.centre == 0.0 and nothing.phi == 0.0
    assert all(p.flag is Flag.NOT_SIGNIFICANT and p.z == 0.0 for p in nothing.points)
    against_zero = funnel([*UNITS[:3]], target=0.0)
    assert all(p.z is None and p.flag is Flag.HIGH_998 for p in against_zero.points)
    assert against_zero.phi is None  # no unit has a z-score
    for result in (nothing, against_zero):
        _finite(result)


def test_dispersion_settings() -> None:
    over = [*UNITS, UnitCount("I", 900, 1000), UnitCount("J", 10, 1000)]
    additive = funnel(over)
    assert additive.phi is not None and additive.phi > 1
    assert additive.adjustment.kind == "additive" and additive.adjustment.tau2 == additive.tau2
    assert "additive over-dispersion τ² = " in additive.describe()
    assert "FunnelPlotR's method, 10% Winsorised" in additive.describe()
    multiplicative = funnel(over, dispersion="multiplicative", robust="truncate")
    assert multiplicative.adjustment.kind == "multiplicative"
    assert "multiplicative over-dispersion φ = " in multiplicative.describe()
    plain = funnel(over, dispersion="none")
    assert plain.adjustment.kind == "none" and plain.phi == additive.phi  # still reported
    assert plain.describe().endswith("no over-dispersion adjustment; centre: pooled average 31.5%")
    for adjusted in (additive, multiplicative):
        for a, b in zip(adjusted.points, plain.points, strict=True):
            assert a.limits is not None and b.limits is not None
            assert (
                a.limits.lower_998 <= b.limits.lower_998 <= b.limits.upper_998 <= a.limits.upper_998
            )


def test_invalid_input_is_one_clear_error() -> None:
    bad = [
        ([UnitCount("A", 1, 10), UnitCount("A", 2, 10)], {}, "appears twice"),
        ([UnitCount("A", math.nan, 10)], {}, "must be numbers"),
        ([UnitCount("A", 1, -10)], {}, "negative"),
        ([UnitCount("A", 1.0, 10.5)], {"method": "exact"}, "whole denominator"),
        (UNITS, {"method": "wilson"}, "method is one of"),
        (UNITS, {"target": 1.5}, "target is between 0 and 1"),
        (UNITS, {"dispersion": "both"}, "dispersion is"),
        (UNITS, {"trim": 0.6}, "0 < trim < 0.5"),
    ]
    for units, options, message in bad:
        with pytest.raises(FunnelError, match=message):
            funnel(units, **options)  # type: ignore[arg-type]


# --- properties ---

centres = st.floats(0.005, 0.995)
adjustments = st.one_of(
    st.just(Adjustment()),
    st.builds(Adjustment, st.just("multiplicative"), st.floats(0.5, 6.0), st.just(0.0)),
    st.builds(Adjustment, st.just("additive"), st.just(1.0), st.floats(0.0, 0.02)),
)


@settings(max_examples=200, deadline=None)
@given(centre=centres, n1=st.integers(1, 5000), extra=st.integers(1, 5000), adj=adjustments)
def test_limits_widen_as_n_falls(centre: float, n1: int, extra: int, adj: Adjustment) -> None:
    for method in ("normal", "arcsine"):
        small, large = (
            limits_at(centre, n1, method, adj),
            limits_at(centre, n1 + extra, method, adj),
        )
        assert small.lower_95 <= large.lower_95 + 1e-12
        assert small.lower_998 <= large.lower_998 + 1e-12
        assert small.upper_95 >= large.upper_95 - 1e-12
        assert small.upper_998 >= large.upper_998 - 1e-12


@settings(max_examples=200, deadline=None)
@given(centre=centres, n=st.integers(1, 20_000), adj=adjustments)
def test_998_outside_95_around_the_centre(centre: float, n: int, adj: Adjustment) -> None:
    for method in ("normal", "arcsine", "exact"):
        at = limits_at(centre, n, method, adj)
        assert 0.0 <= at.lower_998 <= at.lower_95 <= at.upper_95 <= at.upper_998 <= 1.0
        if method != "exact":  # see test_exact_limit_can_cross_the_centre_at_tiny_n
            assert at.lower_95 <= centre <= at.upper_95


@settings(max_examples=100, deadline=None)
@given(centre=centres, n=st.integers(1, 20_000))
def test_phi_one_and_tau2_zero_are_unadjusted(centre: float, n: int) -> None:
    for method in ("normal", "arcsine", "exact"):
        plain = limits_at(centre, n, method)
        assert limits_at(centre, n, method, Adjustment("multiplicative", phi=1.0)) == plain
        assert limits_at(centre, n, method, Adjustment("additive", tau2=0.0)) == plain


def test_exact_limits_widen_overall() -> None:
    """Exact limits step with the counts, so not monotone n to n, but wider at n than at 4n."""
    for centre in (0.05, 0.3, 0.8):
        for n in (5, 20, 80, 320):
            small, large = limits_at(centre, n, "exact"), limits_at(centre, 4 * n, "exact")
            assert small.lower_95 <= large.lower_95 and small.upper_95 >= large.upper_95


def test_a_national_sized_funnel_is_quick() -> None:
    import time

    units = [UnitCount(f"R{i:03d}", 700 + (i * 37) % 300, 1000 + i * 97) for i in range(150)]
    start = time.perf_counter()
    for method in ("normal", "arcsine", "exact"):
        result = funnel(units, method=method)
        result.curve()
    assert time.perf_counter() - start < 5.0
