"""Ranks, quartiles and spreads against hand-worked examples and a plain recomputation."""

from __future__ import annotations

import random
import statistics

import pytest

from scorecard.benchmark.nof import METRICS, metric_scores
from scorecard.benchmark.ranking import (
    Standing,
    ordinal,
    quantile,
    rank_text,
    spread,
    standings,
)
from scorecard.model import Direction


def test_higher_is_better_ranks_the_largest_first_and_ties_share_the_best_rank() -> None:
    got = standings({"A": 90.0, "B": 80.0, "C": 80.0, "D": 70.0}, Direction.HIGHER)
    assert got == {
        "A": Standing(1, False, 4, 1),
        "B": Standing(2, True, 4, 2),
        "C": Standing(2, True, 4, 2),
        "D": Standing(4, False, 4, 4),
    }
    assert rank_text(got["B"]) == "joint 2nd of 4"
    assert rank_text(got["D"]) == "4th of 4"


def test_lower_is_better_ranks_the_smallest_first() -> None:
    got = standings({"A": 3.0, "B": 1.0, "C": 2.0}, Direction.LOWER)
    assert [got[c].rank for c in "ABC"] == [3, 1, 2]


def test_quartiles_split_121_peers_into_quarters_by_rank() -> None:
    values = {f"T{i:03}": float(i) for i in range(121)}
    got = standings(values, Direction.HIGHER)
    sizes = [sum(1 for s in got.values() if s.quartile == q) for q in (1, 2, 3, 4)]
    assert sizes == [31, 30, 30, 30]
    assert got["T120"].quartile == 1 and got["T000"].quartile == 4
    assert rank_text(got["T034"]) == "87th of 121"


def test_a_single_peer_is_first_of_one() -> None:
    assert standings({"A": 5.0}, Direction.LOWER) == {"A": Standing(1, False, 1, 1)}


def test_spread_is_type_7_as_r_numpy_and_excel_quartile_inc() -> None:
    # R: quantile(c(1, 2, 3, 4, 10), c(.25, .5, .75)) -> 2, 3, 4
    s = spread([10.0, 1.0, 3.0, 2.0, 4.0])
    assert (s.lower, s.median, s.upper) == (2.0, 3.0, 4.0)
    # R: quantile(c(1, 2, 3, 4), c(.25, .75)) -> 1.75, 3.25
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.25) == 1.75
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.75) == 3.25


def test_spread_agrees_with_the_standard_library_inclusive_method() -> None:
    rng = random.Random(7)
    for _ in range(200):
        xs = [rng.uniform(0, 100) for _ in range(rng.randint(2, 60))]
        lq, med, uq = statistics.quantiles(xs, n=4, method="inclusive")
        s = spread(xs)
        assert (s.lower, s.median, s.upper) == pytest.approx((lq, med, uq))


def test_ranks_agree_with_a_plain_recount() -> None:
    rng = random.Random(11)
    for _ in range(100):
        values = {f"O{i}": float(rng.randint(0, 20)) for i in range(rng.randint(1, 40))}
        for direction in Direction:
            got = standings(values, direction)
            for code, v in values.items():
                better = sum(
                    1
                    for w in values.values()
                    if (w > v if direction is Direction.HIGHER else w < v)
                )
                assert got[code].rank == better + 1
                assert got[code].joint == (list(values.values()).count(v) > 1)


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
     (13, "13th"), (21, "21st"), (22, "22nd"), (101, "101st"), (111, "111th"), (112, "112th")],
)  # fmt: skip
def test_ordinals(n: int, text: str) -> None:
    assert ordinal(n) == text


# --- NOF metric scores -------------------------------------------------------------------


def test_nof_scores_run_from_one_for_the_best_to_four_for_the_worst() -> None:
    got = metric_scores({"A": 90.0, "B": 80.0, "C": 70.0, "D": 60.0}, Direction.HIGHER)
    assert got == {"A": 1.0, "B": 2.0, "C": 3.0, "D": 4.0}


def test_nof_scores_round_to_two_places_and_ties_share_the_better_score() -> None:
    values = {f"T{i}": float(i) for i in range(7)}  # n = 7: steps of 0.5
    values["T7"] = 3.0  # ties T3
    got = metric_scores(values, Direction.LOWER)
    # n = 8: r = 4 for both 3.0s -> 1 + 3 * 3 / 7 = 2.2857 -> 2.29
    assert got["T3"] == got["T7"] == 2.29
    assert got["T0"] == 1.0 and got["T6"] == 4.0
    assert got["T4"] == 3.14  # r = 6 (the tie skips rank 5): 1 + 3 * 5 / 7 = 3.142...
    assert got["T5"] == 3.57  # r = 7: 3.571...


def test_a_single_peer_scores_one() -> None:
    assert metric_scores({"A": 5.0}, Direction.HIGHER) == {"A": 1.0}


def test_every_nof_metric_names_an_indicator_of_the_catalogue() -> None:
    from pathlib import Path

    from scorecard.definitions import load_catalogue

    cat = load_catalogue(Path(__file__).resolve().parent.parent)
    assert {m.indicator_id for m in METRICS} <= set(cat.indicators)
