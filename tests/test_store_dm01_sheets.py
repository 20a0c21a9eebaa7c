"""Both sheets of one DM01 publication in one store: the Provider sheet gives the whole (it
lists every provider), the Provider by Test sheet the parts, whatever the order of ingest."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.store import Store

DATA = Path(__file__).resolve().parents[1] / "data" / "dm01"
PROVIDER = DATA / "DM01-Provider-2024-04.csv"
BY_TEST = DATA / "DM01-ProviderByTest-2024-04.csv"
PARTS_USED = (
    "not used: DM01-Provider-2024-04.csv ranks first (the DM01 Provider sheet, listing every "
    "provider, over the DM01 Provider by Test sheet); its figures by part are used"
)
runner = CliRunner()


def _ingest(db: Path, *files: Path) -> str:
    result = runner.invoke(app, ["ingest", *map(str, files), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.output


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    store = Store.open(db, read_only=True)
    try:
        return store.con.execute(sql).fetchall()
    finally:
        store.close()


def _in_use(db: Path) -> dict[tuple[str, str], str]:
    """(org, measure) -> the format whose figure a build uses."""
    rows = _rows(
        db,
        "SELECT o.org_code, o.measure, l.format FROM current_observations o "
        "JOIN loads l USING (load_id)",
    )
    return {(str(o), str(m)): str(f) for o, m, f in rows}


@pytest.mark.parametrize(
    "order", [(PROVIDER, BY_TEST), (BY_TEST, PROVIDER)], ids=["provider-first", "by-test-first"]
)
def test_one_command_either_order(tmp_path: Path, order: tuple[Path, Path]) -> None:
    db = tmp_path / "s.duckdb"
    said = _ingest(db, *order)
    assert "DM01-ProviderByTest-2024-04.csv" in said and PARTS_USED in said
    assert "used in place of DM01-ProviderByTest-2024-04.csv" in said
    assert set(_in_use(db).values()) == {"dm01_provider_csv"}
    parts = _rows(db, "SELECT count(*), count(DISTINCT org_code) FROM current_breakdowns")
    assert parts == [(6 * (15 + 15 + 14 + 3), 4)]


def test_provider_sheet_first_then_by_test_in_a_second_command(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    _ingest(db, PROVIDER)
    assert PARTS_USED in _ingest(db, BY_TEST)
    assert set(_in_use(db).values()) == {"dm01_provider_csv"}
    history = runner.invoke(app, ["history", "dm01_6wk_pct", "--org", "ZA1", "--db", str(db)])
    rows = list(csv.DictReader(io.StringIO(history.stdout)))
    assert [(r["format"], r["current"], r["used_instead"]) for r in rows] == [
        ("dm01_provider_csv", "yes", ""),
        ("dm01_provider_by_test_csv", "", "DM01-Provider-2024-04.csv"),
    ]
    assert rows[0]["value"] == rows[1]["value"]  # the two sheets agree


def test_by_test_sheet_alone_gives_the_whole_too(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    assert _ingest(db, BY_TEST).strip().endswith("24 values stored")
    assert set(_in_use(db).values()) == {"dm01_provider_by_test_csv"}
    again = tmp_path / "both.duckdb"
    _ingest(again, PROVIDER)
    whole = "SELECT org_code, measure, value FROM current_observations ORDER BY ALL"
    assert _rows(db, whole) == _rows(again, whole)


def test_parts_add_up_to_the_whole_in_the_store(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    _ingest(db, PROVIDER, BY_TEST)
    rows = _rows(
        db,
        "SELECT o.org_code, o.measure, o.value, sum(b.value) FROM current_observations o "
        "JOIN current_breakdowns b USING (period, org_code, measure) "
        "WHERE b.dimension = 'diagnostic_test' GROUP BY ALL",
    )
    assert len(rows) == 24 and all(whole == parts for _, _, whole, parts in rows)
    mri = _rows(
        db,
        "SELECT sum(value) FROM current_breakdowns WHERE breakdown = 'mri' "
        "AND measure = 'dm01_waiting_list'",
    )
    by_hand = sum(
        int(r["Total Waiting List"])
        for r in csv.DictReader(BY_TEST.open())
        if r["Diagnostic Test Name"] == "Magnetic Resonance Imaging"
    )
    assert mri == [(by_hand,)]


def test_sheets_that_disagree_are_both_kept_and_the_difference_said(tmp_path: Path) -> None:
    lines = BY_TEST.read_text().splitlines()
    edited = []
    for line in lines:
        cells = next(csv.reader([line]))
        if cells[2] == "ZD4" and cells[5] in ("Computed Tomography", "Total"):
            cells[24] = str(int(cells[24]) + 1)  # planned tests: one more, part and whole
        if cells[3] == "Total" and not cells[2]:
            cells[24] = str(int(cells[24]) + 1)
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(cells)
        edited.append(out.getvalue())
    other = tmp_path / BY_TEST.name
    other.write_text("\n".join(edited) + "\n")
    result = runner.invoke(app, ["ingest", str(PROVIDER), str(other), "--db", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output
    assert "1 figure differs" in result.stderr and "DM01-Provider-2024-04.csv" in result.stderr
    assert set(_in_use(tmp_path / "x").values()) == {"dm01_provider_csv"}


def test_a_provider_missing_from_next_months_by_test_sheet_is_not_warned(
    tmp_path: Path,
) -> None:
    """The sheet leaves out a provider with nothing to report; its England row is checked."""
    may = tmp_path / "DM01-ProviderByTest-2024-05.csv"
    rows = list(csv.reader((DATA / may.name).open()))
    kept = [r for r in rows if r[2] != "ZD4"]
    gone = next(r for r in rows if r[2] == "ZD4" and r[5] == "Total")
    kept[1] = kept[1][:6] + [
        x if i == 3 else str(int(x) - int(gone[6 + i])) for i, x in enumerate(kept[1][6:])
    ]
    with may.open("w", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(kept)
    result = runner.invoke(app, ["ingest", str(BY_TEST), str(may), "--db", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert "no rows here" not in result.output


def test_an_unknown_test_is_refused_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / BY_TEST.name
    bad.write_text(BY_TEST.read_text().replace("Barium Enema", "Holter Monitoring", 1))
    result = runner.invoke(app, ["ingest", str(bad), "--db", str(tmp_path / "d")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    first = result.stderr.splitlines()[0]
    assert first.startswith(
        "error: DM01-ProviderByTest-2024-04.csv, column 'Diagnostic Test Name', row 6: "
        "expected one of the 15 DM01 diagnostic tests"
    )
    assert first.endswith(", got 'Holter Monitoring'")


def test_the_bundled_sample_breaks_diagnostics_down_by_test() -> None:
    args = ["values", "--org", "ZD4", "--period", "2025-07", "--indicator", "dm01_waiting_list"]
    whole = runner.invoke(app, args)
    parts = runner.invoke(app, [*args, "--breakdown", "diagnostic_test"])
    assert whole.exit_code == 0 and parts.exit_code == 0, parts.output
    rows = list(csv.DictReader(io.StringIO(parts.stdout)))
    assert [r["breakdown"] for r in rows] == ["ct", "mri", "ultrasound"]  # the eye hospital's
    total = next(csv.DictReader(io.StringIO(whole.stdout)))["value"]
    assert sum(int(r["value"]) for r in rows) == int(total)


BOARD = """
title = "Diagnostics board"
audience = "Board"
org = "ZA1"
windows = ["month"]
[[domains]]
name = "Diagnostics"
rows = [
  { indicator = "dm01_6wk_pct" },
  { indicator = "dm01_6wk_pct", breakdown = "MRI" },
  { indicator = "dm01_13wk_count", drill = "diagnostic_test", drill_top = 3 },
]
"""


def test_a_board_monitors_one_test_and_lists_the_worst_tests(tmp_path: Path) -> None:
    path = tmp_path / "diagnostics.toml"
    path.write_text(BOARD, encoding="utf-8")
    args = ["build", "--scorecard", str(path), "--period", "2025-07", "--out", str(tmp_path)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    html = next(tmp_path.glob("*.html")).read_text()
    assert "Diagnostics: waiting 6 weeks or more: Magnetic Resonance Imaging" in html
    assert "Drill-downs" in html and "the 3 of 15 with the highest values" in html
