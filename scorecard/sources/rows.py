"""A file's line numbers as text ("2-4,9") and back, for provenance. Pure, and apart from
the layouts, so that what reads the store never imports them."""

from __future__ import annotations

from collections.abc import Sequence


def row_ranges(rows: Sequence[int]) -> str:
    """Line numbers as sorted ranges: [9, 2, 3, 4] -> "2-4,9"."""
    spans: list[list[int]] = []
    for n in sorted(set(rows)):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ",".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans)


def row_numbers(ranges: str) -> list[int]:
    """The line numbers of `row_ranges`' text: "2-4,9" -> [2, 3, 4, 9]."""
    numbers: list[int] = []
    for part in ranges.split(","):
        if part:
            a, _, b = part.partition("-")
            numbers.extend(range(int(a), int(b or a) + 1))
    return numbers
