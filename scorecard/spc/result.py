"""What an SPC analysis gives back: the rule settings, each point, and the chart's icons.

Plain data, importing nothing from the rest of scorecard but the icons' vocabulary, so the
project's model can hold a result without importing the analysis.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from scorecard.periods import Month
from scorecard.spc.icons import Assurance, Variation


@dataclass(frozen=True)
class SpcRules:
    """Rule settings, MDC defaults. ``centre="median"``: median centre line, mean-MR limits."""

    shift: int = 7
    trend: int = 7
    min_points: int = 15
    centre: str = "mean"
    conflict: str = "improvement"  # which wins when a point is both: "improvement" or "concern"

    def __post_init__(self) -> None:
        if self.shift < 2 or self.trend < 2:
            raise ValueError(f"shift and trend need at least 2 points: {self.shift}, {self.trend}")
        if self.min_points < 2:
            raise ValueError(f"min_points must be at least 2, got {self.min_points}")
        if self.centre not in ("mean", "median"):
            raise ValueError(f"centre must be 'mean' or 'median', got '{self.centre}'")
        if self.conflict not in ("improvement", "concern"):
            raise ValueError(f"conflict must be 'improvement' or 'concern', got '{self.conflict}'")


@dataclass(frozen=True, init=False)
class SpcPoint:
    """One month of the chart, with its partition's lines and any special cause.

    Its `__init__` is written out: the one dataclass writes for a frozen class sets each of
    the 15 fields through `object.__setattr__`, four times the cost of the rest of a point's
    analysis (a national build makes about 300,000 points)."""

    period: Month
    value: float | None
    partition: int
    ghosted: bool
    centre: float | None
    upl: float | None
    lpl: float | None
    upper_2s: float | None
    lower_2s: float | None
    upper_1s: float | None
    lower_1s: float | None
    special: str | None  # None, "improvement", "concern", "neither_high", "neither_low"
    rules: tuple[str, ...]  # which rules flagged it, in RULE_ORDER
    moving_range: float | None = None  # from the previous usable point of the partition
    conflict: bool = False  # flagged as both improvement and concern (see SpcRules.conflict)

    def __init__(
        self,
        period: Month,
        value: float | None,
        partition: int,
        ghosted: bool,
        centre: float | None,
        upl: float | None,
        lpl: float | None,
        upper_2s: float | None,
        lower_2s: float | None,
        upper_1s: float | None,
        lower_1s: float | None,
        special: str | None,
        rules: tuple[str, ...],
        moving_range: float | None = None,
        conflict: bool = False,
    ) -> None:
        self.__dict__.update(
            period=period,
            value=value,
            partition=partition,
            ghosted=ghosted,
            centre=centre,
            upl=upl,
            lpl=lpl,
            upper_2s=upper_2s,
            lower_2s=lower_2s,
            upper_1s=upper_1s,
            lower_1s=lower_1s,
            special=special,
            rules=rules,
            moving_range=moving_range,
            conflict=conflict,
        )


@dataclass(frozen=True, eq=False)
class SpcResult:
    """The chart's points, the two icons and why.

    The points are made when first asked for, by `make_points` (the analysis' own working,
    kept): a scorecard shows only the icons and the reasons, and a national batch analyses
    over 10,000 series, so only a chart or `scorecard explain` pays for them. Two results
    are equal when their points, icons and words are."""

    make_points: Callable[[], tuple[SpcPoint, ...]] = field(repr=False)
    variation: Variation
    assurance: Assurance
    reason: str
    assurance_reason: str
    target: float | None
    warnings: tuple[str, ...] = field(default=())  # e.g. a partition shorter than 12 points

    @cached_property
    def points(self) -> tuple[SpcPoint, ...]:
        """Every point of the chart, in month order."""
        return self.make_points()

    def _key(self) -> tuple[object, ...]:
        return (
            self.variation,
            self.assurance,
            self.reason,
            self.assurance_reason,
            self.target,
            self.warnings,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SpcResult):
            return NotImplemented
        return self._key() == other._key() and self.points == other.points

    def __hash__(self) -> int:
        return hash(self._key())

    @property
    def last_point(self) -> SpcPoint | None:
        """The point the icons are for: the last one neither ghosted nor missing."""
        usable = [p for p in self.points if p.value is not None and not p.ghosted]
        return usable[-1] if usable else None
