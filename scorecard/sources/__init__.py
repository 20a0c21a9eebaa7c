"""Published layouts, recognised by their contents, parsed into validated canonical extracts
(scorecard.sources.reading; each layout in a module of its own).

The names below are imported from scorecard.sources.reading when first used, not with the
package: the layouts bring pandera (and pandas) with them, and a module that only needs
`Extract` (scorecard.sources.extract) or another helper of the package, as the store and a
batch's worker processes do, would otherwise import them all (half a second a process).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scorecard.sources.base import SourceFormat
    from scorecard.sources.extract import Extract
    from scorecard.sources.reading import (
        FORMATS,
        LIMIT_VARIABLE,
        MATCH_THRESHOLD,
        MAX_FILE_BYTES,
        detect_format,
        layout_named,
        max_file_bytes,
        read_extract,
        read_extracts,
        size_text,
    )

__all__ = [
    "FORMATS",
    "LIMIT_VARIABLE",
    "MATCH_THRESHOLD",
    "MAX_FILE_BYTES",
    "Extract",
    "SourceFormat",
    "detect_format",
    "layout_named",
    "max_file_bytes",
    "read_extract",
    "read_extracts",
    "size_text",
]


def __getattr__(name: str) -> Any:
    """One of `__all__`, from scorecard.sources.reading (imported now, once)."""
    if name in __all__:
        return getattr(importlib.import_module("scorecard.sources.reading"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
