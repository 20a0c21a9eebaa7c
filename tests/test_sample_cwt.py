"""The bundled synthetic cancer waiting times sample (data/cwt/) and its generator."""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.sources import read_extract
from scorecard.sources.workbook import cell_text, sheet_csv
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "cwt"
REAL = ROOT.parent / "shared" / "data" / "real" / "cwt" / "csv"
SHEETS = ("28-DAY-FDS-ALL-ROUTES", "31-DAY-ALL-CANCER", "62-DAY-ALL-CANCER")
PARTS = (
    "28-DAY-FDS-BY-ROUTE", "31-DAY-BY-CANCER", "31-DAY-BY-TREATMENT-MODALITY", "62-DAY-BY-CANCER",
    "62-DAY-BY-TREATMENT-MODALITY", "USC-referral-to-FOA", "UBS-referral-to-FHA",
)  # fmt: skip
# The workbook sheet each part file is saved from (no CSV conversion of most is in shared).
BOOK = REAL.parent / "CWT-Commissioner-2024-07.xlsx"
SHEET_NAMES = {
    "28-DAY-FDS-BY-ROUTE": "28-DAY FDS (BY ROUTE)", "31-DAY-BY-CANCER": "31-DAY (BY CANCER)",
    "31-DAY-BY-TREATMENT-MODALITY": "31-DAY (BY TREATMENT MODALITY)",
    "62-DAY-BY-CANCER": "62-DAY (BY CANCER)",
    "62-DAY-BY-TREATMENT-MODALITY": "62-DAY (BY TREATMENT MODALITY)",
    "USC-referral-to-FOA": "USC referral to FOA", "UBS-referral-to-FHA": "UBS referral to FHA",
}  # fmt: skip
NATIONAL = "ALL ENGLISH COMMISSIONERS"
runner = CliRunner()


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_cwt", ROOT / "data" / "generate_cwt.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_regenerates_byte_identical(tmp_path: Path) -> None:
    assert _load().main(["--out", str(tmp_path)]) == 0
    committed = sorted(p.name for p in SAMPLE.glob("*.csv"))
    assert len(committed) == 16 * len(SHEETS + PARTS)  # April 2024 to July 2025
    assert _load().FILES == SHEETS + PARTS
    assert committed == sorted(p.name for p in tmp_path.glob("*.csv"))
    for name in committed:
        assert (SAMPLE / name).read_bytes() == (tmp_path / name).read_bytes(), name


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
def test_headers_are_the_published_ones() -> None:
    for sheet in SHEETS:
        real = (REAL / f"CWT-Commissioner-2024-07_{sheet}.csv").read_bytes().split(b"\n")[0]
        for path in SAMPLE.glob(f"*_{sheet}.csv"):
            assert path.read_bytes().split(b"\n")[0] == real, path.name


@pytest.fixture(scope="module")
def every_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Every sample file ingested in one command: the store and what the command printed."""
    db = tmp_path_factory.mktemp("cwt") / "sample.duckdb"
    result = runner.invoke(
        app, ["ingest", *map(str, sorted(SAMPLE.glob("*.csv"))), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    return db, result.output


@pytest.mark.slow(seconds=20)
def test_every_file_ingests_and_halves_are_kept(every_file: tuple[Path, str]) -> None:
    _, output = every_file
    assert output.count("values stored") == 16 * len(SHEETS + PARTS)
    halves = [
        (path, row)
        for path in sorted(SAMPLE.glob("*-DAY-ALL-CANCER.csv"))
        for row in _rows(path)[1:]
        if row[0] and row[4].endswith(".5")
    ]
    assert halves, "the sample should have some half counts"
    path, row = halves[0]
    stored = read_extract(path).observations
    assert float(row[4]) in stored.filter(stored["org_code"] == row[0])["value"].to_list()


def test_england_62_days_equals_the_hand_sum_of_the_rows(tmp_path: Path) -> None:
    path = SAMPLE / "CWT-Commissioner-2025-03_62-DAY-ALL-CANCER.csv"
    rows = [r for r in _rows(path)[1:] if r[2] == "ALL ROUTES"]
    total = sum(float(r[4]) for r in rows if r[0])
    within = sum(float(r[5]) for r in rows if r[0])
    national = next(r for r in rows if r[1] == NATIONAL)
    assert (float(national[4]), float(national[5])) == (total, within)
    db = tmp_path / "one.duckdb"
    assert runner.invoke(app, ["ingest", str(path), "--db", str(db)]).exit_code == 0
    args = ["values", "--db", str(db), "--org", "ENG", "--indicator", "cwt_62d_combined_pct"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert (float(row["numerator"]), float(row["denominator"])) == (within, total)
    assert row["period"] == "2025-03"
    assert 62 <= float(row["value"]) <= 75


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
def test_part_headers_are_the_published_ones() -> None:
    """Each part file's header is its workbook sheet's header row as saved to CSV."""
    book = CalamineWorkbook.from_path(str(BOOK))
    for part, name in SHEET_NAMES.items():
        rows = [[cell_text(c) for c in r] for r in book.get_sheet_by_name(name).to_python()]
        at = next(i for i, r in enumerate(rows) if any(c.startswith("ODS CODE") for c in r))
        published = sheet_csv(rows, at)[0].split("\n")[0].encode("utf-8")
        for path in SAMPLE.glob(f"*_{part}.csv"):
            assert path.read_bytes().split(b"\n")[0] == published, path.name


def test_parts_add_up_to_the_whole_for_every_commissioner_and_month(
    every_file: tuple[Path, str],
) -> None:
    db, _ = every_file  # every month, every sheet
    sql = (
        "WITH parts AS (SELECT period, org_code, measure, dimension, sum(value) AS v "
        "FROM current_breakdowns GROUP BY ALL) "
        "SELECT p.dimension, count(*), count(*) FILTER (WHERE p.v <> o.value) FROM parts p "
        "JOIN current_observations o USING (period, org_code, measure) GROUP BY 1 ORDER BY 1"
    )
    with Store.open(db, read_only=True) as store:
        got = store.con.execute(sql).fetchall()
    assert [d for d, _, _ in got] == ["cancer_type", "modality", "route"]
    assert all(n >= 60 and bad == 0 for _, n, bad in got), got
    args = ["values", "--db", str(db), "--org", "ENG", "--period", "2024-12"]
    rows = {
        r["indicator_id"]: r for r in csv.DictReader(io.StringIO(runner.invoke(app, args).stdout))
    }
    for indicator in (
        "cwt_31d_sub_pct",
        "cwt_usc_foa_14d_pct",
        "cwt_ubs_fha_14d_pct",
        "cwt_62d_upgrade_pct",
        "cwt_62d_breast_symptomatic_pct",
    ):
        assert 55 <= float(rows[indicator]["value"]) <= 99, indicator
    drill = ["--indicator", "cwt_62d_combined_pct", "--breakdown", "cancer_type"]
    parts = list(csv.DictReader(io.StringIO(runner.invoke(app, [*args, *drill]).stdout)))
    assert len(parts) == 13 and {p["dimension"] for p in parts} == {"cancer_type"}
    whole = rows["cwt_62d_combined_pct"]
    assert sum(float(p["denominator"]) for p in parts) == float(whole["denominator"])
