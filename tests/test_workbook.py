"""Excel workbooks read directly: each sheet goes through the adapter of its CSV conversion.

Unit tests build tiny .xlsx files here with zipfile (python-calamine only reads). The real
workbooks in ../shared/data/real are compared with their hand-made CSV conversions, and
skipped when that folder is absent.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import zipfile
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.errors import SourceError
from scorecard.periods import Month
from scorecard.sources import FORMATS, MATCH_THRESHOLD, Extract, read_extract, read_extracts
from scorecard.sources.encoding import sha256
from scorecard.sources.workbook import (
    Workbook,
    cell_text,
    parse_month,
    read_workbook,
    sheet_csv,
    title_month,
)

ROOT = Path(__file__).resolve().parents[1]
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
runner = CliRunner()
Cell = str | float | None

# ---------------------------------------------------------------- a minimal .xlsx writer

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _column(i: int) -> str:
    name = ""
    while True:
        i, r = divmod(i, 26)
        name = chr(65 + r) + name
        if i == 0:
            return name
        i -= 1


def _sheet_xml(rows: list[list[Cell]]) -> str:
    out = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{_column(c)}{r}"
            if isinstance(value, float):
                cells.append(f'<c r="{ref}"><v>{value!r}</v></c>')
            elif value:
                text = escape(value)
                cells.append(
                    f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
                )
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    return f"<worksheet {_NS}><sheetData>{''.join(out)}</sheetData></worksheet>"


def write_xlsx(path: Path, sheets: dict[str, list[list[Cell]]]) -> Path:
    """A workbook of text and number cells, one worksheet per entry, in order."""
    n = range(1, len(sheets) + 1)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'  # noqa: E501
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                f'ContentType="{_CT}.worksheet+xml"/>'
                for i in n
            )
            + "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook {_NS} xmlns:r="{_REL}"><sheets>'
            + "".join(
                f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
                for i, name in zip(n, sheets, strict=True)
            )
            + "</sheets></workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_PKG}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>'
                for i in n
            )
            + "</Relationships>",
        )
        for i, rows in zip(n, sheets.values(), strict=True):
            z.writestr(f"xl/worksheets/sheet{i}.xml", _sheet_xml(rows))
    return path


# ---------------------------------------------------------------- pure parts


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("April 2019", Month(2019, 4)),
        ("Apr-19", Month(2019, 4)),
        ("Jul-24", Month(2024, 7)),
        ("MARCH 2015", Month(2015, 3)),
        ("JUL 2023/24", Month(2023, 7)),  # a month of financial year 2023/24
        ("JAN 2023/24", Month(2024, 1)),
        ("2019-04-01", Month(2019, 4)),  # a date cell
        ("2024-07-01 00:00:00", Month(2024, 7)),
        ("JUL 2023/25", None),
        ("Q2 2015-16", None),
        ("13th June 2019", None),
        ("DCB0147 Amd 16/2019", None),
        ("Total 2019", None),
        ("", None),
    ],
)
def test_parse_month(text: str, month: Month | None) -> None:
    assert parse_month(text) == month


def test_title_month_dm01_and_rtt_period_cell() -> None:
    block = [
        ["", "Title:", "Monthly Diagnostics"],
        ["", "Published:", "13th June 2019"],
        ["", "Revised:", "Sep-19"],
        ["", "Period:", "April 2019"],
        ["", "Contact:", "england.NHSdata@NHS.net"],
    ]
    assert title_month(block) == Month(2019, 4)  # the Period cell, not the other dates


def test_title_month_cwt_rows() -> None:
    cwt_2024 = [["FOUR WEEK (28 DAYS) WAIT ...", ""], ["Jul-24", ""], ["DEFINITIONS:  DCB0147"]]
    assert title_month(cwt_2024) == Month(2024, 7)
    assert title_month([["TWO WEEK WAIT"], ["PERIOD: JUL 2023/24"]]) == Month(2023, 7)
    assert title_month([["Title:", "x"], ["Period:", "Q2 2015-16"], ["Sum 2019", "2"]]) is None
    assert title_month([]) is None


def test_cell_text_writes_numbers_as_stored() -> None:
    assert [cell_text(v) for v in (1054527.0, 0.035769591485092365, 12.5, 7)] == [
        "1054527",
        "0.035769591485092365",
        "12.5",
        "7",
    ]
    assert [cell_text(v) for v in ("WITHIN 31 DAYS ", "- ", "", None, True)] == [
        "WITHIN 31 DAYS ",
        "- ",
        "",
        "",
        "TRUE",
    ]
    assert cell_text(dt.date(2023, 10, 1)) == "2023-10-01"
    assert cell_text(dt.datetime(2023, 10, 1)) == "2023-10-01"


def test_stacked_sections_sit_under_one_header() -> None:
    header = ["", "CODE", "NAME", "TOTAL", " ", "WITHIN"]
    rows = [
        ["TITLE", "", "", "", "", ""],
        ["Jul-24", "", "", "", "", ""],
        ["", "", "", "NUMBER", "", "BANDS"],
        header,
        ["", "A1", "One", "2", "", "1"],
        ["", "", "", "", "", ""],
        ["", "", "ALL", "2", "", "1"],
        ["", "", "", "", "", ""],
        ["PART B: FIRST", "", "", "", "", ""],
        ["", "", "", "NUMBER", "", "BANDS"],
        [*header[:-1], "within"],  # repeated, in another case
        ["", "A1", "One", "0.5", "", "0.5"],
        ["Footnote: text only", "", "", "", "", ""],
    ]
    text, lines = sheet_csv(rows, 3)
    assert text == "CODE,NAME,TOTAL,WITHIN\nA1,One,2,1\n,ALL,2,1\nA1,One,0.5,0.5\n"
    assert lines == [4, 5, 7, 12]  # the sheet's own rows


def test_text_rows_between_data_rows_are_kept_for_the_adapter_to_judge() -> None:
    rows = [["Code", "Name"], ["A", "x"], ["B", "y"], ["", ""]]
    assert sheet_csv(rows, 0) == ("Code,Name\nA,x\nB,y\n", [1, 2, 3])
    mixed = [["Code", "Count"], ["A", "1"], ["B", "n/a"], ["C", "2"]]
    assert sheet_csv(mixed, 0)[0] == "Code,Count\nA,1\nB,n/a\nC,2\n"


# ---------------------------------------------------------------- synthetic workbooks

SAMPLE_DM01 = ROOT / "data" / "dm01" / "DM01-Provider-2024-04.csv"


def _number(cell: str) -> Cell:
    try:
        return float(cell)
    except ValueError:
        return cell


def _dm01_sheet(edit: dict[tuple[int, int], Cell] | None = None) -> list[list[Cell]]:
    """The sample DM01 CSV laid out as NHS England's Provider sheet (title block, spacers)."""
    table = list(csv.reader(io.StringIO(SAMPLE_DM01.read_text())))
    rows: list[list[Cell]] = [
        [],
        ["", "Title:", "Monthly Diagnostics"],
        ["", "Period:", "April 2024"],
        ["", "Published:", "13th June 2024"],
        [],
        ["", "Provider level data", "", "", "", "", "", "", "", "Timebands \n Waiting"],
    ]
    for i, cells in enumerate(table):
        values = [c if i == 0 else _number(c) for c in cells]
        rows.append(["", *values[:22], "", *values[22:]])  # empty A and a spacer column
        if i == 1:
            rows.append([])  # a blank row after the England total
    for (r, c), value in (edit or {}).items():
        rows[r - 1][c] = value
    return rows


def _read(path: Path, period: str | None = None) -> Workbook:
    return read_workbook(path.name, path.read_bytes(), FORMATS, MATCH_THRESHOLD, period)


def test_synthetic_dm01_workbook_equals_its_csv(tmp_path: Path) -> None:
    book = write_xlsx(
        tmp_path / "Monthly-Diagnostics-Web-File-Provider.xlsx",
        {"Provider": _dm01_sheet(), "Notes": [["Notes"], ["Some text"]]},
    )
    wb = _read(book)
    assert wb.skipped == ["Notes: no known layout, skipped"]
    (ex,) = wb.extracts
    csv_ex = read_extract(SAMPLE_DM01)
    assert ex.file == "Monthly-Diagnostics-Web-File-Provider.xlsx [Provider]"
    assert ex.observations.equals(csv_ex.observations)  # the month came from the title block
    assert ex.orgs.drop("rows").equals(csv_ex.orgs.drop("rows"))
    sheet = _dm01_sheet()  # provenance names the sheet's own rows, title block counted
    for code, at in ex.orgs.select("org_code", "rows").iter_rows():
        assert code in sheet[int(at) - 1]
    assert ex.sha256 == csv_ex.sha256  # the sheet converts to the CSV byte for byte
    assert [e.sha256 for e in read_extracts(book)] == [ex.sha256]
    later = _read(book, "2024-05").extracts[0].observations["period"].unique().to_list()
    assert later == [dt.date(2024, 5, 1)]  # --period wins over the title block


def test_errors_name_the_sheet_and_its_own_row(tmp_path: Path) -> None:
    # Sheet row 7 is the header, 8 the England total, 9 blank, 10 the first provider.
    book = write_xlsx(tmp_path / "dm01.xlsx", {"Provider": _dm01_sheet({(11, 5): -5.0})})
    with pytest.raises(SourceError) as info:
        read_extracts(book)
    err = info.value
    assert (err.file, err.column, err.row) == ("dm01.xlsx [Provider]", "Total Waiting List", 11)
    assert "non-negative whole number" in err.problem and "\n" not in str(err)


def test_workbook_without_a_known_sheet_is_refused_in_one_line(tmp_path: Path) -> None:
    book = write_xlsx(
        tmp_path / "Summary.xlsx",
        {"Frontpage": [["Status: Final"], ["July 2024"]], "Data": [["Year", "Count"], ["x", 1.0]]},
    )
    with pytest.raises(SourceError) as info:
        read_extracts(book)
    msg = info.value.one_line()
    assert msg.startswith("Summary.xlsx: no sheet has a known published layout")
    assert "Frontpage: no known layout, skipped" in msg and "Data: no known layout" in msg
    assert "DM01 monthly diagnostics Provider sheet" in msg  # the known layouts are listed


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", ", row 1: the file is empty"),  # read by its contents: empty text
        (b"Code,Name\nA,B\n", ", row 1: the header matches no known published layout"),
        (b"PK\x03\x04 not a zip", ": not a readable Excel workbook"),
    ],
)
def test_non_workbook_with_an_excel_name_is_refused_in_one_line(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "CWT-Commissioner-2024-07.xlsx"
    path.write_bytes(content)
    result = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: CWT-Commissioner-2024-07.xlsx{problem}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


# ---------------------------------------------------------------- NHS England's workbooks

DM01_XLS = REAL / "dm01" / "original_xls" / "Monthly-Diagnostics-Web-File-Provider-2019-04.xls"
RTT_XLS = REAL / "rtt" / "original_xls" / "Incomplete-Commissioner-Mar15-revised-XLS-2357K.xls"
CWT_XLSX = REAL / "cwt" / "CWT-Commissioner-2024-07.xlsx"
CWT_CSV = REAL / "cwt" / "csv"
EQUIVALENT = [
    (DM01_XLS, "Provider", REAL / "dm01" / "provider_csv" / "DM01-Provider-2019-04.csv"),
    (RTT_XLS, "Commissioner", REAL / "rtt" / "RTT-Incomplete-Commissioner-2015-03.csv"),
    (RTT_XLS, "National", REAL / "rtt" / "RTT-Incomplete-National-2015-03.csv"),
    *(
        (CWT_XLSX, sheet, CWT_CSV / f"CWT-Commissioner-2024-07_{name}.csv")
        for sheet, name in (
            ("28-DAY FDS (ALL ROUTES)", "28-DAY-FDS-ALL-ROUTES"),
            ("31-DAY (ALL CANCER)", "31-DAY-ALL-CANCER"),
            ("62-DAY (ALL CANCER)", "62-DAY-ALL-CANCER"),
            ("62-DAY (BY CANCER)", "62-DAY-BY-CANCER"),
        )
    ),
]


@cache
def _sheets(path: Path) -> dict[str, Extract]:
    return {e.file.removeprefix(f"{path.name} [")[:-1]: e for e in read_extracts(path)}


@needs_real
@pytest.mark.parametrize(
    ("book", "sheet", "converted"), EQUIVALENT, ids=[s for _, s, _ in EQUIVALENT]
)
def test_real_sheet_equals_its_csv_conversion(book: Path, sheet: str, converted: Path) -> None:
    ex = _sheets(book)[sheet]
    csv_ex = read_extract(converted, "2015-03" if "Mar15" in book.name else None)
    assert ex.observations.equals(csv_ex.observations)
    if ex.breakdowns is not None or csv_ex.breakdowns is not None:
        assert ex.breakdowns is not None and csv_ex.breakdowns is not None
        assert ex.breakdowns.equals(csv_ex.breakdowns)
    assert ex.orgs.drop("rows").equals(csv_ex.orgs.drop("rows"))
    cells = CalamineWorkbook.from_path(str(book)).get_sheet_by_name(sheet)
    rows = cells.to_python(skip_empty_area=False)  # provenance names the sheet's own rows
    for code, at in ex.orgs.select("org_code", "rows").iter_rows():
        first = int(str(at).split(",")[0].split("-")[0])
        shown = "IP999" if code == "ENG" else code  # England's sheet names no organisation
        assert shown in [str(c).strip() for c in rows[first - 1]], (code, at)
    assert (ex.format, ex.dataset, ex.scope, ex.basis) == (
        csv_ex.format,
        csv_ex.dataset,
        csv_ex.scope,
        csv_ex.basis,
    )
    assert ex.sha256 == sha256(converted.read_bytes())  # byte for byte the README's CSV


@needs_real
def test_real_workbooks_read_only_their_known_sheets() -> None:
    assert list(_sheets(DM01_XLS)) == ["Provider", "Provider by Test"]
    assert list(_sheets(RTT_XLS)) == ["National", "Region", "Area Team", "Commissioner"]
    cwt = list(_sheets(CWT_XLSX))
    assert set(cwt) >= {s for b, s, _ in EQUIVALENT if b == CWT_XLSX}
    assert len(cwt) == 10  # every sheet but the front page (tests/test_real_cwt_parts.py)
    assert _read(CWT_XLSX).skipped == ["Frontpage: no known layout, skipped"]


@needs_real
def test_real_quarterly_provider_workbook_is_refused_in_one_line() -> None:
    with pytest.raises(SourceError) as quarterly:
        read_extracts(REAL / "cwt" / "CWT-Provider-Workbook-2015-16-Q2.xlsx")
    assert "quarterly" in quarterly.value.problem and quarterly.value.row == 7
    assert "[TWO WEEK WAIT-BY CANCER]" in quarterly.value.file


def _values(db: Path, period: str) -> dict[str, float]:
    args = ["values", "--db", str(db), "--org", "ENG", "--period", period]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return {
        r["indicator_id"]: float(r["value"]) for r in csv.DictReader(io.StringIO(result.stdout))
    }


@needs_real
def test_cli_ingests_the_cwt_workbook_with_the_month_from_its_title(tmp_path: Path) -> None:
    book = tmp_path / "Cancer-Waiting-Times-Commissioner.xlsx"  # no month in the name
    shutil.copyfile(CWT_XLSX, book)
    db = tmp_path / "cwt.duckdb"
    first = runner.invoke(app, ["ingest", str(book), "--db", str(db)])
    assert first.exit_code == 0, first.output
    out = first.stdout.splitlines()
    # Sheets not read are listed first, by file and sheet; then one line per sheet stored.
    skipped = [line for line in out if line.endswith(", skipped")]
    assert f"{book.name}, sheet Frontpage: no known layout, skipped" in skipped
    lines = [line for line in out if line not in skipped]
    assert len(lines) == 10 and all("2024-07" in line and "stored" in line for line in lines)
    assert lines[0].startswith(f"{book.name} [28-DAY FDS (ALL ROUTES)]: cwt_fds_sheet, cwt 2024-07")
    values = _values(db, "2024-07")
    got = [round(values[i], 1) for i in ("cwt_fds_28d_pct", "cwt_31d_combined_pct")]
    assert [*got, round(values["cwt_62d_combined_pct"], 1)] == [76.2, 92.0, 68.0]
    again = runner.invoke(app, ["ingest", str(book), "--db", str(db)])
    assert again.exit_code == 0 and again.stdout.count("unchanged") == 10


@needs_real
def test_cli_ingests_the_dm01_and_rtt_xls_files(tmp_path: Path) -> None:
    db = tmp_path / "xls.duckdb"
    result = runner.invoke(app, ["ingest", str(DM01_XLS), str(RTT_XLS), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert round(_values(db, "2019-04")["dm01_6wk_pct"], 2) == 3.58
    # The RTT file's name carries no month NHS England's way (Mar15): the title block does.
    assert round(_values(db, "2015-03")["rtt_incomplete_18wk_pct"], 2) == 93.15


def test_two_sheets_of_one_layout_and_month_are_refused(tmp_path: Path) -> None:
    sheets = {"Provider": _dm01_sheet(), "IS Provider": _dm01_sheet()}
    with pytest.raises(SourceError) as info:
        read_extracts(write_xlsx(tmp_path / "dm01.xlsx", sheets))
    assert "([Provider] and [IS Provider])" in info.value.problem
    may = _dm01_sheet({(3, 2): "May 2024"})  # another month's sheet is another extract
    months = [
        e.observations["period"][0]
        for e in read_extracts(
            write_xlsx(tmp_path / "two.xlsx", {"Apr": _dm01_sheet(), "May": may})
        )
    ]
    assert months == [dt.date(2024, 4, 1), dt.date(2024, 5, 1)]
