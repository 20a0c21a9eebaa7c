"""MDC SPC on NHS England's real A&E provider-level sheets, April 2025 - March 2026.

Skipped when ../shared/data/real is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scorecard.api import catalogue
from scorecard.compute import compute_values
from scorecard.periods import Month
from scorecard.sources import read_extract
from scorecard.spc.analysis import analyse
from scorecard.spc.icons import Assurance, Improvement, Variation
from scorecard.spc.result import SpcResult, SpcRules
from scorecard.store import Store

SHEETS = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "ae" / "provider_level_sheet"
)
pytestmark = pytest.mark.skipif(not SHEETS.is_dir(), reason="../shared/data/real is absent")

FIRST, LAST = Month(2025, 4), Month(2026, 3)
MONTH_FILES = [
    "April-2025-AE.csv",
    "May-2025-AE.csv",
    "June-2025-AE.csv",
    "July-2025-AE.csv",
    "August-2025-AE.csv",
    "September-2025-AE.csv",
    "October-2025-AE.csv",
    "November-2025-AE.csv",
    "December-2025-AE.csv",
    "January-2026-AE.csv",
    "February-2026-AE.csv",
    "March-2026-AE.csv",
]
# England, all types: (attendances - attendances over 4 hours, attendances), summed over providers.
COUNTS = [
    (1_718_099, 2_297_421),
    (1_807_794, 2_397_529),
    (1_776_772, 2_351_581),
    (1_840_562, 2_408_866),
    (1_720_066, 2_266_937),
    (1_733_831, 2_310_222),
    (1_781_392, 2_401_266),
    (1_741_906, 2_347_046),
    (1_717_664, 2_326_139),
    (1_680_358, 2_319_296),
    (1_568_084, 2_117_450),
    (1_875_561, 2_432_272),
]
TARGET = 78.0  # the 2025/26 planning target for 4-hour performance


@pytest.fixture(scope="module")
def england() -> list[tuple[Month, float | None, float, float]]:
    """The England monthly series (month, percent, numerator, denominator) via the project."""
    store = Store.open(None)
    store.ingest([read_extract(SHEETS / f) for f in MONTH_FILES])
    frame = compute_values(
        store, [catalogue().indicator("ae_4hr_all_pct")], FIRST, LAST, org="ENG"
    ).filter(window="month")
    rows = frame.sort("period").iter_rows(named=True)
    return [
        (Month.from_date(r["period"]), r["value"], r["numerator"], r["denominator"]) for r in rows
    ]


@pytest.fixture(scope="module")
def result(england: list[tuple[Month, float | None, float, float]]) -> SpcResult:
    series = [(m, v) for m, v, _, _ in england]
    return analyse(
        series,
        Improvement.UP,
        TARGET,
        rules=SpcRules(min_points=12),
        format_value=lambda v: f"{v:.1f}%",
    )


def test_series_is_the_published_counts(
    england: list[tuple[Month, float | None, float, float]],
) -> None:
    assert [m for m, *_ in england] == [FIRST.plus(i) for i in range(12)]
    assert [(n, d) for _, _, n, d in england] == COUNTS
    for (_, value, n, d), shown in zip(
        england,
        [74.78, 75.40, 75.56, 76.41, 75.88, 75.05, 74.19, 74.22, 73.84, 72.45, 74.06, 77.11],
        strict=True,
    ):
        assert value == pytest.approx(100 * n / d, abs=1e-9)
        assert round(100 * n / d, 2) == shown  # the percentages the data README lists


def test_england_four_hour_spc(result: SpcResult) -> None:
    """England 4-hour (all types) XmR, Apr 2025 - Mar 2026, worked by hand.

    Why min_points = 12: this is one financial year, 12 points. MDC's SQL tool needs 15
    points before it shows limits (12 would be a run chart); MDC's Excel single-chart tool
    shows them from 13. Using 12 is a deliberate override, to show the whole 2025/26 year's
    limits and icons; with the default 15 the result is "too few points" (tested below).

    Values, 100 x (attendances - over 4 h) / attendances, from the exact counts:
      Apr 25  1,718,099 / 2,297,421 = 74.783812
      May 25  1,807,794 / 2,397,529 = 75.402383
      Jun 25  1,776,772 / 2,351,581 = 75.556487
      Jul 25  1,840,562 / 2,408,866 = 76.407820
      Aug 25  1,720,066 / 2,266,937 = 75.876215
      Sep 25  1,733,831 / 2,310,222 = 75.050406
      Oct 25  1,781,392 / 2,401,266 = 74.185534
      Nov 25  1,741,906 / 2,347,046 = 74.216952
      Dec 25  1,717,664 / 2,326,139 = 73.841847
      Jan 26  1,680,358 / 2,319,296 = 72.451209
      Feb 26  1,568,084 / 2,117,450 = 74.055302
      Mar 26  1,875,561 / 2,432,272 = 77.111483
    Sum = 898.939451; mean = 898.939451 / 12 = 74.911621.

    Moving ranges |x(i) - x(i-1)|:
      May 0.618571, Jun 0.154104, Jul 0.851333, Aug 0.531605, Sep 0.825809,
      Oct 0.864873, Nov 0.031418, Dec 0.375105, Jan 1.390638, Feb 1.604093, Mar 3.056180.
    Sum = 10.303728 over 11; MR-bar = 0.936703.
    2.66 x MR-bar = 2.491629 (3 sigma); 2 sigma = 1.661086; 1 sigma = 0.830543.
      UPL = 74.911621 + 2.491629 = 77.403250     LPL = 74.911621 - 2.491629 = 72.419992
      upper 2s = 76.572707                        lower 2s = 73.250535
      upper 1s = 75.742164                        lower 1s = 74.081078

    Rules:
      1 beyond a limit: highest Mar 26 77.111483 < UPL 77.403250; lowest Jan 26
        72.451209 > LPL 72.419992 (by 0.03 points): none.
      2 shift (7 on one side of the mean 74.911621): above May-Sep 25 (5) and Mar 26 (1);
        below Apr 25 (1) and Oct 25 - Feb 26 (5): longest run 5 -> none.
      3 trend (7 points, 6 rises or falls): rising Apr-Jul 25 (4 points), falling Jul-Oct
        25 (4), Nov 25 - Jan 26 (3), rising Jan-Mar 26 (3): longest 4 -> none.
      4 2 of 3 beyond a 2-sigma line: above 76.572707 only Mar 26 (Jul 25 76.407820 is
        not); below 73.250535 only Jan 26 (Dec 25 73.841847 is not). No three consecutive
        points hold two beyond the same line -> none.
    No point is special cause.

    Icons (last point, Mar 26): variation common cause (no rule touches it).
    Assurance, improvement Up, target 78.0: 78.0 >= UPL 77.403250 -> consistently fails
    (the process as it ran in 2025/26 cannot be expected to reach 78% without change).
    """
    points = result.points
    assert len(points) == 12
    for p in points:
        assert p.partition == 0 and not p.ghosted
        assert p.centre == pytest.approx(74.911621, abs=1e-6)
        assert p.upl == pytest.approx(77.403250, abs=1e-6)
        assert p.lpl == pytest.approx(72.419992, abs=1e-6)
        assert p.upper_2s == pytest.approx(76.572707, abs=1e-6)
        assert p.lower_2s == pytest.approx(73.250535, abs=1e-6)
        assert p.upper_1s == pytest.approx(75.742164, abs=1e-6)
        assert p.lower_1s == pytest.approx(74.081078, abs=1e-6)
        assert p.special is None and p.rules == ()
    ranges = [p.moving_range for p in points]
    assert ranges[0] is None
    assert ranges[1:] == pytest.approx(
        [
            0.618571,
            0.154104,
            0.851333,
            0.531605,
            0.825809,
            0.864873,
            0.031418,
            0.375105,
            1.390638,
            1.604093,
            3.056180,
        ],
        abs=1e-6,
    )
    assert result.variation is Variation.COMMON_CAUSE
    assert result.reason == "Common cause: no rule fires on the last point (Mar 26)"
    assert result.assurance is Assurance.FAIL
    assert result.assurance_reason == (
        "Consistently fails: the target 78.0% is at or above the upper limit 77.4%"
    )
    assert result.target == TARGET
    assert result.warnings == ()


def test_england_with_the_mdc_default_minimum(
    england: list[tuple[Month, float | None, float, float]],
) -> None:
    """With MDC's default of 15 points, one year is a run chart: no limits, no icons."""
    plain = analyse([(m, v) for m, v, _, _ in england], Improvement.UP, TARGET)
    assert plain.variation is Variation.NONE and plain.assurance is Assurance.NONE
    assert plain.reason == "Too few points: 12 of the 15 needed; shown as a run chart"
    assert all(p.upl is None and p.special is None for p in plain.points)
