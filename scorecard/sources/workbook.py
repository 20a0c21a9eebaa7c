"""NHS England's Excel workbooks (.xlsx, .xls), read sheet by sheet through the CSV adapters.

Each sheet becomes the CSV text its hand conversion gives (the conventions of the real-data
README): the header row verbatim, the title block above it dropped, blank rows and empty spacer
columns dropped, numbers as stored (integers without `.0`, fractions in full), text as is. In
sheets that stack sections (cancer waiting times), a repeated column-header row is dropped with
the text-only rows just above it (the `PART B: ...` title and group-header rows), so every
section sits under the one header. That text goes to the layout whose header the row matches,
exactly as a CSV file would; errors name the file and sheet, and the sheet's own row numbers.
The month comes from the title block above the header (`Period: April 2019`, `Jul-24`,
`PERIOD: JUL 2023/24`) unless --period is given. The publication status comes from the title
blocks and front pages: `Status: Provisional` (or Final), and `Revised: 9th July 2015` means
revised (`Revised: N/A` does not). Pure apart from opening the workbook.

A sheet is skipped, and listed, when no layout matches its header row, when the matched layout
finds a column missing from it (another breakdown of the same figures), or when it is one of
NOT_READ or named like NOT_READ_ENDING (the RTT `Provider with DTA` sheets); chart sheets are
listed as skipped too. Past the header, any error fails the workbook, as it fails a CSV file.

Sheets of one layout that split its organisations between them (the RTT provider workbooks'
`Provider` sheet of NHS trusts and `IS Provider` sheet of independent-sector providers) are
one publication: they are stored together, as one extract named after both sheets (each
organisation's provenance rows are those of its own sheet). Sheets of one layout naming the
same organisation would replace each other, and the workbook is refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import polars as pl
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

from scorecard.errors import SourceError
from scorecard.periods import Month
from scorecard.sources.base import Extract, SourceFormat
from scorecard.sources.checks import refuse_empty
from scorecard.sources.joined import join_split_sheets
from scorecard.sources.naming import latest_status, status_from_name
from scorecard.sources.sheet_extent import check_xlsx_extent
from scorecard.sources.text import normalise
from scorecard.sources.tidy import row_numbers, row_ranges

SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # zip (xlsx), OLE2 (xls)
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # the stream an encrypted .xlsx is kept in
_PROTECTED = (
    "the workbook is password-protected (encrypted), so it cannot be read; open it in Excel, "
    "remove the password, save it and ingest that copy"
)
HEADER_ROWS = 40  # the header row is looked for among a sheet's first rows
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
_PERIOD = re.compile(r"^period\s*:\s*(.*)$", re.IGNORECASE)
_FY = re.compile(r"^([a-z]+)[\s-]+(\d{4})\s*/\s*(\d{2})$", re.IGNORECASE)  # JUL 2023/24
_MONTH = re.compile(r"^([a-z]+)[\s-]+(\d{4}|\d{2})$", re.IGNORECASE)  # April 2019, Jul-24
_DATE = re.compile(r"^(\d{4})-(\d{2})-\d{2}([ T][\d:.]+)?$")  # a date cell, as cell_text writes it
_STATUS = re.compile(r"^status\s*:\s*(.*)$", re.IGNORECASE)
_REVISED = re.compile(r"^revised\s*:\s*(.*)$", re.IGNORECASE)
_NOT_REVISED = re.compile(r"^(n/?a|none|not revised|no|-)?$", re.IGNORECASE)
# Published sheets whose header a read layout matches but whose rows it refuses, and why
# (none today: the cancer workbook's 31-DAY (BY CANCER) sheet, once listed here, is read).
NOT_READ: dict[str, str] = {}
NOT_READ_ENDING = {
    " with dta": "incomplete pathways with a decision to admit (a subset of the waiting list) "
    "are not read"
}


@dataclass(frozen=True)
class Workbook:
    """The sheets read from one workbook, and a line for each sheet skipped."""

    extracts: list[Extract]
    skipped: list[str]


def is_workbook(file: str, data: bytes) -> bool:
    """An Excel (or OpenDocument) workbook by its first bytes, whatever its name: a zip
    (.xlsx, .ods) or an OLE2 compound file (.xls, or an encrypted workbook)."""
    return data.startswith(_MAGIC)


def refuse_unreadable(file: str, data: bytes) -> None:
    """Refuse, before python-calamine sees it, a workbook it cannot read or would abort on:
    a password-protected one (an OLE2 container with an EncryptedPackage stream) and an
    .xlsx whose sheet spans more cells than MAX_CELLS (sheet_extent)."""
    if data.startswith(_MAGIC[1]) and _ENCRYPTED in data:
        raise SourceError(file, _PROTECTED)
    if data.startswith(_MAGIC[0]):
        check_xlsx_extent(file, data)


def cell_text(value: object) -> str:
    """A cell as the CSV conversion writes it: whole numbers without `.0`, text as is."""
    if value is None or isinstance(value, str):
        return value or ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def parse_month(text: str) -> Month | None:
    """`April 2019`, `Apr-19`, `JUL 2023/24` (a month of a financial year) or a date cell."""
    text = text.strip()
    if m := _FY.match(text):
        start = int(m.group(2))
        month = Month.from_name(m.group(1), start)
        if month is None or int(m.group(3)) != (start + 1) % 100:
            return None
        return month if month.month >= 4 else Month(start + 1, month.month)
    if m := _MONTH.match(text):
        year = int(m.group(2))
        return Month.from_name(m.group(1), year if year >= 100 else 2000 + year)
    if (m := _DATE.match(text)) and 1 <= int(m.group(2)) <= 12:
        return Month(int(m.group(1)), int(m.group(2)))
    return None


def title_month(rows: Sequence[Sequence[str]]) -> Month | None:
    """The month a title block names: a `Period:` cell (or the cell after it), else a row
    holding nothing but a month (`Jul-24`). None when it names none."""
    cells = [[c.strip() for c in row if c.strip()] for row in rows]
    for row in cells:
        for i, cell in enumerate(row):
            if m := _PERIOD.match(cell):
                value = m.group(1) or (row[i + 1] if i + 1 < len(row) else "")
                if (month := parse_month(value)) is not None:
                    return month
    for row in cells:
        if len(row) == 1 and (month := parse_month(row[0])) is not None:
            return month
    return None


def title_status(rows: Sequence[Sequence[str]]) -> str | None:
    """The status a title block states: `Status: Provisional` (or Final, or Revised), or a
    `Revised:` line with a date. None when it states none (`Status: Published`)."""
    found: list[str | None] = []
    for row in [[c.strip() for c in row if c.strip()] for row in rows]:
        for i, cell in enumerate(row):
            after = row[i + 1] if i + 1 < len(row) else ""
            if m := _STATUS.match(cell):
                found.append(status_from_name(m.group(1) or after))
            elif (m := _REVISED.match(cell)) and not _NOT_REVISED.match(m.group(1) or after):
                found.append("revised")
    return latest_status(*found)


def find_header(
    rows: Sequence[Sequence[str]], formats: Sequence[SourceFormat], threshold: float
) -> tuple[int, SourceFormat] | None:
    """The first of the top rows that best matches a layout, if it reaches the threshold.

    Ties between layouts go as in detect_format (the later one in `formats`).
    """
    best: tuple[float, int, int] | None = None  # score, row, layout
    for r, row in enumerate(rows[:HEADER_ROWS]):
        header = [c.strip() for c in row if c.strip()]
        if len(header) > 1:
            score, i = max((f.match(header), i) for i, f in enumerate(formats))
            if score >= threshold and (best is None or score > best[0]):
                best = (score, r, i)
    return None if best is None else (best[1], formats[best[2]])


def sheet_csv(rows: Sequence[Sequence[str]], header_at: int) -> tuple[str, list[int]]:
    """The CSV text of the header row and the rows below it, and each line's sheet row."""
    header = [normalise(c) for c in rows[header_at]]
    kept: list[int] = [header_at]
    pending: list[int] = []  # text-only rows since the last row with a number
    numbers = False
    for i in range(header_at + 1, len(rows)):
        row = rows[i]
        if not any(c.strip() for c in row):
            continue  # a blank spacer row
        if [normalise(c) for c in row] == header:
            pending = []  # a repeated header: drop it and the section title rows above it
        elif any(_NUMBER.match(c.strip()) for c in row):
            kept += [*pending, i]
            pending, numbers = [], True
        else:
            pending.append(i)
    if not numbers:
        kept += pending  # a sheet of text only (no trailing notes to drop)
    else:
        # After the last row with a number, a note is one cell of text; a row of several
        # filled cells is still data (a Yes/No answer with its organisation and month).
        kept += [i for i in pending if sum(1 for c in rows[i] if c.strip()) >= 2]
    width = max(len(rows[i]) for i in kept)
    cells = [list(rows[i]) + [""] * (width - len(rows[i])) for i in kept]
    columns = [c for c in range(width) if any(row[c].strip() for row in cells)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([row[c] for c in columns] for row in cells)
    return out.getvalue(), [i + 1 for i in kept]


def read_workbook(
    file: str,
    data: bytes,
    formats: Sequence[SourceFormat],
    threshold: float,
    period_hint: str | None = None,
) -> Workbook:
    """Every sheet whose header matches a layout, parsed by it; the others skipped."""
    extracts, skipped = [], []
    refuse_unreadable(file, data)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for m in book.sheets_metadata:
            if m.typ == SheetTypeEnum.WorkSheet:
                sheet = book.get_sheet_by_name(m.name)
                sheets.append((m.name, sheet.to_python(skip_empty_area=False)))
            else:  # chart, macro or dialog sheets hold no table
                kind = str(m.typ).rsplit(".", 1)[-1].removesuffix("Sheet").lower()
                skipped.append(f"{m.name}: a {kind} sheet, skipped")
    except (CalamineError, ValueError, OSError, UnicodeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "password" in first.lower():  # an .xls protected by its own (BIFF) encryption
            raise SourceError(file, _PROTECTED) from None
        raise SourceError(file, f"not a readable Excel workbook: {first}") from None
    statuses: list[str | None] = []
    for name, values in sheets:
        rows = [[cell_text(v) for v in row] for row in values]
        found = find_header(rows, formats, threshold)
        statuses.append(title_status(rows[: found[0] if found else HEADER_ROWS]))
        if found is None:
            skipped.append(f"{name}: no known layout, skipped")
            continue
        at, fmt = found
        if (why := _not_read(name)) is not None:
            skipped.append(f"{name}: {why}, skipped")
            continue
        text, lines = sheet_csv(rows, at)
        month = title_month(rows[:at])
        hint = period_hint or (month.iso() if month else None)
        try:
            extracts.append(_parse(fmt, f"{file} [{name}]", text, lines, hint))
        except _HeaderRejected as exc:
            skipped.append(f"{name}: not the {fmt.name} layout (column '{exc.column}'), skipped")
    if not extracts:
        known = "; ".join(f.description for f in formats)
        raise SourceError(
            file, f"no sheet has a known published layout ({'; '.join(skipped)}; known: {known})"
        )
    extracts = join_split_sheets(file, extracts)
    _refuse_repeats(file, extracts)
    status = latest_status(*statuses)
    return Workbook(
        [replace(ex, status=latest_status(ex.status, status)) for ex in extracts], skipped
    )


def _not_read(sheet: str) -> str | None:
    """Why a sheet whose header a read layout matches is not read; None when it is read."""
    name = normalise(sheet)
    if name in NOT_READ:
        return NOT_READ[name]
    return next((why for end, why in NOT_READ_ENDING.items() if name.endswith(end)), None)


def _refuse_repeats(file: str, extracts: list[Extract]) -> None:
    """Two sheets stored as the same dataset, scope and months would replace each other."""
    seen: dict[tuple[str, str, tuple[dt.date, ...]], str] = {}
    for ex in extracts:
        months = tuple(sorted(set(ex.observations["period"].to_list())))
        first = seen.setdefault((ex.dataset, ex.scope, months), ex.file)
        if first != ex.file:
            raise SourceError(
                file,
                f"two sheets hold the same {ex.format} figures for the same month "
                f"({first.removeprefix(file).strip()} and {ex.file.removeprefix(file).strip()}) "
                "and one would replace the other; save the sheet to read as CSV",
            )


class _HeaderRejected(Exception):
    """The matched layout lacks a column in this sheet's header: another kind of sheet."""

    def __init__(self, column: str) -> None:
        self.column = column
        super().__init__(column)


def _parse(
    fmt: SourceFormat, name: str, text: str, lines: list[int], period_hint: str | None
) -> Extract:
    """Parse one sheet's CSV text; an error's row becomes the sheet's own row number."""
    try:
        extract = fmt.parse(name, text.encode("utf-8"), period_hint)
        refuse_empty(extract)
    except SourceError as exc:
        if exc.row == 1 and exc.column is not None and exc.problem.startswith("missing column"):
            raise _HeaderRejected(exc.column) from None

        def sheet_row(row: int | None) -> int | None:
            return lines[row - 1] if row is not None and 0 < row <= len(lines) else row

        problems = [replace(p, row=sheet_row(p.row)) for p in exc.problems]
        raise SourceError(
            exc.file, exc.problem, column=exc.column, row=sheet_row(exc.row), more=exc.more,
            problems=problems,
        ) from None  # fmt: skip
    return on_sheet(extract, lines)


def on_sheet(extract: Extract, lines: list[int]) -> Extract:
    """The extract with its provenance rows as the sheet's own row numbers: line n of the
    sheet's CSV text is sheet row `lines[n - 1]` (the title block and spacers dropped)."""

    def sheet_rows(text: str) -> str:
        return row_ranges([lines[n - 1] if 0 < n <= len(lines) else n for n in row_numbers(text)])

    def remap(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(pl.col("rows").map_elements(sheet_rows, return_dtype=pl.String))

    orgs = remap(extract.orgs) if "rows" in extract.orgs.columns else extract.orgs
    lines_of = extract.measure_rows
    return replace(extract, orgs=orgs, measure_rows=None if lines_of is None else remap(lines_of))
