"""The RTT centile rule (scorecard/rtt_percentiles.py) on bands small enough to work by hand."""

from __future__ import annotations

import struct

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.rtt_percentiles import (
    MARCH_2015,
    MEDIAN,
    P92,
    SEPTEMBER_2025,
    Convention,
    convention_for,
    median_and_p92,
    weeks_at,
)
from scorecard.sources.rtt_parts import CENTILES, with_centiles


def test_interpolates_within_the_band() -> None:
    # 100 pathways: 40 in >0-1, 40 in >1-2, 20 in >2-3 (then an empty open band).
    bands = [40, 40, 20, 0]
    assert weeks_at(bands, MEDIAN) == pytest.approx(1.25)  # rank 50: 10 of the 40 in >1-2
    assert weeks_at(bands, P92) == pytest.approx(2.6)  # rank 92: 12 of the 20 in >2-3
    assert median_and_p92(bands) == (weeks_at(bands, MEDIAN), weeks_at(bands, P92))


def test_march_2015_median_rank_is_n_plus_one_over_two() -> None:
    bands = [40, 40, 20, 0]
    assert weeks_at(bands, MEDIAN, MARCH_2015) == pytest.approx(1 + 10.5 / 40)
    assert weeks_at(bands, P92, MARCH_2015) == weeks_at(bands, P92, SEPTEMBER_2025)


def test_a_rank_at_a_band_edge_is_its_upper_bound() -> None:
    assert weeks_at([50, 50, 0], MEDIAN) == 1.0


def test_empty_bands_are_skipped() -> None:
    assert weeks_at([0, 30, 0, 0, 70, 0], MEDIAN) == pytest.approx(4 + 20 / 70)


def test_the_open_ended_band_gives_its_lower_bound() -> None:
    bands = [10] * 4 + [60]  # 100 pathways, 60 of them past 4 weeks
    assert weeks_at(bands, P92) == 4.0
    assert weeks_at(bands, MEDIAN) == 4.0


def test_too_few_pathways_give_none() -> None:
    assert weeks_at([19, 0], MEDIAN) is None
    assert weeks_at([20, 0], MEDIAN) == pytest.approx(0.5)
    assert weeks_at([49, 0], MEDIAN, MARCH_2015) is None
    assert weeks_at([0, 0], MEDIAN) is None
    assert weeks_at([], MEDIAN) is None


def test_the_layout_picks_the_convention() -> None:
    assert convention_for(52) is MARCH_2015
    assert convention_for(104) is SEPTEMBER_2025


def test_a_fraction_outside_0_to_1_is_a_bug() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        weeks_at([100], 92)


BANDS = st.lists(st.integers(min_value=0, max_value=500), min_size=2, max_size=106)


@given(BANDS, st.floats(min_value=0.01, max_value=0.99))
def test_a_centile_lies_in_the_bands_and_grows_with_the_fraction(
    bands: list[int], fraction: float
) -> None:
    low = weeks_at(bands, fraction)
    high = weeks_at(bands, min(0.99, fraction + 0.005))
    if low is None:
        assert sum(bands) < SEPTEMBER_2025.minimum
        return
    assert high is not None and 0.0 <= low <= high <= len(bands) - 1
    # The share of pathways waiting at most `low` weeks (interpolated) is the fraction.
    whole = int(low)
    if whole < len(bands) - 1:
        share = (sum(bands[:whole]) + (low - whole) * bands[whole]) / sum(bands)
        assert share == pytest.approx(fraction, abs=1e-9)


# A row of weekly bands: whole counts, mostly small or empty, sometimes one not published.
BAND_COUNTS = st.one_of(st.just(0), st.integers(0, 9), st.integers(0, 10**6))
ROWS = st.lists(
    st.lists(st.one_of(BAND_COUNTS, st.none()) | BAND_COUNTS, min_size=6, max_size=6),
    max_size=12,
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(ROWS, st.sampled_from([MARCH_2015, SEPTEMBER_2025]), st.booleans())
def test_every_row_at_once_is_bit_for_bit_weeks_at(
    rows: list[list[int | None]], convention: Convention, as_floats: bool
) -> None:
    """with_centiles (all the rows at once, as the RTT layouts read them) gives each row
    exactly weeks_at's figure, bits and all, or null where weeks_at gives None or a band is
    not published."""
    bands = [f"b{k}" for k in range(6)]
    dtype = pl.Float64 if as_floats else pl.Int64
    frame = pl.DataFrame(rows, schema=dict.fromkeys(bands, dtype), orient="row")
    got = with_centiles(frame, bands, convention)
    for name, fraction in CENTILES.items():
        expected = [
            None if None in row else weeks_at([float(c or 0) for c in row], fraction, convention)
            for row in rows
        ]
        assert [_bits(v) for v in got[name].to_list()] == [_bits(v) for v in expected]


def _bits(value: float | None) -> bytes | None:
    return None if value is None else struct.pack("<d", value)
