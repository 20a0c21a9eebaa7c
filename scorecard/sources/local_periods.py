"""The periods of a local-measures (or commentary) file: months, quarters and years. Pure.

A row's `Period` is one of:

* a month: `2025-04` (or the 1st as a date, `2025-04-01`), `Apr-25`, `Apr 2025`, `April 2025`;
* an NHS financial quarter (Q1 = April to June): `2025-Q2` or `Q2 2025/26`, both July to
  September 2025 (so `2025-Q4` is January to March 2026: the quarter of the year 2025/26);
* an NHS financial year: `2025/26` (April 2025 to March 2026).

Nothing else is guessed at (`04/2025`, `Sept 25`, a calendar `2025 Q3`, `2025-26`).

A quarter's or year's figure is stored once, at its last month (Q2 2025/26 at September
2025, 2025/26 at March 2026), never spread over its months. Each indicator's finest period in
a file is its series: a quarterly indicator's quarters, say. A coarser row beside it (a quarter
row of an indicator whose other rows are months) is that window's own figure, given only for a
percentage entered as a percentage, whose quarter cannot be worked out from its months: it is
stored as `<id>_quarter_value` (or `<id>_year_value`), a Value and nothing else.
"""

from __future__ import annotations

import re

import polars as pl

from scorecard.errors import Problem, SourceError
from scorecard.periods import Month
from scorecard.sources.text import ROW

MONTH, QUARTER, YEAR = "month", "quarter", "year"
FORMS = (MONTH, QUARTER, YEAR)  # finest first
OWN_PART = {QUARTER: "quarter_value", YEAR: "year_value"}
_ISO = re.compile(r"^(\d{4})-(\d{2})(-01)?$")
_NAMED = re.compile(r"^([A-Za-z]+)[ -](\d{2}|\d{4})$")
_ISO_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_FY_QUARTER = re.compile(r"^[Qq]([1-4]) (\d{4})/(\d{2})$")
_FY = re.compile(r"^(\d{4})/(\d{2})$")
PERIOD_EXPECTED = (
    "expected a month as YYYY-MM (or Apr-25, April 2025), a financial quarter as 2025-Q2 or "
    "Q2 2025/26 (Q1 = April to June), or a financial year as 2025/26"
)


def _next_year(first: int, second: str) -> bool:
    return (first + 1) % 100 == int(second)


def parse_period(text: str) -> tuple[Month, str] | None:
    """The month a period's figure is stored at (its last month) and its form, or None."""
    text = text.strip()
    if m := _ISO.match(text):
        return (Month(int(m[1]), int(m[2])), MONTH) if 1 <= int(m[2]) <= 12 else None
    if m := _NAMED.match(text):
        year = int(m[2])
        month = Month.from_name(m[1], year if year >= 100 else 2000 + year)
        return (month, MONTH) if month else None
    if m := _ISO_QUARTER.match(text):
        return Month(int(m[1]), 4).plus(3 * int(m[2]) - 1), QUARTER
    if (m := _FY_QUARTER.match(text)) and _next_year(int(m[2]), m[3]):
        return Month(int(m[2]), 4).plus(3 * int(m[1]) - 1), QUARTER
    if (m := _FY.match(text)) and _next_year(int(m[1]), m[2]):
        return Month(int(m[1]) + 1, 3), YEAR
    return None


def with_periods(raw: pl.DataFrame) -> pl.DataFrame:
    """`raw` with `month` (the stored month's first day) and `form` from its `period` text
    (both null where the text is no period, for the schema to report)."""
    parsed = {t: parse_period(t) for t in raw["period"].drop_nulls().unique().to_list()}
    months = {t: p[0].first_day() for t, p in parsed.items() if p}
    forms = {t: p[1] for t, p in parsed.items() if p}
    return raw.with_columns(
        month=pl.col("period").replace_strict(months, default=None, return_dtype=pl.Date),
        form=pl.col("period").replace_strict(forms, default=None, return_dtype=pl.String),
    )


def own_rows(raw: pl.DataFrame) -> pl.DataFrame:
    """`raw` with `own`: true for a row coarser than its indicator's finest period in the file
    (a quarter's own figure beside months); and `part`, where its Value is stored."""
    rank = pl.col("form").replace_strict({f: i for i, f in enumerate(FORMS)}, default=None)
    framed = raw.with_columns(rank=rank).with_columns(
        own=pl.col("rank") > pl.col("rank").min().over("indicator")
    )
    return framed.with_columns(
        part=pl.when(pl.col("own"))
        .then(pl.col("form").replace_strict(OWN_PART, default=None))
        .otherwise(pl.lit("value"))
    ).drop("rank")


def check_own_rows(file: str, raw: pl.DataFrame) -> None:
    """A window's own figure gives a Value, and no figure the window's months carry. (Its
    Comment is kept: after its last month's own comment, when that row has one.)"""
    problems = []
    for row in raw.filter(pl.col("own")).iter_rows(named=True):
        what = f"a {row['form']}'s own figure of {row['indicator']} (its other rows are finer)"
        for column, key in (("Numerator", "numerator"), ("Denominator", "denominator")):
            if row[key] is not None:
                problems.append(
                    Problem(
                        file, int(row[ROW]), column, row[key],
                        f"expected a Value only in {what}: a Numerator and Denominator add "
                        "up from the finer rows, so give no figure for the window",
                    )
                )  # fmt: skip
                break
        if row["plan"] is not None:
            problems.append(
                Problem(file, int(row[ROW]), "Plan", row["plan"],
                        f"expected no Plan in {what}: give the plan on the finer rows")
            )  # fmt: skip
    if problems:
        raise SourceError.of(problems)
