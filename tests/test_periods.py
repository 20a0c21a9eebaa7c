"""periods.py: months, NHS financial quarters and years."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard.periods import Month, months_between

months = st.builds(Month, st.integers(1990, 2100), st.integers(1, 12))


@pytest.mark.parametrize(
    ("iso", "fy", "q", "qstart"),
    [
        ("2025-04", "2025/26", 1, "2025-04"),
        ("2025-09", "2025/26", 2, "2025-07"),
        ("2025-12", "2025/26", 3, "2025-10"),
        ("2026-01", "2025/26", 4, "2026-01"),
        ("2026-03", "2025/26", 4, "2026-01"),
        ("1999-12", "1999/00", 3, "1999-10"),
    ],
)
def test_financial_year_and_quarter(iso: str, fy: str, q: int, qstart: str) -> None:
    m = Month.parse(iso)
    assert (m.fy_label(), m.fy_quarter, m.quarter_start().iso()) == (fy, q, qstart)


@pytest.mark.parametrize("bad", ["2025-13", "2025-4", "Sep 2025", "", "2025-00"])
def test_parse_rejects(bad: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        Month.parse(bad)


def test_names() -> None:
    assert Month.from_name("APRIL", 2025) == Month(2025, 4)
    assert Month.from_name("sep", 2025) == Month(2025, 9)
    assert Month.from_name("Sept.", 2025) is None
    assert Month(2025, 9).label() == "Sep 2025"


@given(months, st.integers(-500, 500))
def test_plus_round_trips(m: Month, n: int) -> None:
    assert m.plus(n).plus(-n) == m
    assert m.plus(n).index() - m.index() == n


@given(months)
def test_quarter_and_year_contain_the_month(m: Month) -> None:
    assert m.fy_start() <= m.quarter_start() <= m
    assert m.index() - m.quarter_start().index() < 3
    assert len(months_between(m.fy_start(), m)) == (m.month - 4) % 12 + 1
