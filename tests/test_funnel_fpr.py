"""FunnelPlotR's test cases and its PR (arcsine) and over-dispersion steps.

Source: nhs-r-community/FunnelPlotR (funnel-methods.md's FPR, v0.6.0). Its test suite pins
these numbers, reproduced here with FPR's tolerance (``round(x, 6)`` compared exactly):

- ``tests/testthat/test-classes_methods.R`` (commit 2e91c8dd96c350a5297959a8cccdc493cc72eba7):
  for numerator (100, 150, 180, 80, 120, 225) over expected (108, 112, 165, 95, 100, 220),
  the default SHMI funnel has ``round(phi, 6) == 2.948033`` (log-scale z-scores, 10%
  truncation); ``test_fpr_phi_of_its_example`` feeds those z-scores to our dispersion step.
- ``tests/testthat/test-outliers_func.R`` (commit 7f294c723ad7f83f89ab1de7a4334e17fb47e1f2):
  the ten ratios against fixed limits, outlier iff outside ``LCL <= rr <= UCL``.

FPR's tests pin no PR (arcsine) limits, φ or τ²; those are checked here against FPR's
formulas written out from funnel-methods.md (sections 1.4 and 3.2: ``calculate_limits``
with its truncation and neighbouring-row fix-ups on a lookup grid, ``winsorisation``,
``phi_func``, ``tau_func``), computed independently of scorecard's code. FPR's rounded
constants 1.959964 / 3.090232 against qnorm give differences under 1e-8.
"""

from __future__ import annotations

import math
import statistics

import pytest

from scorecard.benchmark.dispersion import (
    estimate,
    tau2_of,
    truncation_kept,
    winsorise,
    z_score,
)
from scorecard.benchmark.funnel import Flag, UnitCount, flag_for, funnel
from scorecard.benchmark.funnel_limits import Adjustment, Limits, limits_at

FPR_Z = {0.95: 1.959964, 0.998: 3.090232}


def test_fpr_phi_of_its_example() -> None:
    numerator = [100, 150, 180, 80, 120, 225]
    expected = [108, 112, 165, 95, 100, 220]
    z = [math.sqrt(e) * math.log(o / e) for o, e in zip(numerator, expected, strict=True)]
    s = [1 / math.sqrt(e) for e in expected]
    found = estimate(z, s, robust="truncate", trim=0.1)
    assert found is not None
    assert found.units_used == 6  # floor(rank * 10 / 7) is 1..8 for ranks 1..6: all kept
    assert round(found.phi, 6) == 2.948033
    # tau_func on the same units: (6 * phi - 5) / (sum w - sum w^2 / sum w), w = E
    w = [float(e) for e in expected]
    assert found.tau2 == pytest.approx(
        (6 * found.phi - 5) / (sum(w) - sum(x * x for x in w) / sum(w))
    )


@pytest.mark.parametrize(
    ("adjusted", "level", "outliers"),
    [
        (False, 0.95, [0, 0, 0, 1, 1, 1, 1, 1, 1, 1]),
        (True, 0.95, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]),
        (False, 0.998, [0, 0, 0, 0, 0, 0, 0, 1, 1, 1]),
        (True, 0.998, [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
    ],
)
def test_fpr_outliers_func(adjusted: bool, level: float, outliers: list[int]) -> None:
    rr = [1, 0.95, 1.05, 0.8, 1.2, 0.6, 1.4, 0.4, 1.6, 0]
    limits = (
        Limits(0, lower_95=0.79, upper_95=1.21, lower_998=0.38, upper_998=1.62)
        if adjusted
        else Limits(0, lower_95=0.9, upper_95=1.1, lower_998=0.59, upper_998=1.41)
    )
    flags = [flag_for(v, limits) for v in rr]
    if level == 0.95:
        got = [int(f.outlier) for f in flags]
    else:
        got = [int(f in (Flag.HIGH_998, Flag.LOW_998)) for f in flags]
    assert got == outliers


def test_on_the_limit_is_in_control() -> None:
    """FPR ``LCL <= x <= UCL`` and PHE's strict ``<`` / ``>`` agree: on a limit is not flagged."""
    limits = Limits(100, lower_95=0.7, upper_95=0.9, lower_998=0.6, upper_998=0.95)
    assert [flag_for(v, limits) for v in (0.6, 0.7, 0.9, 0.95)] == [
        Flag.LOW_95,
        Flag.NOT_SIGNIFICANT,
        Flag.NOT_SIGNIFICANT,
        Flag.HIGH_95,
    ]
    assert flag_for(0.0, Limits(1, 0.0, 1.0, 0.0, 1.0)) is Flag.NOT_SIGNIFICANT
    assert flag_for(1.0, Limits(1, 0.0, 1.0, 0.0, 1.0)) is Flag.NOT_SIGNIFICANT


def fpr_pr_table(target: float, grid: list[float], tau2: float) -> list[list[float]]:
    """FPR ``calculate_limits`` for PR on a sorted grid: formula, truncation, fix-ups."""
    theta = math.asin(math.sqrt(target))
    columns = []
    for level in (0.95, 0.998):
        for sign in (-1, 1):
            raw = [
                math.sin(theta + sign * FPR_Z[level] * math.sqrt(1 / (4 * n) + tau2)) ** 2
                for n in grid
            ]
            raw = [min(1.0, max(0.0, v)) for v in raw]
            fixed = list(raw)
            for i in range(len(raw) - 1):
                if sign < 0 and raw[i] > raw[i + 1]:
                    fixed[i] = 0.0
                if sign > 0 and raw[i] < raw[i + 1]:
                    fixed[i] = 1.0
            columns.append(fixed)
    return [list(row) for row in zip(*columns, strict=True)]


@pytest.mark.parametrize("target", [0.02, 0.1, 0.5, 0.8, 0.97])
@pytest.mark.parametrize("tau2", [0.0, 0.002])
def test_arcsine_limits_are_fpr_pr(target: float, tau2: float) -> None:
    grid = [1 + 0.25 * i for i in range(800)]
    theta = math.asin(math.sqrt(target))
    table = fpr_pr_table(target, grid, tau2)
    adjustment = Adjustment("additive", tau2=tau2) if tau2 else Adjustment()
    checked = 0
    for i, n in enumerate(grid):
        ours = limits_at(target, n, "arcsine", adjustment)
        got = (ours.lower_95, ours.upper_95, ours.lower_998, ours.upper_998)
        for j, (level, sign) in enumerate(((0.95, -1), (0.95, 1), (0.998, -1), (0.998, 1))):
            # FPR's fix-up compares a row with the next: it cannot fix the last row, and
            # may keep the one row whose angle crosses 0 or pi/2 before the next row's.
            # There the continuous rule (angle <= 0 -> 0, >= pi/2 -> 1) and the grid's
            # can differ; everywhere else they agree.
            if i + 1 == len(grid):
                continue
            spread = FPR_Z[level] * math.sqrt(1 / (4 * n) + tau2)
            after = FPR_Z[level] * math.sqrt(1 / (4 * grid[i + 1]) + tau2)
            edge = math.pi / 2 if sign > 0 else 0.0
            if (theta + sign * spread - edge) * (theta + sign * after - edge) <= 0:
                continue
            assert got[j] == pytest.approx(table[i][j], abs=1e-7), (n, level, sign)
            checked += 1
    assert checked > 3150


def test_arcsine_last_row_fpr_cannot_fix() -> None:
    """θ = 0.97, τ² = 0.002: the 99.8% upper angle passes π/2 at every n, so FPR sets every
    row but its last to 1 and leaves the last at sin² of the angle (0.999996 at n = 200.75).
    Here it is 1 at any n, the last row included."""
    at = limits_at(0.97, 200.75, "arcsine", Adjustment("additive", tau2=0.002))
    assert at.upper_998 == 1.0
    assert fpr_pr_table(0.97, [200.5, 200.75], 0.002)[-1][3] == pytest.approx(0.9999961556)


def test_fpr_winsorisation_and_truncation() -> None:
    assert winsorise([-3.0, -1.0, 0.0, 1.0, 5.0], 0.1) == pytest.approx([-2.2, -1, 0, 1, 3.4])
    z = [float(v) for v in range(20)]
    kept = truncation_kept(z, 0.1)  # sp = floor(rank * 10 / 21): kept iff 0 < sp < 9
    assert kept == [False, False] + [True] * 16 + [False, False]
    tied = [1.0, 1.0, 1.0, 2.0, 3.0]  # ranks 2, 2, 2, 4, 5 -> sp 3, 3, 3, 6, 8
    assert truncation_kept(tied, 0.1) == [True] * 5


def test_fpr_tau_func_rule() -> None:
    """tau_func: 0 when n·φ < n − 1, else (nφ − (n − 1)) / (Σw − Σw²/Σw), w = 1/S²."""
    s = [0.05, 0.04, 0.03, 0.02, 0.05, 0.04, 0.03, 0.02, 0.01, 0.05]
    w = [1 / v**2 for v in s]
    spread = sum(w) - sum(x * x for x in w) / sum(w)
    assert tau2_of(10, 0.85, s) == 0.0  # 8.5 < 9
    assert tau2_of(10, 0.92, s) == pytest.approx((9.2 - 9) / spread)  # φ < 1, τ² > 0
    assert tau2_of(10, 1.5, s) == pytest.approx((15 - 9) / spread)


def test_phi_at_most_one_means_unadjusted_limits_as_fpr() -> None:
    """FPR: φ ≤ 1 draws unadjusted limits, though ``tau_func`` may still give τ² > 0."""
    ns = [400, 400, 1600, 400, 200, 1600, 400, 1600, 400, 400]
    rs = [121, 125, 492, 107, 45, 449, 124, 465, 127, 137]
    units = [UnitCount(f"U{i}", r, n) for i, (r, n) in enumerate(zip(rs, ns, strict=True))]
    result = funnel(units, method="arcsine")
    # the same steps written out: arcsine z, R type-7 quantiles (statistics' "inclusive")
    centre = sum(rs) / sum(ns)
    z = [
        (math.asin(math.sqrt(r / n)) - math.asin(math.sqrt(centre))) * 2 * math.sqrt(n)
        for r, n in zip(rs, ns, strict=True)
    ]
    cuts = statistics.quantiles(z, n=10, method="inclusive")
    wz = [min(max(v, cuts[0]), cuts[-1]) for v in z]
    phi = sum(v * v for v in wz) / 10
    w = [4.0 * n for n in ns]
    tau2 = (10 * phi - 9) / (sum(w) - sum(x * x for x in w) / sum(w))
    assert result.phi == pytest.approx(phi, rel=1e-12)
    assert result.phi is not None and result.phi <= 1
    assert result.tau2 == pytest.approx(tau2, rel=1e-9)
    assert result.tau2 is not None and result.tau2 > 0
    assert result.adjustment.kind == "none"
    assert result.dispersion_note is not None
    assert result.dispersion_note.startswith("No over-dispersion (φ = 0.99 ≤ 1)")
    assert result.notes == ()
    forced = funnel(units, method="arcsine", only_if_overdispersed=False)
    assert forced.adjustment == Adjustment("additive", phi=result.phi, tau2=result.tau2)
    assert [p.z for p in result.points] == pytest.approx(z)
    assert [z_score("arcsine", centre, r, n) for r, n in zip(rs, ns, strict=True)] == pytest.approx(
        z
    )
