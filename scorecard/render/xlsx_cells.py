"""Writing one cell of an xlsxwriter worksheet: text as text, never a formula or a link."""

from __future__ import annotations

import math
from typing import Any

from scorecard.model import Scorecard

# Excel's longest cell text, in UTF-16 units: xlsxwriter cuts longer text to it. An ASCII
# text is cut here instead, to the same characters (one unit each), far faster than its
# character-by-character cut (an England card's source rows run to many times the limit).
XLSX_TEXT_MAX = 32767


def put(sheet: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    """Text as text, numbers as numbers, None (and a number that is not finite: no figure)
    as a blank cell."""
    if value is None or (value.__class__ is float and not math.isfinite(value)):
        sheet.write_blank(row, col, None, fmt)
    elif value.__class__ is str:  # the commonest first
        if len(value) > XLSX_TEXT_MAX and value.isascii():
            value = value[:XLSX_TEXT_MAX]
        sheet.write_string(row, col, value, fmt)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, fmt)
    else:
        text = str(value)
        if len(text) > XLSX_TEXT_MAX and text.isascii():
            text = text[:XLSX_TEXT_MAX]
        sheet.write_string(row, col, text, fmt)


def heading(sheet: Any, card: Scorecard, fmt: dict[str, Any]) -> None:
    """A sheet's first two lines: the card's title, then its audience, organisation and
    month."""
    meta = f"{card.org_name} ({card.org_code}), {card.period.label()}"
    put(sheet, 0, 0, card.title, fmt["title"])
    put(sheet, 1, 0, f"{card.audience}: {meta}" if card.audience else meta, fmt["meta"])
