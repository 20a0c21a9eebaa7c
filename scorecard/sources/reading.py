"""Published layouts, recognised by their contents, parsed into validated canonical extracts:
every layout, and the reading of a file into its extract (see the package's __init__)."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

from scorecard.errors import SourceError, UsageError
from scorecard.sources.ae_monthly import AeMonthlyCsv
from scorecard.sources.ae_sheet import AeProviderSheet
from scorecard.sources.ambsys import AmbSysCsv
from scorecard.sources.base import Extract, SourceFormat
from scorecard.sources.checks import refuse_empty
from scorecard.sources.commentary import CommentaryCsv
from scorecard.sources.cwt.commissioner import (
    Cwt31DaySheet,
    Cwt62DaySheet,
    CwtFdsSheet,
    CwtProviderQuarterly,
)
from scorecard.sources.cwt.legacy import (
    CwtLegacy31DayFirstSheet,
    CwtLegacy31DaySubSheet,
    CwtLegacy62DaySheet,
    CwtLegacyFdsSheet,
    CwtLegacyTwoWeekSheet,
)
from scorecard.sources.cwt.parts import (
    Cwt31DayModalitySheet,
    Cwt62DayModalitySheet,
    CwtFdsRouteSheet,
    CwtUbsFhaSheet,
    CwtUscFoaSheet,
)
from scorecard.sources.cwt.provider import CwtProviderExtract
from scorecard.sources.dm01_by_test import Dm01ProviderByTestCsv
from scorecard.sources.dm01_provider import Dm01ProviderCsv
from scorecard.sources.encoding import cp1252_note, hashing
from scorecard.sources.local_measures import LocalMeasures
from scorecard.sources.naming import latest_status, status_from_name
from scorecard.sources.organisations import OrganisationsCsv
from scorecard.sources.rtt_completed import RttCompletedSheet
from scorecard.sources.rtt_full import RttFullCsv
from scorecard.sources.rtt_incomplete import RttIncompleteSheet
from scorecard.sources.rtt_levels import RttAreaTeamSheet, RttNationalSheet, RttRegionSheet
from scorecard.sources.rtt_overview import RttOverviewTimeSeries
from scorecard.sources.system_mapping import SystemMappingCsv
from scorecard.sources.text import SNIFF_BYTES, sniff_header
from scorecard.sources.workbook import SUFFIXES, is_workbook, read_workbook

FORMATS: tuple[SourceFormat, ...] = (
    AeMonthlyCsv(),
    AeProviderSheet(),
    Dm01ProviderCsv(),
    Dm01ProviderByTestCsv(),
    AmbSysCsv(),
    RttIncompleteSheet(),
    RttNationalSheet(),
    RttRegionSheet(),
    RttAreaTeamSheet(),
    RttOverviewTimeSeries(),
    RttCompletedSheet(),
    RttFullCsv(),
    CwtFdsSheet(),
    Cwt31DaySheet(),
    Cwt62DaySheet(),
    CwtFdsRouteSheet(),
    Cwt31DayModalitySheet(),
    Cwt62DayModalitySheet(),
    CwtUscFoaSheet(),
    CwtUbsFhaSheet(),
    CwtLegacyTwoWeekSheet(),
    CwtLegacy31DayFirstSheet(),
    CwtLegacy31DaySubSheet(),
    CwtLegacy62DaySheet(),
    CwtLegacyFdsSheet(),
    CwtProviderQuarterly(),
    CwtProviderExtract(),
    SystemMappingCsv(),
    OrganisationsCsv(),
    CommentaryCsv(),
    LocalMeasures(),
)
MATCH_THRESHOLD = 0.5
MAX_FILE_BYTES = 1 << 30  # one published file; NHS England's largest (RTT full CSV) are far less
LIMIT_VARIABLE = "SCORECARD_MAX_FILE_BYTES"
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)$")


def layout_named(name: str) -> SourceFormat:
    """The layout of a FORMATS name (`ae_monthly_csv`); an unknown name lists the valid ones."""
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    names = ", ".join(f.name for f in FORMATS)
    raise UsageError(f"--layout: unknown layout '{name}'; expected one of {names}")


def detect_format(file: str, data: bytes) -> SourceFormat:
    """The layout whose expected header best matches the file's first row.

    Only the first SNIFF_BYTES of `data` are looked at.
    """
    header = sniff_header(file, data[:SNIFF_BYTES], complete=len(data) <= SNIFF_BYTES)
    return _best(file, header)


def _best(file: str, header: list[str]) -> SourceFormat:
    scored = sorted(((f.match(header), i) for i, f in enumerate(FORMATS)), reverse=True)
    score, best = scored[0]
    if score < MATCH_THRESHOLD:
        known = "; ".join(f.description for f in FORMATS)
        raise SourceError(
            file, f"the header matches no known published layout (known: {known})", row=1
        )
    return FORMATS[best]


def max_file_bytes() -> int:
    """The size limit for one file: SCORECARD_MAX_FILE_BYTES, else 1 GiB."""
    text = os.environ.get(LIMIT_VARIABLE, "").strip()
    if not text:
        return MAX_FILE_BYTES
    if not text.isdigit() or int(text) == 0:
        raise UsageError(f"{LIMIT_VARIABLE}: expected a whole number of bytes, got '{text}'")
    return int(text)


def size_text(size: int) -> str:
    """1.0 GB, 3.5 MB, 12 KB or 900 bytes (binary multiples)."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def _head(path: Path) -> tuple[bytes, bool]:
    """The file's first SNIFF_BYTES, and whether that is the whole file, after the size guard."""
    limit = max_file_bytes()
    try:
        size = path.stat().st_size
        if size > limit:
            raise SourceError(
                path.name,
                f"{size_text(size)} is over the {size_text(limit)} limit for one published "
                f"file ({LIMIT_VARIABLE})",
            )
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES + 1)
    except OSError as exc:
        raise SourceError(str(path), f"cannot read the file: {exc.strerror}") from None
    return head[:SNIFF_BYTES], len(head) <= SNIFF_BYTES


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(str(path), f"cannot read the file: {exc.strerror}") from None


def read_extract(path: Path, period_hint: str | None = None, layout: str | None = None) -> Extract:
    """Read one published text file, recognise its layout and return it parsed and validated.

    `layout` (a FORMATS name) insists on that layout instead of recognising one.
    """
    forced = layout_named(layout) if layout is not None else None
    head, whole = _head(path)
    return _text_extract(path, head, whole, period_hint, forced)


def read_extracts(
    path: Path,
    period_hint: str | None = None,
    skipped: list[str] | None = None,
    layout: str | None = None,
) -> list[Extract]:
    """A published file's extracts: one for a text file, one per readable workbook sheet.

    A line for each workbook sheet not read (front pages, notes, breakdowns) is added to
    `skipped`, when given. `layout` (a FORMATS name) insists on that layout: a text file must
    be it, and only a workbook's sheets of it are read.
    """
    forced = layout_named(layout) if layout is not None else None
    head, whole = _head(path)
    if not is_workbook(path.name, head):  # by its first bytes, whatever its name
        return [_text_extract(path, head, whole, period_hint, forced)]
    formats = FORMATS if forced is None else (forced,)
    book = read_workbook(path.name, _read(path), formats, MATCH_THRESHOLD, period_hint)
    if skipped is not None:
        skipped.extend(f"{path.name}, sheet {line}" for line in book.skipped)
    named = status_from_name(path.name)
    return [replace(ex, status=latest_status(ex.status, named)) for ex in book.extracts]


def _text_extract(
    path: Path, head: bytes, whole: bool, period_hint: str | None, forced: SourceFormat | None
) -> Extract:
    """Detect (or insist on) the layout from the file's first bytes, then read it all."""
    file = path.name
    header = sniff_header(file, head, complete=whole)
    data = head if whole else _read(path)
    with hashing(data):
        if forced is None:
            extract = _best(file, header).parse(file, data, period_hint)
        elif forced.match(header) >= MATCH_THRESHOLD:
            extract = forced.parse(file, data, period_hint)
        else:
            try:
                extract = forced.parse(file, data, period_hint)
            except SourceError as exc:
                raise SourceError(file, _not_the_layout(forced, header, exc), row=1) from None
        encoded = cp1252_note(file, data)  # (inside, where the reader's look at it is known)
    refuse_empty(extract)
    found = (encoded, _named_like_a_workbook(file), _no_last_break(file, data))
    notes = [note for note in found if note]
    return replace(
        extract,
        status=latest_status(extract.status, status_from_name(file)),
        warnings=(*notes, *extract.warnings),
    )


def _no_last_break(file: str, data: bytes) -> str | None:
    """A file whose last row has no line break after it may have been cut short inside that
    row's last cell (fewer cells are refused by read_table): read as complete, and told so.
    NHS England's files, and Excel's CSV, end with a line break."""
    end = data.rstrip(b"\x00")  # UTF-16 puts a NUL beside each line break
    if end.endswith((b"\n", b"\r")) or not end.strip():  # (the quick test first)
        return None
    rows = data.count(b"\n") + 1 if b"\n" in data else data.count(b"\r") + 1
    return (
        f"{file}, row {rows}: the file ends without a line break after its last row; read as "
        "complete (a file cut short there would lose the end of that row's last cell)"
    )


def _named_like_a_workbook(file: str) -> str | None:
    """A file named like a workbook that holds CSV text is read as text, and told so."""
    if not file.lower().endswith(SUFFIXES):
        return None
    return f"{file}: named like an Excel workbook but holds CSV text; read as CSV text"


def _short(fmt: SourceFormat) -> str:
    """A layout's description without its trailing list of columns."""
    return _TRAILING_NOTE.sub("", fmt.description)


def _not_the_layout(fmt: SourceFormat, header: list[str], exc: SourceError) -> str:
    """Why a file is not the layout insisted on, and the layout its header looks like."""
    missing = exc.row == 1 and exc.column is not None and exc.problem.startswith("missing")
    why = f"missing column '{exc.column}'" if missing else exc.problem
    score, best = max((f.match(header), i) for i, f in enumerate(FORMATS))
    like = ""
    if score >= MATCH_THRESHOLD and FORMATS[best] is not fmt:
        like = f" (this header looks like the {_short(FORMATS[best])})"
    return f"not the {_short(fmt)}: {why}{like}"


__all__ = [
    "FORMATS",
    "LIMIT_VARIABLE",
    "MATCH_THRESHOLD",
    "Extract",
    "detect_format",
    "layout_named",
    "read_extract",
    "read_extracts",
]
