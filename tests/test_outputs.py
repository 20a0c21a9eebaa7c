"""api.build: every output is written, the tables agree with each other, two builds are equal.

Built from the bundled sample: the sample trust board (domains, local measures, every
rating scheme, commentary) and the flat England card (no domains).
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from python_calamine import CalamineWorkbook

from scorecard import api
from scorecard.errors import OutputError
from scorecard.model import Scorecard
from scorecard.outputs import write_atomic
from scorecard.periods import Month
from scorecard.render.tables import COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SEP = Month(2025, 9)
SUFFIXES = (".html", ".fragment.html", ".csv", ".parquet", ".xlsx")


@pytest.fixture(scope="module")
def cards() -> dict[str, Scorecard]:
    catalogue = api.catalogue()
    spec = api.board_spec(ROOT / "scorecards" / "trust-board.toml", catalogue)
    with api.open_store(None) as store:
        return {
            "trust-board": api.board_for(store, catalogue, spec, SEP),
            "scorecard": api.scorecard_for(store, catalogue, "ENG", SEP),
        }


@pytest.fixture(scope="module")
def built(
    cards: dict[str, Scorecard], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[list[Path]]]:
    """Each card built twice, into two folders."""
    out: dict[str, list[list[Path]]] = {}
    for name, card in cards.items():
        out[name] = [
            api.build(card, tmp_path_factory.mktemp(f"{name}-{i}"), name) for i in range(2)
        ]
    return out


@pytest.mark.parametrize(("name", "org"), [("trust-board", "ZA1"), ("scorecard", "ENG")])
def test_every_output_is_written(built: dict[str, list[list[Path]]], name: str, org: str) -> None:
    paths = built[name][0]
    assert [p.name for p in paths] == [f"{name}-{org}-2025-09{s}" for s in SUFFIXES]
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    page, fragment = (p.read_text(encoding="utf-8") for p in paths[:2])
    assert page.startswith("<!doctype html>") and "@page { size: A4 landscape;" in page
    assert fragment in page and fragment.startswith("<div id=")


@pytest.mark.parametrize("name", ["trust-board", "scorecard"])
def test_two_builds_are_byte_identical(built: dict[str, list[list[Path]]], name: str) -> None:
    first, second = built[name]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def _csv(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, schema=COLUMNS)


def _same(cell: Any, value: Any) -> bool:
    """A workbook cell holds the CSV's value: blank for null; a number to the 16 significant
    digits xlsxwriter writes (Excel itself shows 15)."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return isinstance(cell, float | int) and abs(cell - value) <= 1e-15 * abs(value)
    return bool(cell == ("" if value is None else value))


@pytest.mark.parametrize("name", ["trust-board", "scorecard"])
def test_parquet_and_workbook_hold_the_csv_rows(
    built: dict[str, list[list[Path]]], name: str
) -> None:
    paths = {p.name.split("-2025-09")[1]: p for p in built[name][0]}
    table = _csv(paths[".csv"])
    assert table.height > 0 and table.columns == list(COLUMNS)
    assert pl.read_parquet(paths[".parquet"]).equals(table)
    book = CalamineWorkbook.from_path(str(paths[".xlsx"]))
    data = book.get_sheet_by_name("Data").to_python()
    assert data[0] == list(COLUMNS)
    assert len(data) == 1 + table.height
    for line, row in zip(data[1:], table.iter_rows(), strict=True):
        assert all(_same(c, v) for c, v in zip(line, row, strict=True)), (line, row)


def test_board_csv_has_domain_plan_scheme_and_comment(built: dict[str, list[list[Path]]]) -> None:
    table = _csv(built["trust-board"][0][2])
    assert table["domain"].null_count() == 0
    assert table["domain"].unique(maintain_order=True).to_list() == [
        "Safe: infection prevention and safeguarding",
        "Responsive: NHS Constitution standards",
        "Caring: patient experience",
        "Well led: finance and activity",
        "Provider quality assurance",  # the assurance matrix's answers, after the domains
    ]
    assert set(table["scheme"]) == {"standard", "plan", "four_band", "yes_no", "none"}
    assert table.filter(pl.col("scheme") == "plan")["plan"].null_count() == 0
    assert table["comment"].drop_nulls().len() > 0
    assert table.filter(pl.col("rating") == "Red")["exception"].drop_nulls().len() > 0
    # One line per row and window shown, in the scorecard's order.
    assert table.height == 3 * table.select("indicator_id", "org_code").n_unique()


def test_flat_csv_keeps_its_columns_and_has_no_domain(built: dict[str, list[list[Path]]]) -> None:
    table = _csv(built["scorecard"][0][2])
    assert table["domain"].null_count() == table.height
    assert table["window"].to_list()[:3] == ["month", "quarter", "ytd"]


def test_workbook_sheets_and_reading_layout(
    built: dict[str, list[list[Path]]], cards: dict[str, Scorecard]
) -> None:
    path = built["trust-board"][0][4]
    book = CalamineWorkbook.from_path(str(path))
    sheets = ["Scorecard", "Summary", "Exceptions", "Matrix", "Risks", "History", "Data"]
    assert book.sheet_names == sheets
    sheet = book.get_sheet_by_name("Scorecard").to_python()
    card = cards["trust-board"]
    assert sheet[0][0] == card.title
    assert sheet[3][:2] == ["Indicator", "Organisation monitored"]
    first = card.domains[0]
    assert str(sheet[4][0]).startswith(f"{first.name} – {first.rating.value} (")
    assert sheet[5][0] == first.rows[0].indicator.name
    ratings = {line[sheet[3].index("Rating (month)")] for line in sheet[5:] if line[1]}
    assert "Red" in ratings and "Green" in ratings
    exceptions = book.get_sheet_by_name("Exceptions").to_python()
    assert len(exceptions) == 1 + len(card.exceptions)
    history = book.get_sheet_by_name("History").to_python()
    assert len(history) == 1 + sum(len(r.history) for r in card.rows)
    with zipfile.ZipFile(path) as z:
        scorecard_xml = z.read("xl/worksheets/sheet1.xml").decode()
        styles = z.read("xl/styles.xml").decode()
        core = z.read("docProps/core.xml").decode()
    assert 'state="frozen"' in scorecard_xml and "<x14:sparkline>" in scorecard_xml
    assert "FFDA291C" in styles and "FF006747" in styles  # NHS Red and Dark Green fills
    assert "2025-09-01T00:00:00Z" in core  # created: the scorecard's month, not the clock


def test_flat_workbook_has_no_board_sheets(built: dict[str, list[list[Path]]]) -> None:
    book = CalamineWorkbook.from_path(str(built["scorecard"][0][4]))
    assert book.sheet_names == ["Scorecard", "History", "Data"]


def test_a_failed_write_leaves_the_previous_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outputs go to a temporary file and are renamed into place: a write that fails part
    way leaves the file that was there, and no temporary file behind."""
    path = tmp_path / "card.html"
    write_atomic(path, b"the previous build")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OutputError, match=r"card\.html: cannot write: No space left"):
        write_atomic(path, b"half a new build")
    assert path.read_bytes() == b"the previous build"
    assert [p.name for p in tmp_path.iterdir()] == ["card.html"]
