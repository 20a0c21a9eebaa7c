"""Bad published files: each is rejected with one line naming file, column, row and problem.

The inputs are made here from the project's own sample (data/ae), edited one cell at a time.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import xlsxwriter  # type: ignore[import-untyped]
from layouts import SHEET_HEADER, SHEET_ROW

from scorecard.errors import SourceError
from scorecard.sources import read_extract, read_extracts

SAMPLE = sorted((Path(__file__).resolve().parents[1] / "data" / "ae").glob("*.csv"))[0]
LINES = SAMPLE.read_text().splitlines()
HEADER = LINES[0].split(",")


def _write(tmp_path: Path, lines: list[str], name: str = "edited.csv", enc: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(enc))
    return path


def _set(row: int, column: str, value: str) -> list[str]:
    """The sample with one cell changed; `row` is the file line number (header = 1)."""
    lines = list(LINES)
    cells = lines[row - 1].split(",")
    cells[HEADER.index(column)] = value
    lines[row - 1] = ",".join(cells)
    return lines


def _error(path: Path, period: str | None = None) -> SourceError:
    with pytest.raises(SourceError) as info:
        read_extract(path, period)
    assert "\n" not in str(info.value)
    return info.value


def test_sample_parses() -> None:
    ex = read_extract(SAMPLE)
    assert ex.format == "ae_monthly_csv"
    assert ex.observations.height > 0


def test_missing_column(tmp_path: Path) -> None:
    drop = HEADER.index("Attendances over 4hrs Type 2")
    lines = [",".join(c for i, c in enumerate(line.split(",")) if i != drop) for line in LINES]
    err = _error(_write(tmp_path, lines))
    assert (err.file, err.column, err.row) == ("edited.csv", "Attendances over 4hrs Type 2", 1)
    assert "missing column" in err.problem


def test_negative_count(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, _set(4, "A&E attendances Type 1", "-12")))
    assert (err.column, err.row) == ("A&E attendances Type 1", 4)
    assert "non-negative whole number" in err.problem and "'-12'" in err.problem


def test_non_numeric_count(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, _set(3, "Other emergency admissions", "n/a")))
    assert (err.column, err.row) == ("Other emergency admissions", 3)
    assert "'n/a'" in err.problem


def test_unparseable_period(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, _set(5, "Period", "MSitAE-SMARCH-2025")))
    assert (err.column, err.row) == ("Period", 5)
    assert "MSitAE-APRIL-2025" in err.problem


def test_every_problem_is_counted(tmp_path: Path) -> None:
    lines = _set(3, "A&E attendances Type 1", "-1")
    cells = lines[5].split(",")
    cells[HEADER.index("A&E attendances Type 2")] = "x"
    lines[5] = ",".join(cells)
    err = _error(_write(tmp_path, lines))
    assert err.row == 3 and err.more == 1
    assert "(and 1 more problem)" in str(err)
    assert [(p.file, p.row, p.column, p.value) for p in err.problems] == [
        ("edited.csv", 3, "A&E attendances Type 1", "-1"),
        ("edited.csv", 6, "A&E attendances Type 2", "x"),
    ]
    assert err.problems[0].rule.startswith("expected a non-negative whole number")
    assert err.problems[0].one_line() == str(err).removesuffix(" (and 1 more problem)")


def test_workbook_problems_name_the_sheet_rows(tmp_path: Path) -> None:
    """Every problem of a sheet names the sheet's own row, below its title block."""
    path = tmp_path / "Monthly-AE-April-2025.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Data")
    sheet.write(0, 0, "Title: A&E")
    rows = _set(3, "A&E attendances Type 1", "-1")
    cells = rows[5].split(",")
    cells[HEADER.index("A&E attendances Type 2")] = "x"
    rows[5] = ",".join(cells)
    for r, line in enumerate(rows, start=2):  # the header on sheet row 3
        sheet.write_row(r, 0, line.split(","))
    book.close()
    with pytest.raises(SourceError) as info:
        read_extracts(path)
    assert [(p.row, p.column) for p in info.value.problems] == [
        (5, "A&E attendances Type 1"),
        (8, "A&E attendances Type 2"),
    ]
    assert info.value.row == 5 and info.value.file == f"{path.name} [Data]"


def test_total_row_must_match_providers(tmp_path: Path) -> None:
    last = len(LINES)
    cells = LINES[-1].split(",")
    col = HEADER.index("Patients who have waited 12+ hrs from DTA to admission")
    lines = _set(last, HEADER[col], str(int(cells[col]) + 1))
    err = _error(_write(tmp_path, lines))
    assert (err.column, err.row) == (HEADER[col], last)
    assert "add up" in err.problem


def test_duplicate_org(tmp_path: Path) -> None:
    lines = [*LINES[:3], LINES[2], *LINES[3:]]
    err = _error(_write(tmp_path, lines))
    assert err.row in (3, 4) and "twice" in err.problem


def test_mixed_case_total_and_trailing_spaces(tmp_path: Path) -> None:
    lines = list(LINES)
    lines[-1] = ",".join(["Total"] * 4 + lines[-1].split(",")[4:])
    ex = read_extract(_write(tmp_path, lines))
    assert not {"TOTAL", "Total"} & set(ex.observations["org_code"])
    assert not any(p.endswith(" ") for p in ex.orgs["parent_name"].drop_nulls())


def test_cp1252_and_bom(tmp_path: Path) -> None:
    lines = _set(3, "Org name", "HÔPITAL DE LA CÔTE")
    ex = read_extract(_write(tmp_path, lines, "cp1252.csv", enc="cp1252"))
    assert "HÔPITAL DE LA CÔTE" in ex.orgs["org_name"].to_list()
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + (tmp_path / "cp1252.csv").read_text("cp1252").encode())
    ex2 = read_extract(bom)
    assert ex2.observations.equals(ex.observations)


def test_crlf_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "crlf.csv"
    path.write_bytes(SAMPLE.read_bytes().replace(b"\n", b"\r\n"))
    assert read_extract(path).observations.equals(read_extract(SAMPLE).observations)


def test_dash_means_not_published(tmp_path: Path) -> None:
    lines = _set(3, "Attendances over 4hrs Type 1", "-")
    ex = read_extract(_write(tmp_path, lines))
    org = LINES[2].split(",")[1]
    measures = set(ex.observations.filter(pl.col("org_code") == org)["measure"])
    assert "ae_over4h_type1" not in measures and "ae_att_type1" in measures


def test_unknown_layout(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, ["period,org_code,type,attendances", "2019-01-01,RX1,1,5"]))
    assert err.row == 1 and "no known published layout" in err.problem


def test_empty_file(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, [""]))
    assert "empty" in err.problem


def test_missing_file(tmp_path: Path) -> None:
    err = _error(tmp_path / "nope.csv")
    assert "cannot read" in err.problem


def test_sheet_month_from_file_name_or_period(tmp_path: Path) -> None:
    named = _write(tmp_path, [SHEET_HEADER, SHEET_ROW], "May-2025-AE.csv")
    ex = read_extract(named)
    assert ex.format == "ae_provider_sheet"
    assert {str(d) for d in ex.observations["period"]} == {"2025-05-01"}
    got = ex.observations.filter(pl.col("measure") == "ae_att_type1")["value"].to_list()
    assert got == [16670.0]
    unnamed = _write(tmp_path, [SHEET_HEADER, SHEET_ROW], "provider-data.csv")
    assert "--period" in _error(unnamed).problem
    assert str(read_extract(unnamed, "2025-06").observations["period"][0]) == "2025-06-01"


def test_sheet_totals_checked(tmp_path: Path) -> None:
    bad = SHEET_ROW.replace('"25,704"', '"25,705"')
    err = _error(_write(tmp_path, [SHEET_HEADER, bad], "May-2025-AE.csv"))
    assert (err.column, err.row) == ("Total attendances", 2)


def test_sheet_bad_percentage(tmp_path: Path) -> None:
    bad = SHEET_ROW.replace("76.00%", "n/a")
    err = _error(_write(tmp_path, [SHEET_HEADER, bad], "May-2025-AE.csv"))
    assert (err.column, err.row) == ("Percentage in 4 hours or less (all)", 2)
