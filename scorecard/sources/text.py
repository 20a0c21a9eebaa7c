"""Reading published CSV text: encodings, header row, everything kept as text. Pure."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Mapping

import polars as pl

from scorecard.errors import SourceError

ROW = "_row"  # the line number in the file of each data row (the header is row 1)
_COUNT = r"^(\d+|\d{1,3}(,\d{3})+|-)$"
COUNT_PATTERN = re.compile(_COUNT)


def decode(file: str, data: bytes) -> str:
    """UTF-8 with or without BOM, else cp1252 (Excel's 'CSV' on Windows); LF line ends."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SourceError(
                file, f"starts with a UTF-8 marker but is not UTF-8 (byte {exc.start + 3})"
            ) from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise SourceError(file, f"not UTF-8 or cp1252 text ({exc.reason})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def normalise(name: str) -> str:
    """Header names compared without case or surrounding/double whitespace."""
    return " ".join(name.split()).lower()


def read_table(file: str, text: str) -> tuple[list[str], pl.DataFrame]:
    """The header row (stripped) and the data rows as text columns c0..cN plus `_row`.

    Read without a header so that repeated column names are kept and addressed by position.
    """
    if not text.strip():
        raise SourceError(file, "the file is empty", row=1)
    try:
        raw = pl.read_csv(
            io.StringIO(text),
            has_header=False,
            infer_schema=False,
            quote_char='"',
        )
    except pl.exceptions.PolarsError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SourceError(
            file, f"not a readable CSV file: {first}", row=_ragged_row(text)
        ) from None
    raw = raw.rename({c: f"c{i}" for i, c in enumerate(raw.columns)})
    header = [(v or "").strip() for v in raw.row(0)]
    body = raw.slice(1).with_columns(pl.all().str.strip_chars())
    body = body.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    # Blank lines and all-empty rows (spacers) carry nothing.
    cells = [c for c in body.columns if c != ROW]
    body = body.filter(~pl.all_horizontal(pl.col(cells).is_null() | (pl.col(cells) == "")))
    return header, body


def _ragged_row(text: str) -> int | None:
    """The first line with more cells than the header, to name in an error."""
    rows = csv.reader(io.StringIO(text))
    width = len(next(rows, []))
    for number, cells in enumerate(rows, start=2):
        if len(cells) > width:
            return number
    return None


def count_expr(column: str) -> pl.Expr:
    """A validated count cell as a float: thousands separators removed; `-`/empty -> null."""
    text = pl.col(column).str.replace_all(",", "")
    return pl.when(text.is_in(["-", ""])).then(None).otherwise(text).cast(pl.Float64).alias(column)


def header_score(header: list[str], published: Mapping[str, str]) -> float:
    """The share of a layout's published columns that a header row has (0.0 to 1.0)."""
    have = {normalise(h) for h in header}
    return sum(normalise(c) in have for c in published.values()) / len(published)


def published_columns(
    file: str, header: list[str], published: Mapping[str, str], layout: str
) -> dict[str, str]:
    """Renames from read_table's positional names (c0, c1, ...) to the layout's keys.

    A published column the header lacks is an error naming it (row 1, the header).
    """
    positions = {normalise(h): i for i, h in enumerate(header)}
    renames = {}
    for key, column in published.items():
        if normalise(column) not in positions:
            count = f"the {len(published)} columns of " if len(published) > 5 else ""
            raise SourceError(
                file, f"missing column; expected {count}the {layout}", column=column, row=1
            )
        renames[f"c{positions[normalise(column)]}"] = key
    return renames
