"""scorecard.spc against the analysis as first written (tests/spc_reference.py): the same
points, icons and words for any series, gaps, ghosted points, rebases, settings and
targets; the points made only when asked for; a result pickled and compared whole."""

from __future__ import annotations

import itertools
import pickle
from dataclasses import replace
from fractions import Fraction

import spc_reference
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.periods import Month
from scorecard.spc.analysis import analyse
from scorecard.spc.icons import Improvement
from scorecard.spc.result import SpcResult, SpcRules
from scorecard.spc.rules import Limits

START = Month(2023, 4)
value = st.one_of(
    st.integers(-50, 50).map(float),  # ties with the centre and flat runs
    st.integers(0, 10_000).map(lambda n: n / 10_000),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.sampled_from([0.1, 0.2, 0.3, 1 / 3, 1e-7, 1e12]),
)


@st.composite
def charts(draw: st.DrawFn) -> dict[str, object]:
    values = draw(st.lists(st.one_of(value, st.none()), min_size=0, max_size=40))
    months = [START.plus(i) for i in range(len(values))]
    some = st.lists(st.sampled_from(months), max_size=3) if months else st.just([])
    return {
        "series": list(zip(months, values, strict=True)),
        "improvement": draw(st.sampled_from(list(Improvement))),
        "target": draw(st.one_of(st.none(), value)),
        "rules": SpcRules(
            shift=draw(st.integers(2, 9)),
            trend=draw(st.integers(2, 9)),
            min_points=draw(st.integers(2, 20)),
            centre=draw(st.sampled_from(["mean", "median"])),
            conflict=draw(st.sampled_from(["improvement", "concern"])),
        ),
        "rebase_at": draw(some),
        "ghosted": draw(some),
    }


@st.composite
def stepped(draw: st.DrawFn) -> dict[str, object]:
    """Charts of level stretches, rebased at some of the stretches' starts: shifts on
    either side of a rebase, and trends across one, are common here and rare in `charts`."""
    values: list[float | None] = []
    starts: list[int] = []
    for level, length in draw(
        st.lists(st.tuples(st.integers(-3, 3), st.integers(1, 12)), min_size=1, max_size=5)
    ):
        starts.append(len(values))
        wiggle = st.sampled_from([-1, 0, 0, 1])
        values += [float(level * 10 + draw(wiggle)) for _ in range(length)]
    months = [START.plus(i) for i in range(len(values))]
    rebase = [months[i] for i in starts[1:] if draw(st.booleans())]
    return {
        "series": list(zip(months, values, strict=True)),
        "improvement": draw(st.sampled_from(list(Improvement))),
        "target": draw(st.one_of(st.none(), st.integers(-40, 40).map(float))),
        "rules": SpcRules(min_points=draw(st.integers(2, 15))),
        "rebase_at": rebase,
        "ghosted": [],
    }


def _both(chart: dict[str, object]) -> tuple[SpcResult, SpcResult]:
    args = (chart["series"], chart["improvement"], chart["target"])
    kwargs = {k: chart[k] for k in ("rules", "rebase_at", "ghosted")}
    return analyse(*args, **kwargs), spc_reference.analyse(*args, **kwargs)  # type: ignore[arg-type]


@settings(max_examples=400, deadline=None)
@given(st.one_of(charts(), stepped()))
def test_the_analysis_is_the_reference_one(chart: dict[str, object]) -> None:
    fast, reference = _both(chart)
    assert "points" not in vars(fast)  # nothing asked for them yet
    assert (fast.variation, fast.reason) == (reference.variation, reference.reason)
    assert (fast.assurance, fast.assurance_reason) == (
        reference.assurance,
        reference.assurance_reason,
    )
    assert (fast.target, fast.warnings) == (reference.target, reference.warnings)
    assert fast.points == reference.points
    assert fast == reference and hash(fast) == hash(reference)


@settings(max_examples=100, deadline=None)
@given(charts())
def test_a_result_pickles_whole(chart: dict[str, object]) -> None:
    fast, _ = _both(chart)
    again = pickle.loads(pickle.dumps(fast))
    assert again == fast and again.points == fast.points


def test_results_differing_only_in_their_points_are_not_equal() -> None:
    series = [(START.plus(i), float(i % 5)) for i in range(20)]
    one = analyse(series, Improvement.UP)
    moved = tuple(replace(p, value=(p.value or 0.0) + 1.0) for p in one.points)
    other = replace(one, make_points=lambda: moved)
    assert (other.variation, other.reason, other.assurance_reason) == (
        one.variation,
        one.reason,
        one.assurance_reason,
    )
    assert other != one and hash(other) == hash(one)
    assert replace(one, make_points=lambda: one.points) == one


exacts = st.one_of(
    st.integers(-(10**6), 10**6).map(lambda n: n / 100), st.floats(-1e9, 1e9, allow_nan=False)
)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(-(10**9), 10**9),
    st.one_of(st.none(), st.integers(0, 10**9)),
    st.integers(1, 10**6),
    st.integers(-12, 6),
    exacts,
    st.integers(0, 3),
    st.sampled_from([1, -1]),
)
def test_a_value_against_a_line_is_exact(
    centre: int, step: int | None, den: int, exponent: int, v: float, sigmas: int, sign: int
) -> None:
    lim = Limits(centre, step, den, exponent)
    line = spc_reference.line(lim, sigmas, sign)
    got = lim.versus(v, sigmas, sign)
    if line is None:
        assert got is None
        return
    t = spc_reference.exact(v)
    assert got == (t > line) - (t < line)
    assert isinstance(line, Fraction) and lim.line_float(sigmas, sign) == float(line)


def test_a_target_on_a_limit_is_recognised_exactly() -> None:
    """The mean is 0.3 and the moving range 0.1, so the upper limit is 0.566 exactly; a
    target of 0.566 is at it, one a rounding step above is over it."""
    series = [(START.plus(i), v) for i, v in enumerate([0.3, 0.4, 0.3, 0.2] * 4)]
    lim_at = analyse(series, Improvement.DOWN, 0.566)
    assert lim_at.assurance.value == "pass" and "0.566" in lim_at.assurance_reason
    below = analyse(series, Improvement.DOWN, 0.5659999)
    assert below.assurance.value == "hit_or_miss"


@settings(max_examples=200, deadline=None)
@given(
    st.integers(-(10**6), 10**6),
    st.one_of(st.none(), st.integers(0, 10**4)),
    st.integers(1, 1000),
    st.lists(st.integers(-(10**7), 10**7), max_size=30),
)
def test_places_are_strictly_beyond_a_line(
    centre: int, step: int | None, den: int, xs: list[int]
) -> None:
    """A value on a sigma line is not beyond it (MDC's strict inequalities): each value's
    place is worked out again from its exact distance to the centre, values on the 2- and
    3-sigma lines among them."""
    if step is not None:  # the values on the lines, where they are whole scaled numbers
        xs += [(centre + k * step) // den for k in (-3, -2, 2, 3) if (centre + k * step) % den == 0]
        xs += [centre // den] if centre % den == 0 else []
    lim = Limits(centre, step, den, 0)
    sides, beyond = lim.places(xs)
    for x, side, past in zip(xs, sides, beyond, strict=True):
        d = Fraction(x) - Fraction(centre, den)  # from the centre, in scaled units
        assert side == (d > 0) - (d < 0)
        far = abs(d) * den
        if step is None or not side:
            assert past == 0
        else:
            assert past == side * (3 if far > 3 * step else 2 if far > 2 * step else 0)


def test_a_point_on_the_upper_limit_is_not_beyond_it() -> None:
    """22 points whose last lies exactly on the upper process limit worked out from them
    all (mean 15.25 plus 2.66 times the mean moving range 5.9): no rule fires on it."""
    values = [5, 11, 0, 15, 13, 14, 5, 15, 4, 12, 7, 4, 7, 19, 18, 20, 6, 9, 18, 12, 19, 31]
    exact = [Fraction(v) for v in values]
    mean = sum(exact, Fraction(0)) / len(exact)
    moving = sum((abs(b - a) for a, b in itertools.pairwise(exact)), Fraction(0))
    assert mean + Fraction(266, 100) * moving / (len(exact) - 1) == exact[-1]
    result = analyse([(START.plus(i), float(v)) for i, v in enumerate(values)], Improvement.UP)
    last = result.points[-1]
    assert last.upl == 31.0 and "beyond_limits" not in last.rules
