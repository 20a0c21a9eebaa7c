"""Reading published CSV text: header row, everything kept as text (or counts as numbers,
where every cell is a plain whole number). Pure.

The bytes are read as text by scorecard.sources.encoding (UTF-8, cp1252 or UTF-16). A
header row with more tabs than commas makes the file tab-separated.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Mapping, Sequence
from functools import lru_cache

import polars as pl

from scorecard.errors import SourceError
from scorecard.sources.encoding import decode, look, utf8

ROW = "_row"  # the line number in the file of each data row (the header is row 1)
ROWS = "_rows"  # an aggregated row's source line numbers (a list), where it has no one `_row`
# Published cells meaning "suppressed or not published": stored as missing, never as 0.
NOT_PUBLISHED = ("-", "*", ".")
_COUNT = r"^([0-9]+|[0-9]{1,3}(,[0-9]{3})+|-|\*|\.)$"
COUNT_PATTERN = re.compile(_COUNT)
SNIFF_BYTES = 1 << 20  # layout detection reads at most this much of a file
_DIGITS = re.compile(r"[0-9]*")  # a header cell that might read as a number (or be empty)


@lru_cache(maxsize=8192)
def normalise(name: str) -> str:
    """Header names compared without case or surrounding/double whitespace."""
    return " ".join(name.split()).lower()


def separator(text: str) -> str:
    """`\\t` when the first line has more tabs than commas (Excel's "Unicode text"), else `,`."""
    first = text.split("\n", 1)[0]
    return "\t" if first.count("\t") > first.count(",") else ","


def sniff_header(file: str, head: bytes, complete: bool) -> list[str]:
    """The header row (stripped) from the first bytes of a file, for layout detection.

    `complete` says `head` is the whole file; otherwise a head with no line break is refused
    (a file with no line break in its first megabyte is not a table with a header row).
    """
    text = decode(file, head, partial=not complete)
    if not text.strip():
        raise SourceError(file, "the file is empty", row=1)
    if not complete and "\n" not in text:
        raise SourceError(
            file,
            f"no line break in the first {len(head) // 1024:,} KB: not a CSV file with a "
            "header row",
            row=1,
        )
    first = next(csv.reader(io.StringIO(text), delimiter=separator(text)), [])
    return [cell.strip() for cell in first]


def read_table(
    file: str,
    data: bytes,
    keep: Sequence[tuple[str, Collection[str]]] = (),
    counts: Collection[str] = (),
    *,
    typed: bool = False,
    only: Collection[str] | None = None,
) -> tuple[list[str], pl.DataFrame]:
    """The header row (stripped) and the data rows as text columns c0..cN plus `_row`.

    `data` is the file as published (any encoding `decode` reads). Read without a header
    so that repeated column names are kept and addressed by position. Refused, naming the
    row: a last line cut short (no line break after it and fewer cells than the header: a
    truncated file) and a repeat of the header row (two files joined).
    `keep` = [(column, values), ...] keeps only the rows whose cell in one of those published
    columns is one of its values, before any other work on the cells (the RTT Full CSV's
    all-specialties rows, and the specialty rows of the parts it stores); a header without
    one of the columns keeps every row, for the layout to report.
    `counts`: published count columns; a blank cell in one (empty, spaces only, or `""`) is
    missing (null). `typed`: they are read as numbers (UInt32: half the memory of 64 bits,
    and a national month's counts are far below 2**32), when every cell of them is a plain
    whole number or blank that fits, so that a layout's text checks and casts are already
    done; otherwise as text, like every other column, for the layout to check and report.
    `only`: the published columns the layout reads; the others (and a header cell named
    twice, for the layout to refuse) are not kept, but for the first column: a row whose
    first cell is blank is read again whole, to tell a spacer from a row of data.
    """
    data = utf8(file, data)
    if not data or data.isspace():  # (no stripped copy of a big file)
        raise SourceError(file, "the file is empty", row=1)
    end = data.find(b"\n")
    sep = separator((data if end < 0 else data[:end]).decode("utf-8"))
    try:
        header, body = _read(data, sep, keep, counts, typed=typed, only=only)
        if only is not None and _maybe_empty(body).height:  # (a spacer row, perhaps)
            header, body = _read(data, sep, keep, counts, typed=typed, only=None)
    except pl.exceptions.PolarsError as exc:
        # A file cut inside a quoted cell leaves it unterminated: say so, naming the line.
        text = data.decode("utf-8")
        width = len(next(csv.reader(io.StringIO(text), delimiter=sep), []))
        _refuse_cut_last_line(file, data, sep, width)
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SourceError(
            file, f"not a readable CSV file: {first_line}", row=_ragged_row(text, sep)
        ) from None
    _refuse_cut_last_line(file, data, sep, len(header))
    body = _without_empty_rows(body)
    _refuse_repeated_header(file, header, body)
    return header, body


def _read(
    data: bytes,
    sep: str,
    keep: Sequence[tuple[str, Collection[str]]],
    counts: Collection[str],
    *,
    typed: bool,
    only: Collection[str] | None,
) -> tuple[list[str], pl.DataFrame]:
    """read_table's header and rows (see there): cells stripped, and the `counts` columns'
    blank cells missing; with `typed`, those columns as UInt32 when they can all be; with
    `only`, the columns named there once, and the first."""
    lazy = pl.scan_csv(
        io.BytesIO(data), has_header=False, infer_schema=False, quote_char='"', separator=sep
    )
    width = len(lazy.collect_schema())
    cells = [f"c{i}" for i in range(width)]
    first = lazy.head(1).collect()
    header = [(v or "").strip() for v in first.row(0)] if first.height else []
    names = [normalise(h) for h in header]
    wanted = pl.col(ROW) > 1  # the header is row 1
    if keep and all(normalise(column) in names for column, _ in keep):
        wanted &= pl.any_horizontal(
            pl.col(f"c{names.index(normalise(column))}").str.strip_chars().is_in(list(values))
            for column, values in keep
        )
    counted = {normalise(n) for n in counts}
    numbers = {f"c{i}" for i, n in enumerate(names) if n in counted}
    kept = [ROW, *_kept(names, cells, only)]
    # A '+' anywhere: a cell like "+3" would read as a number but is not a plain count.
    if typed and numbers and not look(data).plus:
        schema = {c: pl.UInt32 if c in numbers else pl.String for c in cells}
        try:
            numbered = pl.scan_csv(
                io.BytesIO(data),
                has_header=False,
                skip_rows=1,
                schema=schema,
                quote_char='"',
                separator=sep,
            ).with_row_index(ROW, offset=2)
            text = [c for c in kept[1:] if c not in numbers]
            body = _collect(numbered.filter(wanted).select(kept), pl.col(text).str.strip_chars())
            return header, body
        except pl.exceptions.PolarsError:
            pass  # a cell that is not a plain count: read as text, checked by the layout
    lazy = lazy.rename(dict(zip(lazy.collect_schema().names(), cells, strict=True)))
    stripped = [
        pl.col(c).str.strip_chars().replace("", None)
        if c in numbers
        else pl.col(c).str.strip_chars()
        for c in kept[1:]
    ]
    rows = lazy.with_row_index(ROW, offset=1).filter(wanted).select(kept)
    return header, _collect(rows, *stripped)


def _kept(names: list[str], cells: list[str], only: Collection[str] | None) -> list[str]:
    """The positional names of the columns kept: every one, or the first and those `only`
    names (a name the header has twice is not kept)."""
    if only is None:
        return cells
    wanted = {normalise(n) for n in only}
    once = {n for n in wanted if names.count(n) == 1}
    return [c for i, c in enumerate(cells) if i == 0 or names[i] in once]


def _collect(rows: pl.LazyFrame, *cells: pl.Expr) -> pl.DataFrame:
    # Only the kept rows are ever held (a streaming scan), so a big file with few rows
    # wanted costs little memory.
    return (
        rows.with_columns(*cells)
        .collect(engine="streaming")
        .with_columns(pl.col(ROW).cast(pl.Int64))
    )


def _maybe_empty(body: pl.DataFrame) -> pl.DataFrame:
    """The rows whose first cell is blank: only such a row can be empty."""
    cells = [c for c in body.columns if c != ROW]
    if not cells:
        return body.clear()
    first = pl.col(cells[0])
    blank = (
        first.is_null() | (first == "") if body.schema[cells[0]] == pl.String else first.is_null()
    )
    return body.filter(blank)


def _without_empty_rows(body: pl.DataFrame) -> pl.DataFrame:
    """Blank lines and all-empty rows (spacers) carry nothing. Only a row whose first cell is
    empty can be one, so the rest are tested only when there are such rows (the cells
    joined: an empty row's are "", where a test of each cell of a wide file costs a hundred
    times more to plan)."""
    cells = [c for c in body.columns if c != ROW]
    maybe = _maybe_empty(body)
    if not maybe.height:
        return body
    empty = maybe.filter(pl.concat_str(pl.col(cells), ignore_nulls=True) == "")[ROW]
    return body.filter(~pl.col(ROW).is_in(empty.implode())) if empty.len() else body


def _refuse_cut_last_line(file: str, data: bytes, sep: str, width: int) -> None:
    """A file cut mid-line ends without a line break, its last line short of cells."""
    if data.endswith(b"\n"):
        return
    rows = data.count(b"\n") + 1  # the last line's number, counted only when needed
    if rows < 2:
        return
    last = data[data.rfind(b"\n") + 1 :].decode("utf-8")
    cells = next(csv.reader(io.StringIO(last), delimiter=sep), [])
    if 0 < len(cells) < width:
        raise SourceError(
            file,
            f"the last line stops after {len(cells)} of the header's {width} cells, with no "
            "line break: the file looks cut short (truncated)",
            row=rows,
        )


def _refuse_repeated_header(file: str, header: list[str], body: pl.DataFrame) -> None:
    # A column read as numbers holds no header text: a repeat of the header row would not
    # have read so. One that the header names with text rules out every repeat at once.
    numbers = {c for c, dtype in body.schema.items() if dtype.is_integer() and c != ROW}
    if any(f"c{i}" in numbers and not _DIGITS.fullmatch(h) for i, h in enumerate(header)):
        return
    text = {c for c, dtype in body.schema.items() if dtype == pl.String}
    named = [(f"c{i}", normalise(h)) for i, h in enumerate(header) if h and f"c{i}" in text]
    if len(named) < 2:
        return

    def same(column: str, name: str) -> pl.Expr:
        return pl.col(column).str.replace_all(r"\s+", " ").str.to_lowercase() == name

    # Rows whose first header cell repeats, then (few of them) the whole row. (Only a cell
    # whose lower case holds the name's first word can be the name: a quicker test first.)
    column, name = named[0]
    word = name.split(" ")[0]
    holds = pl.col(column).str.to_lowercase().str.contains(word, literal=True)
    candidates = body.filter(holds).filter(same(column, name))
    if not candidates.height:
        return
    repeats = candidates.filter(pl.all_horizontal(same(c, name) for c, name in named[1:]))
    if repeats.height:
        raise SourceError(
            file,
            "this row repeats the header row: two files joined into one? one table per file "
            "is expected",
            row=int(repeats[ROW][0]),
        )


def _ragged_row(text: str, sep: str = ",") -> int | None:
    """The first line with more cells than the header, to name in an error."""
    rows = csv.reader(io.StringIO(text), delimiter=sep)
    width = len(next(rows, []))
    for number, cells in enumerate(rows, start=2):
        if len(cells) > width:
            return number
    return None


def count_expr(column: str) -> pl.Expr:
    """A validated count cell as a float: separators removed; `-`, `*`, `.` or empty -> null."""
    # Validated, a cell is digits (with separators) or a mark of a figure not published
    # (-, *, .) or empty, and only the digits read as a number.
    text = pl.col(column).str.replace_all(",", "", literal=True)
    return text.cast(pl.Float64, strict=False).alias(column)


def count_exprs(frame: pl.DataFrame, columns: Sequence[str]) -> list[pl.Expr]:
    """count_expr of each of `columns` of `frame`, cheaper for a column with no thousands
    separator in any cell (a big file's usually have none)."""
    commas = frame.select(pl.col(columns).str.contains(",", literal=True).any()).row(0)
    return [
        count_expr(c) if has else pl.col(c).cast(pl.Float64, strict=False).alias(c)
        for c, has in zip(columns, commas, strict=True)
    ]


def header_score(header: list[str], published: Mapping[str, str]) -> float:
    """The share of a layout's published columns that a header row has (0.0 to 1.0)."""
    have = {normalise(h) for h in header}
    return sum(normalise(c) in have for c in published.values()) / len(published)


def published_columns(
    file: str, header: list[str], published: Mapping[str, str], layout: str
) -> dict[str, str]:
    """Renames from read_table's positional names (c0, c1, ...) to the layout's keys.

    A published column the header lacks is an error naming it (row 1, the header), and so is
    one it has twice: which of the two holds the figures cannot be told (layouts that publish
    repeated names, such as the A&E provider-level sheet, read by position instead).
    """
    positions: dict[str, list[int]] = {}
    for i, h in enumerate(header):
        positions.setdefault(normalise(h), []).append(i)
    renames = {}
    for key, column in published.items():
        if normalise(column) not in positions:
            count = f"the {len(published)} columns of " if len(published) > 5 else ""
            raise SourceError(
                file, f"missing column; expected {count}the {layout}", column=column, row=1
            )
        renames[f"c{only_once(file, column, positions[normalise(column)])}"] = key
    return renames


def only_once(file: str, column: str, at: list[int]) -> int:
    """The one position (from 0) of a column read by name; a name the header repeats is
    refused, naming the positions (from 1)."""
    if len(at) > 1:
        places = ", ".join(str(i + 1) for i in at[:-1]) + f" and {at[-1] + 1}"
        raise SourceError(
            file,
            f"the header has this column {len(at)} times (columns {places}); expected it "
            "once, as which one holds the figures cannot be told",
            column=column,
            row=1,
        )
    return at[0]
