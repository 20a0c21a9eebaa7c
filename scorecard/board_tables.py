"""The analyst's own tables a board definition names (risk registers, domain narratives).

Each is a CSV file or a sheet of an Excel workbook (.xlsx): the header row, then a row per
entry; columns are found by name (compared without case, in any order, others ignored),
blank lines are skipped and every cell is kept as text. In a workbook the header may sit
below a title block, and rows are numbered as the sheet numbers them, so an error names the
row the analyst sees. Read like the published files (scorecard.sources.text): the same
encodings, and the same refusals of a cut or joined file. Pure: bytes in, a frame out.

These tables name a domain of the board by its `name` or by its `id` (`id = "safe"` in the
definition's `[[domains]]`), compared without case or extra spaces (`domain_names`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import replace

import polars as pl
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

from scorecard.errors import SourceError
from scorecard.model import BoardSpec
from scorecard.sources.text import ROW, normalise, published_columns, read_table
from scorecard.sources.workbook import HEADER_ROWS, cell_text, is_workbook, refuse_unreadable


def read_board_table(
    file: str, data: bytes, columns: Mapping[str, str], what: str, sheet: str | None = None
) -> tuple[str, pl.DataFrame]:
    """The table's name for messages (with its sheet) and its rows: `_row` and a text column
    per key of `columns` (key -> the column's name in the file, all required)."""
    lines: list[int] | None = None
    if is_workbook(file, data):
        file, text, lines = _sheet_text(file, data, columns, sheet)
        data = text.encode("utf-8")
    try:
        header, body = read_table(file, data)
        renames = published_columns(file, header, columns, what)
        if not body.height:
            raise SourceError(file, f"no rows below the header: expected the {what}", row=2)
    except SourceError as exc:
        if lines is None:
            raise
        raise SourceError.of(
            [replace(p, row=_sheet_row(lines, p.row)) for p in exc.problems]
        ) from None
    frame = body.select(ROW, *renames).rename(renames)
    if lines is not None:
        frame = frame.with_columns(pl.col(ROW).map_elements(lambda n: lines[n - 1], pl.Int64))
    return file, frame


def _sheet_row(lines: list[int], row: int | None) -> int | None:
    """Line `row` of a sheet's CSV text as the sheet's own row number."""
    return lines[row - 1] if row is not None and 0 < row <= len(lines) else row


def _sheet_text(
    file: str, data: bytes, columns: Mapping[str, str], sheet: str | None
) -> tuple[str, str, list[int]]:
    """A sheet as CSV text from its header row down, and each line's row in the sheet."""
    refuse_unreadable(file, data)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        if not names:
            raise SourceError(file, "the workbook has no worksheet")
        name = names[0] if sheet is None else next((n for n in names if n == sheet), None)
        if name is None:
            raise SourceError(file, f"no sheet '{sheet}': the sheets are {', '.join(names)}")
        values = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError, UnicodeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SourceError(file, f"not a readable Excel workbook: {first}") from None
    label = f"{file} [{name}]"
    rows = [[cell_text(v) for v in row] for row in values]
    wanted = {normalise(c) for c in columns.values()}
    found = [len(wanted & {normalise(c) for c in row}) for row in rows[:HEADER_ROWS]]
    if max(found, default=0) < 2:
        heads = ", ".join(columns.values())
        raise SourceError(label, f"no header row with the columns {heads} in its first rows")
    at = found.index(max(found))  # the row most like the header (the first, in a tie)
    return label, _csv(rows[at:]), list(range(at + 1, len(rows) + 1))


def _csv(rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def domain_names(spec: BoardSpec) -> dict[str, str | None]:
    """Each way a table may name a domain of the board (its name or id, compared without
    case or extra spaces) -> the domain's name; None where it could mean two domains."""
    found: dict[str, str | None] = {}
    for d in spec.domains:
        for key in {normalise(d.name), *([normalise(d.id)] if d.id else [])}:
            found[key] = d.name if found.get(key, d.name) == d.name else None
    return found


def known_domains(spec: BoardSpec) -> str:
    """The board's domains as an error message lists them: `id (name)` or the name."""
    return "; ".join(f"{d.id} ({d.name})" if d.id else d.name for d in spec.domains)
