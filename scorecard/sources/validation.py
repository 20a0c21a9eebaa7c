"""Run pandera schemas lazily and report every failure as one line naming file, column and row."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import pandera.polars as pa
import polars as pl
from pandera.errors import SchemaError, SchemaErrors

from scorecard.errors import Problem, SourceError
from scorecard.sources.fast_check import passes
from scorecard.sources.text import COUNT_PATTERN, ROW

COUNT_CHECK = pa.Check.str_matches(
    COUNT_PATTERN.pattern,
    error="expected a non-negative whole number (or -, * or . when not published)",
)


BLANK_COUNT = "expected a count, got an empty cell (a figure not published is marked *, - or .)"


def count_column(nullable: bool = False) -> pa.Column:
    """A count cell as published: a non-negative whole number, with or without separators.

    An empty cell is refused unless `nullable`: only a layout whose publisher gives a blank
    a documented meaning (the RTT Full CSV's empty bands, meaning none) passes True.
    """
    return pa.Column(str, checks=COUNT_CHECK, nullable=nullable)


EXPECTED = {
    "not_nullable": "expected a value, got an empty cell",
    "multiple_fields_uniqueness": "duplicate row",
    "field_uniqueness": "duplicate value",
}


def validate(
    file: str,
    frame: pl.DataFrame,
    schema: pa.DataFrameSchema,
    published: Mapping[str, str],
    expected: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """Validate `frame` (with its `_row` column) against `schema`, all failures at once.

    `published` maps the frame's column names to the names the file uses, for messages;
    `expected` words pandera's built-in checks (uniqueness) for this layout.
    """
    if passes(frame, schema):
        return frame
    words = {**EXPECTED, **(expected or {})}
    try:
        return schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
    except SchemaError as exc:  # pragma: no cover - lazy validation raises SchemaErrors
        raise SourceError(file, str(exc).splitlines()[0]) from None
    rows = frame[ROW].to_list()
    # A duplicate is reported at its repeat, under the key's last column (e.g. Org Code).
    unique = schema.unique or []
    key = unique[-1] if isinstance(unique, list) and unique else str(unique or "")
    duplicates = cases.filter(pl.col("check").str.contains("uniqueness"))
    repeat_rows: set[int] = set()
    if duplicates.height:
        index = duplicates["index"].drop_nulls().to_list()
        values = frame.select(unique or key).with_row_index("_i").filter(pl.col("_i").is_in(index))
        first_seen = values.unique(subset=unique or [key], keep="first", maintain_order=True)
        repeat_rows = {rows[i] for i in index} - {rows[i] for i in first_seen["_i"]}
    found: list[Problem] = []
    for case in cases.iter_rows(named=True):
        index = case.get("index")
        row = rows[int(index)] if index is not None and int(index) < len(rows) else 1
        column = str(case.get("column") or "")
        check = str(case.get("check") or "")
        value = case.get("failure_case")
        base = check.split("(")[0]
        if "uniqueness" in base:
            if row not in repeat_rows:
                continue
            column = key
        got: str | None = None
        if base == "column_in_dataframe":
            column, row = str(value), 1
            rule = "missing column"
        else:
            # Checks built with error="expected ..." report that text as their name.
            rule = words.get(base, check if check.startswith("expected") else f"failed {check}")
            if base == "not_nullable" and _is_count(schema, column):
                rule = BLANK_COUNT
            if value is not None and base not in ("multiple_fields_uniqueness", "not_nullable"):
                got = str(value)
        name = published.get(column, column) or None
        found.append(Problem(file=file, row=row, column=name, value=got, rule=rule))
    if not found:  # pragma: no cover - a failed check always leaves a case to report
        raise SourceError(file, "failed validation")
    found.sort(key=lambda f: f.row or 0)
    raise SourceError.of(found)


def _is_count(schema: pa.DataFrameSchema, column: str) -> bool:
    """Whether `column` is a count cell (count_column) in `schema`."""
    spec = schema.columns.get(column)
    return spec is not None and any(c.error == COUNT_CHECK.error for c in spec.checks)


def check_result(file: str, frame: pl.DataFrame, model: type[pa.DataFrameModel]) -> pl.DataFrame:
    """Validate an adapter's canonical output; rows are reported by their `_row` if present."""
    if passes(frame, _schema(model)):
        return frame
    try:
        return model.validate(frame, lazy=True)
    except SchemaErrors as exc:
        first = exc.failure_cases.row(0, named=True)
        raise SourceError(
            file,
            f"{first.get('check')} failed on {first.get('failure_case')}",
            column=str(first.get("column")),
        ) from None


@cache
def _schema(model: type[pa.DataFrameModel]) -> pa.DataFrameSchema:
    return model.to_schema()
