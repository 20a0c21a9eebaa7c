"""The bundled synthetic RTT overview time series (data/rtt/RTT-Overview-Timeseries-*.xlsx)
and its generator (data/generate_rtt_overview.py).

The expected layout is written out here, not taken from the generator: NHS England's
`Full Time Series` sheet as published (the real October 2022 workbook, when present, is
held to the same rows).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import polars as pl
import pytest
from python_calamine import CalamineWorkbook

from scorecard.measures import NON_ADDITIVE
from scorecard.model import ENGLAND
from scorecard.sources import read_extract, read_extracts

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "rtt" / "RTT-Overview-Timeseries-August25.xlsx"
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "rtt"
REAL_BOOK = REAL / "RTT-Overview-Timeseries-October22.xlsx"
GROUPS = {
    1: "Year",
    2: "Month",
    3: "Incomplete RTT pathways",
    19: "Admitted (unadjusted) RTT pathways",
    25: "Non-Admitted RTT pathways",
    31: "New RTT periods",
    34: "Admitted (adjusted) RTT pathways",
}
EST = " with estimates for missing data"
DONE = ["Median wait (weeks)", "95th percentile (weeks)", "No. within 18 weeks",
        "No. > 52 weeks", "No. of pathways (all)"]  # fmt: skip
COLUMNS = [
    "", "", "",
    "Median wait (weeks)", "92nd percentile (weeks)", "No. within 18 weeks",
    f"No. within 18 weeks{EST}", "% within 18 weeks", "No. > 18 weeks", f"No. > 18 weeks{EST}",
    "No. > 52 weeks", f"No. > 52 weeks{EST}", "% > 52 weeks", "No. > 78 weeks",
    f"No. > 78 weeks{EST}", "No. > 104 weeks", f"No. > 104 weeks{EST}", "Total waiting (mil)",
    f"Total waiting (mil){EST}",
    *DONE, f"No. of pathways (all){EST}",
    *DONE, f"No. of pathways (all){EST}",
    "No. of new RTT periods", f"No. of new RTT periods{EST}", "",
    *DONE,
]  # fmt: skip


def _rows(book: Path) -> list[list[Any]]:
    sheet = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("Full Time Series")
    return sheet.to_python(skip_empty_area=False)


def _load() -> ModuleType:
    path = ROOT / "data" / "generate_rtt_overview.py"
    spec = importlib.util.spec_from_file_location("generate_rtt_overview", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_regenerates_byte_identical(tmp_path: Path) -> None:
    (written,) = _load().generate(tmp_path)
    assert written.name == SAMPLE.name
    assert written.read_bytes() == SAMPLE.read_bytes()


@pytest.mark.parametrize(
    "book",
    [SAMPLE, pytest.param(REAL_BOOK, marks=pytest.mark.skipif(not REAL.is_dir(), reason="no"))],
    ids=["sample", "real"],
)
def test_the_published_layout(book: Path) -> None:
    assert CalamineWorkbook.from_path(str(book)).sheet_names == ["Full Time Series"]
    rows = _rows(book)
    labels = [str(r[1]) for r in rows[1:7]]
    assert labels == ["Title:", "", "Period:", "Source:", "Basis:", "Contact:"]
    assert (rows[1][2], rows[5][2]) == ("Referral to Treatment (RTT) Waiting Times, England",
                                        "Commissioner")  # fmt: skip
    assert str(rows[7][1]).startswith("Missing Data for ")
    assert {i: c for i, c in enumerate(rows[9]) if c} == GROUPS
    assert rows[10][:39] == COLUMNS
    april = next(r for r in rows[11:] if r[1])  # the financial year on April rows only
    assert (str(april[1])[4], april[2].month) == ("/", 4)
    assert any(str(r[1]) == "Notes:" for r in rows)


def test_the_sample_reads_as_england_since_april_2019() -> None:
    (extract,) = read_extracts(SAMPLE)
    days = extract.observations["period"].unique().sort()
    assert (days[0].isoformat(), days[-1].isoformat(), len(days)) == (
        "2019-04-01",
        "2025-08-01",
        77,
    )
    assert extract.orgs["org_code"].unique().to_list() == [ENGLAND]
    over104 = extract.observations.filter(pl.col("measure") == "rtt_incomplete_over_104wk")
    assert str(over104["period"].min()) == "2021-04-01"


def test_from_april_2024_england_is_the_providers_sum() -> None:
    """The overview and the monthly Full CSV files agree on every month they share."""
    (overview,) = read_extracts(SAMPLE)
    monthly = pl.concat(
        read_extract(p).observations for p in sorted(SAMPLE.parent.glob("*full-extract.csv"))
    )
    additive = ~pl.col("measure").is_in(list(NON_ADDITIVE))  # a median is not a sum
    sums = monthly.filter(additive).group_by("period", "measure").agg(pl.col("value").sum())
    shared = overview.observations.join(sums, on=["period", "measure"], suffix="_sum")
    assert shared.height == 17 * 5  # total, within 18 weeks, over 52, 78 and 104 weeks
    assert (shared["value"] == shared["value_sum"]).all()


def test_as_submitted_not_with_estimates() -> None:
    rows = {r[2].strftime("%Y-%m"): r for r in _rows(SAMPLE)[11:] if r[2]}
    october = rows["2019-10"]
    assert october[18] > october[17]  # with estimates: a trust did not submit
    (extract,) = read_extracts(SAMPLE)
    total = extract.observations.filter(
        (pl.col("measure") == "rtt_incomplete_total") & (pl.col("period").dt.month() == 10)
        & (pl.col("period").dt.year() == 2019)
    )["value"].item()  # fmt: skip
    assert total == october[17]
