"""Plausibility bounds: what a stored figure and its month can be, declared once for every layout.

A file can pass its layout's checks and still hold figures no organisation could have: 10^30
attendances written out as digits (with a TOTAL row that agrees), a title that says 2099, a
part larger than its total in a layout that publishes both. Every extract is held to these
bounds before anything is stored; each figure out of bounds is one Problem naming the file,
the row it came from, the measure, the value and the bound.

* Counts (attendances, pathways, people treated, incidents) are whole numbers (halves for
  cancer waiting times, where a treatment shared between two organisations counts 0.5 to
  each), not negative, and at most COUNT_CEILING for one organisation and month.
* Response times (a published mean or centile) are 0 to SECONDS_CEILING seconds; a total of
  response times is at most SECONDS_CEILING per incident it adds up.
* Waits in weeks (a published median or centile, `..._wk`) are 0 to WEEKS_CEILING weeks.
* A part is no more than its whole (PARTS), wherever both are stored.
* A month is no earlier than its publication series began (SERIES_START) and no later than the
  month the check runs in (`today`, passed in: the clock never reaches a build's outputs).
Percentages are checked where they are published (0 to 100, or fractions 0 to 1) and, for the
organisation's own returns, against the catalogue (scorecard.check). Pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

import polars as pl

from scorecard.errors import Problem
from scorecard.measures import LOCAL, MEASURES
from scorecard.periods import Month
from scorecard.sources.extract import Extract
from scorecard.sources.text import ROW

COUNT_CEILING = 100_000_000  # one organisation's month: England's largest count is under 10^7
SECONDS_CEILING = 7 * 24 * 60 * 60  # a response time of more than a week is not a response time
WEEKS_CEILING = 52 * 20  # a referral-to-treatment wait of more than 20 years is not one
PERCENT_RANGE = (0.0, 100.0)


class Kind(StrEnum):
    """What a stored measure is, for its bounds."""

    COUNT = "count"  # a whole number of people or events
    HALVES = "halves"  # a count in halves (cancer waiting times)
    SECONDS = "seconds"  # a response time as published (a centile)
    SECONDS_TOTAL = "seconds_total"  # response times added up over incidents
    WEEKS = "weeks"  # a wait in weeks as published (a median or centile)


@dataclass(frozen=True)
class SeriesStart:
    """The first month of a publication series, and the sentence that says so."""

    month: Month
    says: str


NHS_BEGAN = SeriesStart(Month(1948, 7), "the NHS began in July 1948")
SERIES_START: Mapping[str, SeriesStart] = {
    "ae": SeriesStart(Month(2010, 8), "NHS England's monthly A&E series begins in August 2010"),
    "rtt": SeriesStart(Month(2007, 3), "monthly RTT statistics begin in March 2007"),
    "dm01": SeriesStart(Month(2006, 1), "the monthly diagnostics (DM01) series begins in "
                        "January 2006"),
    "cwt": SeriesStart(Month(2008, 1), "cancer waiting times statistics begin in 2008"),
    "ambsys": SeriesStart(Month(2017, 8), "AmbSYS response categories 1-4 begin in August 2017"),
    LOCAL: NHS_BEGAN,
    "commentary": NHS_BEGAN,
}  # fmt: skip

# The column each layout reads its months from; layouts not named take the month from
# --period, a workbook sheet's title block or the file name.
PERIOD_COLUMNS: Mapping[str, str] = {
    "ae_monthly_csv": "Period",
    "rtt_full_csv": "Period",
    "rtt_overview_timeseries": "Month",
    "ambsys_csv": "Year, Month",
    "cwt_provider_extract": "PERIOD",
    "local_measures": "Period",
    "commentary": "Period",
}


def _cwt_parts() -> Iterator[tuple[str, str]]:
    """Each cancer `..._within_Nd` measure within the people it counts (told, seen, treated)."""
    names = MEASURES["cwt"]
    for measure in names:
        if "_within_" not in measure:
            continue
        stem = measure.split("_within_")[0]
        for whole in (stem, f"{stem}_treated", f"{stem}_seen"):
            if whole in names and whole != measure:
                yield measure, whole
                break


_AE_TYPES = ("type1", "type2", "other")
# (part, whole): stored measures of one organisation and month where the part is counted
# within the whole. Checked wherever both are stored, whichever layout they came from.
PARTS: tuple[tuple[str, str], ...] = (
    *((f"ae_over4h_{t}", f"ae_att_{t}") for t in _AE_TYPES),
    *((f"ae_att_booked_{t}", f"ae_att_{t}") for t in _AE_TYPES),
    *((f"ae_over4h_booked_{t}", f"ae_over4h_{t}") for t in _AE_TYPES),
    *((f"ae_over4h_booked_{t}", f"ae_att_booked_{t}") for t in _AE_TYPES),
    ("ae_dta_over12h", "ae_dta_over4h"),
    ("dm01_waiting_6wk_plus", "dm01_waiting_list"),
    ("dm01_waiting_13wk_plus", "dm01_waiting_6wk_plus"),
    ("rtt_incomplete_within_18wk", "rtt_incomplete_total"),
    ("rtt_incomplete_over_52wk", "rtt_incomplete_total"),
    ("rtt_incomplete_over_65wk", "rtt_incomplete_over_52wk"),
    ("rtt_incomplete_over_78wk", "rtt_incomplete_over_65wk"),
    ("rtt_incomplete_over_104wk", "rtt_incomplete_over_78wk"),
    ("rtt_incomplete_over_104wk", "rtt_incomplete_over_52wk"),
    ("rtt_admitted_within_18wk", "rtt_admitted_known"),
    ("rtt_nonadmitted_within_18wk", "rtt_nonadmitted_known"),
    ("rtt_admitted_over_52wk", "rtt_admitted_known"),
    ("rtt_nonadmitted_over_52wk", "rtt_nonadmitted_known"),
    *_cwt_parts(),
)
# A total of response times and the incidents it adds up.
TOTALS_OVER: Mapping[str, str] = {
    **{f"amb_c{c}_total_s": f"amb_c{c}_count" for c in ("1", "1t", "2", "3", "4")},
    "amb_call_answer_total_s": "amb_calls_answered",
}


def kind_of(dataset: str, measure: str) -> Kind | None:
    """The kind of a stored measure of NHS England's; None for the organisation's own."""
    if dataset not in MEASURES or dataset == LOCAL:
        return None
    if measure.endswith("_total_s"):
        return Kind.SECONDS_TOTAL
    if measure.endswith("_s"):
        return Kind.SECONDS
    if measure.endswith("_wk"):
        return Kind.WEEKS
    return Kind.HALVES if dataset == "cwt" else Kind.COUNT


def number(value: float) -> str:
    """A value as a cell would state it: 12, 12.5, and 1e+30 for the absurdly large."""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{value:.0f}"
    return f"{value:g}"


_BOUNDS: Mapping[Kind, tuple[float, float, str]] = {
    # kind: (step, most, what is expected)
    Kind.COUNT: (1.0, COUNT_CEILING, "a whole number"),
    Kind.HALVES: (0.5, COUNT_CEILING, "a whole or half number"),
    Kind.SECONDS: (0.0, SECONDS_CEILING, "a response time in seconds"),
    Kind.SECONDS_TOTAL: (0.0, COUNT_CEILING * SECONDS_CEILING, "a total of seconds"),
    Kind.WEEKS: (0.0, WEEKS_CEILING, "a wait in weeks"),
}
_PER = "for one organisation and month"


class _Rows:
    """Where an organisation's month came from in the file, for messages."""

    def __init__(self, extract: Extract) -> None:
        self.rows: dict[tuple[dt.date, str], str] = {}
        for period, org, rows in extract.orgs.select("period", "org_code", "rows").iter_rows():
            self.rows[(period, org)] = rows or ""

    def at(self, period: dt.date, org: str) -> tuple[int | None, str]:
        """The row (when one) and words naming the organisation and month (and rows, when
        its figures add up several)."""
        rows = self.rows.get((period, org), "")
        who = f"{org} {Month.from_date(period).iso()}"
        if not rows or rows.isdigit():
            return (int(rows) if rows else None), who
        shown = rows if len(rows) <= 40 else rows[:40].rsplit(",", 1)[0] + ",..."
        return None, f"{who}, rows {shown}"


def bounds(extract: Extract) -> list[Problem]:
    """Every stored figure of NHS England's outside its kind's bounds, or above its whole."""
    obs = extract.observations
    if not obs.height or extract.dataset not in MEASURES or extract.dataset == LOCAL:
        return []
    rows = _Rows(extract)
    kinds = {m: kind_of(extract.dataset, m) for m in obs["measure"].unique().to_list()}
    found: list[Problem] = []
    for kind, (step, most, what) in _BOUNDS.items():
        measures = [m for m, k in kinds.items() if k is kind]
        value = pl.col("value")
        bad = value.is_nan() | (value < 0) | (value > most)
        if step:
            bad = bad | ((value / step).round(0) != value / step)
        hit = obs.filter(pl.col("measure").is_in(measures) & bad)
        for period, org, measure, got in hit.iter_rows():
            row, who = rows.at(period, org)
            rule = f"expected {what} from 0 to {most:,.0f} {_PER} ({who})"
            found.append(Problem(extract.file, row, _column(extract, measure), number(got), rule))
    return found + _above_whole(extract, rows)


def _above_whole(extract: Extract, rows: _Rows) -> list[Problem]:
    """Parts above their wholes, and totals of response times above a week per incident."""
    wide = extract.observations.pivot(
        on="measure", index=["period", "org_code"], values="value", aggregate_function="first"
    )
    found: list[Problem] = []
    pairs = [(part, whole, 1.0) for part, whole in PARTS]
    pairs += [(total, n, float(SECONDS_CEILING)) for total, n in TOTALS_OVER.items()]
    for part, whole, per in pairs:
        if part not in wide.columns or whole not in wide.columns:
            continue
        hit = wide.filter(pl.col(part) > pl.col(whole) * per + 1e-9)
        for period, org, got, of in hit.select("period", "org_code", part, whole).iter_rows():
            row, who = rows.at(period, org)
            if per == 1.0:
                rule = f"expected no more than {whole} ({number(of)}), which it is part of ({who})"
            else:
                rule = (
                    f"expected at most {SECONDS_CEILING:,} seconds (a week) for each of the "
                    f"{number(of)} incidents of {whole} ({who})"
                )
            found.append(Problem(extract.file, row, _column(extract, part), number(got), rule))
    return found


def _column(extract: Extract, measure: str) -> str:
    """The published column(s) a measure comes from, where the layout names them."""
    return extract.columns.get(measure, measure)


@dataclass(frozen=True)
class MonthSource:
    """What says a file's month when no column does: --period, the file name, a sheet title."""

    hint: Month | None = None  # --period
    name: Month | None = None  # the month the file name names
    workbook: bool = False  # a workbook sheet, whose title block may name it


def months(extract: Extract, today: Month, source: MonthSource) -> list[Problem]:
    """Each month the extract holds that is after `today`'s month, or before its series began.

    The problem names where the month came from: the period column and its first row, or
    --period, the sheet's title block or the file name.
    """
    start = SERIES_START.get(extract.dataset)
    found: list[Problem] = []
    for month in sorted(_months(extract)):
        if month > today:
            rule = f"expected a month no later than {today.iso()}, the month of this check"
        elif start is not None and month < start.month:
            rule = f"expected a month from {start.month.iso()} ({start.says})"
        else:
            continue
        column = PERIOD_COLUMNS.get(extract.format)
        row = _first_row(extract, month) if column else None
        if column is None:
            rule = f"the month from {_origin(month, source)}: {rule}"
        found.append(Problem(extract.file, row, column, month.iso(), rule))
    return found


def _months(extract: Extract) -> set[Month]:
    frames = [extract.observations, extract.orgs, extract.comments, extract.indicator_rows]
    return {
        Month.from_date(d)
        for f in frames
        if f is not None and "period" in f.columns
        for d in f["period"].unique().to_list()
        if d is not None
    }


def _first_row(extract: Extract, month: Month) -> int | None:
    """The first row of the file that holds `month`."""
    day = month.first_day()
    found: list[int] = []
    if extract.indicator_rows is not None:
        found += extract.indicator_rows.filter(pl.col("period") == day)[ROW].to_list()
    for rows in extract.orgs.filter(pl.col("period") == day)["rows"].to_list():
        if rows:
            found.append(int(rows.split(",")[0].split("-")[0]))
    return min(found) if found else None


def _origin(month: Month, source: MonthSource) -> str:
    if source.hint == month:
        return "--period"
    if source.workbook:
        return "the sheet's title block" + (" or the file name" if source.name == month else "")
    return "the file name"
