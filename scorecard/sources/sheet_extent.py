"""How many cells an .xlsx workbook's sheets span, read from the zip before any sheet is opened.

python-calamine builds a sheet as one rectangle, from its first cell to its last, before it
hands any of it back: a sheet with a cell at A1 and a stray one at XFD1048576 asks for 2^34
cells, and the allocation failure aborts the whole process (`memory allocation of ...
failed`), which no exception handler can catch. So each worksheet's XML is scanned first for
its cell references (`<c r="B7">`), and a sheet spanning more than MAX_CELLS is refused in one
line naming the sheet and the range its cells claim. A published sheet is far smaller (the
largest, an RTT provider sheet, is about 3,600 rows by 120 columns). Pure.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from scorecard.errors import SourceError

MAX_CELLS = 20_000_000  # rows x columns of one sheet's rectangle
MAX_XML_BYTES = 1 << 30  # one sheet's XML, uncompressed
_CHUNK = 1 << 22
_OVERLAP = 256  # a cell reference cut between two chunks is read whole from the next
_CELL = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\b[^>]{0,200}?\sr="([A-Z]{1,3})([0-9]{1,7})"')
_SHEET_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet\b[^>]*>")
_RELATION_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\b[^>]*>")
_ATTRIBUTE = re.compile(rb'([\w:.-]+)\s*=\s*"([^"]*)"')


@dataclass(frozen=True)
class Extent:
    """The rectangle from A1 to a sheet's last row and column that hold a cell."""

    rows: int
    columns: int

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    def ref(self) -> str:
        return f"A1:{column_letters(self.columns)}{self.rows}"


def column_letters(number: int) -> str:
    """1 -> A, 27 -> AA, 16384 -> XFD."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_number(letters: bytes) -> int:
    """b"A" -> 1, b"XFD" -> 16384."""
    number = 0
    for c in letters:
        number = number * 26 + c - ord("A") + 1
    return number


def check_xlsx_extent(file: str, data: bytes) -> None:
    """Refuse an .xlsx (or .xlsm) whose sheet spans more than MAX_CELLS, and an .xlsb or
    .ods, whose extent cannot be scanned; other data passes (a zip that is not a workbook is
    for the workbook reader to refuse)."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        _refuse_unscanned(file, book.namelist())
        names = _sheet_names(book)
        for info in book.infolist():
            path = info.filename
            if not (path.startswith("xl/worksheets/") and path.endswith(".xml")):
                continue
            sheet = names.get(path, path.rsplit("/", 1)[-1].removesuffix(".xml"))
            extent = _extent(file, sheet, book, info)
            if extent.cells > MAX_CELLS:
                raise SourceError(
                    f"{file} [{sheet}]",
                    f"its cells span {extent.ref()} ({extent.rows:,} rows x "
                    f"{extent.columns:,} columns), more than the {MAX_CELLS:,} cells a sheet "
                    "is read with; a published sheet is far smaller (a stray cell far below "
                    "or right of the table?)",
                )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
        return  # not a readable zip: the workbook reader says so in its own words


def _refuse_unscanned(file: str, paths: list[str]) -> None:
    """An .xlsb (binary sheets) or an OpenDocument spreadsheet cannot be scanned for its
    extent here, and a stray far cell in one would abort the process: NHS England publishes
    .xlsx and .xls, so these are refused with what to do."""
    binary = any(p.startswith("xl/worksheets/") and p.endswith(".bin") for p in paths)
    if binary or "content.xml" in paths:
        kind = "an Excel binary (.xlsb)" if binary else "an OpenDocument (.ods)"
        raise SourceError(
            file,
            f"{kind} workbook is not read (NHS England publishes .xlsx and .xls); save it "
            "as .xlsx or the sheet as CSV",
        )


def _attributes(tag: bytes) -> dict[str, str]:
    found = {k.decode("utf-8", "replace"): v for k, v in _ATTRIBUTE.findall(tag)}
    return {k.rsplit(":", 1)[-1]: v.decode("utf-8", "replace") for k, v in found.items()}


def _sheet_names(book: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's path in the zip -> its name as Excel shows it, where stated."""
    try:
        workbook = book.read("xl/workbook.xml")
        relations = book.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for tag in _RELATION_TAG.findall(relations):
        attrs = _attributes(tag)
        target = attrs.get("Target", "").removeprefix("/").removeprefix("xl/")
        targets[attrs.get("Id", "")] = f"xl/{target}"
    names = {}
    for tag in _SHEET_TAG.findall(workbook):
        attrs = _attributes(tag)
        if (path := targets.get(attrs.get("id", ""))) is not None:
            names[path] = attrs.get("name", path)
    return names


def _extent(file: str, sheet: str, book: zipfile.ZipFile, info: zipfile.ZipInfo) -> Extent:
    """The last row and column holding a cell, from a streaming scan of the sheet's XML."""
    rows = columns = read = 0
    tail = b""
    with book.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            read += len(chunk)
            if read > MAX_XML_BYTES:
                raise SourceError(
                    f"{file} [{sheet}]",
                    f"the sheet's XML is over {MAX_XML_BYTES >> 30} GB uncompressed; a "
                    "published sheet is far smaller",
                )
            text = tail + chunk
            for letters, row in _CELL.findall(text):
                rows = max(rows, int(row))
                columns = max(columns, column_number(letters))
            tail = text[-_OVERLAP:]
    return Extent(rows, columns)
