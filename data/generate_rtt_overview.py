"""Write the bundled sample's SYNTHETIC RTT overview time series workbook.

Nothing here is NHS data. The workbook mimics NHS England's "RTT Overview Timeseries"
(``RTT-Overview-Timeseries-October22.xlsx``, kept in the shared real data): England's monthly
headline figures in one sheet, ``Full Time Series``:

* a title block on rows 1-9 (``Title:``, ``Period:``, ``Source:``, ``Basis:``, ``Contact:``
  in column B with their values in C, and on row 8 the trusts with missing data for the last
  month);
* a header on two rows: row 10 names ``Year``, ``Month`` and the five groups (``Incomplete RTT
  pathways`` from D, ``Admitted (unadjusted) RTT pathways`` from T, ``Non-Admitted RTT
  pathways`` from Z, ``New RTT periods`` from AF, ``Admitted (adjusted) RTT pathways`` from
  AI, with the empty column AH before it); row 11 names the 35 columns, the names of the
  published file;
* a row a month: the financial year (``2019/20``) in B on April rows only, the month as a
  date cell in C; counts and fractions as numbers, ``-`` (text) for not available (the 78- and
  104-week counts before April 2021, when the weekly bands stopped at ``52 plus``; the
  adjusted admitted group, retired in 2015), ``52+`` (text) for a 92nd or 95th percentile
  beyond the last band; the "(mil)" columns hold plain counts; after the last month, empty
  rows to the end of its financial year (``-`` in the adjusted group), then ``Notes:``.

The figures: England from April 2019 to August 2025. From April 2024 each month is the sum
of the sample's providers in the RTT Full CSV files that ``generate_rtt.py`` writes (their
``C_999`` rows: Part_2 incomplete, Part_1A admitted, Part_1B non-admitted, Part_3 new
periods), so the overview and the monthly files agree wherever both exist. Before April 2024
England's weekly bands are drawn with ``generate_rtt``'s band shape along a plausible path
(a waiting list near 80% of April 2024's, within 18 weeks 86% in April 2019, falling to about
50% in mid-2020 and recovering). Medians and percentiles are read from the weekly bands by
linear interpolation within the band the centile falls in. "With estimates for missing data"
adds 1.5% to the counts in October 2019 and January 2023, when a fictional trust did not
submit; elsewhere it equals the figures as submitted. The shares (``% within 18 weeks``,
``% > 52 weeks``) are of the figures as submitted, as published.

Deterministic: a fixed seed, only ``random.Random.random`` and a fixed creation date; two
runs write byte-identical files. Needs the ``generate_rtt.py`` beside it (imported, not run).

Usage: ``python data/generate_rtt_overview.py [--out DIR]`` (default: ``data/rtt/``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import itertools
import random
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]

SEED = 20240406
FIRST = (2019, 4)
HISTORY_END = (2024, 3)  # drawn for England; from April 2024 the providers' sums
FILE_NAME = "RTT-Overview-Timeseries-August25.xlsx"
SHEET = "Full Time Series"
GROUPS = (
    (1, "Year"),
    (2, "Month"),
    (3, "Incomplete RTT pathways"),
    (19, "Admitted (unadjusted) RTT pathways"),
    (25, "Non-Admitted RTT pathways"),
    (31, "New RTT periods"),
    (34, "Admitted (adjusted) RTT pathways"),
)
_EST = " with estimates for missing data"
_COMPLETED = (
    "Median wait (weeks)",
    "95th percentile (weeks)",
    "No. within 18 weeks",
    "No. > 52 weeks",
    "No. of pathways (all)",
)
COLUMNS: tuple[str, ...] = (
    "Median wait (weeks)",
    "92nd percentile (weeks)",
    "No. within 18 weeks",
    f"No. within 18 weeks{_EST}",
    "% within 18 weeks",
    "No. > 18 weeks",
    f"No. > 18 weeks{_EST}",
    "No. > 52 weeks",
    f"No. > 52 weeks{_EST}",
    "% > 52 weeks",
    "No. > 78 weeks",
    f"No. > 78 weeks{_EST}",
    "No. > 104 weeks",
    f"No. > 104 weeks{_EST}",
    "Total waiting (mil)",
    f"Total waiting (mil){_EST}",
    *_COMPLETED,
    f"No. of pathways (all){_EST}",
    *_COMPLETED,
    f"No. of pathways (all){_EST}",
    "No. of new RTT periods",
    f"No. of new RTT periods{_EST}",
    "",
    *_COMPLETED,
)  # from column D (index 3)
NOTES = (
    "1. Median and percentile times are calculated from aggregate data, rather than patient "
    "level data, and therefore are only estimates of the position on average waits",
    "2. Admitted RTT pathways are waiting times for patients whose treatment started during "
    "the month and involved admission to hospital",
    "3. Non-admitted RTT pathways are waiting times for patients whose wait ended during the "
    "month for reasons other than an inpatient or day case admission to hospital for treatment",
    "4. Incomplete RTT pathways are waiting times for patients still waiting to start treatment "
    "at the end of the month",
    "5. For April 2021 data onwards, the monthly data return was amended to include time bands "
    "from '52-53 weeks' to '104+ weeks'. Therefore columns relating to 'No. > 78 weeks' and "
    "'No. > 104 weeks' relate to April 21 onwards only.",
)
ESTIMATED = {(2019, 10), (2023, 1)}  # months a fictional trust did not submit
# Keyframes of England's drawn history: (year, month) -> (waiting list as a share of April
# 2024's, share within 18 weeks); straight lines between them.
PATH = {
    (2019, 4): (0.80, 0.860),
    (2020, 2): (0.81, 0.830),
    (2020, 7): (0.66, 0.480),
    (2021, 4): (0.80, 0.640),
    (2024, 3): (1.00, 0.590),
}
Bands = list[int]


def _load_rtt() -> ModuleType:
    """generate_rtt.py beside this script, imported by path (the data folder is no package)."""
    path = Path(__file__).resolve().parent / "generate_rtt.py"
    spec = importlib.util.spec_from_file_location("generate_rtt", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # its dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


def months(last: tuple[int, int]) -> list[tuple[int, int]]:
    out, (year, month) = [], FIRST
    while (year, month) <= last:
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def centile(bands: Bands, share: float) -> float | None:
    """The wait (weeks) by which `share` of the pathways are counted: linear within the band
    it falls in. None beyond the last band's start (the open-ended band has no width)."""
    target, seen = share * sum(bands), 0.0
    for week, count in enumerate(bands):
        if seen + count >= target and count:
            if week == len(bands) - 1:
                return None
            return week + (target - seen) / count
        seen += count
    return None  # pragma: no cover - the shares add up to 1


def provider_sums(rtt: ModuleType) -> dict[tuple[int, int], dict[str, Bands]]:
    """England's C_999 cells per month and part, the sum of the Full CSV sample's rows."""
    draw = rtt.Draw(random.Random(rtt.SEED))  # the same draws, so the same rows
    out: dict[tuple[int, int], dict[str, Bands]] = {}
    for t, (year, month) in enumerate(rtt.months()):
        parts: dict[str, Bands] = {}
        for row in rtt.month_rows(t, year, month, draw):
            if row[11] != rtt.TOTAL_TFC[0]:
                continue
            cells = [int(c) if c else 0 for c in row[13:]]
            old = parts.setdefault(row[9], [0] * len(cells))
            parts[row[9]] = [a + b for a, b in zip(old, cells, strict=True)]
        out[(year, month)] = parts
    return out


def _along(when: tuple[int, int]) -> tuple[float, float]:
    """The drawn path's (size, within) at a month: straight lines between keyframes."""
    keys = sorted(PATH)
    at = when[0] * 12 + when[1]
    for ka, kb in itertools.pairwise(keys):
        a, b = ka[0] * 12 + ka[1], kb[0] * 12 + kb[1]
        if a <= at <= b:
            f = (at - a) / (b - a)
            (sa, wa), (sb, wb) = PATH[ka], PATH[kb]
            return sa + (sb - sa) * f, wa + (wb - wa) * f
    raise ValueError(when)  # pragma: no cover - every month drawn is between keyframes


def drawn(april_2024: dict[str, Bands], when: tuple[int, int], draw: Any) -> dict[str, Bands]:
    """England's cells for a month before the providers' sample: bands along the path."""
    size, within = _along(when)
    n = april_2024["Part_2"][-1] * size  # Total All
    cells: dict[str, Bands] = {}
    for part, scale, share in (
        ("Part_2", 1.0, within),
        ("Part_1A", 0.045, max(0.30, within - 0.08)),
        ("Part_1B", 0.17, min(0.95, within + 0.12)),
    ):
        bands: Bands = draw.bands(n * scale, share)
        cells[part] = [*bands, sum(bands), 0, sum(bands)]
    cells["Part_3"] = [0] * 107 + [draw.round(n * 0.24)]
    return cells


Cell = float | int | str | None


def _published(bands: Bands, when: tuple[int, int]) -> Bands:
    """The weekly bands as that month's return had them: to `52 plus` before April 2021."""
    return bands if when >= (2021, 4) else [*bands[:52], sum(bands[52:])]


def _wait(bands: Bands, share: float, beyond: str) -> Cell:
    found = centile(bands, share)
    return beyond if found is None else found


def _estimated(count: int, when: tuple[int, int]) -> int:
    return round(count * 1.015) if when in ESTIMATED else count


def incomplete(cells: Bands, when: tuple[int, int]) -> list[Cell]:
    """The `Incomplete RTT pathways` group's 16 cells."""
    bands, total = cells[:105], cells[-1]
    shown = _published(bands, when)
    within, over52 = sum(bands[:18]), sum(bands[52:])
    recent = when >= (2021, 4)
    over78: Cell = sum(bands[78:]) if recent else "-"
    over104: Cell = bands[104] if recent else "-"
    beyond = "104+" if recent else "52+"
    out: list[Cell] = [_wait(shown, 0.5, beyond), _wait(shown, 0.92, beyond)]
    out += [within, _estimated(within, when), within / total]
    out += [total - within, _estimated(total - within, when)]
    out += [over52, _estimated(over52, when), over52 / total]
    for count in (over78, over104):
        out += [count, _estimated(count, when) if isinstance(count, int) else count]
    return [*out, total, _estimated(total, when)]


def completed(cells: Bands, when: tuple[int, int]) -> list[Cell]:
    """An admitted or non-admitted group's 6 cells (all pathways: unknown clock starts too)."""
    shown = _published(cells[:105], when)
    beyond = "104+" if when >= (2021, 4) else "52+"
    every = cells[-1]
    return [
        _wait(shown, 0.5, beyond),
        _wait(shown, 0.95, beyond),
        sum(cells[:18]),
        sum(cells[52:105]),
        every,
        _estimated(every, when),
    ]


def month_cells(cells: dict[str, Bands], when: tuple[int, int]) -> list[Cell]:
    """A month's row from column D: the five groups, the empty column AH between."""
    new = cells["Part_3"][-1]
    return [
        *incomplete(cells["Part_2"], when),
        *completed(cells["Part_1A"], when),
        *completed(cells["Part_1B"], when),
        new,
        _estimated(new, when),
        None,
        *["-"] * 5,  # adjusted admitted pathways: retired in 2015
    ]


def england(rtt: ModuleType) -> dict[tuple[int, int], list[Cell]]:
    """Every month's row: drawn before April 2024, the providers' sums from then."""
    sums = provider_sums(rtt)
    draw = rtt.Draw(random.Random(SEED))
    first = sums[min(sums)]
    rows = {when: month_cells(drawn(first, when, draw), when) for when in months(HISTORY_END)}
    rows |= {when: month_cells(cells, when) for when, cells in sorted(sums.items())}
    return rows


def _title(year: int, month: int) -> str:
    return dt.date(year, month, 1).strftime("%B %Y")


def write(path: Path, rows: dict[tuple[int, int], list[Cell]]) -> None:
    """The workbook, byte for byte the same for the same rows."""
    last = max(rows)
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    book.set_properties({"created": dt.datetime(last[0], last[1], 1)})
    sheet = book.add_worksheet(SHEET)
    date = book.add_format({"num_format": "mmm-yy"})
    short = dt.date(last[0], last[1], 1).strftime("%b %y")
    title = (
        ("Title:", "Referral to Treatment (RTT) Waiting Times, England"),
        ("", ""),
        ("Period:", f"{_title(*FIRST)} to {_title(*last)}"),
        ("Source:", "NHS England: monthly RTT data collection"),
        ("Basis:", "Commissioner"),
        ("Contact:", "england.rtt@nhs.net"),
        (f"Missing Data for {short}: none", ""),
    )
    for r, (label, said) in enumerate(title, start=1):
        for c, text in ((1, label), (2, said)):
            if text:
                sheet.write_string(r, c, text)
    for c, text in GROUPS:
        sheet.write_string(9, c, text)
    for c, text in enumerate(COLUMNS, start=3):
        if text:
            sheet.write_string(10, c, text)
    end = (last[0] + 1, 3) if last[1] >= 4 else (last[0], 3)  # the financial year's end
    r = 11
    for when in months(end):
        if when[1] == 4:
            sheet.write_string(r, 1, f"{when[0]}/{(when[0] + 1) % 100:02d}")
        sheet.write_datetime(r, 2, dt.datetime(when[0], when[1], 1), date)
        empty: list[Cell] = [None] * (len(COLUMNS) - 5)  # a month to come: nothing yet,
        empty += ["-"] * 5  # but the retired adjusted group's `-`
        for c, value in enumerate(rows.get(when, empty), start=3):
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            elif value is not None:
                sheet.write_number(r, c, value)
        r += 1
    sheet.write_string(r, 1, "Notes:")
    for i, note in enumerate(NOTES, start=1):
        sheet.write_string(r + i, 1, note)
    book.close()


def generate(out: Path) -> list[Path]:
    """Write the workbook into ``out``; return the path written."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / FILE_NAME
    write(path, england(_load_rtt()))
    return [path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write the synthetic sample RTT overview time series (NHS England's layout)."
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent / "rtt",
        help="folder to write into (default: data/rtt/ beside this script)",
    )
    out: Path = parser.parse_args(argv).out
    written = generate(out)
    print(f"wrote {len(written)} file to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
