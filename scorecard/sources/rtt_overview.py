"""NHS England's RTT overview time series (`RTT-Overview-Timeseries-*.xlsx`): England, monthly.

One sheet, `Full Time Series`: a title block (rows 1-9), a header on two rows (row 10 names
the groups, `Incomplete RTT pathways`, `Admitted (unadjusted) RTT pathways`, ..., and `Year`
and `Month`; row 11 names the columns), a row a month from April 2007, notes at the bottom.
The workbook reader hands this layout row 11 and the rows under it, so `Year` and `Month`
are the first two columns, unnamed (a CSV that names them is read by name).

Read, for England, from the `Incomplete RTT pathways` group (the first columns of each name:
the groups to its right reuse them): `Total waiting (mil)` (a plain count, 6953647, despite
its name), `No. within 18 weeks`, `No. > 52 weeks`, `No. > 78 weeks`, `No. > 104 weeks`,
`Median wait (weeks)` and `92nd percentile (weeks)`. The figures "as submitted" are read,
not those "with estimates for missing data": the monthly files count what was submitted,
and the two agree on the months they share (March 2015 here is the national file's IP999
row: 3,006,877 pathways, 93.15% within 18 weeks, median 5.56 weeks). The estimates add
figures for trusts that did not submit, which no monthly file holds.

Checked: within 18 weeks + `No. > 18 weeks` = the total, each longer wait within the shorter,
`% within 18 weeks` and `% > 52 weeks` (fractions, not stored) against the counts (to 0.1
percentage point; a smaller difference, as in September 2021, is said), each
month once, and the financial year (`2007/08`, on April rows only) against the month. `-`
(not available: every incomplete figure before August 2007, the 78- and 104-week counts
before April 2021) stores nothing; a month with no incomplete figure is skipped and said.
An early 92nd percentile of `52+` (beyond the last weekly band) is not a number: not stored,
and said. The empty rows after the last month published (the rest of its financial year) are
skipped; an empty row before it is refused.

England's figures are a publication of its level (scope `level:england:overview`), ranked
below a monthly file's National sheet of the same month measure by measure
(scorecard.precedence): the overview's 92nd percentile, which no National sheet prints, is
used beside the sheet's other figures. A later overview replaces an earlier one (it reaches
later months). The admitted, non-admitted and new-period groups are not read:
they count pathways with an unknown clock start, which the monthly measures leave out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pandera.polars as pa
import polars as pl

from scorecard.errors import Problem, SourceError
from scorecard.model import ENGLAND
from scorecard.periods import Month
from scorecard.sources.base import LEVEL_SCOPE, Extract
from scorecard.sources.checks import (
    TOLERANCE,
    Found,
    fraction_column,
    not_above,
)
from scorecard.sources.rtt_levels import weeks_column
from scorecard.sources.text import ROW, count_expr, normalise, read_table
from scorecard.sources.tidy import check_row_sums, to_extract
from scorecard.sources.validation import count_column
from scorecard.sources.workbook import parse_month

GROUP_END = "Total waiting (mil) with estimates for missing data"  # the group's last column
COLUMNS = {  # the incomplete group's columns, as submitted
    "median": "Median wait (weeks)",
    "p92": "92nd percentile (weeks)",
    "within": "No. within 18 weeks",
    "pct": "% within 18 weeks",
    "over18": "No. > 18 weeks",
    "over52": "No. > 52 weeks",
    "pct52": "% > 52 weeks",
    "over78": "No. > 78 weeks",
    "over104": "No. > 104 weeks",
    "total": "Total waiting (mil)",
}
DATES = {"year": "Year", "month": "Month"}
PUBLISHED = {**DATES, **COLUMNS}
COUNTS = ("total", "within", "over18", "over52", "over78", "over104")
MEASURES = {
    "rtt_incomplete_total": "total",
    "rtt_incomplete_within_18wk": "within",
    "rtt_incomplete_over_52wk": "over52",
    "rtt_incomplete_over_78wk": "over78",
    "rtt_incomplete_over_104wk": "over104",
    "rtt_incomplete_median_wk": "median",
    "rtt_incomplete_p92_wk": "p92",
}
# England's level, a publication of its own beside a month's National sheet: each measure is
# taken from the National sheet where it has it (scorecard.precedence), else from here.
SCOPE = f"{LEVEL_SCOPE}england:overview"
BEYOND = re.compile(r"^[0-9]+\+$")  # `52+`: beyond the last weekly band
SHARE_SAID = 5e-5  # a share differing from its counts' by more than this is said
SHARE_REFUSED = 1e-3  # ... and by more than this (0.1 percentage point) refused
EXPECTED = {
    "field_uniqueness": "the same month appears twice",
    "multiple_fields_uniqueness": "the same month appears twice",
}
SCHEMA = pa.DataFrameSchema(
    {
        ROW: pa.Column(pl.Int64),
        "year": pa.Column(str, nullable=True),
        "month": pa.Column(str),
        **{k: count_column() for k in COUNTS},
        "median": weeks_column(),
        "p92": weeks_column(
            "expected a number of weeks, such as 46.5 (or 52+ beyond the last band, or -)",
            r"^([0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|[0-9]+\+|-)$",
        ),
        "pct": fraction_column(),
        "pct52": fraction_column(),
    },
    unique=["month"],
)


def _positions(file: str, header: list[str]) -> dict[str, int]:
    """Where each column read is: the first of its name, in the incomplete group."""
    names = [normalise(h) for h in header]
    end = names.index(normalise(GROUP_END)) if normalise(GROUP_END) in names else len(names)
    at: dict[str, int] = {}
    for key, column in COLUMNS.items():
        if normalise(column) not in names[: end + 1]:
            raise SourceError(
                file,
                f"missing column; expected it in the Incomplete RTT pathways group, before "
                f"'{GROUP_END}'",
                column=column,
                row=1,
            )
        at[key] = names.index(normalise(column))
    for i, (key, column) in enumerate(DATES.items()):
        if normalise(column) in names:
            at[key] = names.index(normalise(column))
        elif len(names) > 2 and names[i] == "":  # named on the row above, in the sheet
            at[key] = i
        else:
            raise SourceError(
                file,
                "missing column; expected Year and Month first (unnamed in the sheet's "
                "second header row)",
                column=column,
                row=1,
            )
    return at


def _months(file: str, rows: pl.DataFrame) -> pl.DataFrame:
    """Each row's month (a date cell, `Oct-22`, `October 2022`), its financial year checked."""
    found: list[Problem] = []
    days = []
    for row, year, text in rows.select(ROW, "year", "month").iter_rows():
        month = parse_month(text)
        days.append(month.first_day() if month else None)
        if month is None:
            rule = "expected a month, such as 2022-10-01 or Oct-22"
            found.append(Problem(file, row, DATES["month"], text, rule))
        elif year and year != month.fy_label():
            rule = f"expected the financial year of {month.label()}, {month.fy_label()}"
            found.append(Problem(file, row, DATES["year"], year, rule))
    if found:
        raise SourceError.of(found)
    return rows.with_columns(period=pl.Series(days, dtype=pl.Date))


def _published_months(file: str, rows: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """The rows of months with figures, and what was said of those without: trailing empty
    rows are the year's months to come; an empty row before a published month is refused."""
    cells = [pl.col(k) for k in COLUMNS]
    empty = pl.all_horizontal(c.is_null() | (c == "") for c in cells)
    none = pl.all_horizontal(c.is_null() | c.is_in(["", "-"]) for c in cells)
    marked = rows.with_columns(_empty=empty, _none=none)
    published = marked.filter(~pl.col("_none"))
    if published.is_empty():
        raise SourceError(file, "no month has incomplete-pathway figures: nothing to store", row=2)
    last = published[ROW].max()
    gap = marked.filter(pl.col("_empty") & (pl.col(ROW) < last)).sort(ROW)
    if gap.height:
        raise SourceError(
            file,
            f"no figures for {Month.from_date(gap['period'][0]).label()}, but later months "
            "have them; expected each month up to the last published (the file may be edited)",
            column=COLUMNS["total"],
            row=int(gap[ROW][0]),
        )
    said = []
    skipped = marked.filter(pl.col("_none") & ~pl.col("_empty")).sort("period")
    if skipped.height:
        span = _span(skipped["period"].to_list())
        said.append(f"{file}: {span}: incomplete pathways not available (-), not stored")
    return published.drop("_empty", "_none"), said


def _span(days: list[dt.date]) -> str:
    """`Aug 2007 to Feb 2008, Feb 2021 to Mar 2021 (9 months)`: the runs of months."""
    months = sorted(Month.from_date(d) for d in days)
    runs: list[list[Month]] = []
    for month in months:
        if runs and runs[-1][-1].plus(1) == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    text = ", ".join(
        r[0].label() if len(r) == 1 else f"{r[0].label()} to {r[-1].label()}" for r in runs
    )
    return text if len(months) == 1 else f"{text} ({len(months)} months)"


def _check_shares(file: str, rows: pl.DataFrame) -> list[str]:
    """`% within 18 weeks` and `% > 52 weeks` (fractions) agree with the counts: within
    SHARE_REFUSED (another column or month's figure) or refused; a lesser difference (Sep-21's
    share was worked out on slightly different counts) is said, and the counts are used."""
    found, said = [], []
    for share, part in (("pct", "within"), ("pct52", "over52")):
        number = pl.col(share).cast(pl.Float64, strict=False)
        gap = (number - pl.col(part) / pl.col("total")).abs()
        for limit in (SHARE_REFUSED, SHARE_SAID):
            bad = rows.filter(gap > limit + TOLERANCE)
            for row, day, got, n, total in bad.select(ROW, "period", share, part, "total").rows():
                ratio = f"{n:,.0f} / {total:,.0f} = {n / total:.6f}"
                if limit == SHARE_REFUSED:
                    rule = f"expected {ratio}, the counts' share (to within {limit})"
                    found.append(Problem(file, row, COLUMNS[share], got, rule))
                elif row not in {p.row for p in found}:
                    said.append(
                        f"{file}: {Month.from_date(day).label()}: '{COLUMNS[share]}' is {got} "
                        f"but the counts give {ratio}; the counts are stored"
                    )
    if found:
        raise SourceError.of(sorted(found, key=lambda p: p.row or 0))
    return said


class RttOverviewTimeSeries:
    """NHS England's RTT overview time series: England's headline figures since 2007."""

    name = "rtt_overview_timeseries"
    dataset = "rtt"
    description = (
        "RTT overview time series (Full Time Series: Median wait (weeks), 92nd percentile "
        "(weeks), No. within 18 weeks, ..., Total waiting (mil))"
    )

    def match(self, header: list[str]) -> float:
        have = {normalise(h) for h in header}
        if normalise(GROUP_END) not in have:
            return 0.0
        return sum(normalise(c) in have for c in COLUMNS.values()) / len(COLUMNS)

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        header, body = read_table(file, data)
        at = _positions(file, header)
        raw = body.select(ROW, *(pl.col(f"c{i}").alias(k) for k, i in at.items()))
        raw = _months(file, raw.filter(pl.col("month").is_not_null() & (pl.col("month") != "")))
        raw, said = _published_months(file, raw)
        found = Found()  # every problem of the file in one pass
        raw = found.valid_rows(file, raw, SCHEMA, PUBLISHED, EXPECTED)
        beyond = raw.filter(pl.col("p92").str.contains(BEYOND.pattern))
        wide = raw.with_columns(
            *(count_expr(k) for k in COUNTS),
            *(
                pl.when(pl.col(k).is_in(["-", ""]) | pl.col(k).str.contains(BEYOND.pattern))
                .then(None)
                .otherwise(pl.col(k))
                .cast(pl.Float64)
                .alias(k)
                for k in ("median", "p92")
            ),
            org_code=pl.lit(ENGLAND),
            name=pl.lit("England"),
            parent=pl.lit(None, pl.String),
        )
        with found.gather():
            check_row_sums(file, wide, [("total", ("within", "over18"))], COLUMNS)
        pairs = [("within", "total"), ("over52", "over18"), ("over78", "over52")]
        with found.gather():
            not_above(file, wide, [*pairs, ("over104", "over78")], COLUMNS)
        with found.gather():
            said += _check_shares(file, wide)
        found.raise_any()
        if beyond.height:
            span = _span(beyond["period"].to_list())
            said.append(
                f"{file}: {span}: 92nd percentile published as {beyond['p92'][0]} (beyond the "
                "last weekly band), not a number, not stored"
            )
        sums = {measure: (key,) for measure, key in MEASURES.items()}
        extract = to_extract(
            file, data, self.name, self.dataset, wide, sums, scope=SCOPE,
            basis="commissioner", published=COLUMNS,
        )  # fmt: skip
        return replace(extract, warnings=tuple(said))
