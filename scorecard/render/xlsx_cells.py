"""Writing one cell of an xlsxwriter worksheet: text as text, never a formula or a link."""

from __future__ import annotations

from typing import Any

# Excel's longest cell text, in UTF-16 units: xlsxwriter cuts longer text to it. An ASCII
# text is cut here instead, to the same characters (one unit each), far faster than its
# character-by-character cut (an England card's source rows run to many times the limit).
XLSX_TEXT_MAX = 32767


def put(sheet: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    """Text as text, numbers as numbers, None as a blank cell."""
    if value is None:
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, fmt)
    else:
        text = str(value)
        if len(text) > XLSX_TEXT_MAX and text.isascii():
            text = text[:XLSX_TEXT_MAX]
        sheet.write_string(row, col, text, fmt)
