"""Write the project's bundled sample: SYNTHETIC monthly RTT "Full CSV data file" extracts.

Nothing here is NHS data. The providers are the acute and eye trusts of ``generate.py``
(``ZA1``, ``ZB2``, ``ZC3``, ``ZD4``); the integrated care boards ``ZI1``-``ZI3``, their sub-ICB
locations ``ZS1``-``ZS3`` (not real ODS codes) and every number are invented. The files mimic
NHS England's monthly referral-to-treatment "Full CSV data file" extract, one file per month:

* the 121-column header: ``Period``, ``Provider Parent Org Code``, ``Provider Parent Name``,
  ``Provider Org Code``, ``Provider Org Name``, ``Commissioner Parent Org Code``,
  ``Commissioner Parent Name``, ``Commissioner Org Code``, ``Commissioner Org Name``,
  ``RTT Part Type``, ``RTT Part Description``, ``Treatment Function Code``, ``Treatment
  Function Name``, the 105 weekly bands ``Gt 00 To 01 Weeks SUM 1`` ... ``Gt 103 To 104 Weeks
  SUM 1``, ``Gt 104 Weeks SUM 1``, then ``Total``, ``Patients with unknown clock start date``,
  ``Total All``;
* ``Period`` like ``RTT-August-2025``; files named like ``20250831-RTT-August-2025-full-
  extract.csv`` (the month's last day first);
* one row per provider x commissioner x part x treatment function, in that order (providers
  and commissioners by code, the parts ``Part_1A`` ... ``Part_3``, the treatment functions in
  the publication's order with ``C_999`` "Total" last). A (provider, commissioner, part) has
  rows only for the treatment functions it has activity in, plus its ``C_999`` row, which is
  the exact sum of them in every column;
* the part descriptions ``Completed Pathways For Admitted Patients``, ``Completed Pathways
  For Non-Admitted Patients``, ``Incomplete Pathways``, ``Incomplete Pathways with DTA`` and
  ``New RTT Periods - All Patients``;
* names in upper case; provider parents are ICBs (``NHS ... INTEGRATED CARE BOARD``);
  commissioners are sub-ICB locations (``NHS ... ICB - ZS1``) under their ICB, plus ``NONC``
  (non-English commissioners) whose parent code, parent name and name are empty;
* the treatment function codes and names of the current publication (``C_110`` "Trauma and
  Orthopaedic Service", ``X02`` "Other - Medical Services", ...);
* plain integers, UTF-8 without BOM, LF line ends.

The cells follow the arithmetic of the published file. Completed pathways (``Part_1A``
admitted, ``Part_1B`` non-admitted): the bands add up to ``Total`` (pathways with a known
clock start) and ``Total All = Total + Patients with unknown clock start date``. Incomplete
pathways (``Part_2``, the waiting list, and ``Part_2A``, those with a decision to admit, a
subset of ``Part_2`` band by band): the bands add up to ``Total All``; ``Total`` and the
unknown-clock-start column are empty, as published. New RTT periods (``Part_3``): only
``Total All``; bands, ``Total`` and unknown are empty.

Sources for the layout: the research notes on NHS standards behind this project (section 1,
RTT) and public profiles of real extracts (a June 2026 file: 121 columns, ``Period`` exactly
``RTT-June-2026``, no BOM, ``Total`` filled for Parts 1A/1B only, Part_3 bands empty, ``NONC``
and region commissioners with empty names). Not confirmed from a real file (none is public
in full) and chosen here: the row order, and that every band cell of Parts 1A-2A is written
(``0`` rather than empty).

Content: waiting lists of tens of thousands per trust; incomplete pathways within 18 weeks
around 55-70%, differing by trust and specialty, dipping in winter and improving gently
over the 17 months; a tail of 52+ week waits, a few 65+, occasionally a 78+, and 104+ almost
never. Each provider treats mostly its home sub-ICB's patients and some from another.
RTT is published a month behind A&E, so the sample runs April 2024 to August 2025.
Deterministic: a fixed seed and only ``random.Random.random``; two runs write byte-identical
files.

The same run writes the August 2025 non-admitted provider workbook, with its ``Provider``
and ``IS Provider`` sheets (``generate_rtt_workbook.py``).

Usage: ``python data/generate_rtt.py [--out DIR]`` (default: ``data/rtt/``).
"""

from __future__ import annotations

import argparse
import calendar
import csv
import importlib.util
import math
import random
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

SEED = 20240405
FIRST_MONTH = (2024, 4)
N_MONTHS = 17  # April 2024 to August 2025

ID_HEADER: tuple[str, ...] = (
    "Period",
    "Provider Parent Org Code",
    "Provider Parent Name",
    "Provider Org Code",
    "Provider Org Name",
    "Commissioner Parent Org Code",
    "Commissioner Parent Name",
    "Commissioner Org Code",
    "Commissioner Org Name",
    "RTT Part Type",
    "RTT Part Description",
    "Treatment Function Code",
    "Treatment Function Name",
)
BANDS: tuple[str, ...] = (
    *(f"Gt {w:02d} To {w + 1:02d} Weeks SUM 1" for w in range(104)),
    "Gt 104 Weeks SUM 1",
)
HEADER: tuple[str, ...] = (
    *ID_HEADER,
    *BANDS,
    "Total",
    "Patients with unknown clock start date",
    "Total All",
)
PARTS: tuple[tuple[str, str], ...] = (
    ("Part_1A", "Completed Pathways For Admitted Patients"),
    ("Part_1B", "Completed Pathways For Non-Admitted Patients"),
    ("Part_2", "Incomplete Pathways"),
    ("Part_2A", "Incomplete Pathways with DTA"),
    ("Part_3", "New RTT Periods - All Patients"),
)
TOTAL_TFC = ("C_999", "Total")

# ICB -> (name, its sub-ICB location and that location's name), as RTT writes them.
ICBS: dict[str, tuple[str, str, str]] = {
    "ZI1": ("NHS NORTHGATE AND BRIGHTWATER INTEGRATED CARE BOARD",
            "ZS1", "NHS NORTHGATE AND BRIGHTWATER ICB - ZS1"),
    "ZI2": ("NHS RIVERMEAD AND KINGSMERE INTEGRATED CARE BOARD",
            "ZS2", "NHS RIVERMEAD AND KINGSMERE ICB - ZS2"),
    "ZI3": ("NHS EASTMOOR, WEALD AND FERNLEIGH INTEGRATED CARE BOARD",
            "ZS3", "NHS EASTMOOR, WEALD AND FERNLEIGH ICB - ZS3"),
}  # fmt: skip
SUB_ICB_PARENT = {sub: icb for icb, (_, sub, _) in ICBS.items()}
NON_ENGLISH = "NONC"


@dataclass(frozen=True)
class Specialty:
    """A treatment function and how its waiting list differs from the trust's."""

    code: str
    name: str
    share: float  # of the trust's waiting list
    offset: float  # within-18-weeks share minus the trust's, percentage points
    dta: float  # share of the waiting list with a decision to admit (Part_2A)


ACUTE: tuple[Specialty, ...] = (
    Specialty("C_100", "General Surgery Service", 0.16, -3.0, 0.30),
    Specialty("C_110", "Trauma and Orthopaedic Service", 0.20, -9.0, 0.32),
    Specialty("C_130", "Ophthalmology Service", 0.14, 4.0, 0.28),
    Specialty("C_300", "General Internal Medicine Service", 0.08, 10.0, 0.04),
    Specialty("C_502", "Gynaecology Service", 0.12, -2.0, 0.18),
    Specialty("X02", "Other - Medical Services", 0.30, 4.0, 0.07),
)
EYE: tuple[Specialty, ...] = (
    Specialty("C_130", "Ophthalmology Service", 0.93, 0.0, 0.30),
    Specialty("X05", "Other - Surgical Services", 0.07, 3.0, 0.20),
)


@dataclass(frozen=True)
class Provider:
    code: str
    name: str
    icb: str  # the provider's parent (its ICB)
    waiting: int  # waiting list (Part_2) in April 2024
    growth: float  # waiting list growth over the 17 months
    within_start: float  # incomplete pathways within 18 weeks, April 2024
    within_end: float  # ... August 2025, before the winter dip and noise
    specialties: tuple[Specialty, ...]
    # commissioner -> (share of the provider's activity, treatment functions; () = all)
    commissioners: tuple[tuple[str, float, tuple[str, ...]], ...]


PROVIDERS: tuple[Provider, ...] = (
    Provider("ZA1", "NORTHGATE HOSPITALS NHS FOUNDATION TRUST", "ZI1", 56000, 0.04, 0.600, 0.665,
             ACUTE, (("NONC", 0.01, ("C_110", "X02")), ("ZS1", 0.91, ()),
                     ("ZS3", 0.08, ("C_100", "C_110", "C_130", "X02")))),
    Provider("ZB2", "RIVERMEAD UNIVERSITY HOSPITALS NHS TRUST", "ZI2", 48000, 0.06, 0.545, 0.585,
             ACUTE, (("ZS2", 0.93, ()), ("ZS3", 0.07, ("C_100", "C_110", "C_502", "X02")))),
    Provider("ZC3", "EASTMOOR AND WEALD HOSPITALS NHS TRUST", "ZI3", 34000, 0.02, 0.570, 0.625,
             ACUTE, (("ZS1", 0.10, ("C_100", "C_110", "C_130", "X02")), ("ZS3", 0.90, ()))),
    Provider("ZD4", "KINGSMERE EYE HOSPITAL NHS FOUNDATION TRUST", "ZI2", 11000, 0.03, 0.665,
             0.705, EYE, (("ZS2", 0.82, ()), ("ZS3", 0.18, ("C_130",)))),
)  # fmt: skip

# Within-18-weeks dip by calendar month (winter), and activity by calendar month.
WINTER: dict[int, float] = {1: 0.015, 2: 0.010, 3: 0.004, 11: 0.004, 12: 0.012}
ACTIVITY: dict[int, float] = {
    1: 1.02, 2: 0.97, 3: 1.05, 4: 0.95, 5: 1.00, 6: 1.01,
    7: 1.04, 8: 0.93, 9: 1.02, 10: 1.05, 11: 1.03, 12: 0.86,
}  # fmt: skip


def _shape(within: float) -> list[float]:
    """Band shares (105, summing to 1) with `within` in the first 18 weekly bands.

    Up to 18 weeks the list thins slowly; beyond, it decays with a 14-week scale, and from
    52 weeks much faster (long waiters are prioritised), so 65+ are few and 78+ rare.
    """
    head = [1.0 - 0.012 * k for k in range(18)]

    def tail(k: int) -> float:
        return math.exp(-(k - 18) / 14.0) * (math.exp(-(k - 52) / 5.0) if k >= 52 else 1.0)

    body = [tail(k) for k in range(18, 104)]
    body.append(sum(tail(k) for k in range(104, 400)))  # the open-ended 104+ band
    h, b = sum(head), sum(body)
    return [within * x / h for x in head] + [(1.0 - within) * x / b for x in body]


def months() -> list[tuple[int, int]]:
    year, month = FIRST_MONTH
    out: list[tuple[int, int]] = []
    for _ in range(N_MONTHS):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def period_label(year: int, month: int) -> str:
    return f"RTT-{calendar.month_name[month]}-{year}"


def file_name(year: int, month: int) -> str:
    last = calendar.monthrange(year, month)[1]
    return f"{year}{month:02d}{last:02d}-RTT-{calendar.month_name[month]}-{year}-full-extract.csv"


class Draw:
    """Deterministic noise and rounding."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def factor(self, spread: float) -> float:
        """A factor in [1 - spread, 1 + spread]."""
        return 1.0 + spread * (2.0 * self.rng.random() - 1.0)

    def noise(self, spread: float) -> float:
        """A number in [-spread, spread]."""
        return spread * (2.0 * self.rng.random() - 1.0)

    def round(self, x: float) -> int:
        """Stochastic rounding: floor(x) + 1 with probability frac(x); unbiased."""
        whole = math.floor(x)
        return whole + (1 if self.rng.random() < x - whole else 0)

    def bands(self, n: float, within: float) -> list[int]:
        return [self.round(n * s) for s in _shape(within)]


Cells = list[int | None]  # 105 bands, Total, unknown, Total All; None is written empty


def _completed(bands: list[int], unknown: int) -> Cells:
    known = sum(bands)
    return [*bands, known, unknown, known + unknown]


def _incomplete(bands: list[int]) -> Cells:
    return [*bands, None, None, sum(bands)]


def specialty_cells(
    spec: Specialty, n: float, within: float, month: int, draw: Draw
) -> dict[str, Cells]:
    """The five parts' cells for one provider x commissioner x treatment function."""
    activity = ACTIVITY[month] * draw.factor(0.04)
    within = min(0.95, max(0.30, within + spec.offset / 100.0 + draw.noise(0.008)))
    waiting = draw.bands(n * draw.factor(0.01), within)
    # With a decision to admit: a subset of each band, a larger share the longer the wait.
    dta = [
        min(w, draw.round(w * min(1.0, spec.dta * (0.8 + 0.012 * min(k, 52)))))
        for k, w in enumerate(waiting)
    ]
    admitted_n = n * max(spec.dta, 0.05) * 0.20 * activity
    admitted = draw.bands(admitted_n, max(0.30, within - 0.06))
    nonadmitted_n = n * 0.17 * activity
    nonadmitted = draw.bands(nonadmitted_n, min(0.95, within + 0.14))
    new = draw.round(n * 0.23 * activity)
    return {
        "Part_1A": _completed(admitted, draw.round(admitted_n * 0.003)),
        "Part_1B": _completed(nonadmitted, draw.round(nonadmitted_n * 0.004)),
        "Part_2": _incomplete(waiting),
        "Part_2A": _incomplete(dta),
        "Part_3": [None] * (len(BANDS) + 2) + [new],
    }


def _add(cells: list[Cells]) -> Cells:
    """Column sums; a column empty in every row stays empty."""
    out: Cells = []
    for column in zip(*cells, strict=True):
        values = [v for v in column if v is not None]
        out.append(sum(values) if values else None)
    return out


def _commissioner(code: str) -> tuple[str, str, str]:
    """Parent code, parent name and name of a commissioner as RTT writes them."""
    if code == NON_ENGLISH:
        return "", "", ""
    icb = SUB_ICB_PARENT[code]
    return icb, ICBS[icb][0], ICBS[icb][2]


def month_rows(t: int, year: int, month: int, draw: Draw) -> list[list[str]]:
    period = period_label(year, month)
    progress = t / (N_MONTHS - 1)
    rows: list[list[str]] = []
    for provider in PROVIDERS:
        size = provider.waiting * (1.0 + provider.growth * progress)
        within = provider.within_start + (provider.within_end - provider.within_start) * progress
        within -= WINTER.get(month, 0.0)
        ids = [period, provider.icb, ICBS[provider.icb][0], provider.code, provider.name]
        for code, share, only in provider.commissioners:
            specs = [s for s in provider.specialties if not only or s.code in only]
            weight = sum(s.share for s in specs)
            cells = {
                s.code: specialty_cells(s, size * share * s.share / weight, within, month, draw)
                for s in specs
            }
            commissioner = [*_commissioner(code)[:2], code, _commissioner(code)[2]]
            for part, description in PARTS:
                for s in specs:
                    rows.append([*ids, *commissioner, part, description, s.code, s.name,
                                 *_text(cells[s.code][part])])  # fmt: skip
                total = _add([cells[s.code][part] for s in specs])
                rows.append([*ids, *commissioner, part, description, *TOTAL_TFC, *_text(total)])
    return rows


def _text(cells: Cells) -> list[str]:
    return ["" if v is None else str(v) for v in cells]


def generate(out: Path) -> list[Path]:
    """Write every month's extract into ``out``; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    draw = Draw(random.Random(SEED))
    written: list[Path] = []
    for t, (year, month) in enumerate(months()):
        path = out / file_name(year, month)
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(HEADER)
            writer.writerows(month_rows(t, year, month, draw))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write the synthetic sample RTT Full CSV data files (NHS England's layout)."
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent / "rtt",
        help="folder to write into (default: data/rtt/ beside this script)",
    )
    args = parser.parse_args(argv)
    out: Path = args.out
    written = generate(out)
    print(f"wrote {len(written)} files to {out}")
    return int(_workbook().main(["--out", str(out)]))  # the last month's provider workbook


def _workbook() -> ModuleType:
    """``generate_rtt_workbook.py`` beside this script (it imports xlsxwriter: loaded only
    when the sample is written)."""
    path = Path(__file__).resolve().parent / "generate_rtt_workbook.py"
    spec = importlib.util.spec_from_file_location("_sample_rtt_workbook", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    raise SystemExit(main())
