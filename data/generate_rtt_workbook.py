"""Write the bundled sample's SYNTHETIC RTT non-admitted provider workbook (.xlsx).

Nothing here is NHS data. The workbook mimics NHS England's monthly "NonAdmitted-Provider"
workbook (completed non-admitted pathways by provider and treatment function) for August
2025, the sample's latest RTT month, with its two provider sheets in the published layout:

* ``Provider``: the NHS trusts. Its figures are the sample's own Full CSV data file for
  August 2025 (``generate_rtt.py``): each trust's ``Part_1B`` rows added over commissioners,
  so the workbook and the Full CSV agree to the pathway;
* ``IS Provider``: independent-sector providers, in the same layout (NHS England's workbooks
  and public code that reads them, e.g. ``read_excel(..., sheet = "IS Provider", skip =
  13)``, use the same header row and columns). Two invented providers, ``ZN1`` and
  ``ZN2``, which are in no other sample file;
* ``Notes``: the centile notes, as text (a sheet scorecard skips).

Each provider sheet: column A empty; the title block in B2:C11 (``Title:``, ``Summary:``, a
blank row, ``Period:`` ``August 2025``, ``Source:``, ``Basis:`` ``Provider``, ``Published:``,
``Revised:`` ``N/A``, ``Status:``, ``Contact:``); a section label on row 13; the header on row
14, exactly the published one (``Region Code, Provider Code, Provider Name, Treatment
Function Code, Treatment Function, >0-1 ... >103-104, 104 plus, Patients with unknown clock
start date, Total number of completed pathways (all), Total number of completed pathways
(with a known clock start), Average (median) waiting time (in weeks), 95th percentile
waiting time (in weeks), Total 52 plus weeks, Total 78 plus weeks, Total 65 plus weeks``, as
in the real September 2025 workbook); from row 15, per provider its 24 treatment functions
in the published order (``C_100`` ... ``X06``, then ``C_999`` "Total", the exact sum of the
others; a function without pathways is a row of zeros). Counts are numbers; the median and
95th percentile are worked out here from the row's known-clock-start bands as NHS England
does (linear interpolation within the band; the open ``104 plus`` band's lower bound, 104,
when the rank falls there) and written as ``-`` below 20 pathways. The layout of rows 2-13
follows the March 2015 workbook in ``../shared``; its exact wording for 2025 is chosen here.

Deterministic: the Full CSV's own random draws are replayed, the independent-sector figures
use their own seed, and the workbook's creation date is fixed: two runs write byte-identical
files.

Usage: ``python data/generate_rtt_workbook.py [--out DIR]`` (default: ``data/rtt/``); also
written by ``python data/generate_rtt.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import xlsxwriter  # type: ignore[import-untyped]

HERE = Path(__file__).resolve().parent
FILE_NAME = "NonAdmitted-Provider-Aug25-XLSX.xlsx"
SEED = 20250831
CREATED = dt.datetime(2025, 10, 9)
MINIMUM = 20  # no centile below this many pathways
TFCS: tuple[tuple[str, str], ...] = (
    ("C_100", "General Surgery Service"),
    ("C_101", "Urology Service"),
    ("C_110", "Trauma and Orthopaedic Service"),
    ("C_120", "Ear Nose and Throat Service"),
    ("C_130", "Ophthalmology Service"),
    ("C_140", "Oral Surgery Service"),
    ("C_150", "Neurosurgical Service"),
    ("C_160", "Plastic Surgery Service"),
    ("C_170", "Cardiothoracic Surgery Service"),
    ("C_300", "General Internal Medicine Service"),
    ("C_301", "Gastroenterology Service"),
    ("C_320", "Cardiology Service"),
    ("C_330", "Dermatology Service"),
    ("C_340", "Respiratory Medicine Service"),
    ("C_400", "Neurology Service"),
    ("C_410", "Rheumatology Service"),
    ("C_430", "Elderly Medicine Service"),
    ("C_502", "Gynaecology Service"),
    ("X02", "Other - Medical Services"),
    ("X03", "Other - Mental Health Services"),
    ("X04", "Other - Paediatric Services"),
    ("X05", "Other - Surgical Services"),
    ("X06", "Other - Other Services"),
)
TOTAL = ("C_999", "Total")
BANDS = (*(f">{w}-{w + 1}" for w in range(104)), "104 plus")
HEADER: tuple[str, ...] = (
    "Region Code",
    "Provider Code",
    "Provider Name",
    "Treatment Function Code",
    "Treatment Function",
    *BANDS,
    "Patients with unknown clock start date",
    "Total number of completed pathways (all)",
    "Total number of completed pathways (with a known clock start)",
    "Average (median) waiting time (in weeks)",
    "95th percentile waiting time (in weeks)",
    "Total 52 plus weeks",
    "Total 78 plus weeks",
    "Total 65 plus weeks",
)
# The sample's trusts' regions (their ICBs' regions in generate_orgs.py).
REGION = {"ZA1": "Y62", "ZB2": "Y56", "ZC3": "Y60", "ZD4": "Y56"}
# Independent-sector providers: (region, code, name, non-admitted pathways, specialties).
INDEPENDENT: tuple[tuple[str, str, str, int, tuple[str, ...]], ...] = (
    ("Y62", "ZN1", "NORTHGATE TREATMENT CENTRE LIMITED", 900, ("C_110", "C_130", "C_100")),
    ("Y56", "ZN2", "KINGSMERE EYE CLINIC LIMITED", 260, ("C_130",)),
)
TITLE: tuple[tuple[str, str], ...] = (
    ("Title:", "Referral to Treatment (RTT) Waiting Times"),
    ("Summary:", "Monthly Referral to Treatment (RTT) waiting times for completed "
     "non-admitted pathways."),
    ("", ""),
    ("Period:", "August 2025"),
    ("Source:", "RTT data collection"),
    ("Basis:", "Provider"),
    ("Published:", "9th October 2025"),
    ("Revised:", "N/A"),
    ("Status:", "Published"),
    ("Contact:", "england.rtt@nhs.net"),
)  # fmt: skip
NOTES = (
    "1. Median and 95th percentile times are calculated from aggregate data, rather than "
    "patient level data, and therefore are only estimates of the position on average waits",
    "2. Median and 95th percentile waiting times are not calculated for organisations (and "
    "treatment functions) with fewer than 20 pathways in the month",
)
Row = list[int]  # 105 bands then the unknown-clock-start count


def _generator() -> ModuleType:
    """``generate_rtt.py`` beside this script, loaded by path."""
    spec = importlib.util.spec_from_file_location("_sample_generate_rtt", HERE / "generate_rtt.py")
    if spec is None or spec.loader is None:
        raise SystemExit("cannot load generate_rtt.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def trusts(rtt: ModuleType) -> dict[tuple[str, str], Row]:
    """(provider, treatment function) -> its August 2025 non-admitted bands and unknowns,
    the Full CSV's Part_1B rows added over commissioners (replaying its draws)."""
    draw = rtt.Draw(random.Random(rtt.SEED))
    rows: list[list[str]] = []
    for t, (year, month) in enumerate(rtt.months()):
        rows = rtt.month_rows(t, year, month, draw)
    first = len(rtt.ID_HEADER)
    out: dict[tuple[str, str], Row] = {}
    for r in rows:
        if r[9] != "Part_1B" or r[11] == TOTAL[0]:
            continue
        cells = [int(c) for c in r[first : first + 105]] + [int(r[first + 106])]
        have = out.setdefault((r[3], r[11]), [0] * 106)
        out[(r[3], r[11])] = [a + b for a, b in zip(have, cells, strict=True)]
    return out


def independents(rtt: ModuleType) -> dict[tuple[str, str], Row]:
    """The invented independent-sector providers' bands: short waits, few long ones."""
    draw = rtt.Draw(random.Random(SEED))
    out: dict[tuple[str, str], Row] = {}
    for _, code, _, size, specialties in INDEPENDENT:
        for i, tfc in enumerate(specialties):
            n = size * (0.6 if i == 0 else 0.4 / max(1, len(specialties) - 1))
            bands = draw.bands(n * draw.factor(0.05), 0.88 + draw.noise(0.03))
            out[(code, tfc)] = [*bands, draw.round(n * 0.002)]
    return out


def centile(bands: Sequence[int], fraction: float) -> float | None:
    """NHS England's estimate from weekly bands (as scorecard.rtt_percentiles, written anew)."""
    total = sum(bands)
    if total < MINIMUM:
        return None
    rank, before = fraction * total, 0
    for week, count in enumerate(bands):
        if count and before + count >= rank:
            return float(week) if week == len(bands) - 1 else week + (rank - before) / count
        before += count
    return float(len(bands) - 1)


def sheet_rows(
    providers: list[tuple[str, str, str]], data: dict[tuple[str, str], Row]
) -> list[list[object]]:
    """The data rows of one sheet: each provider's treatment functions, then its total."""
    out: list[list[object]] = []
    for region, code, name in providers:
        rows = [(tfc, label, data.get((code, tfc), [0] * 106)) for tfc, label in TFCS]
        total = [sum(col) for col in zip(*(r for _, _, r in rows), strict=True)]
        for tfc, label, cells in [*rows, (*TOTAL, total)]:
            bands, unknown = cells[:105], cells[105]
            known = sum(bands)
            shown = [centile(bands, f) for f in (0.5, 0.95)]
            out.append([
                region, code, name, tfc, label, *bands, unknown, known + unknown, known,
                *("-" if v is None else v for v in shown),
                sum(bands[52:]), sum(bands[78:]), sum(bands[65:]),
            ])  # fmt: skip
    return out


def write_sheet(book: xlsxwriter.Workbook, name: str, rows: list[list[object]]) -> None:
    sheet = book.add_worksheet(name)
    for i, (label, value) in enumerate(TITLE):
        sheet.write_string(1 + i, 1, label)
        sheet.write_string(1 + i, 2, value)
    sheet.write_string(12, 1, "Provider Level Data")
    sheet.write_string(12, 6, "The number of completed non-admitted pathways by week waited")
    sheet.write_row(13, 1, HEADER)
    for r, row in enumerate(rows):
        sheet.write_row(14 + r, 1, row)


def generate(out: Path) -> Path:
    """Write the workbook into ``out``; return its path."""
    rtt = _generator()
    out.mkdir(parents=True, exist_ok=True)
    path = out / FILE_NAME
    names = {p.code: p.name for p in rtt.PROVIDERS}
    nhs = [(REGION[code], code, names[code]) for code in sorted(names)]
    independent = [(region, code, name) for region, code, name, _, _ in INDEPENDENT]
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": CREATED})
    write_sheet(book, "Provider", sheet_rows(nhs, trusts(rtt)))
    write_sheet(book, "IS Provider", sheet_rows(independent, independents(rtt)))
    notes = book.add_worksheet("Notes")
    notes.write_column(1, 1, ["Notes:", *NOTES])
    book.close()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write the synthetic sample RTT non-admitted provider workbook (.xlsx)."
    )
    parser.add_argument("--out", type=Path, default=HERE / "rtt", help="folder (default data/rtt/)")
    args = parser.parse_args(argv)
    print(f"wrote {generate(args.out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
