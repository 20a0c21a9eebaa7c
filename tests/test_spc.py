"""scorecard.spc: the MDC cases in tests/spc_cases/ (worked by hand), unit checks and properties."""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.model import Direction
from scorecard.periods import Month
from scorecard.spc.analysis import analyse, improvement_for
from scorecard.spc.icons import Assurance, Improvement, Variation
from scorecard.spc.result import SpcResult, SpcRules
from scorecard.spc.rules import decimal

CASES = Path(__file__).parent / "spc_cases"
CASE_FILES = sorted(CASES.glob("*.toml"))
CASE_KEYS = {
    "description",
    "improvement",
    "target",
    "start",
    "values",
    "working",
    "rebase_at",
    "ghosted",
    "rules",
    "expected",
}
TOL = 5e-5  # expected numbers are given to 4 decimal places

Series = list[tuple[Month, float | None]]


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        case = tomllib.load(f)
    assert set(case) <= CASE_KEYS, f"unknown keys {set(case) - CASE_KEYS}"
    assert case["description"] and case["working"].strip()
    return case


def _series(case: dict[str, Any]) -> Series:
    start = Month.parse(case["start"])
    return [(start.plus(i), None if v == "gap" else float(v)) for i, v in enumerate(case["values"])]


def _run(case: dict[str, Any]) -> SpcResult:
    return analyse(
        _series(case),
        Improvement(case["improvement"]),
        case.get("target"),
        rules=SpcRules(**case.get("rules", {})),
        rebase_at=[Month.parse(m) for m in case.get("rebase_at", [])],
        ghosted=[Month.parse(m) for m in case.get("ghosted", [])],
    )


def test_there_are_cases() -> None:
    assert len(CASE_FILES) >= 20


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_case(path: Path) -> None:
    case = _load(path)
    expected = case["expected"]
    result = _run(case)

    assert result.variation is Variation(expected["variation"])
    assert result.assurance is Assurance(expected["assurance"])
    if "reason" in expected:
        assert result.reason == expected["reason"]
    if "assurance_reason" in expected:
        assert result.assurance_reason == expected["assurance_reason"]
    assert result.target == case.get("target")
    assert [p.period for p in result.points] == [m for m, _ in _series(case)]

    # Partitions: each expected one starts at its month and has one set of lines.
    parts = expected["partitions"]
    starts = [Month.parse(p["from"]) for p in parts]
    for point in result.points:
        k = max(i for i, s in enumerate(starts) if s <= point.period)
        assert point.partition == k, point.period
        want = parts[k]
        assert point.centre == pytest.approx(want["centre"], abs=TOL)
        if want.get("no_limits"):
            lines = (point.upl, point.lpl, point.upper_2s, point.lower_2s, point.upper_1s)
            assert lines == (None,) * 5 and point.lower_1s is None
            continue
        for key in ("upl", "lpl", "upper_2s", "lower_2s"):
            if key in want:
                assert getattr(point, key) == pytest.approx(want[key], abs=TOL), key

    # Flags: exactly the expected points, with exactly the expected rules.
    flags = expected["flags"]
    got = {p.period.iso(): (p.special, list(p.rules)) for p in result.points if p.special}
    assert got == {m: (f["special"], f["rules"]) for m, f in flags.items()}
    for p in result.points:
        assert p.conflict == flags.get(p.period.iso(), {}).get("conflict", False)
        if p.value is None or p.ghosted:
            assert p.special is None and p.rules == ()


# --- unit checks ---------------------------------------------------------------------


def _months(values: Sequence[float | None]) -> Series:
    return [(Month(2024, 1).plus(i), v) for i, v in enumerate(values)]


def test_improvement_for_direction() -> None:
    assert improvement_for(Direction.HIGHER) is Improvement.UP
    assert improvement_for(Direction.LOWER) is Improvement.DOWN


def test_months_must_strictly_increase() -> None:
    m = Month(2025, 4)
    with pytest.raises(ValueError, match="strictly increasing"):
        analyse([(m, 1.0), (m, 2.0)], Improvement.UP)
    with pytest.raises(ValueError, match="strictly increasing"):
        analyse([(m.plus(1), 1.0), (m, 2.0)], Improvement.UP)
    with pytest.raises(ValueError, match="not finite"):
        analyse([(m, float("nan"))], Improvement.UP)


def test_rules_are_validated() -> None:
    with pytest.raises(ValueError, match="centre"):
        SpcRules(centre="mode")
    with pytest.raises(ValueError, match="min_points"):
        SpcRules(min_points=1)
    with pytest.raises(ValueError, match="conflict"):
        SpcRules(conflict="neither")


def test_empty_series() -> None:
    result = analyse([], Improvement.UP, 95.0)
    assert result.points == () and result.variation is Variation.NONE
    assert result.reason == "Too few points: 0 of the 15 needed; shown as a run chart"
    assert result.last_point is None


def test_conflict_setting_concern_wins() -> None:
    case = _load(CASES / "conflict_improvement_wins.toml")
    result = analyse(_series(case), Improvement.UP, rules=SpcRules(conflict="concern"))
    assert result.variation is Variation.CONCERN_LOW
    assert result.reason.startswith("Special cause concern: 7 points below the mean since Sep 24")
    assert "concern wins a conflict" in result.reason
    assert {p.special for p in result.points[8:]} == {"concern"}  # the 7 conflicts


def test_gap_is_reported_and_warned() -> None:
    result = _run(_load(CASES / "gap.toml"))
    gap = result.points[8]
    assert gap.period == Month(2024, 9) and gap.value is None and gap.special is None
    assert gap.centre == 11.0  # the partition's lines still run through the gap
    assert result.points[9].moving_range == 2.0  # Oct 24 against Aug 24
    assert result.points[0].moving_range is None
    assert result.warnings == ("No value for Sep 24: skipped like a ghosted point",)


def test_short_partition_warning_and_ignored_rebase() -> None:
    series = _months([10.0, 12.0] * 8)
    # A rebase month before the series or after it changes nothing.
    plain = analyse(series, Improvement.UP)
    assert plain == analyse(series, Improvement.UP, rebase_at=[Month(2020, 1), Month(2030, 1)])
    rebased = analyse(series, Improvement.UP, rebase_at=[Month(2024, 11)])
    assert rebased.warnings == (
        "The limits from Jan 24 rest on 10 points; MDC advises at least 12",
        "The limits from Nov 24 rest on 6 points; MDC advises at least 12",
    )


def test_last_point_ghosted_uses_the_previous_one() -> None:
    series = _months([10.0, 12.0] * 7 + [11.0, 40.0])
    result = analyse(series, Improvement.UP, ghosted=[Month(2025, 4)])
    assert result.last_point is not None and result.last_point.period == Month(2025, 3)
    assert result.reason == "Common cause: no rule fires on the last point (Mar 25)"


def test_format_value_is_used_in_reasons() -> None:
    series = _months([10.0, 12.0] * 7 + [20.0])
    result = analyse(series, Improvement.UP, 15.0, format_value=lambda v: f"{v:.1f}%")
    assert (
        result.reason == "Special cause improvement: Mar 25 (20.0%) is above the upper limit 18.1%"
    )
    assert result.assurance_reason.startswith("Hit and miss: the target 15.0% lies between")


def test_single_point_partition_has_no_limits() -> None:
    series = _months([10.0, 12.0] * 8)
    result = analyse(series, Improvement.UP, 11.0, rebase_at=[Month(2025, 4)])
    last = result.points[-1]
    assert last.partition == 1 and last.centre == 12.0 and last.upl is None
    assert result.assurance is Assurance.NONE


# --- properties -----------------------------------------------------------------------

# Whole numbers: sums and shifts by whole constants are exact, so flags at ties are stable.
values = st.lists(st.integers(-1000, 1000).map(float), min_size=15, max_size=30)
directions = st.sampled_from([Improvement.UP, Improvement.DOWN])
centres = st.sampled_from(["mean", "median"])
SWAP = {
    Variation.IMPROVEMENT_HIGH: Variation.CONCERN_HIGH,
    Variation.CONCERN_HIGH: Variation.IMPROVEMENT_HIGH,
    Variation.IMPROVEMENT_LOW: Variation.CONCERN_LOW,
    Variation.CONCERN_LOW: Variation.IMPROVEMENT_LOW,
    Variation.COMMON_CAUSE: Variation.COMMON_CAUSE,
}


def _flags(result: SpcResult) -> list[tuple[str | None, tuple[str, ...], bool]]:
    return [(p.special, p.rules, p.conflict) for p in result.points]


@settings(max_examples=60, deadline=None)
@given(values, directions, centres)
def test_limits_symmetric_about_centre(xs: list[float], imp: Improvement, centre: str) -> None:
    result = analyse(_months(xs), imp, rules=SpcRules(centre=centre))
    for p in result.points:
        assert p.centre is not None
        assert p.upl is not None and p.lpl is not None
        assert p.upper_2s is not None and p.lower_2s is not None
        assert p.upper_1s is not None and p.lower_1s is not None
        half = p.upl - p.centre
        assert half >= 0
        assert p.centre - p.lpl == pytest.approx(half, abs=1e-9)
        assert p.upper_2s - p.centre == pytest.approx(half * 2 / 3, abs=1e-9)
        assert p.centre - p.lower_2s == pytest.approx(half * 2 / 3, abs=1e-9)
        assert p.upper_1s - p.centre == pytest.approx(half / 3, abs=1e-9)
        assert p.centre - p.lower_1s == pytest.approx(half / 3, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(values)
def test_reversing_improvement_swaps_improvement_and_concern(xs: list[float]) -> None:
    up = analyse(_months(xs), Improvement.UP)
    down = analyse(_months(xs), Improvement.DOWN)
    neither = analyse(_months(xs), Improvement.NEITHER)
    for a, b, n in zip(up.points, down.points, neither.points, strict=True):
        assert a.rules == b.rules == n.rules
        assert a.conflict == b.conflict
        if a.conflict:  # both improvement and concern: improvement wins either way
            assert a.special == b.special == "improvement"
        else:
            swap = {"improvement": "concern", "concern": "improvement", None: None}
            assert b.special == swap[a.special]
        # the side of a non-conflict point is the same whichever way is better
        side = {"improvement": "neither_high", "concern": "neither_low", None: None}
        if not a.conflict:
            assert n.special == side[a.special]
    last = up.last_point
    assert last is not None
    if not last.conflict:
        assert down.variation is SWAP[up.variation]
        assert up.variation.value.endswith(neither.variation.value.split("_")[-1]) or (
            up.variation is neither.variation is Variation.COMMON_CAUSE
        )


@settings(max_examples=60, deadline=None)
@given(values, directions, st.integers(-10_000, 10_000), st.integers(-50, 50))
def test_adding_a_constant_shifts_lines_and_keeps_flags(
    xs: list[float], imp: Improvement, c: int, t: int
) -> None:
    target = xs[0] + t  # a whole number, so ties with a limit survive the shift
    base = analyse(_months(xs), imp, target)
    moved = analyse(_months([x + c for x in xs]), imp, target + c)
    assert _flags(moved) == _flags(base)
    assert (moved.variation, moved.assurance) == (base.variation, base.assurance)
    for a, b in zip(base.points, moved.points, strict=True):
        for key in ("centre", "upl", "lpl", "upper_2s", "lower_2s", "upper_1s", "lower_1s"):
            assert getattr(b, key) == pytest.approx(getattr(a, key) + c, abs=1e-6), key


@settings(max_examples=60, deadline=None)
@given(values, directions, centres, st.integers(1, 1000))
def test_scaling_by_a_positive_constant_scales_lines(
    xs: list[float], imp: Improvement, centre: str, k: int
) -> None:
    rules = SpcRules(centre=centre)
    base = analyse(_months(xs), imp, rules=rules)
    scaled = analyse(_months([x * k for x in xs]), imp, rules=rules)
    assert _flags(scaled) == _flags(base)
    assert scaled.variation is base.variation
    for a, b in zip(base.points, scaled.points, strict=True):
        for key in ("centre", "upl", "lpl", "upper_2s", "lower_2s"):
            assert getattr(b, key) == pytest.approx(getattr(a, key) * k, rel=1e-9, abs=1e-9)


# --- exact arithmetic -----------------------------------------------------------------

finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(finite)
def test_a_value_is_the_decimal_it_prints_as(v: float) -> None:
    digits, exponent = decimal(v)
    assert Fraction(digits) * Fraction(10) ** exponent == Fraction(repr(v))


decimals = st.lists(
    st.one_of(
        st.integers(-(10**6), 10**6).map(lambda n: n / 100),
        st.integers(0, 10_000).map(lambda n: n / 10_000),
        st.sampled_from([0.1, 0.2, 0.3, 1 / 3, 2 / 3, 1e-7, 1e12]),
    ),
    min_size=15,
    max_size=30,
)


@settings(max_examples=100, deadline=None)
@given(decimals, centres)
def test_lines_and_flags_match_exact_fractions(xs: list[float], centre: str) -> None:
    """The lines, moving ranges and the beyond-a-limit rule, worked out independently with
    exact fractions of the printed values, agree with analyse's integer arithmetic."""
    exact = [Fraction(repr(x)) for x in xs]
    moving = [abs(b - a) for a, b in itertools.pairwise(exact)]
    ordered = sorted(exact)
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    middle = sum(exact, Fraction(0)) / len(exact) if centre == "mean" else median
    half = Fraction(266, 100) * sum(moving, Fraction(0)) / len(moving)
    result = analyse(_months(xs), Improvement.UP, rules=SpcRules(centre=centre))
    for k, (p, x) in enumerate(zip(result.points, exact, strict=True)):
        assert p.centre == float(middle)
        assert (p.upl, p.lpl) == (float(middle + half), float(middle - half))
        two = half * 2 / 3
        assert (p.upper_2s, p.lower_2s) == (float(middle + two), float(middle - two))
        assert p.moving_range == (None if k == 0 else float(moving[k - 1]))
        assert ("beyond_limits" in p.rules) == (x > middle + half or x < middle - half)
