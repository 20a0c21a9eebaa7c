"""Published layouts, recognised by their contents, parsed into validated canonical extracts."""

from __future__ import annotations

from pathlib import Path

from scorecard.errors import SourceError
from scorecard.sources.ae_monthly import AeMonthlyCsv
from scorecard.sources.ae_sheet import AeProviderSheet
from scorecard.sources.ambsys import AmbSysCsv
from scorecard.sources.base import Extract, SourceFormat
from scorecard.sources.commentary import CommentaryCsv
from scorecard.sources.cwt_commissioner import (
    Cwt31DaySheet,
    Cwt62DaySheet,
    CwtFdsSheet,
    CwtProviderQuarterly,
)
from scorecard.sources.cwt_legacy import (
    CwtLegacy31DayFirstSheet,
    CwtLegacy31DaySubSheet,
    CwtLegacy62DaySheet,
    CwtLegacyFdsSheet,
    CwtLegacyTwoWeekSheet,
)
from scorecard.sources.cwt_provider import CwtProviderExtract
from scorecard.sources.dm01_provider import Dm01ProviderCsv
from scorecard.sources.local_measures import LocalMeasures
from scorecard.sources.rtt_completed import RttCompletedSheet
from scorecard.sources.rtt_full import RttFullCsv
from scorecard.sources.rtt_incomplete import RttIncompleteSheet
from scorecard.sources.system_mapping import SystemMappingCsv
from scorecard.sources.text import decode, read_table
from scorecard.sources.workbook import is_workbook, read_workbook

FORMATS: tuple[SourceFormat, ...] = (
    AeMonthlyCsv(),
    AeProviderSheet(),
    Dm01ProviderCsv(),
    AmbSysCsv(),
    RttIncompleteSheet(),
    RttCompletedSheet(),
    RttFullCsv(),
    CwtFdsSheet(),
    Cwt31DaySheet(),
    Cwt62DaySheet(),
    CwtLegacyTwoWeekSheet(),
    CwtLegacy31DayFirstSheet(),
    CwtLegacy31DaySubSheet(),
    CwtLegacy62DaySheet(),
    CwtLegacyFdsSheet(),
    CwtProviderQuarterly(),
    CwtProviderExtract(),
    SystemMappingCsv(),
    CommentaryCsv(),
    LocalMeasures(),
)
MATCH_THRESHOLD = 0.5


def detect_format(file: str, data: bytes) -> SourceFormat:
    """The layout whose expected header best matches the file's first row."""
    header, _ = read_table(file, decode(file, data))
    scored = sorted(((f.match(header), i) for i, f in enumerate(FORMATS)), reverse=True)
    score, best = scored[0]
    if score < MATCH_THRESHOLD:
        known = "; ".join(f.description for f in FORMATS)
        raise SourceError(
            file, f"the header matches no known published layout (known: {known})", row=1
        )
    return FORMATS[best]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(str(path), f"cannot read the file: {exc.strerror}") from None


def read_extract(path: Path, period_hint: str | None = None) -> Extract:
    """Read one published text file, recognise its layout and return it parsed and validated."""
    data = _read(path)
    return detect_format(path.name, data).parse(path.name, data, period_hint)


def read_extracts(
    path: Path, period_hint: str | None = None, skipped: list[str] | None = None
) -> list[Extract]:
    """A published file's extracts: one for a text file, one per readable workbook sheet.

    A line for each workbook sheet not read (front pages, notes, breakdowns) is added to
    `skipped`, when given.
    """
    data = _read(path)
    if is_workbook(path.name, data):
        book = read_workbook(path.name, data, FORMATS, MATCH_THRESHOLD, period_hint)
        if skipped is not None:
            skipped.extend(f"{path.name}, sheet {line}" for line in book.skipped)
        return book.extracts
    return [detect_format(path.name, data).parse(path.name, data, period_hint)]


__all__ = ["FORMATS", "Extract", "detect_format", "read_extract", "read_extracts"]
