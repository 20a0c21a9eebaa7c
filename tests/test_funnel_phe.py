"""PHEindicatormethods' proportion funnel test cases, reproduced by scorecard.benchmark.

Source: ukhsa-collaboration/PHEindicatormethods (funnel-methods.md's PHE, v2.1.0),
``tests/testthat/testFunnels.R`` as stored at commit
268a88d5c737677ce1ee10fd2b8552a7a3699799, and figures quoted from its data files (a few
rows each, as numbers; the files themselves are not copied here):

- ``testdata_funnel_prop_inputs.csv`` (commit 3352ce5d861197880cae0ccb329a0ce50424bfda):
  303 PCTs' numerator, denominator and expected ``significance`` label;
- ``testdata_funnel_prop_outputs.csv`` (commit 63894a99103ffc9e0a3e8a15644200a3abb95669):
  ``phe_funnels(numerator, denominator, type = "standard")`` on all 303 areas;
- ``testdata_funnel_prop_outputs_with_axis_variation.csv`` (commit 3352ce5d...): the same
  for the areas with a denominator under 31,000.

R compares with ``expect_equal`` (a mean relative difference under 1.5e-8 over each
column). The expected files are printed to 6 and 8 decimal places (in %), so here every
value is compared on its own, to half a unit in the last place printed: 5e-7 and 5e-9
percentage points. The significance labels must match exactly, as in R.
"""

from __future__ import annotations

import math
import random

import pytest

from scorecard.benchmark.funnel import Flag, UnitCount, funnel
from scorecard.benchmark.funnel_limits import fingertips_grid, limits_at
from scorecard.benchmark.stats import z_for
from scorecard.errors import FunnelError

# The pooled average of PHE's 303 test areas (Σ numerators / Σ denominators, worked out
# from its inputs file), and of the 97 with a denominator under 31,000; the smallest and
# largest denominators, from which Fingertips' 100-point grid is made.
COLUMNS = ("lower 95%", "upper 95%", "lower 99.8%", "upper 99.8%")
CENTRE_ALL, N_ALL = 0.806424478571495, (16_386, 102_950)
CENTRE_SMALL, N_SMALL = 0.8218033787630717, (16_386, 30_929)
# Rows of PHE's expected tables: (row index in the 100-row grid, population, lower 95%,
# upper 95%, lower 99.8%, upper 99.8%), in %, as printed (6 and 8 decimal places).
OUTPUTS = [
    (0, 1, 3.204264, 100, 0, 100),
    (2, 3, 35.933491, 100, 10.150815, 100),
    (9, 10, 56.154344, 100, 42.03259, 100),
    (19, 27, 65.739462, 95.545433, 57.145237, 100),
    (29, 75, 71.700657, 89.584239, 66.544121, 94.740774),
    (39, 211, 75.311383, 85.973512, 72.237075, 89.04782),
    (49, 598, 77.475765, 83.809131, 75.649608, 85.635287),
    (59, 1699, 78.763743, 82.521152, 77.680336, 83.60456),
    (69, 4818, 79.526814, 81.758082, 78.883452, 82.401444),
    (79, 13669, 79.980099, 81.304797, 79.598137, 81.686759),
    (89, 38775, 80.249188, 81.035707, 80.022404, 81.262492),
    (99, 110000, 80.408963, 80.875933, 80.274317, 81.010578),
]
OUTPUTS_BASELINE = 80.642448
AXIS_VARIATION = [
    (0, 10000, 81.43030244, 82.93037332, 80.99777342, 83.36290233),
    (9, 11146, 81.46990628, 82.89076947, 81.06021594, 83.30045981),
    (19, 12575, 81.51148933, 82.84918642, 81.12577901, 83.23489674),
    (29, 14186, 81.55061161, 82.81006414, 81.18746226, 83.17321349),
    (39, 16004, 81.5874569, 82.77321885, 81.24555542, 83.11512033),
    (49, 18055, 81.62214661, 82.73852914, 81.30024992, 83.06042583),
    (59, 20369, 81.65480858, 82.70586717, 81.35174734, 83.00892841),
    (69, 22980, 81.68556399, 82.67511177, 81.40023872, 82.96043704),
    (79, 25926, 81.71452228, 82.64615347, 81.44589662, 82.91477913),
    (89, 29249, 81.74178065, 82.6188951, 81.4888743, 82.87180146),
    (99, 33000, 81.76745696, 82.5932188, 81.52935757, 82.83131819),
]
AXIS_BASELINE = 82.18033788
# Areas of PHE's inputs file with the label `phe_funnel_significance` must give them, among
# all 303 (every "(0.025)" label, and the first of each other kind).
SIGNIFICANCE = [
    ("New Forest PCT", 35078.4880000, 41980, "High (0.001)"),
    ("Norwich PCT", 24803.6256000, 31824, "Low (0.001)"),
    ("South Gloucestershire PCT", 50050.7443000, 61921, "Not significant"),
    ("Havering PCT", 48686.4364000, 59804, "High (0.001)"),
    ("Kingston PCT", 35795.6324000, 45449, "Low (0.001)"),
    ("Bromley PCT", 66969.6742000, 80002, "High (0.001)"),
    ("Greenwich PCT", 48514.4460000, 64755, "Low (0.001)"),
    ("Barnet PCT", 70670.2858000, 93122, "Low (0.001)"),
    ("South Manchester PCT", 26029.3176000, 33708, "Low (0.001)"),
    ("Daventry and South Northamptonshire PCT", 22506.3828000, 25932, "High (0.001)"),
    ("North Peterborough PCT", 20619.5552000, 25852, "Low (0.001)"),
    ("South Peterborough PCT", 19847.1920000, 23684, "High (0.001)"),
    ("Tendring PCT", 23617.7778000, 28954, "High (0.001)"),
    ("Epping Forest PCT", 21121.0160000, 27530, "Low (0.001)"),
    ("Southend on Sea PCT", 30294.3882000, 41066, "Low (0.001)"),
    ("Central Derby PCT", 24648.7596000, 30521, "Not significant"),
    ("Mansfield District PCT", 18986.0000000, 22000, "High (0.001)"),
    ("North East Lincolnshire PCT", 31759.3850000, 39350, "Not significant"),
    ("Newark and Sherwood PCT", 26008.3050000, 29850, "High (0.001)"),
    ("Blackburn with Darwen PCT", 29561.6517000, 36627, "Not significant"),
    ("Hertsmere PCT", 18550.7595000, 22905, "Not significant"),
    ("West Norfolk PCT", 26789.2380000, 33012, "High (0.025)"),
    ("Hartlepool PCT", 17321.4088000, 21587, "Not significant"),
    ("Wokingham PCT", 31573.5024000, 39212, "Not significant"),
    ("Wyre Forest PCT", 22030.9072000, 27388, "Not significant"),
    ("North Tees PCT", 36850.0492000, 45449, "High (0.025)"),
    ("Mid-Hampshire PCT", 34502.0685000, 42485, "High (0.025)"),
    ("Sheffield West PCT", 23910.2469000, 29457, "High (0.025)"),
    ("Heywood and Middleton PCT", 14493.3552000, 17964, "Not significant"),
    ("East Hampshire PCT", 37216.4698000, 45986, "Not significant"),
    ("West of Cornwall PCT", 30453.2129000, 37741, "Not significant"),
    ("North Devon PCT", 30277.5312000, 37828, "Low (0.025)"),
    ("Exeter PCT", 24866.9160000, 30929, "Not significant"),
    ("East Devon PCT", 21139.2936000, 25992, "High (0.025)"),
    ("South East Hertfordshire PCT", 38045.3716000, 46958, "High (0.025)"),
    ("Royston, Buntingford and Bishop's Stortford PCT", 16924.1296000, 20776, "High (0.025)"),
    ("North Norfolk PCT", 18504.9982000, 22739, "High (0.025)"),
    ("South Tyneside PCT", 29709.0543000, 36583, "High (0.025)"),
    ("Witham, Braintree and Halstead Care Trust", 28537.4507000, 35201, "High (0.025)"),
]


def sigma_adjustment(p: float, population: float, average: float, side: str) -> float:
    """PHE ``sigma_adjustment`` (R/utils.R), written out from funnel-methods.md section 1.2.

    The observed proportion whose Wilson score interval at z = qnorm(p) just reaches the
    average, as a proportion (multiplier 1).
    """
    z2 = z_for(2 * p - 1) ** 2
    first = average * (population / z2 + 1)
    adj = math.sqrt(
        (-8 * average * (population / z2 + 1)) ** 2
        - 64
        * (1 / z2 + 1 / population)
        * average
        * (population * (average * (population / z2 + 2) - 1) + z2 * (average - 1))
    )
    last = 1 / z2 + 1 / population
    bound = (first - adj / 8) / last if side == "low" else (first + adj / 8) / last
    return bound / population


@pytest.mark.parametrize(
    ("table", "centre", "n_range", "baseline", "places"),
    [
        (OUTPUTS, CENTRE_ALL, N_ALL, OUTPUTS_BASELINE, 6),
        (AXIS_VARIATION, CENTRE_SMALL, N_SMALL, AXIS_BASELINE, 8),
    ],
)
def test_phe_funnels_table(
    table: list[tuple[float, ...]],
    centre: float,
    n_range: tuple[int, int],
    baseline: float,
    places: int,
) -> None:
    """``phe_funnels``: the grid's denominators, the four limits at each, the baseline."""
    grid = fingertips_grid(*n_range)
    assert len(grid) == 100
    tolerance = 0.5 * 10.0**-places
    assert 100 * centre == pytest.approx(baseline, abs=tolerance)
    units = [UnitCount("small", centre * n_range[0], n_range[0]),
             UnitCount("large", centre * n_range[1], n_range[1])]  # fmt: skip
    result = funnel(units, dispersion="none")
    assert result.centre == pytest.approx(centre, abs=1e-15)
    for index, population, *limits in table:
        assert grid[int(index)] == population
        at = result.limits_at(population)
        got = (at.lower_95, at.upper_95, at.lower_998, at.upper_998)
        for mine, theirs, column in zip(got, limits, COLUMNS, strict=True):
            assert 100 * mine == pytest.approx(theirs, abs=tolerance), (population, column)
    assert result.curve() == result.curve(grid)  # the default curve is Fingertips' grid


def test_phe_funnel_significance_labels() -> None:
    """``phe_funnel_significance``: the areas' labels, in PHE's words, against the average
    of all 303 areas."""
    units = [UnitCount(area, num, den) for area, num, den, _ in SIGNIFICANCE]
    result = funnel(units, dispersion="none", target=CENTRE_ALL)
    assert [p.flag.value for p in result.points] == [label for *_, label in SIGNIFICANCE]
    assert {p.flag for p in result.points} == {
        Flag.HIGH_998,
        Flag.HIGH_95,
        Flag.NOT_SIGNIFICANT,
        Flag.LOW_95,
        Flag.LOW_998,
    }


def test_normal_limits_are_the_fingertips_wilson_funnel() -> None:
    """Inverting the Wilson score interval (PHE) gives exactly θ ± z√(θ(1-θ)/n)."""
    rng = random.Random(15)
    cases = [(0.806424478571495, float(n)) for n in fingertips_grid(16_386, 102_950)]
    cases += [(rng.uniform(0.001, 0.999), float(rng.randint(1, 200_000))) for _ in range(500)]
    for centre, n in cases:
        for p, level in ((0.975, 0.95), (0.999, 0.998)):
            for side in ("low", "high"):
                phe = sigma_adjustment(p, n, centre, side)
                ours = centre + (1 if side == "high" else -1) * z_for(level) * math.sqrt(
                    centre * (1 - centre) / n
                )
                assert ours == pytest.approx(phe, abs=1e-12), (centre, n, p, side)
                clamped = min(1.0, max(0.0, phe))  # PHE clamps its table to [0, 100]%
                at = limits_at(centre, n)
                mine = {
                    (0.975, "low"): at.lower_95,
                    (0.975, "high"): at.upper_95,
                    (0.999, "low"): at.lower_998,
                    (0.999, "high"): at.upper_998,
                }[(p, side)]
                assert mine == pytest.approx(clamped, abs=1e-12)


def test_phe_input_errors() -> None:
    """PHE stops on a negative numerator and on a numerator above its denominator; so do we.

    PHE also stops on a zero denominator; here that unit is flagged "No denominator"
    instead (the brief's rule) and left out of the centre.
    """
    with pytest.raises(FunnelError, match="negative"):
        funnel([UnitCount("A", 65, 100), UnitCount("B", -80, 100), UnitCount("C", 30, 200)])
    with pytest.raises(FunnelError, match="above its denominator"):
        funnel([UnitCount("A", 65, 100), UnitCount("B", 80, 100), UnitCount("C", 30, 20)])
    result = funnel([UnitCount("A", 65, 100), UnitCount("B", 80, 100), UnitCount("C", 30, 0)])
    assert result.centre == pytest.approx(145 / 200)
    assert result.points[2].flag is Flag.NO_DENOMINATOR
