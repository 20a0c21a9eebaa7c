"""great-tables' table (`GT`), formatting its body a column at a time.

Before it renders, great-tables formats the body cell by cell: each formatted value, and
each plain value once escaped, is written into a polars frame with one `frame[row, col] =
value` (a new Series and a scatter each): about a third of a catalogue card's HTML for
the hundreds of cells of every organisation's card. `QuickGT` works out the same values,
with the same formatters in the same order, and builds the body in one step: the same
table, and so the same bytes, at a fraction of the cost.

It overrides `GT._render_formats`, a private method, so it does so only with the
great-tables versions whose bytes tests/test_gt_quick.py checks against `GT`'s own
(`QUICK_VERSIONS`), and only for a table of text columns (all scorecard renders); any
other table, or any other version, is formatted by great-tables itself.
"""

from __future__ import annotations

from typing import Any, TypeGuard

import great_tables as gt
import polars as pl
from great_tables._gt_data import (
    Body,
    FormatterSkipElement,
    GTData,
    Heading,
    Locale,
    Options,
    OptionsInfo,
    Spanners,
    SummaryRows,
    _prep_gt,
)
from great_tables._helpers import GoogleFontImports
from great_tables._text import _process_text

QUICK_VERSIONS = ("1.1.",)
QUICK = str(getattr(gt, "__version__", "")).startswith(QUICK_VERSIONS)


class QuickGT(gt.GT):
    """`gt.GT`, whose body is formatted a column at a time (see the module's note)."""

    def __init__(
        self,
        data: Any,
        rowname_col: str | list[str] | None = None,
        groupname_col: str | None = None,
        auto_align: bool = True,
        id: str | None = None,
        locale: str | None = None,
    ) -> None:
        if not (QUICK and _text_only(data)):
            super().__init__(data, rowname_col, groupname_col, auto_align, id, locale)
            return
        # `GTData.from_data`, with the body's empty frame (every cell null, as text) made
        # at once: great-tables' `create_empty_frame` takes some 3 ms for a card's table.
        stub, boxhead = _prep_gt(data, rowname_col, groupname_col, auto_align)
        options = (
            Options() if id is None else Options(table_id=OptionsInfo(True, "table", "value", id))
        )
        GTData.__init__(
            self,
            _tbl_data=data,
            _body=Body(_nulls(data)),
            _boxhead=boxhead,
            _stub=stub,
            _spanners=Spanners([]),
            _heading=Heading(),
            _stubhead=None,
            _summary_rows=SummaryRows(),
            _summary_rows_grand=SummaryRows(_is_grand_summary=True),
            _source_notes=[],
            _footnotes=[],
            _styles=[],
            _locale=Locale(locale),
            _formats=[],
            _substitutions=[],
            _col_merge=[],
            _transforms=[],
            _options=options,
            _google_font_imports=GoogleFontImports(),
        )

    def _render_formats(self, context: str) -> Any:
        data, body = self._tbl_data, self._body.copy()
        empty = body.body
        if QUICK and _text_only(data) and _text_only(empty):
            cells = _formatted(self, context, data, empty)
            if cells is not None:
                body.body = pl.DataFrame(cells, schema=empty.schema)
                result = self._replace(_body=body)
                stub = self._stub.update_group_row_labels(result._body, data, self._boxhead)
                return result._replace(_stub=stub)
        return super()._render_formats(context)


def _formatted(
    table: gt.GT, context: str, data: pl.DataFrame, empty: pl.DataFrame
) -> dict[str, list[Any]] | None:
    """The body's cells, column by column, as `GT._render_formats` sets them one by one:
    each cell a format gives a value (the later format, where two do), else its value as
    text, escaped for `context`; a null stays null. None if a format gives other than text
    (great-tables then formats the table itself)."""
    source = {name: data.get_column(name).to_list() for name in data.columns}
    formatted: dict[tuple[str, int], Any] = {}
    for fmt in [*table._formats, *table._substitutions]:
        func = getattr(fmt.func, context, fmt.func.default)
        for col, row in fmt.cells.resolve():
            result = func(source[col][row])
            if not isinstance(result, FormatterSkipElement):
                formatted[(col, row)] = result
    if any(v is not None and v.__class__ is not str for v in formatted.values()):
        return None
    cells = {name: empty.get_column(name).to_list() for name in empty.columns}
    for name, values in source.items():
        column = cells[name]
        for row, value in enumerate(values):
            if (name, row) in formatted:
                column[row] = formatted[(name, row)]
            elif value is not None:  # a null is left for great-tables to fill
                column[row] = _process_text(str(value), context=context)
    return cells


def _nulls(frame: pl.DataFrame) -> pl.DataFrame:
    """A frame of `frame`'s columns and height, every cell null text (`create_empty_frame`)."""
    empty = [None] * frame.height
    return pl.DataFrame(dict.fromkeys(frame.columns, empty), schema=frame.schema)


def _text_only(frame: object) -> TypeGuard[pl.DataFrame]:
    """A polars frame whose every column holds text."""
    return isinstance(frame, pl.DataFrame) and all(
        dtype == pl.String for dtype in frame.schema.values()
    )
