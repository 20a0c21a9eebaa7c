"""Months, NHS financial quarters and financial years. Pure."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_ISO = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month. NHS financial years run April to March."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not 1-12")

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse `YYYY-MM`; raises ValueError with the expected form."""
        m = _ISO.match(text.strip())
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise ValueError(f"expected a month as YYYY-MM, got '{text}'")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def from_date(cls, d: dt.date) -> Month:
        return _month_of(d) if cls is Month else cls(d.year, d.month)

    @classmethod
    def from_name(cls, name: str, year: int) -> Month | None:
        """`April`, `APRIL` or `Apr` with a year; None when the name is not a month."""
        key = name.strip().lower()
        for i, full in enumerate(MONTH_NAMES, start=1):
            if key in (full.lower(), full.lower()[:3]):
                return cls(year, i)
        return None

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def label(self) -> str:
        """`Sep 2025`."""
        return f"{MONTH_NAMES[self.month - 1][:3]} {self.year}"

    def short_label(self) -> str:
        """`Sep 25`."""
        return f"{MONTH_NAMES[self.month - 1][:3]} {self.year % 100:02d}"

    def index(self) -> int:
        """Months since year 0, for arithmetic."""
        return self.year * 12 + self.month - 1

    def plus(self, months: int) -> Month:
        i = self.index() + months
        return Month(i // 12, i % 12 + 1)

    @property
    def fy_start_year(self) -> int:
        """2025 for any month of financial year 2025-26."""
        return self.year if self.month >= 4 else self.year - 1

    def fy_label(self) -> str:
        """`2025/26`."""
        return f"{self.fy_start_year}/{(self.fy_start_year + 1) % 100:02d}"

    @property
    def fy_quarter(self) -> int:
        """Financial quarter 1-4 (Q1 = April to June)."""
        return ((self.month - 4) % 12) // 3 + 1

    def quarter_start(self) -> Month:
        return Month(self.fy_start_year, 4).plus(3 * (self.fy_quarter - 1))

    def fy_start(self) -> Month:
        return Month(self.fy_start_year, 4)

    def quarter_label(self) -> str:
        """`Q2 2025/26`."""
        return f"Q{self.fy_quarter} {self.fy_label()}"


def months_between(first: Month, last: Month) -> list[Month]:
    """Every month from first to last inclusive."""
    return [first.plus(i) for i in range(last.index() - first.index() + 1)]


@lru_cache(maxsize=4096)
def _month_of(d: dt.date) -> Month:
    """The month of a date (a build converts the same few dates many thousand times)."""
    return Month(d.year, d.month)
