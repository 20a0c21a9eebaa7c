"""Write the project's bundled sample: SYNTHETIC monthly cancer waiting times (CWT) files.

Nothing here is NHS data. The commissioners are the fictional integrated care boards of
the other sample generators (``ZI1`` NHS Northgate and Brightwater ICB, North West; ``ZI2``
NHS Rivermead and Kingsmere ICB, London; ``ZI3`` NHS Eastmoor, Weald and Fernleigh ICB,
Midlands; the same codes and names as ``generate_rtt.py`` and ``generate_orgs.py``), a
fictional health and justice commissioning hub (``ZH1``) and NHS England's ``UNKNOWN``
commissioner row. The files mimic the ten sheets of NHS England's monthly commissioner-based
CWT workbook (from October 2023), each saved as CSV, exactly as the tool reads the real ones:

* ``28-DAY FDS (ALL ROUTES)``, ``31-DAY (ALL CANCER)`` and ``62-DAY (ALL CANCER)``, with the
  published headers byte for byte (``ODS CODE (1)``, ``WITHIN 31 DAYS`` twice, the second
  with a trailing space, ...);
* sections stacked under one header (``ALL STAGES`` then ``First Treatment`` and
  ``Subsequent Treatment``; ``ALL ROUTES`` then the four referral routes), each commissioner's
  all-routes row the exact sum of its route rows, rows with nobody in them left out;
* an ``ALL ENGLISH COMMISSIONERS`` row with an empty ODS code closing each section, the exact
  sum of the rows above it; counts that are sometimes halves (``12.5``); the percentage
  column a full-precision fraction;
* the breakdowns: ``28-DAY FDS (BY ROUTE)`` (each commissioner's rows by route and suspected
  cancer type, then the national rows; no route totals), ``31-DAY (BY CANCER)``, ``31-DAY
  (BY TREATMENT MODALITY)``, ``62-DAY (BY CANCER)`` and ``62-DAY (BY TREATMENT MODALITY)``
  (stacked like the whole, each section's people divided among the parts, the all-section
  the sum of the sections part by part): for every commissioner the parts add up to the
  whole the first three sheets print;
* ``USC referral to FOA`` (by suspected cancer type) and ``UBS referral to FHA``: TOTAL and
  five time bands, the first ``WITHIN 14 DAYS``, whole people;
* file names like ``CWT-Commissioner-2024-07_62-DAY-ALL-CANCER.csv`` (the month is not in
  the sheet body).

The breakdowns are drawn from a random stream of their own, so the first three sheets are
the same as before the breakdowns were added.

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
NATIONAL = "ALL ENGLISH COMMISSIONERS"
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
PART_FILES = (
    "28-DAY-FDS-BY-ROUTE", "31-DAY-BY-CANCER", "31-DAY-BY-TREATMENT-MODALITY", "62-DAY-BY-CANCER",
    "62-DAY-BY-TREATMENT-MODALITY", "USC-referral-to-FOA", "UBS-referral-to-FHA",
)  # fmt: skip
FILES = (*(s.file for s in SHEETS), *PART_FILES)  # each month's, in the order written


# The breakdown sheets (from October 2023): their headers, byte for byte as published, and
# how each section's people divide among its parts (weights, perturbed each month).
FDS_ROUTE_HEADER = (
    *ORG_HEADER, "REFERRAL ROUTE", "SUSPECTED CANCER OR BREAST SYMPTOMATIC (2)", *FDS_HEADER[3:],
)  # fmt: skip
D31_PART_HEADERS = {
    dim: (*ORG_HEADER, "TREATMENT STAGE", column, *D31_HEADER[4:])
    for dim, column in (("cancer", "CANCER TYPE (3)"), ("modality", "TREATMENT MODALITY (4)"))
}
D62_PART_HEADERS = {
    dim: (*ORG_HEADER, "REFERRAL ROUTE", column, *D62_HEADER[4:])
    for dim, column in (("cancer", "CANCER TYPE (3)"), ("modality", "TREATMENT MODALITY (4)"))
}
SEEN_TAIL = ("TOTAL", "WITHIN 14 DAYS", "IN 15 TO 16 DAYS", "IN 17 TO 21 DAYS",
             "IN 22 TO 28 DAYS", "AFTER 28 DAYS")  # fmt: skip
FOA_HEADER = (*ORG_HEADER, "SUSPECTED TYPE OF CANCER", *SEEN_TAIL)
FHA_HEADER = (*ORG_HEADER, "REFERRAL REASON", *SEEN_TAIL)
Written = tuple[str, tuple[str, ...], list[list[str]]]  # file suffix, header, rows
Weights = dict[str, float]
TYPES = (
    "Breast", "Gynaecological", "Haematological - Lymphoma", "Haematological - Other (a)",
    "Head & Neck", "Lower Gastrointestinal", "Lung", "Other (a)", "Skin",
    "Upper Gastrointestinal - Hepatobiliary", "Upper Gastrointestinal - Oesophagus & Stomach",
    "Urological - Other (a)", "Urological - Prostate",
)  # fmt: skip


def _w(names: tuple[str, ...], *weights: float) -> Weights:
    return dict(zip(names, weights, strict=True))


MODALITY_NAMES = ("Anti-cancer drug regimen", "Other", "Radiotherapy", "Surgery")
# Section label -> its parts' weights, per sheet and part kind.
PARTS: dict[tuple[str, str], dict[str, Weights]] = {
    ("31", "cancer"): {
        "First Treatment": _w(TYPES, 15, 4.5, 3.3, 3.3, 3.8, 9.6, 11, 3.5, 18.7, 3.8, 3, 6.1, 15),
        "Subsequent Treatment": _w(TYPES, 29, 5.6, 3.2, 3.7, 4.2, 9, 6.5, 4.1, 8.3, 2.4, 2.5, 4.7,
                                   16.5),
    },
    ("31", "modality"): {
        "First Treatment": _w(MODALITY_NAMES, 22, 22, 6, 50),
        "Subsequent Treatment": _w(MODALITY_NAMES, 39, 3, 38, 20),
    },
    ("62", "cancer"): {
        "Urgent Suspected Cancer": _w(TYPES, 14, 4.9, 2.6, 1.8, 4.5, 9, 5.6, 1.5, 23, 2, 2.9, 5.9,
                                      21),
        "Breast Symptomatic": {"Breast": 94, "Haematological - Lymphoma": 3, "Other (a)": 3},
        "Screening": {"Breast": 50, "Gynaecological": 5, "Lower Gastrointestinal": 35,
                      "Lung": 10},
        "Consultant Upgrade": _w(TYPES, 10, 4, 5, 4, 4, 10, 20, 6, 8, 7, 4, 8, 10),
    },
    ("62", "modality"): {
        "Urgent Suspected Cancer": _w(MODALITY_NAMES, 25, 18, 5, 52),
        "Breast Symptomatic": _w(MODALITY_NAMES, 40, 5, 0, 55),
        "Screening": _w(MODALITY_NAMES, 11, 2, 3, 84),
        "Consultant Upgrade": _w(MODALITY_NAMES, 22, 31, 8, 39),
    },
}  # fmt: skip
SUSPECTED = {
    "Suspected acute leukaemia": 0.1, "Suspected brain/central nervous system tumours": 0.4,
    "Suspected breast cancer": 17, "Suspected cancer - non-specific symptoms": 1.6,
    "Suspected children's cancer": 0.4, "Suspected gynaecological cancer": 10,
    "Suspected haematological malignancies (excluding acute leukaemia)": 0.7,
    "Suspected head & neck cancer": 10, "Suspected lower gastrointestinal cancer": 15,
    "Suspected lung cancer": 2.4, "Suspected other cancer": 0.1, "Suspected sarcoma": 0.5,
    "Suspected skin cancer": 27, "Suspected testicular cancer": 0.4,
    "Suspected upper gastrointestinal cancer": 7,
    "Suspected urological malignancies (excluding testicular)": 8,
}  # fmt: skip
SYMPTOMS = "Exhibited (non-cancer) breast symptoms - cancer not initially suspected"
FDS_ROUTES: dict[str, Weights] = {  # route -> (its share, then its types)
    "URGENT SUSPECTED CANCER": {"": 90, **SUSPECTED},
    "BREAST SYMPTOMATIC, CANCER NOT SUSPECTED": {"": 3.4, SYMPTOMS: 1},
    "NATIONAL SCREENING PROGRAMME": {
        "": 6.6, "Missing or Invalid": 1.3, "Suspected breast cancer": 40,
        "Suspected gynaecological cancer": 12, "Suspected lower gastrointestinal cancer": 42,
        "Suspected lung cancer": 4,
    },
}  # fmt: skip
SEEN_BANDS = (0.2, 0.4, 0.25, 0.15)  # after 14 days: 15-16, 17-21, 22-28, after 28 days


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


def split_parts(
    total: int, within: int, weights: Weights, rng: random.Random
) -> dict[str, tuple[int, int]]:
    """(total, within) in half-units divided among the parts: whole people by the weights
    (perturbed), an odd half to the largest part; those within in proportion, never more
    than a part's total. Parts with nobody are left out."""
    names = [n for n, w in weights.items() if w > 0]
    drawn = tuple(weights[n] * (1 + 0.3 * (rng.random() - 0.5)) for n in names)
    totals = [2 * p for p in _split(total // 2, drawn)]
    totals[totals.index(max(totals))] += total % 2
    inside = [min(t, 2 * ((t * within // total) // 2)) if total else 0 for t in totals]
    left = within - sum(inside)
    while left > 0:
        i = max(range(len(names)), key=lambda k: totals[k] - inside[k])
        step = min(left, 2 if left > 1 else 1, totals[i] - inside[i])
        inside[i] += step
        left -= step
    return {n: (t, w) for n, t, w in zip(names, totals, inside, strict=True) if t}


def _part_row(
    sheet: Sheet, code: str, name: str, labels: list[str], counts: list[int]
) -> list[str]:
    fraction = f"{counts[1] / counts[0]:.15g}"
    return [code, name, *labels, *map(_fmt, counts[:3]), fraction, *map(_fmt, counts[3:])]


def stacked(
    sheet: Sheet, per_org: dict[str, list[list[int]]], kind: str, rng: random.Random
) -> list[list[str]]:
    """A BY CANCER or BY TREATMENT MODALITY sheet: each section's people divided among the
    parts, the all-section the sum of the sections part by part; stacked like the whole."""
    weights = PARTS[(sheet.file[:2], kind)]
    labels = [sheet.all_label, *(label for label, _, _ in sheet.sections)]
    table: dict[tuple[str, str, str], list[int]] = {}  # (section, code, part) -> counts
    for org in COMMISSIONERS:
        for i, label in enumerate(labels[1:], start=1):
            counts = per_org[org.code][i]
            if not counts:
                continue
            for part, (t, w) in split_parts(counts[0], counts[1], weights[label], rng).items():
                row = _counts(sheet, t, w)
                table[(label, org.code, part)] = row
                mine = table.setdefault((labels[0], org.code, part), [0] * len(row))
                mine[:] = [a + b for a, b in zip(mine, row, strict=True)]
    rows: list[list[str]] = []
    for label in labels:
        national: dict[str, list[int]] = {}
        for org in ordered():
            for part in sorted(p for s, c, p in table if s == label and c == org.code):
                counts = table[(label, org.code, part)]
                rows.append(_part_row(sheet, org.code, org.name, [label, part], counts))
                sums = national.setdefault(part, [0] * len(counts))
                sums[:] = [a + b for a, b in zip(sums, counts, strict=True)]
        for part in sorted(national):
            rows.append(_part_row(sheet, "", NATIONAL, [label, part], national[part]))
    return rows


def fds_by_route(per_org: dict[str, list[list[int]]], rng: random.Random) -> list[list[str]]:
    """28-DAY FDS (BY ROUTE): each commissioner's FDS divided by route, then suspected type;
    its rows by route and type, then the national rows (no route totals are printed)."""
    table: dict[tuple[str, str], list[int]] = {}
    rows: list[list[str]] = []
    for org in ordered():
        counts = per_org[org.code][0]
        if not counts:
            continue
        shares = {route: parts[""] for route, parts in FDS_ROUTES.items()}
        for route, (t, w) in sorted(split_parts(counts[0], counts[1], shares, rng).items()):
            types = {k: v for k, v in FDS_ROUTES[route].items() if k}
            for part, (pt, pw) in sorted(split_parts(t, w, types, rng).items()):
                row = _counts(FDS, pt, pw)
                rows.append(_part_row(FDS, org.code, org.name, [route, part], row))
                sums = table.setdefault((route, part), [0] * len(row))
                sums[:] = [a + b for a, b in zip(sums, row, strict=True)]
    rows += [_part_row(FDS, "", NATIONAL, [r, p], table[(r, p)]) for r, p in sorted(table)]
    return rows


def seen_rows(
    org_sizes: dict[str, tuple[int, float]], types: Weights, rng: random.Random
) -> list[list[str]]:
    """A first-appointment sheet: people seen by type (whole people), within 14 days the first
    band; each commissioner's rows, then a national row per type."""
    table: dict[str, list[int]] = {}
    rows: list[list[str]] = []
    for org in ordered():
        people, rate = org_sizes[org.code]
        total = 2 * people
        within = 2 * round(people * rate)
        for part, (t, w) in sorted(split_parts(total, within, types, rng).items()):
            late = _split((t - w) // 2, SEEN_BANDS)
            counts = [t // 2, w // 2, *late]
            rows.append([org.code, org.name, part, *map(str, counts)])
            sums = table.setdefault(part, [0] * len(counts))
            sums[:] = [a + b for a, b in zip(sums, counts, strict=True)]
    rows += [["", NATIONAL, p, *map(str, table[p])] for p in sorted(table)]
    return rows


def part_sheets(
    counts: dict[str, dict[str, list[list[int]]]], t: int, rng: random.Random
) -> list[Written]:
    """The month's breakdown and first-appointment sheets, from the whole sheets' counts."""
    out: list[Written] = [
        ("28-DAY-FDS-BY-ROUTE", FDS_ROUTE_HEADER, fds_by_route(counts[FDS.file], rng))
    ]
    for sheet, headers, name in (
        (D31, D31_PART_HEADERS, "31-DAY"),
        (D62, D62_PART_HEADERS, "62-DAY"),
    ):
        for kind, suffix in (("cancer", "BY-CANCER"), ("modality", "BY-TREATMENT-MODALITY")):
            out.append(
                (f"{name}-{suffix}", headers[kind], stacked(sheet, counts[sheet.file], kind, rng))
            )
    progress = t / (N_MONTHS - 1)
    sizes = {}
    for org in COMMISSIONERS:
        fds = org.start[0] + (org.end[0] - org.start[0]) * progress
        people = round(org.size[0] * 0.88 * (1 + 0.1 * (rng.random() - 0.5)))
        sizes[org.code] = (people, min(0.99, fds + 0.03))
    out.append(("USC-referral-to-FOA", FOA_HEADER, seen_rows(sizes, SUSPECTED, rng)))
    breast = {c: (max(1, round(n * 0.038)), rate - 0.08) for c, (n, rate) in sizes.items()}
    out.append(("UBS-referral-to-FHA", FHA_HEADER, seen_rows(breast, {SYMPTOMS: 1}, rng)))
    return out


def _with_all(sheet: Sheet, per_org: dict[str, list[list[int]]]) -> list[str]:
    """The section labels, the all-section first; each commissioner's all-section counts (the
    sum of its sections) put first in `per_org`."""
    labels = [label for label, _, _ in sheet.sections]
    if len(labels) > 1:
        labels.insert(0, sheet.all_label)
        for counts in per_org.values():
            present = [c for c in counts if c]
            counts.insert(0, [sum(col) for col in zip(*present, strict=True)])
    return labels


def ordered() -> list[Commissioner]:
    """Commissioners as the sheets list them: by name, UNKNOWN last."""
    return sorted(COMMISSIONERS, key=lambda org: (org.code == "UNKNOWN", org.name))


def whole_rows(sheet: Sheet, per_org: dict[str, list[list[int]]]) -> list[list[str]]:
    """A sheet's rows: the all-section first, then each section, each closed by its national
    row; `per_org` gets each commissioner's all-section counts first."""
    labels = _with_all(sheet, per_org)
    rows: list[list[str]] = []
    for i, label in enumerate(labels):
        section = [(org, per_org[org.code][i]) for org in ordered() if per_org[org.code][i]]
        rows.extend(_row(sheet, org.code, org.name, label, counts) for org, counts in section)
        if section:
            national = [sum(col) for col in zip(*(c for _, c in section), strict=True)]
            rows.append(_row(sheet, "", "ALL ENGLISH COMMISSIONERS", label, national))
    return rows


def sheet_rows(sheet: Sheet, t: int, rng: random.Random) -> list[list[str]]:
    """The sheet's rows for month `t`: the all-section first, then each section."""
    return whole_rows(
        sheet, {org.code: section_counts(sheet, org, t, rng) for org in COMMISSIONERS}
    )


def month_sheets(t: int, rng: random.Random, parts_rng: random.Random) -> list[Written]:
    """Every sheet of month `t`: the three of the whole (drawn from `rng` as they always
    were), then the breakdowns and first-appointment sheets (from `parts_rng`)."""
    out: list[Written] = []
    counts: dict[str, dict[str, list[list[int]]]] = {}
    for sheet in SHEETS:
        per_org = {org.code: section_counts(sheet, org, t, rng) for org in COMMISSIONERS}
        out.append((sheet.file, sheet.header, whole_rows(sheet, per_org)))
        counts[sheet.file] = per_org
    return out + part_sheets(counts, t, parts_rng)


def generate(out: Path) -> list[Path]:
    """Write every month's files into ``out``; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    rng, parts_rng = random.Random(SEED), random.Random(SEED + 1)
    written = []
    for t, (year, month) in enumerate(months()):
        for name, header, rows in month_sheets(t, rng, parts_rng):
            path = out / f"CWT-Commissioner-{year}-{month:02d}_{name}.csv"
            with path.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow(header)
                writer.writerows(rows)
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
