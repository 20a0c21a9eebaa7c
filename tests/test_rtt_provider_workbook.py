"""An RTT incomplete-pathways provider workbook made here in NHS England's layout: its
`Provider` and `IS Provider` sheets are one publication, its `... with DTA` sheets are not
read, and two sheets naming the same organisation refuse the workbook.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import xlsxwriter  # type: ignore[import-untyped]

from scorecard.errors import SourceError
from scorecard.sources import read_extracts

BANDS = [f">{w}-{w + 1}" for w in range(104)] + ["104 plus"]
HEADER = [
    "Region Code", "Provider Code", "Provider Name", "Treatment Function Code",
    "Treatment Function", *BANDS, "Total number of incomplete pathways",
    "Total within 18 weeks", "% within 18 weeks",
]  # fmt: skip


def _rows(org: str, parts: dict[str, dict[int, int]]) -> list[list[object]]:
    """An organisation's specialty rows and their C_999 total."""
    out: list[list[object]] = []
    total = [0] * 105
    for tfc, counts in [*parts.items(), ("C_999", {})]:
        cells = [counts.get(w, 0) for w in range(105)] if tfc != "C_999" else total
        total = [a + b for a, b in zip(total, cells, strict=True)] if tfc != "C_999" else total
        n, within = sum(cells), sum(cells[:18])
        out.append(["Y56", org, f"PROVIDER {org}", tfc, tfc, *cells, n, within, within / n])
    return out


def _book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        sheet.write_row(1, 1, ["Title:", "Referral to Treatment (RTT) Waiting Times"])
        sheet.write_row(4, 1, ["Period:", "September 2025"])
        sheet.write_row(13, 1, HEADER)
        for i, row in enumerate(rows):
            sheet.write_row(14 + i, 1, row)
    book.close()
    return path


def test_provider_and_is_provider_sheets_are_one_publication(tmp_path: Path) -> None:
    nhs = _rows("ZP1", {"C_110": {3: 40, 60: 2}, "C_130": {1: 20}})
    independent = _rows("ZN1", {"C_110": {2: 30, 20: 1}})
    dta = _rows("ZP1", {"C_110": {3: 10}})  # a subset of the waiting list: not read
    path = _book(
        tmp_path / "Incomplete-Provider-Sep25-XLSX.xlsx",
        {
            "Provider": nhs,
            "Provider with DTA": dta,
            "IS Provider": independent,
            "IS Provider with DTA": _rows("ZN1", {"C_110": {2: 5}}),
        },
    )
    skipped: list[str] = []
    (ex,) = read_extracts(path, skipped=skipped)
    assert ex.file == f"{path.name} [Provider, IS Provider]"
    assert [s.split(", sheet ")[1].split(":")[0] for s in skipped] == [
        "Provider with DTA",
        "IS Provider with DTA",
    ]
    assert "decision to admit" in skipped[0]
    totals = ex.observations.filter(pl.col("measure") == "rtt_incomplete_total")
    assert dict(totals.select("org_code", "value").iter_rows()) == {"ZP1": 62, "ZN1": 31}
    assert {str(d) for d in ex.observations["period"]} == {"2025-09-01"}
    assert ex.breakdowns is not None
    parts = ex.breakdowns.filter(pl.col("measure") == "rtt_incomplete_over_52wk")
    assert sorted(parts.select("org_code", "breakdown", "value").rows()) == [
        ("ZN1", "110", 0),
        ("ZP1", "110", 2),
        ("ZP1", "130", 0),
    ]
    # Each organisation keeps its own sheet's provenance rows (row 15 on, then its total).
    assert dict(ex.orgs.select("org_code", "rows").iter_rows()) == {"ZN1": "16", "ZP1": "17"}


def test_two_sheets_naming_one_organisation_refuse_the_workbook(tmp_path: Path) -> None:
    rows = _rows("ZP1", {"C_110": {3: 40}})
    path = _book(tmp_path / "Incomplete-Provider-Sep25.xlsx", {"Provider": rows, "Copy": rows})
    with pytest.raises(SourceError) as info:
        read_extracts(path)
    assert "two sheets hold the same rtt_incomplete_sheet figures" in info.value.problem
