"""Pure: NHS Oversight Framework (NOF) 2025/26 metric scores, for the metrics the monthly
files feed.

NHS England scores each provider on each metric from 1.00 (best) to 4.00 (worst) by its
rank among the providers scored on it: `score = round(1 + 3 (r - 1) / (n - 1), 2)`, r the
rank (1 = best, whichever way is better) and n how many are scored. The formula reproduces
NHS England's published scores for several metrics and quarters; it is "worked out from the
published data", not stated. Tied values share the best rank of the tie (inferred from the
league tables). Rounding is half away from zero (inferred). Which trusts are scored follows
the specification only as far as the files allow: scorecard scores the peers it is given
(by default the providers reporting the indicator; name NHS England's own peer set with a
peer group of your own to match it). See the project's NOF notes for sources and
confidence.

The overall NOF average score, segment and league position also need finance, workforce
and quality metrics that are not in these files, so only metric scores are given, labelled
as computed by the published method.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scorecard.benchmark.ranking import standings
from scorecard.formatting import round_half_up
from scorecard.model import Direction, Window

LABEL = (
    "NOF metric score: computed by NHS England's published method (1.00 best to 4.00 worst, "
    "by rank among the peers shown); not NHS England's published score, and not a segment"
)


@dataclass(frozen=True)
class NofMetric:
    """One NOF 2025/26 metric that an indicator of the catalogue feeds."""

    metric_id: str
    indicator_id: str
    window: Window  # the value scored: the month (the quarter's latest) or the quarter
    basis: str  # in words, with how sure it is
    confidence: str  # "stated" (NHS England says so) or "inferred"


METRICS: tuple[NofMetric, ...] = (
    NofMetric(
        "OF0023", "rtt_incomplete_18wk_pct", Window.MONTH,
        "latest month of the quarter; acute trusts (cancer specialist and non-acute "
        "providers excluded by NHS England)", "stated",
    ),
    NofMetric(
        "OF0003", "rtt_52wk_pct", Window.MONTH,
        "latest month of the quarter, as OF0023", "inferred",
    ),
    NofMetric(
        "OF0013", "ae_4hr_all_pct", Window.MONTH,
        "the month (basis not stated); acute trusts", "inferred",
    ),
    NofMetric(
        "OF0010", "cwt_fds_28d_pct", Window.QUARTER,
        "the quarter; acute trusts; provider basis", "inferred",
    ),
    NofMetric(
        "OF0011", "cwt_62d_combined_pct", Window.QUARTER,
        "probably the quarter; acute trusts; provider basis", "inferred",
    ),
    NofMetric(
        "OF0017", "amb_c2_mean", Window.MONTH,
        "the month (basis not stated); ambulance trusts", "inferred",
    ),
)  # fmt: skip
BY_INDICATOR: Mapping[str, NofMetric] = {m.indicator_id: m for m in METRICS}


def metric_scores(values: Mapping[str, float], direction: Direction) -> dict[str, float]:
    """Each organisation's metric score among all of `values` (one peer: 1.00)."""
    n = len(values)
    if n == 1:
        return dict.fromkeys(values, 1.0)
    ranked = standings(values, direction)
    return {
        code: float(round_half_up(1 + 3 * (s.rank - 1) / (n - 1), 2)) for code, s in ranked.items()
    }
