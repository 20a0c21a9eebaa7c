"""RTT drill-downs and centiles end to end on the bundled synthetic sample, and the catalogue
side: indicators declaring their dimensions (breakdowns = [...]), the weeks unit.

The sample's August 2025 Full CSV is ingested; the store's parts (current_breakdowns) are
checked against the whole (current_observations) and against the file read here with the
csv module, not the adapter.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.definitions import load_catalogue
from scorecard.dimensions import treatment_functions
from scorecard.errors import DefinitionError
from scorecard.formatting import format_threshold, format_value
from scorecard.model import Direction, OverTime, Rollup, Unit
from scorecard.rtt_percentiles import MEDIAN, P92, weeks_at
from scorecard.sources.rtt_parts import part_key
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[1]
FULL = ROOT / "data" / "rtt" / "20250831-RTT-August-2025-full-extract.csv"
B0 = 13  # the first band's column
ADDITIVE = [
    "rtt_incomplete_total",
    "rtt_incomplete_within_18wk",
    "rtt_incomplete_over_52wk",
    "rtt_incomplete_over_65wk",
    "rtt_incomplete_over_78wk",
    "rtt_incomplete_over_104wk",
    "rtt_admitted_known",
    "rtt_admitted_within_18wk",
    "rtt_admitted_over_52wk",
    "rtt_nonadmitted_known",
    "rtt_nonadmitted_within_18wk",
    "rtt_nonadmitted_over_52wk",
]
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("drill") / "rtt.duckdb"
    result = runner.invoke(app, ["ingest", str(FULL), "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output  # the sample's specialty rows add up
    return path


def _query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with Store.open(db, read_only=True) as store:
        return store.con.execute(sql).fetchall()


def test_every_part_adds_up_to_its_whole(db: Path) -> None:
    parts = _query(
        db,
        "SELECT org_code, measure, sum(value), count(*) FROM current_breakdowns "
        "WHERE dimension = 'treatment_function' GROUP BY ALL",
    )
    observations = "SELECT org_code, measure, value FROM current_observations"
    wholes = {(org, m): v for org, m, v in _query(db, observations)}
    summed = {(org, m): v for org, m, v, _ in parts if m in ADDITIVE}
    assert summed == {k: v for k, v in wholes.items() if k[1] in ADDITIVE}
    assert len(summed) == 4 * len(ADDITIVE)
    assert {n for *_, n in parts} == {6, 2}  # ZA1-ZC3 six specialties, ZD4 (eye) two


def _part_2_bands() -> dict[tuple[str, str], list[int]]:
    """(provider, treatment function) -> its Part_2 bands added over commissioners."""
    out: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * 105)
    with FULL.open(newline="") as fh:
        for r in list(csv.reader(fh))[1:]:
            if r[9] == "Part_2":
                key = (r[3], r[11])
                out[key] = [
                    a + int(b or 0) for a, b in zip(out[key], r[B0 : B0 + 105], strict=True)
                ]
    return out


def test_centiles_of_the_whole_and_of_each_part(db: Path) -> None:
    bands = _part_2_bands()
    stored = {
        (org, key, m): v
        for org, key, m, v in _query(
            db,
            "SELECT org_code, breakdown, measure, value FROM current_breakdowns "
            "WHERE measure IN ('rtt_incomplete_median_wk', 'rtt_incomplete_p92_wk')",
        )
    }
    stored |= {
        (org, "999", m): v
        for org, m, v in _query(
            db,
            "SELECT org_code, measure, value FROM current_observations "
            "WHERE measure IN ('rtt_incomplete_median_wk', 'rtt_incomplete_p92_wk')",
        )
    }
    expected = {}
    for (org, tfc), counts in bands.items():
        key = tfc.removeprefix("C_")
        expected[(org, key, "rtt_incomplete_median_wk")] = weeks_at(counts, MEDIAN)
        expected[(org, key, "rtt_incomplete_p92_wk")] = weeks_at(counts, P92)
    assert stored == pytest.approx(expected)
    za1 = stored[("ZA1", "110", "rtt_incomplete_median_wk")]
    assert 5 < za1 < 30  # trauma and orthopaedics waits longer than the trust as a whole
    assert za1 > stored[("ZA1", "999", "rtt_incomplete_median_wk")]


def test_centiles_are_shown_for_organisations_only(db: Path) -> None:
    args = ["values", "--db", str(db), "--period", "2025-08"]
    out = runner.invoke(app, [*args, "--indicator", "rtt_incomplete_median_wk"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert {r["org_code"] for r in rows} == {"ZA1", "ZB2", "ZC3", "ZD4"}  # no England roll-up
    assert {r["rating"] for r in rows} == {"Not rated"}


def test_the_catalogue_declares_the_drill_downs() -> None:
    cat = load_catalogue(ROOT)
    rtt = [i for i in cat.indicators.values() if i.family == "rtt"]
    assert {i.breakdowns for i in rtt} == {("treatment_function",)}
    assert {i.breakdowns for i in cat.indicators.values() if i.family == "ae"} == {()}
    for name in ("rtt_incomplete_median_wk", "rtt_incomplete_p92_wk"):
        ind = cat.indicator(name)
        assert (ind.unit, ind.direction) == (Unit.WEEKS, Direction.LOWER)
        assert (ind.rollup, ind.over_time) == (Rollup.PUBLISHED, OverTime.NONE)
        assert cat.standards.get(name, ()) == ()
    for name in ("rtt_admitted_52wk_count", "rtt_nonadmitted_52wk_count"):
        assert cat.indicator(name).over_time is OverTime.SUM


def test_indicators_lists_standard_and_breakdowns() -> None:
    result = runner.invoke(app, ["indicators"])
    assert result.exit_code == 0
    rows = {r["indicator_id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    for name in ("rtt_incomplete_median_wk", "rtt_incomplete_p92_wk"):
        row = rows[name]
        assert (row["unit"], row["direction"]) == ("weeks", "lower is better")
        assert (row["latest_standard"], row["breakdowns"]) == (
            "none: monitored, not rated",
            "treatment_function",
        )
    for name in ("rtt_admitted_52wk_count", "rtt_nonadmitted_52wk_count", "rtt_52wk_count"):
        assert (rows[name]["unit"], rows[name]["breakdowns"]) == ("count", "treatment_function")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ('["specialty"]', "unknown dimension 'specialty'; expected one of treatment_function,"),
        ('"treatment_function"', "expected a list of dimension names"),
        ('["treatment_function", "treatment_function"]', "a dimension is named twice"),
    ],
)
def test_a_bad_breakdowns_key_fails_by_name(tmp_path: Path, value: str, problem: str) -> None:
    shutil.copytree(ROOT / "indicators", tmp_path / "indicators")
    shutil.copy(ROOT / "thresholds.toml", tmp_path / "thresholds.toml")
    path = tmp_path / "indicators" / "rtt.toml"
    text = path.read_text()
    old = 'numerator = "rtt_incomplete_total"\nbreakdowns = ["treatment_function"]'
    assert old in text
    path.write_text(text.replace(old, f'numerator = "rtt_incomplete_total"\nbreakdowns = {value}'))
    with pytest.raises(DefinitionError) as info:
        load_catalogue(tmp_path)
    assert info.value.key == "indicators.rtt_waiting_list.breakdowns"
    assert problem in info.value.problem


def test_weeks_are_shown_to_one_decimal() -> None:
    assert format_value(13.05665, Unit.WEEKS) == "13.1 weeks"
    assert format_value(104.0, Unit.WEEKS) == "104.0 weeks"
    assert format_threshold(18, Unit.WEEKS, Direction.LOWER) == "≤ 18.0 weeks"


# Codes made of prefixes, digits and spacing, in any order and case.
PIECES = ["C_", "IP", "AP", "NP", "c_", "ip", "C", "_", "I", "1", "10", "999", "X", " ", "\t", "\n"]
CODES = st.lists(st.sampled_from(PIECES), max_size=4).map("".join)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(CODES, max_size=20))
def test_the_layouts_part_key_is_the_dimensions_key(codes: list[str]) -> None:
    """rtt_parts.part_key (a polars expression over the file's column) gives each code the
    key treatment_functions.key gives it: the first prefix taken off, when something follows."""
    got = pl.DataFrame({"tfc": codes}, schema={"tfc": pl.String}).select(part_key())
    assert got["tfc"].to_list() == [treatment_functions.key(c) for c in codes]
