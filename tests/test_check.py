"""`scorecard check`: every problem in every file, as a table or JSON, nothing stored."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard.check import as_table, check_files, problem_records, render
from scorecard.cli import app
from scorecard.errors import Problem, SourceError, UsageError

ROOT = Path(__file__).resolve().parents[1]
AE = ROOT / "data" / "ae" / "Monthly-AE-April-2025.csv"
RTT = ROOT / "data" / "rtt" / "20250430-RTT-April-2025-full-extract.csv"
DM01 = ROOT / "data" / "dm01" / "DM01-Provider-2024-04.csv"
runner = CliRunner()


def _bad_ae(tmp_path: Path) -> Path:
    """The A&E sample with three bad cells in two rows."""
    lines = AE.read_text().splitlines()
    header = lines[0].split(",")
    for row, column, value in (
        (3, "A&E attendances Type 1", "-5"),
        (3, "Other emergency admissions", "n/a"),
        (6, "Attendances over 4hrs Type 2", "lots"),
    ):
        cells = lines[row - 1].split(",")
        cells[header.index(column)] = value
        lines[row - 1] = ",".join(cells)
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_problem_one_line_and_source_error_problems() -> None:
    problem = Problem("x.csv", 3, "Org Code", "ZZ", "expected an ODS code")
    assert problem.one_line() == "x.csv, column 'Org Code', row 3: expected an ODS code, got 'ZZ'"
    err = SourceError.of([problem, Problem("x.csv", 9, None, None, "duplicate row")])
    assert str(err) == f"{problem.one_line()} (and 1 more problem)"
    assert err.problems[1].row == 9 and err.more == 1
    single = SourceError("y.csv", "the file is empty", row=1)
    assert single.problems == (Problem("y.csv", 1, None, None, "the file is empty"),)


def test_rows_a_problem_stands_for_are_counted_everywhere() -> None:
    """A check that names the first of several rows breaking its rule (`more`) keeps them
    counted when its problem is gathered with others: in the message, in each problem's
    line and in the count of problems (`scorecard check`'s own: the next test)."""
    sums = SourceError("x.csv", "7 is not the sum of the bands (6)", column="Total", row=4, more=2)
    assert sums.problems[0].more == 2 and str(sums).endswith("(and 2 more problems)")
    other = Problem("x.csv", 9, "Code", "?", "expected an ODS code")
    err = SourceError.of([*sums.problems, other])
    assert err.more == 3 and str(err).endswith("(and 3 more problems)")
    assert err.lines() == [
        "x.csv, column 'Total', row 4: 7 is not the sum of the bands (6) (and 2 more rows)",
        "x.csv, column 'Code', row 9: expected an ODS code, got '?'",
        "4 problems in 1 file",
    ]


def test_check_counts_the_rows_a_problem_stands_for(tmp_path: Path) -> None:
    with RTT.open(newline="") as fh:
        rows = list(csv.reader(fh))
    total = rows[0].index("Total All")
    for n in (1, 2, 3):  # three rows whose bands no longer add up to Total All
        rows[n][total] = str(int(rows[n][total]) + 1)
    path = tmp_path / "rtt.csv"
    with path.open("w", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert f"failed: {path} (3 problems)" in result.output.splitlines()
    assert "(and 2 more rows)" in result.output
    records = json.loads(runner.invoke(app, ["check", "--format", "json", str(path)]).stdout)
    assert [(r["row"], r["more"]) for r in records] == [(2, 2)]


def test_every_problem_of_a_file_is_listed(tmp_path: Path) -> None:
    report = check_files([AE, _bad_ae(tmp_path)])
    assert not report.ok and report.files[0].ok
    assert [(p.row, p.column, p.value) for p in report.problems] == [
        (3, "A&E attendances Type 1", "-5"),
        (3, "Other emergency admissions", "n/a"),
        (6, "Attendances over 4hrs Type 2", "lots"),
    ]
    assert all(p.file == "bad.csv" for p in report.problems)


def test_table_output_and_exit_code(tmp_path: Path) -> None:
    bad = _bad_ae(tmp_path)
    result = runner.invoke(app, ["check", str(AE), str(bad)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].split() == ["file", "row", "column", "value", "rule"]
    assert lines[2].startswith("bad.csv") and "'" not in lines[2]
    assert "A&E attendances Type 1" in lines[2] and " -5 " in lines[2]
    assert f"ok: {AE} (ae_monthly_csv)" in lines
    assert f"failed: {bad} (3 problems)" in lines
    assert lines[-1] == "2 files checked: 1 passed, 1 with problems"


def test_json_output_is_a_list_of_problems(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "--format", "json", str(AE), str(_bad_ae(tmp_path))])
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    keys = ["file", "row", "column", "value", "rule", "more"]
    assert [sorted(r) for r in records] == [sorted(keys)] * 3
    assert records[0] == {
        "file": "bad.csv",
        "row": 3,
        "column": "A&E attendances Type 1",
        "value": "-5",
        "rule": "expected a non-negative whole number (or -, * or . when not published)",
        "more": 0,
    }
    assert f"ok: {AE} (ae_monthly_csv)" in result.stderr


def test_clean_files_exit_0_and_store_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", str(AE), str(DM01), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
    assert list(tmp_path.iterdir()) == []  # no store was created
    table = runner.invoke(app, ["check", str(AE)])
    assert table.exit_code == 0 and table.output.startswith(f"ok: {AE}")


def test_layout_insisted_on(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(RTT), "--layout", "ae_monthly_csv"])
    assert result.exit_code == 1
    assert "not the NHS England monthly A&E CSV: missing column 'Org Code'" in result.output
    assert "(this header looks like the RTT Full CSV data file)" in result.output
    good = runner.invoke(app, ["check", str(RTT), "--layout", "rtt_full_csv"])
    assert good.exit_code == 0, good.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--layout", "nope"], "error: --layout: unknown layout 'nope'; expected one of "),
        (["--format", "yaml"], "error: --format: expected one of table, json, got 'yaml'"),
        (["--period", "2025-13"], "error: --period: "),
    ],
)
def test_usage_errors_are_one_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["check", str(AE), *args])
    assert result.exit_code == 1
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_period_reaches_layouts_without_one(tmp_path: Path) -> None:
    path = tmp_path / "dm01.csv"
    path.write_bytes(DM01.read_bytes())
    assert "--period" in check_files([path]).problems[0].rule
    assert check_files([path], period_hint="2024-04").ok


def test_warnings_and_status_are_listed(tmp_path: Path) -> None:
    lines = AE.read_text().splitlines()
    cells = lines[2].split(",")
    cells[10] = "*"
    lines[2] = ",".join(cells)
    path = tmp_path / "Monthly-AE-April-2025-provisional.csv"
    path.write_text("\n".join(lines) + "\n")  # the TOTAL row checks the other columns
    report = check_files([path])
    assert report.ok and report.files[0].status == "provisional"
    text = as_table(report)
    assert f"ok: {path} (ae_monthly_csv, provisional)" in text
    assert f"warning: {path.name}: 1 cell suppressed or not published (*, -, .), stored as " in text


def test_unreadable_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    report = check_files([tmp_path / "missing.csv"])
    (record,) = problem_records(report)
    assert str(record["rule"]).startswith("cannot read the file")
    assert render(report, "json").startswith("[")
    with pytest.raises(UsageError):
        render(report, "xml")
