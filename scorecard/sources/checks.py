"""Checks the adapters share on validated rows: parts within totals, one month, shares in range.

Each check reports every failing row as a Problem (file, row, column, value, rule) in one
SourceError, the first in file order named in its message; or, for cells that are not
errors, returns the warning line to keep with the extract. Pure.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import pandera.polars as pa
import polars as pl

from scorecard.errors import Problem, SourceError
from scorecard.sources.base import Extract
from scorecard.sources.text import NOT_PUBLISHED, ROW
from scorecard.sources.validation import validate

TOLERANCE = 1e-9  # a share published as a formula's full-precision result may exceed 1 by this


def _n(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _cell(value: float) -> str:
    """A number as a cell states it, without separators: 9999, 12.5."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


def not_above(
    file: str,
    rows: pl.DataFrame,
    rules: Sequence[tuple[str, str]],
    published: Mapping[str, str],
) -> None:
    """Each (part, whole): in every row, a count within a total is not more than the total.

    Over-4-hour attendances within attendances, 6+ week waits within the waiting list,
    pathways within 18 weeks within all pathways, people within a standard within all
    treated. Rows where either cell is not published (null) are not checked.
    """
    found: list[Problem] = []
    for part, whole in rules:
        bad = rows.filter(pl.col(part) > pl.col(whole) + TOLERANCE)
        for row in bad.select(ROW, part, whole).iter_rows(named=True):
            found.append(
                Problem(
                    file=file,
                    row=int(row[ROW]),
                    column=published[part],
                    value=_cell(row[part]),
                    rule=f"expected no more than the '{published[whole]}' it is part of "
                    f"({_n(row[whole])})",
                )
            )
    if found:
        raise SourceError.of(sorted(found, key=lambda p: p.row or 0))


def one_month(file: str, rows: pl.DataFrame, column: str) -> None:
    """A single-month layout's rows (with a `period` date) all hold one month.

    `column` is the published name of the period column, for the message.
    """
    # (the two columns first: grouping a wide frame costs a hundred times more)
    firsts = rows.select("period", ROW).group_by("period").agg(pl.col(ROW).min()).sort(ROW)
    if firsts.height > 1:
        (a, at), (b, bt) = firsts.rows()[:2]
        raise SourceError(
            file,
            f"two months in one file: {a:%Y-%m} (row {at}) and {b:%Y-%m} (row {bt}); "
            "one month per file is expected",
            column=column,
            row=int(bt),
        )


def suppressed(file: str, rows: pl.DataFrame, columns: Sequence[str]) -> tuple[str, ...]:
    """A warning line counting the cells published as `*`, `-` or `.` (stored as missing);
    columns read as numbers (read_table's `typed`) held none."""
    dtypes = rows.schema  # (built anew at each call)
    columns = [c for c in columns if dtypes[c] == pl.String]
    if not columns or not rows.height:
        return ()
    count = rows.select(pl.col(columns).is_in(NOT_PUBLISHED).sum()).sum_horizontal().item()
    if not count:
        return ()
    cells = "cell" if count == 1 else "cells"
    return (f"{file}: {count} {cells} suppressed or not published (*, -, .), stored as missing",)


def at_most(limit: float, error: str) -> pa.Check:
    """A number cell (a trailing `%` allowed) is at most `limit`; other cells pass this check
    (their form is checked on its own)."""

    def check(data: pa.PolarsData) -> pl.LazyFrame:
        number = pl.col(data.key).str.strip_chars_end("%").cast(pl.Float64, strict=False)
        return data.lazyframe.select(number.fill_null(0.0) <= limit + TOLERANCE)

    return pa.Check(check, error=error)


FRACTION = r"^([0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|-)$"
FRACTION_EXPECTED = "expected a fraction from 0 to 1, such as 0.0357 (or -)"


def fraction_column() -> pa.Column:
    """A published share as a fraction (0.0357), checked for form and range, or `-`."""
    return pa.Column(
        str,
        [
            pa.Check.str_matches(FRACTION, error=FRACTION_EXPECTED),
            at_most(1.0, FRACTION_EXPECTED),
        ],
        nullable=True,
    )


def refuse_empty(extract: Extract) -> None:
    """A file with a header and nothing under it stores nothing: refused rather than stored."""
    parts = (extract.observations, extract.links, extract.comments, extract.breakdowns)
    if not any(p is not None and p.height for p in parts):
        raise SourceError(extract.file, "no data rows below the header: nothing to store", row=2)


class Found:
    """Every problem of one file, gathered over its checks so that one pass reports them all.

    A row with a problem in its cells is set aside (`valid_rows`), and the checks that follow
    (parts within totals, one month) run on the rows left, rather than waiting for the cell
    problems to be fixed. A problem that leaves nothing to check (a missing column, a file
    with no rows) is raised at once.
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def valid_rows(
        self,
        file: str,
        frame: pl.DataFrame,
        schema: pa.DataFrameSchema,
        published: Mapping[str, str],
        expected: Mapping[str, str] | None = None,
    ) -> pl.DataFrame:
        """`frame` validated; on failure its problems are kept and its good rows returned."""
        try:
            return validate(file, frame, schema, published, expected)
        except SourceError as exc:
            bad = {p.row for p in exc.problems}
            if None in bad or 1 in bad:
                raise
            self.problems.extend(exc.problems)
            return frame.filter(~pl.col(ROW).is_in(list(bad)))

    @contextmanager
    def gather(self) -> Iterator[None]:
        """Keep the problems of the check run inside, and go on to the next."""
        try:
            yield
        except SourceError as exc:
            seen = {(p.row, p.column) for p in self.problems}  # one problem to a cell
            self.problems.extend(p for p in exc.problems if (p.row, p.column) not in seen)

    def without_problem_rows(self, frame: pl.DataFrame) -> pl.DataFrame:
        """`frame` less the rows a problem was found in, so later checks do not report
        what follows from it."""
        rows = [p.row for p in self.problems if p.row is not None]
        return frame.filter(~pl.col(ROW).is_in(rows)) if rows else frame

    def raise_any(self) -> None:
        """One SourceError for every problem gathered, in row order; nothing when none."""
        if self.problems:
            raise SourceError.of(sorted(self.problems, key=lambda p: p.row or 0))
