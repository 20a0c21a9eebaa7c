"""The risk register's vocabulary: bands, risks, and the register a board shows. Pure data.

Nothing here imports `scorecard.model` (which carries these on a Scorecard): a band's
colour is named by a rating's words ("Red", "Amber") and turned into a fill by renderers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from scorecard.periods import Month

SCALE = range(1, 6)  # likelihood and impact are each scored 1 to 5
SCORES = tuple(sorted({lk * im for lk in SCALE for im in SCALE}))  # what a product can be


@dataclass(frozen=True)
class RiskBand:
    """Scores `low` to `high` (likelihood x impact, inclusive) make a risk this band."""

    name: str  # "Extreme"
    low: int
    high: int
    colour: str  # a rating's words: Green, Amber/Green, Amber, Amber/Red or Red

    def holds(self, score: int) -> bool:
        return self.low <= score <= self.high


@dataclass(frozen=True)
class RiskSpec:
    """A definition's `[risks]` table: where the register's files are, and its bands."""

    folder: Path  # the folder of one file per month
    label: str  # the folder as the definition names it, for messages
    sheet: str | None  # the sheet of an .xlsx file to read (None: the first)
    bands: tuple[RiskBand, ...]  # highest first

    def band(self, score: int) -> RiskBand:
        return next(b for b in self.bands if b.holds(score))


@dataclass(frozen=True)
class Risk:
    """One line of a risk register file, validated."""

    id: str
    title: str
    domain: str | None  # the board domain's name, when the risk is linked to one
    owner: str
    likelihood: int
    impact: int
    target_likelihood: int
    target_impact: int
    controls: str
    actions: str
    review: dt.date | None
    row: int  # its row in the file (the header is row 1)

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def target_score(self) -> int:
        return self.target_likelihood * self.target_impact


class Movement(StrEnum):
    """How a risk's current score moved since the register before."""

    UP = "up"  # a higher score: worse
    DOWN = "down"
    SAME = "same"
    NEW = "new"  # not in the register before


@dataclass(frozen=True)
class RatedRisk:
    """A risk with its bands and its movement (None: there is no register before)."""

    risk: Risk
    band: RiskBand
    target_band: RiskBand
    movement: Movement | None
    previous_score: int | None  # its score in the register before, when it was there


@dataclass(frozen=True)
class RiskRegister:
    """The register a board shows: the latest file up to the board's month."""

    file: str  # as messages name it: "scorecards/trust-board/risks/2025-09.csv"
    sha256: str
    period: Month  # the month the file is for
    previous_file: str | None  # the file before, movement is measured against
    previous_sha256: str | None
    previous_period: Month | None
    risks: tuple[RatedRisk, ...]  # by current score, highest first, then id
    closed: tuple[Risk, ...]  # in the register before, not in this one
    bands: tuple[RiskBand, ...]  # highest first
    heat: tuple[tuple[int, ...], ...]  # risks by likelihood (5 first) and impact (1 first)
