"""Write the project's bundled sample: SYNTHETIC monthly diagnostics (DM01) files.

Nothing here is NHS data. The providers are the fictional trusts of ``generate.py``. The
files mimic the "Provider" sheet of NHS England's monthly diagnostics web file, saved as
CSV, exactly as the tool reads the real ones:

* the same 25-column header (``Regional Team Code`` ... ``Waiting list tests / procedures
  (excluding planned)``), with week bands ``0 <01 weeks`` ... ``12 <13 weeks``, ``13+ weeks``;
* the England ``Total`` row first, with empty codes, whose counts are the exact sums of the
  provider rows and whose ``Percentage waiting 6+ weeks`` is a full-precision fraction;
* one file per month named ``DM01-Provider-YYYY-MM.csv`` (the month is not in the sheet body).

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
    rows, totals = [], [0] * 20
    for trust in TRUSTS:
        counts = trust_counts(trust, t, rng)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        pct = repr(counts[1] / counts[0])
        rows.append([trust.region_code, trust.region, trust.code, trust.name,
                     *map(str, counts[:3]), pct, *map(str, counts[3:])])  # fmt: skip
    pct = repr(totals[1] / totals[0])
    total = ["", "", "", "Total", *map(str, totals[:3]), pct, *map(str, totals[3:])]
    return [total, *rows]


def generate(out: Path) -> list[Path]:
    """Write every month's file into ``out``; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    written = []
    for t, (year, month) in enumerate(months()):
        path = out / f"DM01-Provider-{year}-{month:02d}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(HEADER)
            writer.writerows(month_rows(t, rng))
        written.append(path)
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
