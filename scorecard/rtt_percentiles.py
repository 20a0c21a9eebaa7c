"""RTT waiting-time centiles (the median, the 92nd and 95th percentiles) from weekly bands.

NHS England publishes RTT waits as counts of pathways in weekly bands: `>0-1`, `>1-2`, ...
up to an open-ended band (`52 plus` in the workbooks to about 2016, `104 plus` or the Full
CSV's `Gt 104 Weeks SUM 1` later). Its workbooks also print each row's median ("Average
(median) waiting time (in weeks)") and a high percentile (the 95th until the 2010s, the 92nd
for incomplete pathways since), "calculated from aggregate data, rather than patient level
data, and therefore ... only estimates", and "not calculated for organisations (and treatment
functions) with fewer than 50 pathways in the month" (the Notes sheet of the March 2015
commissioner workbook). The workbooks' Guidance sheet defines the figures ("the time that
95% of patients waited less than") but not the arithmetic, and no published statement of it
was found; the rule below is the one that reproduces every figure printed in the real files
(tests/test_real_rtt_percentiles.py):

* Band k holds the pathways waiting more than k and at most k + 1 weeks, n_k of them, taken
  as spread evenly across the week (linear interpolation within the band). N is the
  pathways in all the bands (for completed pathways, those with a known clock start).
* The p-th percentile sits at rank r = p x N. It falls in the first band whose cumulative
  count C_k reaches r, at k + (r - C_(k-1)) / n_k weeks.
* A rank that falls in the open-ended band gives that band's lower bound (52 or 104 weeks:
  "at least"); the overview time series prints such a value as `52+`.
* Conventions that changed between the files read (the rule above is otherwise the same):

  - March 2015 (the workbooks with a `52 plus` band): the median's rank is (N + 1) / 2, not
    N / 2; no centile below 50 pathways. The 92nd and 95th percentiles use p x N.
  - September 2025 (the workbooks with a `104 plus` band, and the Full CSV): every rank is
    p x N; no centile below 20 pathways (every `-` in that file has fewer than 20, every
    printed figure 20 or more).

  When the convention changed between those months is not known; scorecard applies the
  March 2015 one to files with the `52 plus` band and the September 2025 one to the others.

A centile cannot be added up over organisations or months; see scorecard.measures.NON_ADDITIVE.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MEDIAN = 0.5
P92 = 0.92


@dataclass(frozen=True)
class Convention:
    """How NHS England computed its centiles from the bands in a given era."""

    name: str
    minimum: int  # fewest pathways a centile is calculated for
    median_rank_offset: float  # added to p x N for the median: 0.5 gives (N + 1) / 2

    def offset(self, fraction: float) -> float:
        """What is added to `fraction` x N for the rank of the `fraction` percentile."""
        return self.median_rank_offset if fraction == MEDIAN else 0.0

    def rank(self, fraction: float, total: float) -> float:
        """The rank (in pathways, from the shortest wait) of the `fraction` percentile."""
        return fraction * total + self.offset(fraction)


MARCH_2015 = Convention("March 2015 (52-week bands)", minimum=50, median_rank_offset=0.5)
SEPTEMBER_2025 = Convention("September 2025 (104-week bands)", minimum=20, median_rank_offset=0.0)


def convention_for(open_band: int) -> Convention:
    """The convention of a layout whose open-ended band starts at `open_band` weeks."""
    return MARCH_2015 if open_band <= 52 else SEPTEMBER_2025


def weeks_at(
    bands: Sequence[float], fraction: float, convention: Convention = SEPTEMBER_2025
) -> float | None:
    """The `fraction` percentile (0.5 for the median) of the waits in weekly `bands`.

    `bands[k]` counts the pathways waiting more than k and at most k + 1 weeks; the last band
    is open-ended (more than len(bands) - 1 weeks). None when there are fewer pathways than
    the convention's minimum (or none at all).
    """
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"expected a fraction between 0 and 1, got {fraction!r}")
    total = float(sum(bands))
    if total <= 0 or total < convention.minimum:
        return None
    rank = convention.rank(fraction, total)
    before = 0.0
    last = len(bands) - 1
    for week, count in enumerate(bands):
        if count > 0 and before + count >= rank:
            if week == last:
                return float(week)  # in the open-ended band: at least its lower bound
            return week + (rank - before) / count
        before += count
    return float(last)  # rounding left the rank past the last pathway: the open band


def median_and_p92(
    bands: Sequence[float], convention: Convention = SEPTEMBER_2025
) -> tuple[float | None, float | None]:
    """The median and the 92nd percentile of the waits in `bands`, in weeks."""
    return weeks_at(bands, MEDIAN, convention), weeks_at(bands, P92, convention)
