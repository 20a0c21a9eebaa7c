"""Provenance: every value in a built scorecard traces back to its source files (with their
SHA-256), the rows used, the definition and the standard in force; each build writes a
manifest of its inputs, software and command.

Expected rows are read here from the sample files themselves (the line of each Org Code),
never written down.
"""

from __future__ import annotations

import calendar
import csv
import hashlib
import io
import json
from pathlib import Path

import polars as pl
import pytest
from stores import Ingested
from typer.testing import CliRunner

from scorecard import api
from scorecard.cli import app
from scorecard.periods import Month

ROOT = Path(__file__).resolve().parents[1]
AE = sorted((ROOT / "data" / "ae").glob("*.csv"))
SEPTEMBER = ROOT / "data" / "ae" / "Monthly-AE-September-2025.csv"
MAPPING = ROOT / "data" / "orgs" / "System-Mapping.csv"
runner = CliRunner()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _lines(path: Path) -> dict[str, int]:
    """Each Org Code's line number in a published A&E file (the header is line 1)."""
    rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8")))
    return {r[1]: n for n, r in enumerate(rows, start=1) if n > 1 and r[0].upper() != "TOTAL"}


def _mapping() -> dict[str, str]:
    """Provider -> ICB, as the sample lookup states it."""
    rows = csv.DictReader(io.StringIO(MAPPING.read_text(encoding="utf-8")))
    return {r["Code"]: r["ICB Code"] for r in rows}


@pytest.fixture(scope="module")
def built(ingested: Ingested, tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("provenance")
    db = ingested(*AE, MAPPING)
    for args in (
        ["build", "--db", str(db), "--org", "ENG", "--out", str(base / "out")],
        ["build", "--db", str(db), "--org", "ZI1", "--out", str(base / "out")],
        ["build", "--db", str(db), "--org", "ZA1", "--out", str(base / "out")],
        ["build", "--db", str(db), "--out", str(base / "out")],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return base / "out"


def _row(out: Path, org: str, indicator: str, window: str) -> dict[str, str]:
    text = (out / f"scorecard-{org}-2025-09.csv").read_text(encoding="utf-8")
    return next(
        r
        for r in csv.DictReader(io.StringIO(text))
        if r["indicator_id"] == indicator and r["window"] == window
    )


def _ranges(numbers: list[int]) -> str:
    """Independent of the code under test: consecutive runs joined by '-'."""
    numbers = sorted(numbers)
    runs: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        runs.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ",".join(runs)


def test_an_organisations_value_traces_to_its_own_row(built: Path) -> None:
    row = _row(built, "ZA1", "ae_4hr_all_pct", "month")
    assert row["source_files"] == SEPTEMBER.name
    assert row["source_sha256"] == _sha(SEPTEMBER)
    assert row["source_rows"] == f"{SEPTEMBER.name}:{_lines(SEPTEMBER)['ZA1']}"


def test_england_traces_to_every_provider_row_and_an_icb_to_its_own(built: Path) -> None:
    lines = _lines(SEPTEMBER)
    england = _row(built, "ENG", "ae_4hr_all_pct", "month")
    assert england["source_rows"] == f"{SEPTEMBER.name}:{_ranges(list(lines.values()))}"
    mine = [n for code, n in lines.items() if _mapping().get(code) == "ZI1"]
    icb = _row(built, "ZI1", "ae_4hr_all_pct", "month")
    assert mine and icb["source_rows"] == f"{SEPTEMBER.name}:{_ranges(mine)}"


def test_a_year_to_date_value_lists_each_months_file_in_order(built: Path) -> None:
    ytd = _row(built, "ZA1", "ae_4hr_all_pct", "ytd")
    # The sample names its files by month: Monthly-AE-April-2025.csv ... September.
    files = [AE[0].parent / f"Monthly-AE-{calendar.month_name[m]}-2025.csv" for m in range(4, 10)]
    assert ytd["source_files"].split("; ") == [p.name for p in files]
    assert ytd["source_sha256"].split("; ") == [_sha(p) for p in files]


def test_definition_and_standard_version_are_named(built: Path) -> None:
    row = _row(built, "ZA1", "ae_4hr_all_pct", "month")
    catalogue = api.catalogue(None)
    standard = catalogue.standard_for("ae_4hr_all_pct", Month(2025, 9))
    assert standard is not None
    assert row["definition"] == "indicators/ae.toml#ae_4hr_all_pct"
    assert row["definition_sha256"] == _sha(ROOT / "indicators" / "ae.toml")
    assert row["standard_version"] == f"thresholds.toml#ae_4hr_all_pct from {standard.start.iso()}"
    assert row["thresholds_sha256"] == _sha(ROOT / "thresholds.toml")


def test_parquet_carries_the_same_provenance(built: Path) -> None:
    columns = ["source_files", "source_sha256", "source_rows", "definition", "standard_version"]
    for org in ("ENG", "ZA1"):
        table = pl.read_parquet(built / f"scorecard-{org}-2025-09.parquet").select(columns)
        text = pl.read_csv(built / f"scorecard-{org}-2025-09.csv", infer_schema=False)
        assert table.equals(text.select(columns))
        assert table["source_files"].null_count() < table.height


def test_the_page_has_a_compact_provenance_footnote(built: Path) -> None:
    html = (built / "scorecard-ZA1-2025-09.html").read_text(encoding="utf-8")
    assert "Provenance:" in html
    assert f"{SEPTEMBER.name} [{_sha(SEPTEMBER)[:8]}]" in html
    assert f"thresholds.toml [{_sha(ROOT / 'thresholds.toml')[:8]}]" in html


def test_the_manifest_records_inputs_software_command_and_outputs(built: Path) -> None:
    manifest = json.loads((built / "scorecard-ZA1-2025-09.manifest.json").read_text())
    assert manifest["command"].startswith("scorecard build --org ZA1 --db ")
    assert manifest["as_of"] is None and manifest["period"] == "2025-09"
    inputs = {i["file"]: i["sha256"] for i in manifest["inputs"]}
    assert inputs == {p.name: _sha(p) for p in AE}
    assert manifest["references"] == [{"file": MAPPING.name, "sha256": _sha(MAPPING)}]
    assert {c["file"] for c in manifest["config"]} >= {"thresholds.toml", "indicators/ae.toml"}
    assert manifest["software"]["duckdb"] and manifest["software"]["polars"]
    for out in manifest["outputs"]:
        assert _sha(built / out["file"]) == out["sha256"]
    board = json.loads((built / "trust-board-ZA1-2025-09.manifest.json").read_text())
    spec = ROOT / "scorecards" / "trust-board.toml"
    assert board["definition"] == {"file": "scorecards/trust-board.toml", "sha256": _sha(spec)}
