"""What a file name says: the month of a layout with no period column, and its status."""

from __future__ import annotations

import re

from scorecard.errors import SourceError
from scorecard.periods import Month

_NAME_YEAR = re.compile(r"([A-Za-z]+)[-_ ]+(\d{4})")
_ISO = re.compile(r"(?<!\d)(\d{4})[-_](\d{2})(?!\d)")


def period_from(file: str, period_hint: str | None) -> Month:
    """--period wins; else `April-2025` or `2019-04` in the file name."""
    if period_hint is not None:
        try:
            return Month.parse(period_hint)
        except ValueError as exc:
            raise SourceError(file, f"--period: {exc}") from None
    for name, year in _NAME_YEAR.findall(file):
        month = Month.from_name(name, int(year))
        if month is not None:
            return month
    for year, number in _ISO.findall(file):
        if 1 <= int(number) <= 12:
            return Month(int(year), int(number))
    raise SourceError(
        file,
        "this layout has no period column and the file name names no month "
        "(like April-2025-AE.csv or DM01-Provider-2019-04.csv); pass --period YYYY-MM",
    )


# A publication's status, as a file says it; a later one in this order wins when several do.
STATUSES = ("provisional", "final", "revised")
_WORD = re.compile(r"[A-Za-z]+")


def status_from_name(file: str) -> str | None:
    """`provisional`, `final` or `revised` when the file name has that word (any case)."""
    words = {w.lower() for w in _WORD.findall(file)}
    return latest_status(*(s for s in STATUSES if s in words))


def latest_status(*statuses: str | None) -> str | None:
    """The latest of the statuses given (revised after final after provisional), or None."""
    found = [s for s in statuses if s in STATUSES]
    return max(found, key=STATUSES.index) if found else None
