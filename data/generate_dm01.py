"""Write the project's bundled sample: SYNTHETIC monthly diagnostics (DM01) files.

Nothing here is NHS data. The providers are the fictional trusts of ``generate.py``. The
files mimic the "Provider" sheet of NHS England's monthly diagnostics web file, saved as
CSV, exactly as the tool reads the real ones:

* the same 25-column header (``Regional Team Code`` ... ``Waiting list tests / procedures
  (excluding planned)``), with week bands ``0 <01 weeks`` ... ``12 <13 weeks``, ``13+ weeks``;
* the England ``Total`` row first, with empty codes, whose counts are the exact sums of the
  provider rows and whose ``Percentage waiting 6+ weeks`` is a full-precision fraction;
* one file per month named ``DM01-Provider-YYYY-MM.csv`` (the month is not in the sheet body).

Beside each, the same month's "Provider by Test" sheet, ``DM01-ProviderByTest-YYYY-MM.csv``,
in its published layout: the same columns with ``Diagnostic ID`` and ``Diagnostic Test Name``
after the provider, the England ``Total`` row first (empty ID and name), then for each trust
one row per test it does (IDs 1-15, in ID order) and its ``Total`` row (ID 16), which is the
trust's row of the Provider sheet. Every count column of the tests adds up exactly to the
Total row; each test row keeps the sheet's own sums (bands to the list, 6+ and 13+ weeks). The
split by test is worked out from the Provider sheet's counts without drawing random numbers,
so the Provider sheet files are the same as before the by-test files were added. Percentages
of test and Total rows have 15 significant digits (as Excel stores them); England's is full.

DM01 is published two months in arrears, so the sample runs from April 2024 to July 2025,
two months behind the A&E sample: a September 2025 scorecard shows diagnostics for July.
Deterministic: a fixed seed, so two runs write byte-identical files.

Usage: ``python data/generate_dm01.py [--out DIR]`` (default: ``data/dm01/``).
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from pathlib import Path

SEED = 20240402
FIRST_MONTH = (2024, 4)
N_MONTHS = 16  # April 2024 to July 2025
BANDS = ("0 <01 weeks", *(f"{i:02d} <{i + 1:02d} weeks" for i in range(1, 13)), "13+ weeks")
HEADER: tuple[str, ...] = (
    "Regional Team Code",
    "Regional Team Name",
    "Provider Code",
    "Provider Name",
    "Total Waiting List",
    "Number waiting 6+ Weeks",
    "Number waiting 13+ Weeks",
    "Percentage waiting 6+ weeks",
    *BANDS,
    "Planned tests / procedures",
    "Unscheduled tests / procedures",
    "Waiting list tests / procedures (excluding planned)",
)


@dataclass(frozen=True)
class Trust:
    region_code: str
    region: str
    code: str
    name: str
    waiting: int  # typical month-end waiting list
    late_start: float  # share waiting 6+ weeks in the first month
    late_end: float  # ... and in the last


TRUSTS: tuple[Trust, ...] = (
    Trust("Y62", "North West Commissioning Region", "ZA1",
          "Northgate Hospitals NHS Foundation Trust", 16000, 0.060, 0.030),
    Trust("Y56", "London Commissioning Region", "ZB2",
          "Rivermead University Hospitals NHS Trust", 13000, 0.190, 0.140),
    Trust("Y60", "Midlands Commissioning Region", "ZC3",
          "Eastmoor and Weald Hospitals NHS Trust", 9000, 0.045, 0.048),
    Trust("Y56", "London Commissioning Region", "ZD4",
          "Kingsmere Eye Hospital NHS Foundation Trust", 2500, 0.012, 0.006),
)  # fmt: skip


BY_TEST_HEADER: tuple[str, ...] = (
    *HEADER[:4],
    "Diagnostic ID",
    "Diagnostic Test Name",
    *HEADER[4:],
)


@dataclass(frozen=True)
class Test:
    id: int  # the published Diagnostic ID
    name: str  # as published
    share: float  # of a trust's waiting list
    tail: float  # how much more of the longest waits than of the shortest it has
    activity: tuple[float, float, float]  # leaning of planned, unscheduled, waiting-list tests


TESTS: tuple[Test, ...] = (
    Test(1, "Magnetic Resonance Imaging", 0.19, 1.2, (0.8, 0.6, 1.3)),
    Test(2, "Computed Tomography", 0.14, 0.8, (1.5, 4.0, 1.5)),
    Test(3, "Non-obstetric Ultrasound", 0.32, 0.7, (1.2, 1.5, 1.4)),
    Test(4, "Barium Enema", 0.002, 1.0, (0.4, 3.0, 1.0)),
    Test(5, "DEXA Scan", 0.03, 1.1, (1.0, 0.1, 0.8)),
    Test(6, "Audiology - Audiology Assessments", 0.04, 1.0, (4.0, 0.8, 1.5)),
    Test(7, "Cardiology - Echocardiography", 0.09, 1.3, (1.2, 1.0, 1.0)),
    Test(8, "Cardiology - Electrophysiology", 0.001, 1.0, (4.0, 0.3, 0.2)),
    Test(9, "Neurophysiology - Peripheral Neurophysiology", 0.02, 1.8, (0.1, 0.1, 0.8)),
    Test(10, "Respiratory physiology - Sleep Studies", 0.01, 2.0, (0.6, 0.1, 0.8)),
    Test(11, "Urodynamics - Pressures & Flows", 0.006, 2.5, (1.5, 0.3, 0.7)),
    Test(12, "Colonoscopy", 0.05, 2.2, (1.5, 0.05, 0.7)),
    Test(13, "Flexi Sigmoidoscopy", 0.02, 2.0, (0.8, 0.2, 0.8)),
    Test(14, "Cystoscopy", 0.02, 2.0, (1.7, 0.1, 1.0)),
    Test(15, "Gastroscopy", 0.05, 1.8, (1.0, 0.5, 0.7)),
)
# The tests each trust reports (a trust lists only the tests it does; one not named here
# does all 15); the eye hospital does three.
ALL_TESTS = frozenset(range(1, 16))
TRUST_TESTS: dict[str, frozenset[int]] = {
    "ZA1": frozenset(range(1, 16)),
    "ZB2": frozenset(range(1, 16)),
    "ZC3": frozenset(range(1, 16)) - {8},
    "ZD4": frozenset({1, 2, 3}),
}


def months() -> list[tuple[int, int]]:
    year, month = FIRST_MONTH
    out = []
    for _ in range(N_MONTHS):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, summing exactly to `total`."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True):
        if sum(parts) == total:
            break
        parts[i] += 1
    return parts


def trust_counts(trust: Trust, t: int, rng: random.Random) -> list[int]:
    """Waiting list, 6+, 13+, the 14 bands and 3 activity counts for month ``t``."""
    waiting = round(trust.waiting * (1 + 0.1 * (rng.random() - 0.5)))
    late_share = trust.late_start + (trust.late_end - trust.late_start) * t / (N_MONTHS - 1)
    late = round(waiting * late_share * (1 + 0.2 * (rng.random() - 0.5)))
    early = _split(waiting - late, [1.0, 0.8, 0.75, 0.65, 0.5, 0.35])
    tail = _split(late, [0.5**i for i in range(7)] + [0.05])
    bands = early + tail
    activity = [round(waiting * f * (1 + 0.1 * (rng.random() - 0.5))) for f in (0.2, 0.35, 1.3)]
    return [waiting, late, bands[-1], *bands, *activity]


def month_rows(t: int, rng: random.Random) -> list[list[str]]:
    """The Provider sheet's rows for month ``t``: England's Total, then each trust."""
    return provider_rows([trust_counts(trust, t, rng) for trust in TRUSTS])


def _cells(counts: list[int], pct: str) -> list[str]:
    return [*map(str, counts[:3]), pct, *map(str, counts[3:])]


def _england(per_trust: list[list[int]]) -> list[int]:
    return [sum(column) for column in zip(*per_trust, strict=True)]


def provider_rows(per_trust: list[list[int]]) -> list[list[str]]:
    rows = [
        [trust.region_code, trust.region, trust.code, trust.name, *_cells(c, repr(c[1] / c[0]))]
        for trust, c in zip(TRUSTS, per_trust, strict=True)
    ]
    totals = _england(per_trust)
    return [["", "", "", "Total", *_cells(totals, repr(totals[1] / totals[0]))], *rows]


def by_test_rows(per_trust: list[list[int]]) -> list[list[str]]:
    """The Provider by Test sheet's rows: England's Total, then each trust's tests and Total."""
    totals = _england(per_trust)
    rows = [["", "", "", "Total", "", "", *_cells(totals, repr(totals[1] / totals[0]))]]
    for trust, counts in zip(TRUSTS, per_trust, strict=True):
        ids = [trust.code, trust.name]
        for test, c in split_by_test(trust, counts):
            rows.append([trust.region_code, trust.region, *ids, str(test.id), test.name,
                         *_cells(c, _share(c))])  # fmt: skip
        rows.append([trust.region_code, trust.region, *ids, "16", "Total",
                     *_cells(counts, _share(counts))])  # fmt: skip
    return rows


def _share(counts: list[int]) -> str:
    """6+ weeks / the list with Excel's 15 significant digits; 0 for an empty list."""
    return f"{counts[1] / counts[0]:.15g}" if counts[1] else "0"


def split_by_test(trust: Trust, counts: list[int]) -> list[tuple[Test, list[int]]]:
    """A trust's counts shared among the tests it does, each column exactly: longer waits
    lean to the tests with a longer tail, planned tests to endoscopy, unscheduled to imaging.
    Each test's list, 6+ and 13+ weeks are the sums of its own bands."""
    tests = [t for t in TESTS if t.id in TRUST_TESTS.get(trust.code, ALL_TESTS)]
    bands = [
        _split(counts[3 + b], [t.share * t.tail ** (b / 13) for t in tests]) for b in range(14)
    ]
    activity = [_split(counts[17 + a], [t.share * t.activity[a] for t in tests]) for a in range(3)]
    out = []
    for i, test in enumerate(tests):
        own = [band[i] for band in bands]
        out.append((test, [sum(own), sum(own[6:]), own[13], *own, *(a[i] for a in activity)]))
    return out


def _write(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def generate(out: Path) -> list[Path]:
    """Write every month's two files into ``out``; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    written = []
    for t, (year, month) in enumerate(months()):
        per_trust = [trust_counts(trust, t, rng) for trust in TRUSTS]
        provider = out / f"DM01-Provider-{year}-{month:02d}.csv"
        by_test = out / f"DM01-ProviderByTest-{year}-{month:02d}.csv"
        _write(provider, HEADER, provider_rows(per_trust))
        _write(by_test, BY_TEST_HEADER, by_test_rows(per_trust))
        written += [provider, by_test]
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the synthetic sample DM01 files.")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent / "dm01", help="folder"
    )
    args = parser.parse_args(argv)
    written = generate(args.out)
    print(f"wrote {len(written)} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
