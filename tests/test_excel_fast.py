"""The quick workbook writer (render/excel.py's `_Sheet`) writes xlsxwriter's own bytes.

`_Sheet` writes the commonest cells' XML itself and fills a Data sheet a line at a time,
leaning on xlsxwriter's internals. It is used only with the xlsxwriter versions listed in
`FAST_VERSIONS`, and this is the check that holds it there: every sheet of a trust's and a
board's workbook, and a Data sheet with blanks, numbers that are not finite and text past
Excel's limit, must be byte for byte what xlsxwriter's own worksheet writes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from typing import Any

import polars as pl
import pytest
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from scorecard import api
from scorecard.cards import board_for, scorecard_for
from scorecard.model import Scorecard
from scorecard.periods import Month
from scorecard.render import excel
from scorecard.render.tables import scorecard_rows
from scorecard.render.xlsx_cells import put

SEPTEMBER = Month(2025, 9)

pytestmark = pytest.mark.skipif(
    not excel.FAST, reason="this xlsxwriter is not one the quick writer is used with"
)


@pytest.fixture(scope="module")
def cards() -> Iterator[list[Scorecard]]:
    catalogue = api.catalogue(None)
    with api.open_store(None) as store:
        built = [scorecard_for(store, catalogue, org, SEPTEMBER) for org in ("ZA1",)]
        spec = next(iter(api.board_specs(None, catalogue)))
        built.append(board_for(store, catalogue, spec, SEPTEMBER))
        yield built


def _own_worksheet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(excel._Book, "worksheet_class", Worksheet)


def test_every_workbook_is_xlsxwriters_own_bytes(
    cards: list[Scorecard], monkeypatch: pytest.MonkeyPatch
) -> None:
    quick = [excel.render_xlsx(card) for card in cards]
    _own_worksheet(monkeypatch)
    assert quick == [excel.render_xlsx(card) for card in cards]


def test_a_data_sheet_of_every_kind_of_cell_is_xlsxwriters_own_bytes(
    cards: list[Scorecard], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blanks, numbers that are not finite, -0.0, whole numbers, and text past Excel's
    cell limit (cut, as xlsxwriter cuts it) in the Data sheet."""
    rows = scorecard_rows(cards[0]).head(5)
    floats = [c for c in rows.columns if rows[c].dtype == pl.Float64]
    texts = [c for c in rows.columns if rows[c].dtype == pl.String]
    odd = rows.with_columns(
        pl.Series(floats[0], [math.nan, math.inf, -0.0, None, 3.0]),
        pl.Series(texts[0], ["", None, "é" * 40_000, "x" * 40_000, "=1+1"]),
    )
    quick = excel.render_xlsx(cards[0], odd)
    _own_worksheet(monkeypatch)
    assert quick == excel.render_xlsx(cards[0], odd)


Steps = list[tuple[str, tuple[Any, ...]]]


def _book_bytes(steps: Steps) -> bytes:
    """A workbook of one sheet made by `steps`: ("line", (row, values)) puts a line the way
    the Data and History sheets do; ("cell", (row, col, value)) puts one cell; ("comment",
    (row, col, text)) adds a cell comment."""
    buffer = io.BytesIO()
    book = excel._Book(buffer, excel.OPTIONS)
    fmt = book.add_format({"font_name": "Arial"})
    other = book.add_format({"bold": True})
    sheet = book.add_worksheet("Data")
    for kind, args in steps:
        if kind == "line":
            row, values = args
            excel._put_line(sheet, row, values, fmt)
        elif kind == "cell":
            row, col, value = args
            put(sheet, row, col, value, other)
        else:
            sheet.write_comment(*args)
    book.close()
    return buffer.getvalue()


STEPS: dict[str, Steps] = {
    "lines": [("line", (r, ("a", r, None, 1.5, -0.0, 10**20))) for r in range(1, 40)],
    "a cell written over a line": [
        ("line", (1, ("a", "b", 3.0))),
        ("cell", (1, 1, "over")),
        ("cell", (1, 5, 7)),
        ("line", (2, ("c",))),
    ],
    "a line put twice on one row": [("line", (3, ("a", 1.0))), ("line", (3, (None, "b", 2)))],
    "a line beside cells written first": [("cell", (4, 3, "x")), ("line", (4, ("a", "b")))],
    "lines of a sheet with comments": [
        ("line", (1, ("a", 2.0))),
        ("comment", (1, 0, "said")),
        ("line", (17, ("b",))),
    ],
    "cells a line does not write itself": [
        ("line", (1, ("a", math.nan, True, "x" * 20_000))),
        ("line", (2, ("b", math.inf))),
    ],
}


@pytest.mark.parametrize("name", sorted(STEPS))
def test_lines_put_whole_are_xlsxwriters_own_bytes(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line of plain cells has its XML written when it is put; a cell written into its
    row afterwards, a second line on the row, or a comment on the sheet puts it back
    among xlsxwriter's cells. Every way gives xlsxwriter's own bytes."""
    quick = _book_bytes(STEPS[name])
    _own_worksheet(monkeypatch)
    assert quick == _book_bytes(STEPS[name])
