"""The bundled synthetic RTT non-admitted provider workbook (data/rtt/*.xlsx), written by
data/generate_rtt_workbook.py: its published layout, its agreement with the sample's Full CSV,
and how scorecard reads its Provider and IS Provider sheets (as one publication).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.rtt_percentiles import SEPTEMBER_2025, weeks_at
from scorecard.sources import read_extracts
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "data" / "rtt" / "NonAdmitted-Provider-Aug25-XLSX.xlsx"
FULL = ROOT / "data" / "rtt" / "20250831-RTT-August-2025-full-extract.csv"
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "rtt"
REAL_SHEET = REAL / "RTT-NonAdmitted-Provider-2025-09.csv"
BANDS = [f">{w}-{w + 1}" for w in range(104)] + ["104 plus"]
HEADER = [
    "Region Code", "Provider Code", "Provider Name", "Treatment Function Code",
    "Treatment Function", *BANDS, "Patients with unknown clock start date",
    "Total number of completed pathways (all)",
    "Total number of completed pathways (with a known clock start)",
    "Average (median) waiting time (in weeks)", "95th percentile waiting time (in weeks)",
    "Total 52 plus weeks", "Total 78 plus weeks", "Total 65 plus weeks",
]  # fmt: skip
runner = CliRunner()


def _sheet(name: str) -> list[list[Any]]:
    sheet = CalamineWorkbook.from_path(str(BOOK)).get_sheet_by_name(name)
    return sheet.to_python(skip_empty_area=False)


def _rows(name: str) -> list[dict[str, Any]]:
    """The sheet's data rows by column name (row 14 is the header, column A is empty)."""
    values = _sheet(name)
    header = [str(c) for c in values[13][1:]]
    assert values[13][0] == ""
    return [dict(zip(header, r[1:], strict=True)) for r in values[14:] if any(r)]


def test_sheets_title_block_and_header() -> None:
    book = CalamineWorkbook.from_path(str(BOOK))
    assert book.sheet_names == ["Provider", "IS Provider", "Notes"]
    for name in ("Provider", "IS Provider"):
        values = _sheet(name)
        title = {str(r[1]): r[2] for r in values[1:11] if r[1]}
        assert title["Period:"] == "August 2025" and title["Basis:"] == "Provider"
        assert title["Revised:"] == "N/A"
        assert [str(c) for c in values[13][1:]] == HEADER
    if REAL_SHEET.is_file():  # the published September 2025 Provider sheet's header
        with REAL_SHEET.open(newline="") as fh:
            assert next(csv.reader(fh)) == HEADER


def test_every_provider_has_the_24_treatment_functions_and_their_total() -> None:
    for name, providers in (("Provider", 4), ("IS Provider", 2)):
        rows = _rows(name)
        assert len(rows) == 24 * providers
        by_org: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in rows:
            by_org[r["Provider Code"]].append(r)
        for org_rows in by_org.values():
            *parts, total = org_rows
            assert total["Treatment Function Code"] == "C_999"
            for column in [*BANDS, "Total number of completed pathways (all)"]:
                assert total[column] == sum(float(p[column]) for p in parts)


def test_printed_centiles_follow_nhs_englands_rule() -> None:
    """The generator works its medians out on its own; scorecard's rule agrees."""
    printed = 0
    for name in ("Provider", "IS Provider"):
        for r in _rows(name):
            bands = [float(r[b]) for b in BANDS]
            for column, fraction in (
                ("Average (median) waiting time (in weeks)", 0.5),
                ("95th percentile waiting time (in weeks)", 0.95),
            ):
                got = weeks_at(bands, fraction, SEPTEMBER_2025)
                if r[column] == "-":
                    assert got is None
                else:
                    printed += 1
                    assert got == pytest.approx(float(r[column]))
    assert printed > 40


def test_the_provider_sheet_is_the_full_csv_added_over_commissioners() -> None:
    with FULL.open(newline="") as fh:
        full = list(csv.reader(fh))[1:]
    expected: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * 105)
    for r in full:
        if r[9] == "Part_1B":
            key = (r[3], r[11])
            expected[key] = [a + int(b) for a, b in zip(expected[key], r[13:118], strict=True)]
    got = {
        (str(r["Provider Code"]), str(r["Treatment Function Code"])): [int(r[b]) for b in BANDS]
        for r in _rows("Provider")
    }
    assert {k: v for k, v in got.items() if any(v)} == dict(expected)


def test_both_provider_sheets_are_read_as_one_publication(tmp_path: Path) -> None:
    skipped: list[str] = []
    (ex,) = read_extracts(BOOK, skipped=skipped)
    assert ex.file == f"{BOOK.name} [Provider, IS Provider]"
    assert skipped == [f"{BOOK.name}, sheet Notes: no known layout, skipped"]
    assert (ex.format, ex.scope) == ("rtt_completed_sheet", "nonadmitted")
    assert sorted(set(ex.orgs["org_code"])) == ["ZA1", "ZB2", "ZC3", "ZD4", "ZN1", "ZN2"]
    assert ex.breakdowns is not None
    ortho = ex.breakdowns.filter((pl.col("org_code") == "ZN1") & (pl.col("breakdown") == "110"))
    known = dict(ortho.select("measure", "value").iter_rows())
    row = next(
        r
        for r in _rows("IS Provider")
        if (r["Provider Code"], r["Treatment Function Code"]) == ("ZN1", "C_110")
    )
    assert (
        known["rtt_nonadmitted_known"]
        == row["Total number of completed pathways (with a known clock start)"]
    )
    db = tmp_path / "rtt.duckdb"
    result = runner.invoke(app, ["ingest", str(BOOK), "--db", str(db)])
    assert result.exit_code == 0, result.output
    args = ["values", "--db", str(db), "--period", "2025-08"]
    out = runner.invoke(app, [*args, "--indicator", "rtt_nonadmitted_52wk_count"])
    assert out.exit_code == 0, out.output
    values = {r["org_code"]: int(r["value"]) for r in csv.DictReader(io.StringIO(out.stdout))}
    totals = {
        str(r["Provider Code"]): int(r["Total 52 plus weeks"])
        for name in ("Provider", "IS Provider")
        for r in _rows(name)
        if r["Treatment Function Code"] == "C_999"
    }
    assert {k: values[k] for k in totals} == totals
    assert values["ENG"] == sum(totals.values())  # NHS trusts and independent providers
    with Store.open(db, read_only=True) as store:
        parts = store.con.execute(
            "SELECT count(DISTINCT org_code), count(DISTINCT breakdown) FROM current_breakdowns"
        ).fetchone()
    assert parts == (6, 23)  # every published specialty row, those of zeros too
