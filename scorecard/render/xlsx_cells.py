"""Writing one cell of an xlsxwriter worksheet: text as text, never a formula or a link."""

from __future__ import annotations

from typing import Any


def put(sheet: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    """Text as text, numbers as numbers, None as a blank cell."""
    if value is None:
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)
