"""CSV that is safe to open in a spreadsheet: text that a spreadsheet would run as a formula
is neutralised, as OWASP's CSV-injection guidance describes.

Text from published files, commentary, local comments, file names and definitions can
begin with `=`, `+`, `-`, `@`, a tab or a carriage return (or their full-width forms, which
some spreadsheet locales also read as a formula's start). Such a cell is written with a
single quote in front (`'=HYPERLINK(...)`), so a spreadsheet shows it as text and never
evaluates it. A number written as text (`-3.5`, `+2`, `1e-05`, `-1,234`, `-2.5%`) is not
text a spreadsheet runs, and is left as it is; numeric columns are never touched.

Only CSV is neutralised. Parquet keeps the raw values (a typed format that spreadsheet
software does not evaluate), and the Excel workbook writes every text cell as a string.
"""

from __future__ import annotations

import re

import polars as pl

# The characters a spreadsheet reads as the start of a formula (OWASP), with the full-width
# forms of = + - @.
FORMULA_START = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
QUOTE = "'"
NUMBER = r"[+-]?(?:[0-9][0-9,]*)?\.?[0-9]+(?:[eE][+-]?[0-9]+)?%?"
_NUMBER = re.compile(NUMBER)


def neutralise(text: str) -> str:
    """`text`, with a single quote in front when a spreadsheet would run it as a formula."""
    if text[:1] in FORMULA_START and not _NUMBER.fullmatch(text):
        return QUOTE + text
    return text


def neutralised(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every text cell neutralised; other columns as they were.

    Only the text columns with a cell that starts as a formula would are rewritten (most
    have none, and finding out costs far less than the rewrite). The cells' first
    characters are looked at in Python: a card's table is a few dozen rows, too few for a
    column expression each to pay for itself."""
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    if not text or frame.height == 0:
        return frame
    risky = [name for name in text if _starts_formula(frame.get_column(name))]
    return frame.with_columns(_neutralise(name) for name in risky) if risky else frame


def _starts_formula(column: pl.Series) -> bool:
    """Whether any cell of a text column starts as a formula would."""
    return any(cell[:1] in FORMULA_START for cell in column.to_list() if cell is not None)


def _neutralise(name: str) -> pl.Expr:
    """`neutralise` as a column expression (the same rule, without a Python call per cell)."""
    cell = pl.col(name)
    risky = cell.str.slice(0, 1).is_in(sorted(FORMULA_START))
    number = cell.str.contains(f"^(?:{NUMBER})$")
    return pl.when(risky & ~number).then(pl.lit(QUOTE) + cell).otherwise(cell).alias(name)


def csv_text(frame: pl.DataFrame) -> str:
    """The frame as CSV (LF line ends) with its text cells neutralised."""
    return neutralised(frame).write_csv(line_terminator="\n")
