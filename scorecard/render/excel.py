"""Scorecard -> an Excel workbook (xlsxwriter) for analysts, as bytes.

Sheets: Scorecard (formatted for reading: domain headers, ratings as coloured cells with
their text, a trend sparkline, frozen headings); for a board, Summary (executive summary,
coverage, domain summary with each domain's narrative and linked risks) and Exceptions
(reason, rule, history, commentary as written), and Matrix and Risks when the board has an
assurance matrix or a risk register (render/excel_board.py);
History (each row's monthly values, which the sparklines draw); Data (the tidy table of
`tables.scorecard_rows`, unrounded).

Same card, same bytes: the workbook is built in memory, its created date is the scorecard's
month (never the clock), and xlsxwriter stamps its zip entries with a fixed 1980 date.
Text is always written as text, never as a formula or a link. The cells' XML, and a Data
sheet's lines, are written by a worksheet of xlsxwriter's made faster (`_Sheet`, with the
xlsxwriter versions it was checked against): the same bytes, at a fraction of the cost for
the thousands of cells of every organisation's card.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from functools import cache
from typing import Any

import polars as pl
import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.utility import (  # type: ignore[import-untyped]
    xl_col_to_name,
    xl_rowcol_to_cell,
)
from xlsxwriter.worksheet import (  # type: ignore[import-untyped]
    CellBlankTuple,
    CellNumberTuple,
    CellStringTuple,
    Worksheet,
)

from scorecard.model import Rating, Row, Scorecard
from scorecard.render.cells import (
    WINDOW_HEADINGS,
    colours,
    lower_text,
    period_text,
    rating_heading,
    span_text,
    standard_text,
    value_text,
)
from scorecard.render.excel_board import exceptions_sheet, matrix_sheet, risks_sheet, summary_sheet
from scorecard.render.summary import (
    domain_label,
    scorecard_notes,
)
from scorecard.render.tables import scorecard_rows
from scorecard.render.xlsx_cells import heading
from scorecard.render.xlsx_cells import put as _put

OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
BLUE, GREY_FILL = "#005EB8", "#E8EDEE"
Formats = dict[str, Any]


class _Sheet(Worksheet):  # type: ignore[misc]
    """xlsxwriter's worksheet, writing the XML of its commonest cells (formatted text, number
    or blank) itself: the bytes `Worksheet._write_cell` writes, at a fraction of its cost for
    the thousands of cells of a Data sheet. Any other cell is written as xlsxwriter writes it.
    """

    def __init__(self) -> None:
        super().__init__()
        self._xf: dict[int, int] = {}  # each format's index, by the format's id
        # The lines `put_line` wrote whole: row -> (their format, their cells' XML with _XF
        # where the format's index goes, their values, their text's shared-string indices).
        self._lines: dict[int, tuple[Any, str, tuple[Any, ...], list[int]]] = {}

    def _xf_index(self, fmt: Any) -> int:
        # Fixed by now (the workbook numbers its formats first); read once, as a format
        # equal to an earlier one works its index out again on every call.
        if (index := self._xf.get(id(fmt))) is None:
            index = self._xf[id(fmt)] = fmt._get_xf_index()
        return int(index)

    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        kind = type(cell).__name__  # xlsxwriter's cell tuples are told apart by name
        if cell.format is None or kind not in ("String", "Number", "Blank"):
            super()._write_cell(row, col, cell)
            return
        start = f'<c r="{_column(col)}{row + 1}" s="{self._xf_index(cell.format)}"'
        if kind == "String":  # an index into the shared strings
            self.fh.write(f'{start} t="s"><v>{cell.string}</v></c>')
        elif kind == "Number":
            self.fh.write(f"{start}><v>{cell.number:.16G}</v></c>")
        else:
            self.fh.write(f"{start}/>")

    def _calculate_spans(self) -> None:
        """xlsxwriter's `spans` of each block of 16 rows, from each row's own cells rather
        than a look-up of every column of the sheet in every row."""
        if self.comments:
            self._spill_shared(every=True)
            super()._calculate_spans()
            return
        spans: dict[int, str] = {}
        low: int | None = None
        high = 0
        first, last = self.dim_colmin, self.dim_colmax
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            line = self._lines.get(row_num)
            cells = range(len(line[2])) if line else self.table.get(row_num)
            if cells:
                cols = [c for c in cells if first <= c <= last]
                if cols:
                    low, high = (
                        (min(cols), max(cols))
                        if low is None
                        else (min(low, *cols), max(high, *cols))
                    )
            ends = (row_num + 1) % 16 == 0 or row_num == self.dim_rowmax
            if ends and low is not None:
                spans[int(row_num / 16)] = f"{low + 1}:{high + 1}"
                low = None
        self.row_spans = spans

    def _write_rows(self) -> None:
        """xlsxwriter's rows, each row's cells taken from the row itself in column order
        rather than by a look-up of every column of the sheet."""
        self._spill_shared()
        self._calculate_spans()
        table, info, comments, lines = self.table, self.row_info, self.comments, self._lines
        first, last = self.dim_colmin, self.dim_colmax
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = table[row_num]  # (made where missing, as xlsxwriter's own does)
            line = lines.get(row_num)
            if not (row_num in info or row_num in comments or cells or line):
                continue
            span = self.row_spans.get(int(row_num / 16))
            if line is not None:  # its cells' XML as put_line wrote it
                self._write_row(row_num, span, info.get(row_num))
                self.fh.write(line[1].replace(_XF, str(self._xf_index(line[0]))))
                self._xml_end_tag("row")
            elif cells:
                self._write_row(row_num, span, info.get(row_num))
                for col_num in sorted(cells):
                    if first <= col_num <= last:
                        self._write_cell(row_num, col_num, cells[col_num])
                self._xml_end_tag("row")
            else:
                self._write_empty_row(row_num, span, info.get(row_num))

    def put_line(self, row: int, values: tuple[Any, ...], fmt: Any) -> None:
        """A line of cells from the first column, each as `put` writes it. A line of the
        cells a Data sheet is made of (text short enough never to be cut, a finite number,
        or nothing: a blank cell) in a row of its own has its cells' XML written now, as
        `_write_cell` would write them; any other line is put a cell at a time."""
        if not values:
            return
        if self._check_dimensions(row, 0) or self._check_dimensions(row, len(values) - 1):
            return
        whole = fmt is not None and not self.table.get(row) and row not in self._lines
        if whole and all(map(_plain, values)):
            self._lines[row] = (fmt, *self._line_xml(row, values))
            return
        cells = self.table[row]
        strings = self.str_table
        for col, value in enumerate(values):
            kind = value.__class__
            if value is None:
                cells[col] = CellBlankTuple(fmt)
            elif kind is str and len(value) <= _SHORT:
                cells[col] = CellStringTuple(strings._get_shared_string_index(value), fmt)
            elif (kind is float and math.isfinite(value)) or kind is int:
                cells[col] = CellNumberTuple(value, fmt)
            else:
                _put(self, row, col, value, fmt)

    def _line_xml(
        self, row: int, values: tuple[Any, ...]
    ) -> tuple[str, tuple[Any, ...], list[int]]:
        """The cells' XML of a line of `_plain` values (the format's index left as _XF), the
        values, and the shared-string index of each text, in order."""
        strings = self.str_table
        line = row + 1
        parts = []
        indices = []
        for col, value in enumerate(values):
            start = f'<c r="{_column(col)}{line}" s="{_XF}"'
            if value is None:
                parts.append(f"{start}/>")
            elif value.__class__ is str:
                index = strings._get_shared_string_index(value)
                indices.append(index)
                parts.append(f'{start} t="s"><v>{index}</v></c>')
            else:
                parts.append(f"{start}><v>{value:.16G}</v></c>")
        return "".join(parts), values, indices

    def _spill(self, row: int) -> None:
        """A line put whole, put instead as xlsxwriter's cells (its text already counted),
        under any cell written into its row since (which, written later, wins)."""
        fmt, _, values, indices = self._lines.pop(row)
        cells = self.table[row]
        texts = iter(indices)
        for col, value in enumerate(values):
            if value is None:
                cell = CellBlankTuple(fmt)
            elif value.__class__ is str:
                cell = CellStringTuple(next(texts), fmt)
            else:
                cell = CellNumberTuple(value, fmt)
            cells.setdefault(col, cell)

    def _spill_shared(self, every: bool = False) -> None:
        """Lines put whole whose row has other cells too (or, with `every`, every line),
        put as xlsxwriter's cells."""
        for row in [r for r in self._lines if every or self.table.get(r)]:
            self._spill(row)


_SHORT = 32767 // 2  # text this long or shorter is never cut (xlsxwriter's own test)
_XF = "\x00"  # where a line's format index goes (no cell's XML holds it otherwise)


def _plain(value: Any) -> bool:
    """A cell put_line writes itself: nothing, text never cut, or a finite number."""
    kind = value.__class__
    return (
        value is None
        or (kind is str and len(value) <= _SHORT)
        or kind is int
        or (kind is float and math.isfinite(value))
    )


@cache
def _column(col: int) -> str:
    return str(xl_col_to_name(col))


# `_Sheet` leans on xlsxwriter's internals (its cell tuples, cell table and shared strings),
# so it writes only with the xlsxwriter versions whose bytes tests/test_excel_fast.py checks
# against xlsxwriter's own worksheet's; with any other, xlsxwriter's own worksheet writes.
FAST_VERSIONS = ("3.2.", "3.3.")
FAST = str(xlsxwriter.__version__).startswith(FAST_VERSIONS)


class _Book(xlsxwriter.Workbook):  # type: ignore[misc]
    worksheet_class = _Sheet if FAST else Worksheet


def _put_line(sheet: Any, row: int, values: tuple[Any, ...], fmt: Any) -> None:
    if isinstance(sheet, _Sheet):
        sheet.put_line(row, values, fmt)
        return
    for col, value in enumerate(values):
        _put(sheet, row, col, value, fmt)


def _formats(book: Any) -> Formats:
    base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
    fmt = {
        "title": book.add_format({**base, "bold": True, "font_size": 14, "font_color": BLUE}),
        "meta": book.add_format({**base, "font_color": "#425563"}),
        "head": book.add_format({**base, "bold": True, "bg_color": GREY_FILL, "text_wrap": True}),
        "domain": book.add_format({**base, "bold": True, "bg_color": "#D8DDE0"}),
        "text": book.add_format({**base, "text_wrap": True}),
        "right": book.add_format({**base, "text_wrap": True, "align": "right"}),
        "plain": book.add_format(base),
        "number": book.add_format(base),
    }
    for rating in Rating:
        fill, text = colours(rating)
        fmt[rating.value] = book.add_format(
            {**base, "bold": True, "align": "center", "bg_color": fill, "font_color": text}
        )
        fmt[f"window {rating.value}"] = book.add_format(
            {**base, "text_wrap": True, "align": "right", "bg_color": fill, "font_color": text}
        )
    return fmt


def _scorecard_sheet(book: Any, card: Scorecard, fmt: Formats, history: dict[int, str]) -> None:
    sheet = book.add_worksheet("Scorecard")
    heading(sheet, card, fmt)
    heads = ["Indicator", "Organisation monitored", "Code", "Period", "Standard"]
    heads += ["Lower threshold", *(WINDOW_HEADINGS[w] for w in card.windows)]
    heads += ["Trend", rating_heading(card), "Rule", "Commentary"]
    widths = [38, 30, 7, 10, 18, 10, *(24 for _ in card.windows), 16, 14, 60, 50]
    for col, (head, width) in enumerate(zip(heads, widths, strict=True)):
        sheet.set_column(col, col, width)
        _put(sheet, 3, col, head, fmt["head"])
    sheet.freeze_panes(4, 1)
    groups: list[tuple[str | None, tuple[Row, ...]]] = [
        (f"{domain_label(d)}. {d.rule}", d.rows) for d in card.domains
    ]
    r = 4
    for label, rows in groups or [(None, card.rows)]:
        if label is not None:
            sheet.merge_range(r, 0, r, len(heads) - 1, None, fmt["domain"])
            _put(sheet, r, 0, label, fmt["domain"])  # text as text, never a formula
            r += 1
        for row in rows:
            _scorecard_row(sheet, r, row, card, fmt, history.get(card.rows.index(row)))
            r += 1
    notes = scorecard_notes(card)
    for i, note in enumerate(notes, start=r + 1):
        _put(sheet, i, 0, note, fmt["plain"])
    sheet.activate()


def _scorecard_row(
    sheet: Any, r: int, row: Row, card: Scorecard, fmt: Formats, spark: str | None
) -> None:
    main, detail = standard_text(row)
    cells: list[Any] = [
        row.indicator.name,
        row.org_name,
        row.org_code,
        period_text(row),
        f"{main}\n{detail}" if detail else main,
        lower_text(row),
    ]
    sheet.set_row(r, 45)
    for col, value in enumerate(cells):
        _put(sheet, r, col, value, fmt["right" if col >= 4 else "text"])
    for w in card.windows:  # each window's value, span and own rating, coloured by it
        cell = row.cell(w)
        text = f"{value_text(cell, row)}\n{span_text(cell, row)}\n{cell.rating.rating.value}"
        _put(sheet, r, len(cells), text, fmt.get(f"window {cell.rating.rating.value}"))
        cells.append(text)
    trend = len(cells)
    _put(sheet, r, trend, None, fmt["plain"])
    if spark is not None:
        sheet.add_sparkline(r, trend, {"range": spark, "last_point": True, "empty_cells": "gaps"})
    rating = row.rated.rating
    _put(sheet, r, trend + 1, rating.rating.value, fmt.get(rating.rating.value, fmt["text"]))
    _put(sheet, r, trend + 2, rating.rule, fmt["text"])
    _put(sheet, r, trend + 3, row.comment, fmt["text"])


def _history_ranges(card: Scorecard) -> dict[int, str]:
    """Where each row's values sit on the History sheet (by row index): one line per month,
    rows one after another under a heading line."""
    ranges: dict[int, str] = {}
    first = 1
    for i, row in enumerate(card.rows):
        if row.history:
            last = first + len(row.history) - 1
            ranges[i] = f"History!{xl_rowcol_to_cell(first, 4)}:{xl_rowcol_to_cell(last, 4)}"
            first = last + 1
    return ranges


def _history_sheet(book: Any, card: Scorecard, fmt: Formats) -> None:
    """One line per row and month, in the layout `_history_ranges` describes."""
    sheet = book.add_worksheet("History")
    heads = ["indicator_id", "indicator_name", "org_code", "month", "value"]  # a period's last
    for col, head in enumerate(heads):
        _put(sheet, 0, col, head, fmt["head"])
    sheet.set_column(0, 2, 24)
    sheet.freeze_panes(1, 0)
    r = 1
    plain = fmt["plain"]
    for row in card.rows:
        ind = row.indicator
        for month, value in row.history:
            _put_line(sheet, r, (ind.id, ind.name, row.org_code, month.iso(), value), plain)
            r += 1


def _data_sheet(book: Any, frame: pl.DataFrame, fmt: Formats) -> None:
    sheet = book.add_worksheet("Data")
    for col, name in enumerate(frame.columns):
        _put(sheet, 0, col, name, fmt["head"])
    for r, values in enumerate(frame.iter_rows(), start=1):
        _put_line(sheet, r, values, fmt["number"])
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, frame.height, len(frame.columns) - 1)
    sheet.set_column(0, len(frame.columns) - 1, 14)


def render_xlsx(card: Scorecard, rows: pl.DataFrame | None = None) -> bytes:
    """The workbook's bytes; same card, same bytes. `rows` is the card's `scorecard_rows`
    (its Data sheet), when the caller has it already."""
    buffer = io.BytesIO()
    book = _Book(buffer, OPTIONS)
    book.set_properties(
        {
            "title": card.title,
            "subject": f"{card.org_name} ({card.org_code}), {card.period.label()}",
            "author": "scorecard",
            "created": dt.datetime(card.period.year, card.period.month, 1),
        }
    )
    fmt = _formats(book)
    ranges = _history_ranges(card)
    _scorecard_sheet(book, card, fmt, ranges)
    if card.domains:
        summary_sheet(book, card, fmt)
        exceptions_sheet(book, card, fmt)
        matrix_sheet(book, card, fmt)
        risks_sheet(book, card, fmt)
    _history_sheet(book, card, fmt)
    _data_sheet(book, scorecard_rows(card) if rows is None else rows, fmt)
    book.close()
    return buffer.getvalue()
