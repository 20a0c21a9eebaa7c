"""Assurance matrices: the same questions asked of several organisations, as a grid.

A scorecard definition declares each with a `[[matrix]]` table:

    [[matrix]]
    title = "Provider quality assurance"
    questions = ["cqc_registered", "serious_incidents_reported", "never_events"]
    orgs = ["ZA1", "ZE5", "ZR1"]

`questions` are indicator ids (usually local measures: a yes/no question, or a value such as
never events), the matrix's rows; `orgs` are organisation codes, its columns. Each cell is
the organisation's answer at its latest month with one (up to the board's month, within the
board's look-back), rated by the indicator's own scheme, with the analyst's comment for that
month. A Red cell (a "No" where "Yes" is expected, or a value rated Red) joins the board's
exception report. Unknown questions fail when the definition is read; unknown organisations
when the board is built, as a row's do.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import polars as pl

from scorecard.assemble import Lookup, latest_months, lookup_for, month_value, row_at
from scorecard.board import HISTORY
from scorecard.definitions import Catalogue, check_keys, text_value
from scorecard.errors import DefinitionError
from scorecard.model import Matrix, MatrixSpec, Rating, Row, Scorecard
from scorecard.periods import Month

MATRIX_KEYS = {"title": True, "questions": True, "orgs": True}
_CODE = re.compile(r"^[A-Z0-9]{2,8}$")


def matrix_specs(file: str, value: Any, catalogue: Catalogue) -> tuple[MatrixSpec, ...]:
    """The definition's `[[matrix]]` tables, validated against the catalogue."""
    if not isinstance(value, list) or not value:
        raise DefinitionError(file, "matrix", "expected one [[matrix]] table or more")
    return tuple(_spec(file, f"matrix[{i}]", body, catalogue) for i, body in enumerate(value, 1))


def _spec(file: str, where: str, body: Any, catalogue: Catalogue) -> MatrixSpec:
    if not isinstance(body, dict):
        raise DefinitionError(file, where, "expected a table")
    check_keys(file, where, body, MATRIX_KEYS)
    questions = _names(file, f"{where}.questions", body["questions"], "indicator ids")
    for q in questions:
        if q not in catalogue.indicators:
            raise DefinitionError(
                file, f"{where}.questions", f"unknown indicator '{q}'; see `scorecard indicators`"
            )
    orgs = _names(file, f"{where}.orgs", body["orgs"], "organisation codes")
    for code in orgs:
        if not _CODE.match(code):
            raise DefinitionError(
                file, f"{where}.orgs", f"'{code}': expected an organisation code (ODS, upper case)"
            )
    return MatrixSpec(text_value(file, f"{where}.title", body["title"]), questions, orgs, where)


def _names(file: str, key: str, value: Any, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise DefinitionError(file, key, f"expected a list of {what}")
    names = tuple(v.strip() for v in value)
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise DefinitionError(file, key, f"'{twice[0]}' is listed twice")
    return names


def build_matrices(
    specs: Sequence[MatrixSpec],
    catalogue: Catalogue,
    values: pl.DataFrame,
    names: Mapping[str, str],
    period: Month,
    comments: Mapping[tuple[str, str, Month], str],
) -> tuple[Matrix, ...]:
    """Pure: each matrix's cells from the computed values, rated, with their comments."""
    lookups: dict[str, Lookup] = {}
    latest: dict[str, dict[str, dt.date]] = {}
    for code in sorted({c for s in specs for c in s.orgs}):
        lookups[code] = lookup_for(values, code)
        latest[code] = latest_months(values, code, period)
    matrices = []
    for spec in specs:
        rows = []
        for question in spec.questions:
            ind = catalogue.indicator(question)
            cells = []
            for code in spec.orgs:
                day = latest[code].get(ind.id)
                month = Month.from_date(day) if day else period
                row = row_at(catalogue, lookups[code], ind, code, names[code], month)
                months = [month.plus(i - HISTORY + 1) for i in range(HISTORY)]
                red = row.month.rating.rating is Rating.RED
                cells.append(
                    replace(
                        row,
                        history=tuple((m, month_value(lookups[code], ind.id, m)) for m in months),
                        comment=comments.get((ind.id, code, month)),
                        exception="Red" if red else None,
                    )
                )
            rows.append(tuple(cells))
        orgs = tuple((code, names[code]) for code in spec.orgs)
        matrices.append(Matrix(spec.title, orgs, tuple(rows)))
    return tuple(matrices)


def with_matrices(card: Scorecard, matrices: tuple[Matrix, ...]) -> Scorecard:
    """The card with its matrices, and their Red cells in its exception report (a cell the
    report already lists, as a row of the board, is not listed twice)."""
    listed = {_key(r) for r in card.exceptions}
    reds: list[Row] = []
    for cell in (c for m in matrices for c in m.cells()):
        if cell.exception is not None and _key(cell) not in listed:
            listed.add(_key(cell))
            reds.append(cell)
    return replace(card, matrices=matrices, exceptions=card.exceptions + tuple(reds))


def matrix_of(card: Scorecard, row: Row) -> Matrix | None:
    """The matrix a row is a cell of, if it is one."""
    return next((m for m in card.matrices if any(c is row for c in m.cells())), None)


def _key(row: Row) -> tuple[str, str, Month]:
    return row.indicator.id, row.org_code, row.period
