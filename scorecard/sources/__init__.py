"""Published layouts, recognised by their contents, parsed into validated canonical extracts."""

from __future__ import annotations

from pathlib import Path

from scorecard.errors import SourceError
from scorecard.sources.ae_monthly import AeMonthlyCsv
from scorecard.sources.ae_sheet import AeProviderSheet
from scorecard.sources.ambsys import AmbSysCsv
from scorecard.sources.base import Extract, SourceFormat
from scorecard.sources.cwt_commissioner import (
    Cwt31DaySheet,
    Cwt62DaySheet,
    CwtFdsSheet,
    CwtProviderQuarterly,
)
from scorecard.sources.cwt_provider import CwtProviderExtract
from scorecard.sources.dm01_provider import Dm01ProviderCsv
from scorecard.sources.rtt_completed import RttCompletedSheet
from scorecard.sources.rtt_full import RttFullCsv
from scorecard.sources.rtt_incomplete import RttIncompleteSheet
from scorecard.sources.system_mapping import SystemMappingCsv
from scorecard.sources.text import decode, read_table

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
    CwtProviderQuarterly(),
    CwtProviderExtract(),
    SystemMappingCsv(),
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


def read_extract(path: Path, period_hint: str | None = None) -> Extract:
    """Read one published file, recognise its layout and return it parsed and validated."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(str(path), f"cannot read the file: {exc.strerror}") from None
    return detect_format(path.name, data).parse(path.name, data, period_hint)


__all__ = ["FORMATS", "Extract", "detect_format", "read_extract"]
