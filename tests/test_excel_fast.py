"""The quick workbook writer (render/excel.py's `_Sheet`) writes xlsxwriter's own bytes.

`_Sheet` writes the commonest cells' XML itself and fills a Data sheet a line at a time,
leaning on xlsxwriter's internals. It is used only with the xlsxwriter versions listed in
`FAST_VERSIONS`, and this is the check that holds it there: every sheet of a trust's and a
board's workbook, and a Data sheet with blanks, numbers that are not finite and text past
Excel's limit, must be byte for byte what xlsxwriter's own worksheet writes.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import polars as pl
import pytest
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from scorecard import api
from scorecard.cards import board_for, scorecard_for
from scorecard.model import Scorecard
from scorecard.periods import Month
from scorecard.render import excel
from scorecard.render.tables import scorecard_rows

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
