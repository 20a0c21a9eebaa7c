"""Write the project's bundled sample: SYNTHETIC monthly cancer waiting times (CWT) files.

Nothing here is NHS data. The commissioners are the fictional integrated care boards of
the other sample generators (``ZI1`` NHS Northgate and Brightwater ICB, North West; ``ZI2``
NHS Rivermead and Kingsmere ICB, London; ``ZI3`` NHS Eastmoor, Weald and Fernleigh ICB,
Midlands; the same codes and names as ``generate_rtt.py`` and ``generate_orgs.py``), a
fictional health and justice commissioning hub (``ZH1``) and NHS England's ``UNKNOWN``
commissioner row. The files
mimic three sheets of NHS England's monthly commissioner-based CWT workbook, each saved as
CSV, exactly as the tool reads the real ones:

* ``28-DAY FDS (ALL ROUTES)``, ``31-DAY (ALL CANCER)`` and ``62-DAY (ALL CANCER)``, with the
  published headers byte for byte (``ODS CODE (1)``, ``WITHIN 31 DAYS`` twice, the second
  with a trailing space, ...);
* sections stacked under one header (``ALL STAGES`` then ``First Treatment`` and
  ``Subsequent Treatment``; ``ALL ROUTES`` then the four referral routes), each commissioner's
  all-routes row the exact sum of its route rows, rows with nobody in them left out;
* an ``ALL ENGLISH COMMISSIONERS`` row with an empty ODS code closing each section, the exact
  sum of the rows above it; counts that are sometimes halves (``12.5``); the percentage
  column a full-precision fraction;
* file names like ``CWT-Commissioner-2024-07_62-DAY-ALL-CANCER.csv`` (the month is not in
  the sheet body).

Cancer waiting times are published about two months after the month ends, so the sample runs
from April 2024 to July 2025, like the DM01 sample. Performance improves gently: FDS about
72-80%, 31 days 89-94%, 62 days 62-75%. Deterministic: a fixed seed, so two runs write
byte-identical files.

Usage: ``python data/generate_cwt.py [--out DIR]`` (default: ``data/cwt/``).
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from pathlib import Path

SEED = 20240711
FIRST_MONTH = (2024, 4)
N_MONTHS = 16  # April 2024 to July 2025
ORG_HEADER = ("ODS CODE (1)", "INTEGRATED CARE BOARD (ICB)/COMMISSIONING HUB")
FDS_HEADER = (
    *ORG_HEADER, "REFERRAL ROUTE", "TOTAL", "WITHIN 28 DAYS", "AFTER 28 DAYS",
    "TOLD WITHIN 28 DAYS", "WITHIN 14 DAYS", "IN 15 TO 28 DAYS", "IN 29 TO 42 DAYS",
    "IN 43 TO 62 DAYS", "AFTER 62 DAYS",
)  # fmt: skip
D31_HEADER = (
    *ORG_HEADER, "TREATMENT STAGE", "CANCER TYPE", "TOTAL", "WITHIN 31 DAYS", "AFTER 31 DAYS",
    "TREATED WITHIN 31 DAYS", "WITHIN 31 DAYS ", "IN 32 TO 38 DAYS", "IN 39 TO 48 DAYS",
    "IN 49 TO 62 DAYS", "AFTER 62 DAYS",
)  # fmt: skip
D62_HEADER = (
    *ORG_HEADER, "REFERRAL ROUTE", "CANCER TYPE", "TOTAL", "WITHIN 62 DAYS", "AFTER 62 DAYS",
    "TREATED WITHIN 62 DAYS", "WITHIN 31 DAYS", "IN 32 TO 38 DAYS", "IN 39 TO 48 DAYS",
    "IN 49 TO 62 DAYS", "IN 63 TO 76 DAYS", "IN 77 TO 90 DAYS", "IN 91 TO 104 DAYS",
    "AFTER 104 DAYS",
)  # fmt: skip


@dataclass(frozen=True)
class Sheet:
    """One sheet: its header, time-band weights and sections (label, share, offset)."""

    file: str
    header: tuple[str, ...]
    bands_in: tuple[float, ...]
    bands_out: tuple[float, ...]
    sections: tuple[tuple[str, float, float], ...]  # the all-section is their sum
    all_label: str
    cancer: bool  # has the CANCER TYPE column (always ALL CANCERS here)


FDS = Sheet("28-DAY-FDS-ALL-ROUTES", FDS_HEADER, (0.55, 0.45), (0.5, 0.3, 0.2),
            (("ALL ROUTES", 1.0, 0.0),), "ALL ROUTES", cancer=False)  # fmt: skip
D31 = Sheet("31-DAY-ALL-CANCER", D31_HEADER, (1.0,), (0.35, 0.3, 0.18, 0.17),
            (("First Treatment", 0.55, 0.0), ("Subsequent Treatment", 0.45, -0.005)),
            "ALL STAGES", cancer=True)  # fmt: skip
D62 = Sheet("62-DAY-ALL-CANCER", D62_HEADER, (0.4, 0.13, 0.19, 0.28), (0.31, 0.24, 0.15, 0.3),
            (("Urgent Suspected Cancer", 0.6, -0.05), ("Breast Symptomatic", 0.005, -0.02),
             ("Screening", 0.07, -0.03), ("Consultant Upgrade", 0.325, 0.1)),
            "ALL ROUTES", cancer=True)  # fmt: skip
SHEETS = (FDS, D31, D62)


@dataclass(frozen=True)
class Commissioner:
    code: str
    name: str
    size: tuple[int, int, int]  # typical people a month: FDS told, 31-day, 62-day treated
    start: tuple[float, float, float]  # performance in the first month (FDS, 31, 62 days)
    end: tuple[float, float, float]  # ... and in the last
    halves: bool  # some treatments are halves (shared with another organisation)


COMMISSIONERS: tuple[Commissioner, ...] = (
    Commissioner("ZI3", "NHS EASTMOOR, WEALD AND FERNLEIGH INTEGRATED CARE BOARD",
                 (5200, 1250, 520), (0.755, 0.915, 0.675), (0.79, 0.93, 0.72), True),
    Commissioner("ZI1", "NHS NORTHGATE AND BRIGHTWATER INTEGRATED CARE BOARD",
                 (8400, 1750, 880), (0.74, 0.905, 0.655), (0.80, 0.94, 0.75), True),
    Commissioner("ZI2", "NHS RIVERMEAD AND KINGSMERE INTEGRATED CARE BOARD",
                 (6600, 1420, 640), (0.72, 0.89, 0.62), (0.765, 0.92, 0.70), False),
    Commissioner("ZH1", "NORTHERN MARCHES - H&J COMMISSIONING HUB",
                 (40, 6, 4), (0.70, 0.95, 0.60), (0.72, 0.95, 0.65), False),
    Commissioner("UNKNOWN", "UNKNOWN", (700, 380, 170), (0.73, 0.90, 0.70), (0.74, 0.91, 0.71),
                 False),
)  # fmt: skip


def months() -> list[tuple[int, int]]:
    year, month = FIRST_MONTH
    out = []
    for _ in range(N_MONTHS):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _split(total: int, weights: tuple[float, ...]) -> list[int]:
    """`total` split in proportion to `weights`, summing exactly to `total`."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True):
        if sum(parts) == total:
            break
        parts[i] += 1
    return parts


def _split_halves(halves: int, weights: tuple[float, ...]) -> list[int]:
    """A count in half-units split into bands of whole people, plus the odd half, if any."""
    parts = [2 * p for p in _split(halves // 2, weights)]
    parts[parts.index(max(parts))] += halves % 2
    return parts


def _fmt(halves: int) -> str:
    """A count in half-units as NHS England prints it: `12` or `12.5`."""
    return str(halves // 2) if halves % 2 == 0 else f"{halves // 2}.5"


def _counts(sheet: Sheet, total: int, within: int) -> list[int]:
    """TOTAL, WITHIN, AFTER and the time bands, all in half-units."""
    after = total - within
    return [total, within, after, *_split_halves(within, sheet.bands_in),
            *_split_halves(after, sheet.bands_out)]  # fmt: skip


def section_counts(sheet: Sheet, org: Commissioner, t: int, rng: random.Random) -> list[list[int]]:
    """Each section's counts (half-units) for one commissioner and month; [] when empty."""
    which = SHEETS.index(sheet)
    progress = t / (N_MONTHS - 1)
    perf = org.start[which] + (org.end[which] - org.start[which]) * progress
    out = []
    for _, share, offset in sheet.sections:
        people = round(org.size[which] * share * (1 + 0.12 * (rng.random() - 0.5)))
        rate = min(1.0, max(0.0, perf + offset + 0.03 * (rng.random() - 0.5)))
        total, within = 2 * people, 2 * round(people * rate)
        if org.halves and sheet is not FDS and people > 10 and rng.random() < 0.2:
            total += 1
            within += int(rng.random() < 0.5)
        out.append(_counts(sheet, total, within) if total else [])
    return out


def _row(sheet: Sheet, code: str, name: str, label: str, counts: list[int]) -> list[str]:
    cells = [code, name, label, *(["ALL CANCERS"] if sheet.cancer else [])]
    fraction = f"{counts[1] / counts[0]:.15g}"
    return [*cells, *map(_fmt, counts[:3]), fraction, *map(_fmt, counts[3:])]


def sheet_rows(sheet: Sheet, t: int, rng: random.Random) -> list[list[str]]:
    """The sheet's rows for month `t`: the all-section first, then each section."""
    per_org = {org.code: section_counts(sheet, org, t, rng) for org in COMMISSIONERS}
    labels = [label for label, _, _ in sheet.sections]
    if len(labels) > 1:
        labels.insert(0, sheet.all_label)
        for counts in per_org.values():
            present = [c for c in counts if c]
            counts.insert(0, [sum(col) for col in zip(*present, strict=True)])
    ordered = sorted(COMMISSIONERS, key=lambda org: (org.code == "UNKNOWN", org.name))
    rows: list[list[str]] = []
    for i, label in enumerate(labels):
        section = [(org, per_org[org.code][i]) for org in ordered if per_org[org.code][i]]
        rows.extend(_row(sheet, org.code, org.name, label, counts) for org, counts in section)
        if section:
            national = [sum(col) for col in zip(*(c for _, c in section), strict=True)]
            rows.append(_row(sheet, "", "ALL ENGLISH COMMISSIONERS", label, national))
    return rows


def generate(out: Path) -> list[Path]:
    """Write every month's files into ``out``; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    written = []
    for t, (year, month) in enumerate(months()):
        for sheet in SHEETS:
            path = out / f"CWT-Commissioner-{year}-{month:02d}_{sheet.file}.csv"
            with path.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow(sheet.header)
                writer.writerows(sheet_rows(sheet, t, rng))
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the synthetic sample CWT files.")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent / "cwt", help="folder"
    )
    args = parser.parse_args(argv)
    written = generate(args.out)
    print(f"wrote {len(written)} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
