"""Write the project's bundled sample: SYNTHETIC monthly A&E files.

Nothing here is NHS data. Every organisation, code and number is invented by this script.
The files mimic the layout of NHS England's official monthly "A&E Attendances and Emergency
Admissions" (MSitAE) provider CSV exactly, so that the tool reads them through the same code
path as the real publication:

* the same 22-column header, byte for byte (including the published ``4-12 hs`` typo);
* ``Period`` values like ``MSitAE-APRIL-2024``; upper-case organisation names;
* ``Parent Org`` region names in upper case with a trailing space, except
  ``NHS ENGLAND LONDON`` which has none;
* plain integers, UTF-8 without BOM, LF line ends, no footer;
* a national ``TOTAL,TOTAL,TOTAL,TOTAL,...`` row at the end whose every count is the exact
  sum of the provider rows;
* one file per month named like NHS England's ``Monthly-AE-<Month>-<Year>.csv``.

The sample covers April 2024 to September 2025 for six fictional providers (codes ``Z..``,
which are not real ODS codes) in three regions: three acute trusts, a specialist (type 2)
trust, a community urgent treatment centre operator and a walk-in centre. Magnitudes are
realistic, winter (December-January) is worse, and performance improves gently over the
18 months, so one acute trust's all-types 4-hour performance crosses the 78% interim target
while the other two stay below it.

The output is deterministic: a fixed seed and only ``random.Random.random`` are used, so
running the script twice writes byte-identical files.

Usage: ``python data/generate.py [--out DIR]`` (default: ``data/ae/`` beside this script).
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from pathlib import Path

SEED = 20240401

HEADER: tuple[str, ...] = (
    "Period",
    "Org Code",
    "Parent Org",
    "Org name",
    "A&E attendances Type 1",
    "A&E attendances Type 2",
    "A&E attendances Other A&E Department",
    "A&E attendances Booked Appointments Type 1",
    "A&E attendances Booked Appointments Type 2",
    "A&E attendances Booked Appointments Other Department",
    "Attendances over 4hrs Type 1",
    "Attendances over 4hrs Type 2",
    "Attendances over 4hrs Other Department",
    "Attendances over 4hrs Booked Appointments Type 1",
    "Attendances over 4hrs Booked Appointments Type 2",
    "Attendances over 4hrs Booked Appointments Other Department",
    "Patients who have waited 4-12 hs from DTA to admission",
    "Patients who have waited 12+ hrs from DTA to admission",
    "Emergency admissions via A&E - Type 1",
    "Emergency admissions via A&E - Type 2",
    "Emergency admissions via A&E - Other A&E department",
    "Other emergency admissions",
)

MONTH_NAMES: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

FIRST_MONTH = (2024, 4)
N_MONTHS = 18  # April 2024 to September 2025

# Regions exactly as the official CSV writes them: trailing space except London.
NORTH_WEST = "NHS ENGLAND NORTH WEST "
LONDON = "NHS ENGLAND LONDON"
MIDLANDS = "NHS ENGLAND MIDLANDS "

# Attendance seasonality by calendar month (1 = January).
SEASON: dict[int, float] = {
    1: 0.95,
    2: 0.92,
    3: 1.02,
    4: 0.99,
    5: 1.04,
    6: 1.03,
    7: 1.05,
    8: 0.99,
    9: 1.01,
    10: 1.02,
    11: 0.99,
    12: 0.98,
}

# Extra share of type 1 attendances over 4 hours by calendar month: the winter dip.
WINTER: dict[int, float] = {
    1: 0.060,
    2: 0.030,
    3: 0.010,
    4: 0.000,
    5: 0.000,
    6: 0.000,
    7: 0.000,
    8: 0.000,
    9: 0.000,
    10: 0.010,
    11: 0.025,
    12: 0.050,
}


@dataclass(frozen=True)
class Provider:
    """A fictional provider and the parameters its monthly figures are drawn around."""

    code: str
    region: str
    name: str
    type1: int = 0  # type 1 attendances a month (not booked)
    type2: int = 0
    other: int = 0
    booked_share: float = 0.0  # booked appointments as a share of each department's attendances
    breach1_start: float = 0.0  # share of type 1 attendances over 4 hours, April 2024
    breach1_end: float = 0.0  # ... September 2025, before winter and noise
    breach2: float = 0.03  # type 2 share over 4 hours
    breach_other: float = 0.02  # other department share over 4 hours
    dta12: int = 0  # 12-hour decision-to-admit waits a month at the April 2024 breach rate
    other_admissions: float = 0.0  # emergency admissions not via A&E, share of type 1
    type2_admissions: float = 0.0  # emergency admissions via type 2, share of type 2
    other_dept_admissions: float = 0.0  # via other departments, share of other


# Row order in the files is the order here (the official files are not sorted either).
PROVIDERS: tuple[Provider, ...] = (
    Provider(
        code="ZE5",
        region=NORTH_WEST,
        name="BRIGHTWATER COMMUNITY URGENT CARE CIC",
        other=6400,
        breach_other=0.015,
    ),
    Provider(
        code="ZA1",
        region=NORTH_WEST,
        name="NORTHGATE HOSPITALS NHS FOUNDATION TRUST",
        type1=15000,
        type2=1400,
        other=7000,
        booked_share=0.03,
        breach1_start=0.385,
        breach1_end=0.300,
        breach2=0.040,
        breach_other=0.025,
        dta12=260,
        other_admissions=0.09,
        type2_admissions=0.010,
        other_dept_admissions=0.012,
    ),
    Provider(
        code="ZB2",
        region=LONDON,
        name="RIVERMEAD UNIVERSITY HOSPITALS NHS TRUST",
        type1=12500,
        type2=0,
        other=5000,
        booked_share=0.025,
        breach1_start=0.440,
        breach1_end=0.400,
        breach_other=0.040,
        dta12=420,
        other_admissions=0.07,
        other_dept_admissions=0.008,
    ),
    Provider(
        code="ZD4",
        region=LONDON,
        name="KINGSMERE EYE HOSPITAL NHS FOUNDATION TRUST",
        type2=5600,
        breach2=0.030,
        other_admissions=0.040,
        type2_admissions=0.001,
    ),
    Provider(
        code="ZC3",
        region=MIDLANDS,
        name="EASTMOOR AND WEALD HOSPITALS NHS TRUST",
        type1=9000,
        type2=600,
        other=2500,
        booked_share=0.04,
        breach1_start=0.400,
        breach1_end=0.350,
        breach2=0.050,
        breach_other=0.030,
        dta12=90,
        other_admissions=0.11,
        type2_admissions=0.005,
        other_dept_admissions=0.010,
    ),
    Provider(
        code="ZF6",
        region=MIDLANDS,
        name="FERNLEIGH WALK-IN CENTRE",
        other=2800,
        breach_other=0.006,
    ),
)


def months() -> list[tuple[int, int]]:
    """The (year, month) pairs covered, oldest first."""
    year, month = FIRST_MONTH
    out: list[tuple[int, int]] = []
    for _ in range(N_MONTHS):
        out.append((year, month))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


def file_name(year: int, month: int) -> str:
    return f"Monthly-AE-{MONTH_NAMES[month - 1]}-{year}.csv"


def period_label(year: int, month: int) -> str:
    return f"MSitAE-{MONTH_NAMES[month - 1].upper()}-{year}"


def _jitter(rng: random.Random, spread: float) -> float:
    """A factor in [1 - spread, 1 + spread]."""
    return 1.0 + spread * (2.0 * rng.random() - 1.0)


def _share(count: int, rate: float) -> int:
    """round(count * rate), clamped to [0, count]."""
    return min(count, max(0, round(count * rate)))


def provider_row(p: Provider, t: int, month: int, rng: random.Random) -> list[int]:
    """The 18 count columns for provider ``p`` in the ``t``-th month (calendar ``month``)."""
    volume = SEASON[month] * (1.0 + 0.01 * t / 12)  # ~1% a year growth

    def attendances(base: int) -> int:
        return round(base * volume * _jitter(rng, 0.03)) if base else 0

    att1, att2, att_oth = attendances(p.type1), attendances(p.type2), attendances(p.other)
    bk1 = _share(att1, p.booked_share * _jitter(rng, 0.2))
    bk2 = _share(att2, p.booked_share * 0.5 * _jitter(rng, 0.2))
    bk_oth = _share(att_oth, p.booked_share * 0.6 * _jitter(rng, 0.2))

    progress = t / (N_MONTHS - 1)
    breach1 = p.breach1_start + (p.breach1_end - p.breach1_start) * progress
    breach1 += WINTER[month] + 0.012 * (2.0 * rng.random() - 1.0)
    pressure = 1.0 + 4.0 * WINTER[month]  # winter strain spills into the other departments
    over1 = _share(att1, breach1)
    over2 = _share(att2, p.breach2 * pressure * _jitter(rng, 0.25))
    over_oth = _share(att_oth, p.breach_other * pressure * _jitter(rng, 0.25))
    bk_over1 = _share(bk1, breach1 * 0.55 * _jitter(rng, 0.2))
    bk_over2 = _share(bk2, p.breach2 * _jitter(rng, 0.3))
    bk_over_oth = _share(bk_oth, p.breach_other * 0.5 * _jitter(rng, 0.3))

    adm1 = round(att1 * 0.275 * _jitter(rng, 0.06))
    adm2 = round(att2 * p.type2_admissions * _jitter(rng, 0.3))
    adm_oth = round(att_oth * p.other_dept_admissions * _jitter(rng, 0.3))
    adm_not_ae = round(att1 * p.other_admissions * _jitter(rng, 0.08)) if att1 else 0
    if not att1 and att2:
        adm_not_ae = round(att2 * p.other_admissions * _jitter(rng, 0.08))

    dta12 = dta4_12 = 0
    if att1 and p.breach1_start:
        strain = (breach1 / p.breach1_start) ** 3  # long waits respond sharply to crowding
        dta12 = round(p.dta12 * strain * _jitter(rng, 0.15))
        dta4_12 = round(dta12 * 2.4 * _jitter(rng, 0.2))
        room = adm1 + adm2
        dta12 = min(dta12, room)
        dta4_12 = min(dta4_12, room - dta12)

    return [
        att1,
        att2,
        att_oth,
        bk1,
        bk2,
        bk_oth,
        over1,
        over2,
        over_oth,
        bk_over1,
        bk_over2,
        bk_over_oth,
        dta4_12,
        dta12,
        adm1,
        adm2,
        adm_oth,
        adm_not_ae,
    ]


def month_rows(t: int, year: int, month: int, rng: random.Random) -> list[list[str]]:
    """Every data row of one month's file: providers, then the national TOTAL row."""
    period = period_label(year, month)
    rows: list[list[str]] = []
    totals = [0] * (len(HEADER) - 4)
    for p in PROVIDERS:
        counts = provider_row(p, t, month, rng)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        rows.append([period, p.code, p.region, p.name, *map(str, counts)])
    rows.append(["TOTAL"] * 4 + [str(n) for n in totals])
    return rows


def write_month(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)


def generate(out: Path) -> list[Path]:
    """Write every month's file into ``out`` (created if needed); return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    written: list[Path] = []
    for t, (year, month) in enumerate(months()):
        path = out / file_name(year, month)
        write_month(path, month_rows(t, year, month, rng))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write the synthetic sample A&E files (official NHS England CSV layout)."
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent / "ae",
        help="folder to write into (default: data/ae/ beside this script)",
    )
    args = parser.parse_args(argv)
    out: Path = args.out
    written = generate(out)
    print(f"wrote {len(written)} files to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
