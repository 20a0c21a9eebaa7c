"""Write the project's bundled sample: a SYNTHETIC AmbSYS ambulance time-series file.

Nothing here is NHS data. The three ambulance trusts (codes ``ZR1``, ``ZR2``, ``ZR3``, not
real ODS codes), their names and every number are invented by this script. NHS England
publishes the Ambulance Quality Indicators' system indicators (AmbSYS) as one CSV that grows
every month; this file mimics the current 153-column layout of that CSV exactly:

* the same header, byte for byte: ``Year,Month,Region,Org Code,Org Name`` and the fields
  ``A0`` ... ``A73`` in the published (not numeric) order, including ``A124``-``A148``;
* per month: the England row first (``Eng,Eng,England``), then the trusts in code order
  (``Region`` = the region code, upper-case names), then the region rows in code order
  (``Region`` = the region name, ``Org Code`` = ``Y..``, ``Org Name`` = the region name);
  each sample region has one trust, so its region row repeats the trust row exactly, as the
  published file does for single-trust regions;
* ``.`` for a missing field: ``A57``-``A73`` throughout; the fields retired in 2026
  (``A112``, ``A20``, ``A23``) carry values for some trusts and ``.`` for others, as they
  do in the published file for these months; a mean or centile whose count is 0;
* plain integers, UTF-8 without BOM, LF line ends; months oldest first.

The fields are consistent with each other the way the published ones are. Counts and total
times add up: the England row is the sum of the trusts in every additive field (``.`` counted
as 0); ``A7 = A17 + A56``, ``A56 = A53 + A54 + A55``, ``A17 = A18 + A19 + A21 + A22``,
``A132 = A136 + ... + A139``, ``A8 = A74 + A78 + A115`` and ``A10 = A75 + A79 + A119``
with their total times likewise. Every mean is ``round(total / count)`` (``A25 = A24 / A8``,
``A28 = A27 / A9``, ``A31 = A30 / A10``, ``A34 = A33 / A11``, ``A37 = A36 / A12`` and the
other published (count, total, mean, 90th centile) groups; ``A3 = A2 / A1``). A 90th centile
cannot be added up: England's is a plausible value between the trusts' (their average
weighted by count), never a sum.

Magnitudes follow recent published figures: category 1 mean about 7-9 minutes (90th centile
13-16), category 2 mean 28-45 minutes with a winter peak in December (90th centile about
1-1.7 hours), category 3 90th centile 3-6 hours, category 4 4-8 hours. Performance improves
over the 18 months, and ``ZR1`` meets the 30-minute category 2 interim target in 2025.

The file covers April 2024 to September 2025 and is named like NHS England's
(``AmbSYS-to-Sep-2025.csv``; the published names add a random suffix, e.g.
``AmbSYS-to-Jun-2026-b4Uah.csv``, left out here). Deterministic: a fixed seed and only
``random.Random.random``, so two runs write byte-identical files.

Usage: ``python data/generate_ambsys.py [--out DIR]`` (default: ``data/ambsys/``).
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from pathlib import Path

SEED = 20240403
FIRST_MONTH = (2024, 4)
N_MONTHS = 18  # April 2024 to September 2025

# The A-fields in the published (not numeric) order.
_FIELD_ORDER = """
    A0 A1 A2 A3 A4 A114 A5 A6 A111 A112 A113 A7 A8 A9 A10 A11 A12 A24 A25 A26 A27 A28 A29
    A30 A31 A32 A33 A34 A35 A36 A37 A38 A126 A127 A128 A129 A130 A131 A17 A18 A19 A20 A21
    A22 A23 A132 A133 A134 A135 A136 A137 A138 A139 A53 A54 A55 A56 A39 A40 A41 A42 A43 A44
    A45 A46 A47 A48 A74 A82 A83 A84 A78 A94 A95 A96 A115 A116 A117 A118 A75 A85 A86 A87 A79
    A97 A98 A99 A119 A120 A121 A122 A76 A88 A89 A90 A80 A100 A101 A102 A77 A91 A92 A93 A81
    A103 A104 A105 A49 A50 A51 A52 A13 A14 A15 A16 A106 A107 A108 A109 A110 A140 A141 A142
    A143 A144 A145 A146 A147 A148 A124 A125 A57 A58 A59 A60 A61 A62 A63 A64 A65 A66 A67 A68
    A69 A70 A71 A72 A73
"""
FIELDS: tuple[str, ...] = tuple(_FIELD_ORDER.split())
HEADER: tuple[str, ...] = ("Year", "Month", "Region", "Org Code", "Org Name", *FIELDS)

# Published (count, total seconds, mean, 90th centile) groups.
TIMED: tuple[tuple[str, str, str, str], ...] = (
    ("A8", "A24", "A25", "A26"),  # category 1
    ("A9", "A27", "A28", "A29"),  # category 1T
    ("A10", "A30", "A31", "A32"),  # category 2
    ("A11", "A33", "A34", "A35"),  # category 3
    ("A12", "A36", "A37", "A38"),  # category 4
    ("A128", "A129", "A130", "A131"),
    ("A132", "A133", "A134", "A135"),
    ("A74", "A82", "A83", "A84"),
    ("A78", "A94", "A95", "A96"),
    ("A115", "A116", "A117", "A118"),
    ("A75", "A85", "A86", "A87"),
    ("A79", "A97", "A98", "A99"),
    ("A119", "A120", "A121", "A122"),
    ("A76", "A88", "A89", "A90"),
    ("A80", "A100", "A101", "A102"),
    ("A77", "A91", "A92", "A93"),
    ("A81", "A103", "A104", "A105"),
    ("A49", "A50", "A51", "A52"),
    ("A13", "A14", "A15", "A16"),
    ("A106", "A107", "A108", "A109"),
    ("A140", "A141", "A142", "A143"),
)
CALL_CENTILES = ("A4", "A114", "A5", "A6")  # call answer time; its mean is A3 = A2 / A1
MEANS = ("A3", *(group[2] for group in TIMED))
CENTILES = (*CALL_CENTILES, *(group[3] for group in TIMED))
UNUSED = tuple(f"A{n}" for n in range(57, 74))  # '.' throughout
ADDITIVE = tuple(f for f in FIELDS if f not in {*MEANS, *CENTILES, *UNUSED})

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Incidents by calendar month (1 = January): December is the busiest.
SEASON: dict[int, float] = {
    1: 1.03, 2: 0.93, 3: 1.00, 4: 0.97, 5: 1.00, 6: 0.99,
    7: 1.03, 8: 0.99, 9: 0.97, 10: 1.00, 11: 1.01, 12: 1.10,
}  # fmt: skip
# System pressure by calendar month: response times stretch in late autumn and winter.
PRESSURE: dict[int, float] = {
    1: 1.10, 2: 1.00, 3: 0.97, 4: 0.98, 5: 0.98, 6: 1.02,
    7: 1.03, 8: 0.99, 9: 1.02, 10: 1.06, 11: 1.14, 12: 1.30,
}  # fmt: skip

Row = dict[str, int | None]  # field -> value; None is written as '.'


@dataclass(frozen=True)
class Trust:
    """A fictional ambulance trust and the parameters its monthly figures are drawn around."""

    code: str
    region_code: str
    region: str  # as AmbSYS names regions in the region rows
    name: str
    incidents: int  # A7 in April 2024, before seasonality
    c1_start: float  # category 1 mean, seconds, April 2024, before winter pressure
    c1_end: float  # ... September 2025
    c2_start: float  # category 2 mean, minutes
    c2_end: float
    c3_hours: float  # category 3 mean, hours, before pressure
    c4_hours: float
    answer_s: float  # mean call answer time, seconds, before pressure
    hear_treat: float  # share of incidents resolved by hear and treat (A17 / A7)
    to_ed: float  # share of face-to-face incidents conveyed to ED (A53 / A56)
    elsewhere: float  # ... conveyed elsewhere (A54 / A56)
    c1_share: float  # A8 / A7
    retired: tuple[float, float, float] | None  # A112 / A1, A20 / A17, A23 / A17; None: '.'


TRUSTS: tuple[Trust, ...] = (
    Trust("ZR1", "Y62", "North West", "NORTHGATE AMBULANCE SERVICE NHS TRUST",
          98000, 478.0, 462.0, 32.0, 28.2, 1.45, 2.30, 2.5, 0.18, 0.60, 0.065, 0.100,
          (0.0018, 0.006, 0.0003)),
    Trust("ZR2", "Y56", "London", "RIVERMEAD AMBULANCE SERVICE NHS TRUST",
          118000, 448.0, 436.0, 33.5, 30.8, 1.30, 2.15, 4.0, 0.23, 0.63, 0.030, 0.110,
          None),
    Trust("ZR3", "Y60", "Midlands", "EASTMOOR AMBULANCE SERVICE NHS FOUNDATION TRUST",
          76000, 512.0, 496.0, 36.0, 32.5, 1.70, 2.60, 5.0, 0.16, 0.58, 0.080, 0.092,
          (0.025, 0.40, 0.10)),
)  # fmt: skip


def months() -> list[tuple[int, int]]:
    """The (year, month) pairs covered, oldest first."""
    year, month = FIRST_MONTH
    out: list[tuple[int, int]] = []
    for _ in range(N_MONTHS):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def file_name(year: int, month: int) -> str:
    """NHS England's name for the time series up to a month, without the random suffix."""
    return f"AmbSYS-to-{MONTH_ABBR[month - 1]}-{year}.csv"


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, summing exactly to `total`."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True):
        if sum(parts) == total:
            break
        parts[i] += 1
    return parts


class Draw:
    """Deterministic jitter around a base value."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def factor(self, spread: float) -> float:
        """A factor in [1 - spread, 1 + spread]."""
        return 1.0 + spread * (2.0 * self.rng.random() - 1.0)

    def count(self, base: float, spread: float = 0.05) -> int:
        return max(0, round(base * self.factor(spread)))


def _timed(row: Row, group: tuple[str, str, str, str], count: int, total: int, p90: float) -> None:
    """Set a (count, total, mean, 90th centile) group; mean and centile are '.' for no count."""
    c, t, mean, centile = group
    row[c], row[t] = count, total
    row[mean] = round(total / count) if count else None
    row[centile] = max(round(total / count), round(p90)) if count else None


def _group(name: str) -> tuple[str, str, str, str]:
    return next(g for g in TIMED if g[0] == name)


def trust_row(trust: Trust, t: int, month: int, draw: Draw) -> Row:
    """Every field of one trust's row for the ``t``-th month (calendar ``month``)."""
    row: Row = dict.fromkeys(FIELDS)
    progress = t / (N_MONTHS - 1)
    pressure = PRESSURE[month] * draw.factor(0.015)
    strain = pressure - 1.0

    # Incidents and how they ended.
    a7 = draw.count(trust.incidents * SEASON[month] * (1 + 0.015 * t / 12), 0.02)
    a17 = draw.count(a7 * trust.hear_treat, 0.04)
    a56 = a7 - a17
    a53 = draw.count(a56 * trust.to_ed, 0.02)
    a54 = draw.count(a56 * trust.elsewhere, 0.08)
    row.update(A7=a7, A17=a17, A56=a56, A53=a53, A54=a54, A55=a56 - a53 - a54)
    weights = [0.10 * draw.factor(0.2), 0.36 * draw.factor(0.1), 0.08 * draw.factor(0.2), 0.46]
    row.update(zip(("A18", "A19", "A21", "A22"), _split(a17, weights), strict=True))

    # Calls.
    a1 = draw.count(a7 * (1.03 + 0.03 * (trust.answer_s - 2.5)), 0.02)
    answer = trust.answer_s * (1.0 + 6.0 * max(strain, 0.0)) * draw.factor(0.1)
    a2 = round(a1 * answer)
    row.update(A0=draw.count(a1 * 1.38, 0.03), A1=a1, A2=a2, A3=round(a2 / a1))
    row.update(
        A4=0 if answer < 6 else 1,
        A114=round(answer * 0.55),
        A5=round(answer * 4.2 * draw.factor(0.05)),
        A6=round(answer * 22 * draw.factor(0.05)),
        A111=draw.count(a1 * 0.0045, 0.2),
        A113=draw.count(a1 * (0.012 if trust.retired is None else 0.002), 0.3),
    )
    if trust.retired is not None:  # fields retired in 2026, still reported by some trusts
        f112, f20, f23 = trust.retired
        row.update(
            A112=draw.count(a1 * f112, 0.3),
            A20=draw.count(a17 * f20, 0.2),
            A23=draw.count(a17 * f23, 0.3),
        )

    # Category 1 and 1T.
    c1_mean = (trust.c1_start + (trust.c1_end - trust.c1_start) * progress) * (1.0 + 0.25 * strain)
    c1_mean *= draw.factor(0.02)
    a8 = draw.count(a7 * trust.c1_share, 0.03)
    a24 = round(a8 * c1_mean)
    _timed(row, TIMED[0], a8, a24, c1_mean * 1.80 * draw.factor(0.02))
    a9 = draw.count(a8 * 0.63, 0.03)
    c1t_mean = c1_mean * 1.18 * draw.factor(0.02)
    _timed(row, TIMED[1], a9, round(a9 * c1t_mean), c1t_mean * 1.78 * draw.factor(0.02))
    # Category 1 split into three published groups (counts and total times add up to A8, A24).
    a74, a78 = draw.count(a8 * 0.011, 0.4), draw.count(a8 * 0.010, 0.4)
    a82, a94 = round(a74 * c1_mean * 1.15), round(a78 * c1_mean * 0.98)
    _timed(row, _group("A74"), a74, a82, a82 / a74 * 1.75 if a74 else 0.0)
    _timed(row, _group("A78"), a78, a94, a94 / a78 * 1.90 if a78 else 0.0)
    a115, a116 = a8 - a74 - a78, a24 - a82 - a94
    _timed(row, _group("A115"), a115, a116, a116 / a115 * 1.79 * draw.factor(0.01))
    a49 = draw.count(a8 * 0.058, 0.1)
    _timed(row, _group("A49"), a49, round(a49 * c1_mean * 0.76), c1_mean * 0.76 * 1.7)
    a13 = draw.count(a8 * 0.59, 0.05)
    call_s = 37.0 * draw.factor(0.15)
    _timed(row, _group("A13"), a13, round(a13 * call_s), call_s * 1.75)

    # Category 2, with its three published groups.
    c2_mean = 60.0 * (trust.c2_start + (trust.c2_end - trust.c2_start) * progress)
    c2_mean *= pressure * draw.factor(0.02)
    c2_spread = 2.12 + 0.4 * strain
    a10 = draw.count(a7 * 0.50, 0.03)
    a30 = round(a10 * c2_mean)
    _timed(row, TIMED[2], a10, a30, c2_mean * c2_spread * draw.factor(0.02))
    a75, a79 = draw.count(a10 * 0.084, 0.1), draw.count(a10 * 0.033, 0.1)
    a85, a97 = round(a75 * c2_mean * 0.94), round(a79 * c2_mean * 0.83)
    _timed(row, _group("A75"), a75, a85, c2_mean * 0.94 * c2_spread)
    _timed(row, _group("A79"), a79, a97, c2_mean * 0.83 * c2_spread)
    a119, a120 = a10 - a75 - a79, a30 - a85 - a97
    _timed(row, _group("A119"), a119, a120, a120 / a119 * c2_spread * draw.factor(0.01))

    # Categories 3 and 4.
    c3_mean = 3600.0 * trust.c3_hours * (1.0 + 1.6 * strain) * (1.0 - 0.06 * progress)
    c3_mean *= draw.factor(0.04)
    a11 = draw.count(a7 * 0.17, 0.04)
    _timed(row, TIMED[3], a11, round(a11 * c3_mean), c3_mean * 2.3 * draw.factor(0.03))
    for name, share in (("A76", 0.086), ("A80", 0.039)):
        n = draw.count(a11 * share, 0.15)
        mean = c3_mean * 0.96 * draw.factor(0.05)
        _timed(row, _group(name), n, round(n * mean), mean * 2.3)
    c4_mean = 3600.0 * trust.c4_hours * (1.0 + 1.2 * strain) * (1.0 - 0.05 * progress)
    c4_mean *= draw.factor(0.05)
    a12 = draw.count(a7 * 0.009, 0.1)
    _timed(row, TIMED[4], a12, round(a12 * c4_mean), c4_mean * 2.1 * draw.factor(0.03))
    for name, share, slower in (("A77", 1.7, 1.10), ("A81", 0.37, 1.03)):
        n = draw.count(a12 * share, 0.15)
        mean = c4_mean * slower * draw.factor(0.05)
        _timed(row, _group(name), n, round(n * mean), mean * 2.35)

    # Other published groups of incidents and calls.
    row.update(A126=draw.count(a7 * 0.006, 0.5), A127=draw.count(a7 * 0.045, 0.2))
    a128 = draw.count(a7 * 0.045, 0.2)
    mean = 2900.0 * pressure * draw.factor(0.08)
    _timed(row, _group("A128"), a128, round(a128 * mean), mean * 2.25)
    a132 = draw.count(a7 * 0.17, 0.1)
    mean = 1900.0 * pressure**1.5 * draw.factor(0.08)
    _timed(row, _group("A132"), a132, round(a132 * mean), mean * 2.4)
    weights = [0.10 * draw.factor(0.3), 0.31 * draw.factor(0.2), 0.42, 0.17 * draw.factor(0.3)]
    row.update(zip(("A136", "A137", "A138", "A139"), _split(a132, weights), strict=True))
    a39 = draw.count(a7 * 0.195, 0.1)
    a40 = draw.count(a39 * 0.75, 0.04)
    a41 = draw.count(a40 * 0.84, 0.04)
    row.update(A39=a39, A40=a40, A41=a41, A42=draw.count(a41 * 0.76, 0.05))
    a43 = draw.count(a7 * 0.68, 0.05)
    a44 = draw.count(a43 * 0.775, 0.04)
    a45 = draw.count(a44 * 0.60, 0.08)
    row.update(A43=a43, A44=a44, A45=a45, A46=draw.count(a45 * 0.59, 0.08))
    a47 = draw.count(a7 * 0.0142, 0.2)
    row.update(A47=a47, A48=draw.count(a47 * 0.59, 0.1))
    a106 = draw.count(a7 * 0.0014, 0.2)
    mean = 1430.0 * pressure * draw.factor(0.1)
    _timed(row, _group("A106"), a106, round(a106 * mean), mean * 2.1)
    row["A110"] = draw.count(a106 * 0.92, 0.04)

    # Handovers at emergency departments: delays surge in winter.
    a140 = draw.count(a53 * 1.07, 0.02)
    mean = 1560.0 * pressure**2 * draw.factor(0.05)
    _timed(row, _group("A140"), a140, round(a140 * mean), mean * 1.9)
    a144 = draw.count(a140 * 0.63, 0.05)
    a145 = min(a144, draw.count(a140 * 0.23 * pressure, 0.1))
    a146 = min(a145, draw.count(a140 * 0.055 * pressure**2, 0.15))
    row.update(A144=a144, A145=a145, A146=a146)
    row.update(
        A147=draw.count(a140 * 400 * pressure**3, 0.1),
        A148=draw.count(a140 * 0.03, 0.5),
        A124=draw.count(84, 0.03),
        A125=draw.count(30, 0.7),
    )
    return row


def england_row(trusts: list[Row]) -> Row:
    """Sums of the additive fields ('.' counted as 0); means from the sums; centiles plausible."""
    row: Row = dict.fromkeys(FIELDS)
    for field in ADDITIVE:
        values = [r[field] for r in trusts if r[field] is not None]
        row[field] = sum(v for v in values if v is not None) if values else None
    a1, a2 = row["A1"], row["A2"]
    assert a1 and a2 is not None
    row["A3"] = round(a2 / a1)
    for field in CALL_CENTILES:
        row[field] = round(sum((r[field] or 0) * (r["A1"] or 0) for r in trusts) / a1)
    for count, total, mean, centile in TIMED:
        n, seconds = row[count], row[total]
        if not n or seconds is None:
            continue
        row[mean] = round(seconds / n)
        # A centile cannot be added up: the count-weighted average of the trusts' centiles.
        weighted = sum((r[centile] or 0) * (r[count] or 0) for r in trusts) / n
        row[centile] = max(round(seconds / n), round(weighted))
    return row


def _cells(row: Row) -> list[str]:
    return ["." if row[f] is None else str(row[f]) for f in FIELDS]


def month_rows(t: int, year: int, month: int, draw: Draw) -> list[list[str]]:
    """England, the trusts in code order, then the region rows in code order."""
    rows = {trust.code: trust_row(trust, t, month, draw) for trust in TRUSTS}
    out = [[str(year), str(month), "Eng", "Eng", "England", *_cells(england_row([*rows.values()]))]]
    for trust in sorted(TRUSTS, key=lambda tr: tr.code):
        out.append([str(year), str(month), trust.region_code, trust.code, trust.name,
                    *_cells(rows[trust.code])])  # fmt: skip
    for trust in sorted(TRUSTS, key=lambda tr: tr.region_code):  # one trust per region
        out.append([str(year), str(month), trust.region, trust.region_code, trust.region,
                    *_cells(rows[trust.code])])  # fmt: skip
    return out


def generate(out: Path) -> list[Path]:
    """Write the time series into ``out`` (created if needed); return the path written."""
    out.mkdir(parents=True, exist_ok=True)
    draw = Draw(random.Random(SEED))
    rows: list[list[str]] = []
    for t, (year, month) in enumerate(months()):
        rows.extend(month_rows(t, year, month, draw))
    last_year, last_month = months()[-1]
    path = out / file_name(last_year, last_month)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return [path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write the synthetic sample AmbSYS time series (NHS England's CSV layout)."
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent / "ambsys",
        help="folder to write into (default: data/ambsys/ beside this script)",
    )
    args = parser.parse_args(argv)
    out: Path = args.out
    written = generate(out)
    print(f"wrote {len(written)} file to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
