"""The CLI as a user drives it: typer's CliRunner over the bundled sample and bad input."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from stores import Ingested
from typer.testing import CliRunner

from scorecard.api import VALUES_HEADER
from scorecard.cli import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = sorted((ROOT / "data" / "ae").glob("*.csv"))
runner = CliRunner()


@pytest.fixture
def db(ingested: Ingested, tmp_path: Path) -> Path:
    """The A&E sample ingested (once per process), the test's own copy."""
    return ingested(*SAMPLE, into=tmp_path / "store.duckdb")


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_ingest_reports_each_file(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    result = runner.invoke(app, ["ingest", str(SAMPLE[0]), "--db", str(db)])
    assert result.exit_code == 0
    assert SAMPLE[0].name in result.output and "stored" in result.output
    again = runner.invoke(app, ["ingest", str(SAMPLE[0]), "--db", str(db)])
    assert again.exit_code == 0 and "unchanged" in again.output


def test_values_columns_and_england(db: Path) -> None:
    result = runner.invoke(
        app, ["values", "--db", str(db), "--org", "ENG", "--indicator", "ae_4hr_all_pct"]
    )
    assert result.exit_code == 0, result.output
    rows = _csv(result.stdout)
    assert tuple(rows[0]) == VALUES_HEADER
    assert len(rows) == len(SAMPLE)
    for r in rows:
        num, den, value = float(r["numerator"]), float(r["denominator"]), float(r["value"])
        assert value == pytest.approx(100 * num / den)
        assert r["rating"] in {"Green", "Amber", "Red"}


def test_values_for_one_period_lists_every_org(db: Path) -> None:
    result = runner.invoke(app, ["values", "--db", str(db), "--period", "2025-09"])
    rows = _csv(result.stdout)
    assert {r["period"] for r in rows} == {"2025-09"}
    assert "ENG" in {r["org_code"] for r in rows}
    assert len({r["org_code"] for r in rows}) > 3


def test_build_writes_html_and_csv_byte_identically(db: Path, tmp_path: Path) -> None:
    """The same command twice gives the same bytes, the manifest included."""
    out = tmp_path / "out"
    builds = []
    for _ in range(2):
        result = runner.invoke(
            app,
            ["build", "--db", str(db), "--period", "2025-09", "--org", "ENG", "--out", str(out)],
        )
        assert result.exit_code == 0, result.output
        builds.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    kinds = (".csv", ".fragment.html", ".html", ".manifest.json", ".parquet", ".xlsx")
    assert list(builds[0]) == [f"scorecard-ENG-2025-09{kind}" for kind in kinds]
    assert builds[0] == builds[1]
    html = (out / "scorecard-ENG-2025-09.html").read_text()
    assert "England" in html and "Sep 2025" in html


def test_indicators_lists_catalogue() -> None:
    result = runner.invoke(app, ["indicators"])
    assert result.exit_code == 0
    ids = {r["indicator_id"] for r in _csv(result.stdout)}
    assert {"ae_4hr_all_pct", "ae_4hr_type1_pct", "ae_12hr_dta_count"} <= ids


def test_explain_shows_numbers_standard_and_rule(db: Path) -> None:
    result = runner.invoke(
        app, ["explain", "ae_4hr_all_pct", "--org", "ENG", "--period", "2025-09", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Standard in force for Sep 2025: 95.0%" in out
    assert "Lower threshold: 78.0%" in out
    assert "numerator = ae_att_type1" in out
    assert "compared unrounded" in out


def test_explain_a_mean_at_region_level(tmp_path: Path) -> None:
    """A mean is total / count (no x 100); a region adds up its trusts' totals and counts."""
    files = sorted((ROOT / "data" / "ambsys").glob("*.csv"))
    db = tmp_path / "amb.duckdb"
    assert runner.invoke(app, ["ingest", *map(str, files), "--db", str(db)]).exit_code == 0
    args = ["explain", "amb_c2_mean", "--org", "Y62", "--period", "2025-09", "--db", str(db)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    with files[0].open(encoding="utf-8", newline="") as f:
        rows = [
            r
            for r in csv.DictReader(f)
            if (r["Year"], r["Month"], r["Region"]) == ("2025", "9", "Y62")
        ]
    total, count = sum(int(r["A30"]) for r in rows), sum(int(r["A10"]) for r in rows)
    assert f"Month, Sep 2025: {total:,} / {count:,} = {total / count!r} ->" in result.output
    assert "100 x" not in result.output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["values", "--period", "2025-13"], "--period"),
        (["values", "--indicator", "nope"], "unknown indicator 'nope'"),
        (["build", "--org", "NOPE"], "no organisation 'NOPE'"),
        (["values", "--db", "missing.duckdb"], "no store here"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], needle: str, db: Path) -> None:
    if "--db" not in args:
        args = [*args, "--db", str(db)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert needle in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert "Traceback" not in result.output


def test_bad_file_is_rejected_and_store_unchanged(db: Path, tmp_path: Path) -> None:
    from scorecard.store import Store

    with Store.open(db, read_only=True) as s:
        before = s.snapshot()
    lines = SAMPLE[-1].read_text().splitlines(keepends=True)
    cells = lines[2].split(",")
    cells[4] = "-12"
    bad = tmp_path / "bad.csv"
    bad.write_text("".join([lines[0], lines[1], ",".join(cells), *lines[3:]]))
    result = runner.invoke(app, ["ingest", str(SAMPLE[0]), str(bad), "--db", str(db)])
    assert result.exit_code == 1
    msg = result.stderr.strip()
    assert "\n" not in msg
    assert "bad.csv" in msg and "A&E attendances Type 1" in msg and "row 3" in msg
    with Store.open(db, read_only=True) as s:
        assert s.snapshot() == before
