"""PHEindicatormethods' proportion funnel test cases, reproduced by scorecard.benchmark.

Source: ukhsa-collaboration/PHEindicatormethods (funnel-methods.md's PHE, v2.1.0),
``tests/testthat/testFunnels.R`` as stored at commit
268a88d5c737677ce1ee10fd2b8552a7a3699799, with its data files copied unchanged into
tests/funnel_cases/:

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

import csv
import math
import random
from pathlib import Path

import pytest

from scorecard.benchmark.funnel import Flag, UnitCount, funnel
from scorecard.benchmark.funnel_limits import fingertips_grid, limits_at
from scorecard.benchmark.stats import z_for
from scorecard.errors import FunnelError

CASES = Path(__file__).parent / "funnel_cases"
COLUMNS = ("Lower2s0025limit", "Upper2s0025limit", "Lower3s0001limit", "Upper3s0001limit")


def _inputs() -> list[dict[str, str]]:
    with (CASES / "phe_funnel_prop_inputs.csv").open(newline="") as f:
        return list(csv.DictReader(f))


def _units(rows: list[dict[str, str]]) -> list[UnitCount]:
    return [UnitCount(r["Area"], float(r["numerator"]), float(r["denominator"])) for r in rows]


def _expected(name: str) -> list[dict[str, str]]:
    with (CASES / name).open(newline="") as f:
        return list(csv.DictReader(f))


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
    ("name", "limit", "places"),
    [
        ("phe_funnel_prop_outputs.csv", None, 6),
        ("phe_funnel_prop_outputs_with_axis_variation.csv", 31_000, 8),
    ],
)
def test_phe_funnels_table(name: str, limit: int | None, places: int) -> None:
    """``phe_funnels``: the 100 denominators, the four limits at each, and the baseline."""
    units = [u for u in _units(_inputs()) if limit is None or u.denominator < limit]
    result = funnel(units, dispersion="none")
    expected = _expected(name)
    ns = [u.denominator for u in units]
    grid = fingertips_grid(min(ns), max(ns))
    assert [int(row["Population"]) for row in expected] == list(grid)
    tolerance = 0.5 * 10.0**-places
    for row, at in zip(expected, result.curve(grid), strict=True):
        got = (at.lower_95, at.upper_95, at.lower_998, at.upper_998)
        for column, value in zip(COLUMNS, got, strict=True):
            assert 100 * value == pytest.approx(float(row[column]), abs=tolerance), (row, column)
        assert 100 * result.centre == pytest.approx(float(row["Baseline"]), abs=tolerance)
    assert result.curve() == result.curve(grid)  # the default curve is Fingertips' grid


def test_phe_funnel_significance_labels() -> None:
    """``phe_funnel_significance``: all 303 labels, in PHE's words."""
    rows = _inputs()
    result = funnel(_units(rows), dispersion="none")
    got = [p.flag.value for p in result.points]
    assert got == [r["significance"] for r in rows]
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
