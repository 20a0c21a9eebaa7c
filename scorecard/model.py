"""The project's vocabulary: enums and frozen dataclasses shared by every stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum
from pathlib import Path

from scorecard.periods import Month
from scorecard.risks.types import RatedRisk, RiskRegister, RiskSpec
from scorecard.spc.result import SpcResult

ENGLAND = "ENG"


class Direction(StrEnum):
    """Which way is better."""

    HIGHER = "higher"
    LOWER = "lower"


class Unit(StrEnum):
    """What a value means; stated once per indicator."""

    PERCENT = "percent"  # 0-100, from numerator / denominator x 100
    COUNT = "count"  # a whole number of patients or events, summed over the window
    SECONDS = "seconds"
    WEEKS = "weeks"  # a wait as published (an RTT median or centile), shown as `13.9 weeks`


class OverTime(StrEnum):
    """How months combine into a quarter or year."""

    SUM = "sum"  # activity in the month (attendances, breaches): windows add months up
    LATEST = "latest"  # a month-end position (a waiting list): windows show the latest month
    NONE = "none"  # cannot be combined at all (a 90th centile): only each organisation's
    # published month; no quarter, year to date or roll-up is computed
    MEAN = "mean"  # a percentage entered as a percentage (no counts): a quarter or year is
    # the plain average of its periods' values, stated as such, unless the local file gives
    # the window's own figure


class Frequency(StrEnum):
    """How often an indicator has a figure; each figure is stored at its period's last month."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"  # NHS financial quarters (Q1 = April to June)
    ANNUAL = "annual"  # NHS financial years (April to March)


class Rollup(StrEnum):
    """How an ICB's, a region's or England's figure is found (`rollup = ...`)."""

    SUM = "sum"  # the organisations below add up, unless a figure is published for the level
    PUBLISHED = "published"  # only the figure NHS England publishes for that organisation
    # itself (a region's or England's row); never rebuilt from the organisations below


class Level(Enum):
    """How far up the hierarchy an organisation sits."""

    ORGANISATION = "organisation"  # a provider, commissioner or other reporting body
    ICB = "ICB"
    REGION = "region"
    ENGLAND = "England"


ALL_LEVELS = frozenset(Level)


class Window(StrEnum):
    """The span of months a value covers, ending at the rated month."""

    MONTH = "month"
    QUARTER = "quarter"  # financial quarter to date
    YTD = "ytd"  # financial year to date (from April)


class Scheme(StrEnum):
    """How an indicator is rated; declared per indicator (`rating = ...`)."""

    STANDARD = "standard"  # standard and lower threshold (thresholds.toml): Green/Amber/Red
    PLAN = "plan"  # against the plan figure with a tolerance: Green/Amber/Red
    FOUR_BAND = "four_band"  # three cut points (thresholds.toml): Green ... Amber/Red ... Red
    YES_NO = "yes_no"  # an assurance question: Green when the answer is the one expected
    NONE = "none"  # monitored, never rated


class Rating(StrEnum):
    GREEN = "Green"
    AMBER_GREEN = "Amber/Green"  # four-band scheme only
    AMBER = "Amber"
    AMBER_RED = "Amber/Red"  # four-band scheme only
    RED = "Red"
    NOT_RATED = "Not rated"  # no standard in force for the period
    NO_DATA = "No data"
    NOT_AVAILABLE = "Not available"  # cannot be computed for this window (a centile's quarter)


@dataclass(frozen=True)
class Term:
    """One signed measure in a numerator or denominator formula."""

    sign: int  # +1 or -1
    measure: str


@dataclass(frozen=True)
class Formula:
    """A sum of signed measures, e.g. `ae_att_type1 - ae_over4h_type1`."""

    terms: tuple[Term, ...]

    def measures(self) -> tuple[str, ...]:
        return tuple(t.measure for t in self.terms)

    def __str__(self) -> str:
        text = ""
        for i, t in enumerate(self.terms):
            if i == 0:
                text = t.measure if t.sign > 0 else f"-{t.measure}"
            else:
                text += f" {'+' if t.sign > 0 else '-'} {t.measure}"
        return text


@dataclass(frozen=True)
class Indicator:
    """One indicator definition from indicators/*.toml."""

    id: str
    name: str
    family: str  # the dataset its measures come from, e.g. "ae"
    unit: Unit
    direction: Direction
    numerator: Formula
    denominator: Formula | None  # None for counts
    basis: str  # how it is computed, in words, including the published basis decided
    description: str = ""
    over_time: OverTime = OverTime.SUM
    scheme: Scheme = Scheme.STANDARD
    plan: Formula | None = None  # Scheme.PLAN: the plan figure, over the same window
    tolerance_pct: float | None = None  # Scheme.PLAN: Amber within this % of the plan
    expected: bool | None = None  # Scheme.YES_NO: the answer that is Green (yes = 1)
    spc_rebase: tuple[Month, ...] = ()  # SPC: months that start new limits (a declared change)
    spc_ghost: tuple[Month, ...] = ()  # SPC: months left out of the limits and rules
    rollup: Rollup = Rollup.SUM  # how levels above an organisation get their figure
    levels: frozenset[Level] = ALL_LEVELS  # the levels at which the indicator exists
    breakdowns: tuple[str, ...] = ()  # drill-down dimensions (scorecard.dimensions)
    # Default peers (scorecard.benchmark.peers): only organisations with this measure above
    # 0 in the month (an A&E indicator: providers with a type 1 department).
    peer_measure: str | None = None
    frequency: Frequency = Frequency.MONTHLY  # one figure a month, quarter or year

    def is_ratio(self) -> bool:
        return self.denominator is not None


@dataclass(frozen=True)
class Standard:
    """A standard and lower threshold in force from `start` to `end` (inclusive; None = open).

    For a lower-is-better indicator the lower threshold is the worse (numerically higher) cut.
    """

    indicator_id: str
    start: Month
    end: Month | None
    standard: float
    lower_threshold: float | None  # None: no Amber band (Green or Red)
    basis: str  # e.g. "NHS Constitution 95%; lower threshold 2025/26 planning target 78%"
    source: str
    # Scheme.FOUR_BAND: the Green, Amber/Green and Amber/Red cuts, best first; `standard` is
    # the first and `lower_threshold` the last, so tables show them like any other standard.
    cuts: tuple[float, float, float] | None = None

    def in_force(self, period: Month) -> bool:
        return self.start <= period and (self.end is None or period <= self.end)


@dataclass(frozen=True)
class Value:
    """An indicator's value for one organisation over one window ending at `period`."""

    indicator_id: str
    org_code: str
    period: Month
    window: Window
    numerator: float | None
    denominator: float | None
    value: float | None  # percent 0-100 for ratios, the count for counts
    months: int  # months in the window that had data
    first: Month | None = None  # first month of the window
    plan: float | None = None  # Scheme.PLAN: the plan figure for the same window
    # OverTime.MEAN: how the window's figure was found, when not from counts: "mean" (the
    # average of its periods' values) or "own" (the local file's own figure for the window).
    how: str = ""


@dataclass(frozen=True)
class RatingResult:
    rating: Rating
    rule: str  # plain English: which comparison produced the rating
    standard: Standard | None


@dataclass(frozen=True)
class Cell:
    """One window's value and its rating."""

    value: Value
    rating: RatingResult


@dataclass(frozen=True)
class Row:
    """One scorecard row: an indicator for the organisation monitored, at one period."""

    indicator: Indicator
    org_code: str
    org_name: str
    period: Month
    month: Cell
    quarter: Cell
    ytd: Cell
    history: tuple[tuple[Month, float | None], ...] = ()  # month values, oldest first
    previous: Rating | None = None  # the month before's rating, for "worsened"
    comment: str | None = None  # the analyst's commentary for this row and month
    exception: str | None = None  # why the row is in the exception report, if it is
    caveats: tuple[str, ...] = ()  # data caveats, shown as the row's footnotes
    spc: SpcResult | None = None  # Making Data Count variation and assurance, if computed
    standing: str | None = None  # among its peers, when the board asks: "87th of 121, Q4"
    rated_by: Window = Window.MONTH  # the window whose rating rates the row (`rate_by`)

    @property
    def standard(self) -> Standard | None:
        return self.month.rating.standard

    @property
    def rated(self) -> Cell:
        """The cell that rates the row: its domain's count, the exception report."""
        return self.cell(self.rated_by)

    def cell(self, window: Window) -> Cell:
        """The row's cell for one window."""
        return {Window.MONTH: self.month, Window.QUARTER: self.quarter, Window.YTD: self.ytd}[
            window
        ]


class DomainRule(StrEnum):
    """How a domain's rows give the domain its rating."""

    WORST = "worst"  # the worst rated row
    MAJORITY = "majority"  # the most common rating among rated rows (a tie: the worse)


SELF = "self"  # in a scorecard definition: the organisation the scorecard is for


@dataclass(frozen=True)
class RowSpec:
    """A row of a scorecard definition: an indicator and the organisation it monitors."""

    indicator_id: str
    org: str  # an organisation code, or SELF
    key: str  # where it is defined, for messages, e.g. "domains[2].rows[1]"
    part: tuple[str, str] | None = None  # one part of a drill-down: (dimension, key)
    drill: str | None = None  # a dimension whose largest parts are listed under the row
    drill_top: int = 5


@dataclass(frozen=True)
class DomainSpec:
    name: str
    rows: tuple[RowSpec, ...]
    rule: DomainRule
    red_if_red: tuple[str, ...] = ()  # flagged indicators: any Red one makes the domain Red
    id: str | None = None  # a short name risk registers and narratives may use ("safe")


@dataclass(frozen=True)
class MatrixSpec:
    """An assurance matrix of a scorecard definition (`[[matrix]]`): questions as rows,
    organisations as columns."""

    title: str
    questions: tuple[str, ...]  # indicator ids
    orgs: tuple[str, ...]  # organisation codes
    key: str  # where it is defined, for messages, e.g. "matrix[1]"


@dataclass(frozen=True)
class PeerGroup:
    """A named group of organisations, from `peers/<name>.csv`."""

    name: str
    file: str  # as messages name it: "peers/shelford.csv"
    codes: tuple[str, ...]
    rows: tuple[int, ...]  # each code's row in the file (the header is row 1)


@dataclass(frozen=True)
class BoardSpec:
    """A scorecard definition from scorecards/*.toml."""

    file: str
    title: str
    audience: str
    org: str  # the organisation the scorecard is for ("self" in its rows)
    windows: tuple[Window, ...]
    domains: tuple[DomainSpec, ...]
    sha256: str = ""  # of the definition file, for the build manifest
    # The ambulance trust the board's ambulance rows monitor when they name no `org`:
    # NHS England publishes ambulance figures for trusts, regions and England, not ICBs.
    ambulance_service: str | None = None
    # Show each row's standing among its peers (`benchmark = true`), among a group of the
    # user's own (`peers = "NAME"`: peers/NAME.csv) or the default peers.
    benchmark: bool = False
    peers: PeerGroup | None = None
    matrices: tuple[MatrixSpec, ...] = ()  # `[[matrix]]`: assurance matrices
    risks: RiskSpec | None = None  # `[risks]`: the risk register's files and bands
    # `narratives`: the domain narrative files, (as the definition names it, where it is)
    narratives: tuple[tuple[str, Path], ...] = ()
    # The window whose ratings give the domains theirs and fill the exception report.
    rate_by: Window = Window.MONTH


@dataclass(frozen=True)
class SourceRef:
    """A file a value came from: its name, SHA-256 and the rows used ("2-4,9")."""

    file: str
    sha256: str
    rows: str = ""  # empty: the layout does not record rows (or a configuration file)
    dataset: str = ""  # the measure family the file was stored as (empty: a config file)
    months: tuple[Month, ...] = ()  # the months of the file the value used, oldest first


@dataclass(frozen=True)
class Domain:
    """A scorecard domain: its rows, a count of them by rating, and its own rating."""

    name: str
    rows: tuple[Row, ...]
    counts: tuple[tuple[Rating, int], ...]  # every rating, in RATING_ORDER, with its count
    rating: Rating
    rule: str  # which rule produced the domain's rating, in words
    narrative: str | None = None  # the domain's self-assessment for the month (Markdown)
    risks: tuple[RatedRisk, ...] = ()  # the register's risks linked to the domain


@dataclass(frozen=True)
class Drill:
    """A row's drill-down: its worst parts for the month, and the published whole."""

    row_name: str  # the row's indicator name
    org_code: str
    org_name: str
    period: Month
    dimension: str  # its title, e.g. "Treatment function (specialty)"
    unit: Unit
    direction: Direction
    parts: tuple[tuple[str, float | None], ...]  # (name, value), worst first
    of: int  # how many parts had a figure
    whole: float | None  # the published total row's value


@dataclass(frozen=True)
class Matrix:
    """An assurance matrix: each question (an indicator) asked of each organisation, every
    cell a rated row at the organisation's latest month with an answer."""

    title: str
    orgs: tuple[tuple[str, str], ...]  # the columns: (code, name)
    rows: tuple[tuple[Row, ...], ...]  # a question's cells, in the order of `orgs`

    def cells(self) -> tuple[Row, ...]:
        return tuple(cell for row in self.rows for cell in row)


@dataclass(frozen=True)
class Scorecard:
    """A finished scorecard: what renderers take. Renderers never compute values."""

    title: str
    org_code: str
    org_name: str
    period: Month
    rows: tuple[Row, ...]
    sources: tuple[str, ...]  # one line per source publication used
    audience: str = ""
    windows: tuple[Window, ...] = (Window.MONTH, Window.QUARTER, Window.YTD)
    domains: tuple[Domain, ...] = ()  # empty: one flat list of rows
    exceptions: tuple[Row, ...] = ()  # Red rows and rows worse than the month before
    # Where each value came from, by (indicator id, organisation, window): see provenance.py.
    provenance: dict[tuple[str, str, Window], tuple[SourceRef, ...]] = field(
        default_factory=dict, compare=False
    )
    config: tuple[SourceRef, ...] = ()  # the definition files read, with their SHA-256
    # Every publication the card's rows read: the figures shown and the months of their
    # trends and Making Data Count series (see provenance.cards_provenance), for the manifest.
    inputs: tuple[SourceRef, ...] = ()
    defined_in: dict[str, str] = field(default_factory=dict, compare=False)  # id -> file
    drills: tuple[Drill, ...] = ()  # drill-down tables shown under the board's rows
    matrices: tuple[Matrix, ...] = ()  # assurance matrices (their Red cells are exceptions)
    risks: RiskRegister | None = None  # the risk register at the month, when declared
    risk_folder: str | None = None  # where the board's register files are, when it has one
    narrated: bool = False  # the board declares domain narratives (say when one is missing)

    def all_rows(self) -> tuple[Row, ...]:
        """Every row whose figures the card shows: its rows, then its matrices' cells."""
        return self.rows + tuple(cell for m in self.matrices for cell in m.cells())

    rate_by: Window = Window.MONTH  # the window that rates rows, domains and exceptions
