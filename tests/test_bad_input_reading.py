"""Issue 13, point 7 (reading the bytes and cells) and the sparse-workbook abort of point 6.

Every case is a mutation of a small file made here (the bundled samples, or cells written by
hand), or of a real NHS England file when ../shared/data/real is present. A refused file
gives exit 1 and one line naming the file and the place (row, column, byte offset or sheet)
and what was expected, and the store is left as it was, byte for byte; a file a user could
want is stored with a warning naming the file, the row and what was assumed.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import xlsxwriter  # type: ignore[import-untyped]
from layouts import SHEET_HEADER, SHEET_ROW
from stores import Ingested
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.errors import SourceError
from scorecard.periods import Month
from scorecard.sources import read_extract, read_extracts, sheet_extent
from scorecard.sources.sheet_extent import MAX_CELLS, column_letters, column_number

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
AE = DATA / "ae" / "Monthly-AE-April-2025.csv"
DM01 = DATA / "dm01" / "DM01-Provider-2024-04.csv"
FDS = DATA / "cwt" / "CWT-Commissioner-2024-04_28-DAY-FDS-ALL-ROUTES.csv"
RTT = DATA / "rtt" / "20250430-RTT-April-2025-full-extract.csv"
AMBSYS = DATA / "ambsys" / "AmbSYS-to-Sep-2025.csv"
ORGS = DATA / "orgs" / "System-Mapping.csv"
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
runner = CliRunner()


def lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


def write(path: Path, rows: list[str], end: str = "\n") -> Path:
    path.write_bytes((end.join(rows) + end).encode("utf-8"))
    return path


def set_cell(rows: list[str], row: int, column: str, value: str) -> list[str]:
    """One cell changed (`row` is the file's line number, header = 1; no quoted commas)."""
    out = list(rows)
    cells = out[row - 1].split(",")
    cells[out[0].split(",").index(column)] = value
    out[row - 1] = ",".join(cells)
    return out


@pytest.fixture
def store(ingested: Ingested, tmp_path: Path) -> Path:
    """A store already holding a file, so 'unchanged' compares real bytes."""
    return ingested(ORGS, into=tmp_path / "store.duckdb")


def refused(db: Path, bad: Path, *args: str) -> str:
    """Ingest `bad`: exit 1, one line, no traceback, the store's bytes unchanged. The line."""
    before = db.read_bytes()
    result = runner.invoke(app, ["ingest", str(bad), "--db", str(db), *args])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    assert message.startswith("error: ") and "\n" not in message, message
    assert db.read_bytes() == before
    return message.removeprefix("error: ")


def stored(db: Path, path: Path, *args: str) -> str:
    """Ingest `path`: exit 0. The output (warnings included)."""
    result = runner.invoke(app, ["ingest", str(path), "--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.output


# ---------------------------------------------------------------------------------- truncation


def test_ae_csv_cut_at_a_line_break_is_refused_for_its_lost_total_row(
    tmp_path: Path, store: Path
) -> None:
    rows = lines(AE)
    bad = write(tmp_path / AE.name, rows[:-3])  # two providers and the TOTAL row lost
    assert refused(store, bad) == (
        f"{AE.name}, row {len(rows) - 2}: no national TOTAL row after the providers: NHS "
        "England's monthly A&E CSV ends with one, so this file looks cut short (truncated) at "
        "a line break"
    )


@needs_real
def test_real_ae_csv_cut_at_a_line_break_is_refused(tmp_path: Path, store: Path) -> None:
    """The issue's example: 30 providers and the TOTAL row lost."""
    rows = lines(REAL / "ae" / "Monthly-AE-April-2025.csv")
    bad = write(tmp_path / "Monthly-AE-April-2025.csv", rows[:-31])
    message = refused(store, bad)
    assert message.startswith(f"Monthly-AE-April-2025.csv, row {len(rows) - 30}: no national ")


def test_dm01_without_its_england_total_row_is_refused(tmp_path: Path, store: Path) -> None:
    rows = lines(DM01)
    bad = write(tmp_path / DM01.name, [rows[0], *rows[2:]])
    message = refused(store, bad)
    assert message.startswith(f"{DM01.name}, column 'Provider Name', row 2: no England Total row")


def _rtt_sheet(tfcs: list[tuple[str, str]]) -> list[str]:
    """An RTT incomplete-pathways provider sheet: one row per (provider, treatment function),
    each with 3 pathways in the first band."""
    bands = [f">{w}-{w + 1}" for w in range(52)] + ["52 plus"]
    header = ["Region Code", "Provider Code", "Provider Name", "Treatment Function Code",
              "Treatment Function", *bands, "Total number of incomplete pathways",
              "Total within 18 weeks"]  # fmt: skip
    counts = ["3"] + ["0"] * (len(bands) - 1)
    return [
        ",".join(header),
        *(",".join(["Y56", org, f"Trust {org}", tfc, "x", *counts, "3", "3"]) for org, tfc in tfcs),
    ]


def test_rtt_sheet_cut_inside_an_organisations_block_is_refused(
    tmp_path: Path, store: Path
) -> None:
    """Each provider's treatment-function rows end with its all-specialties row: a file cut
    at a line break inside a block has a provider without one."""
    whole = [("ZA1", "C_100"), ("ZA1", "C_999"), ("ZB1", "C_100"), ("ZB1", "C_999")]
    name = "RTT-Incomplete-Provider-2025-04.csv"
    assert read_extract(write(tmp_path / name, _rtt_sheet(whole))).observations.height
    bad = write(tmp_path / name, _rtt_sheet(whole[:-1]))
    assert refused(store, bad) == (
        f"{name}, column 'Treatment Function Code', row 4: ZB1 has treatment-function rows but "
        "no all-specialties row (C_999 or IP999) after them; each organisation's rows end with "
        "one, so the file looks cut short (truncated) or edited"
    )


@needs_real
def test_real_rtt_sheet_cut_at_a_line_break_is_refused(tmp_path: Path, store: Path) -> None:
    rows = lines(REAL / "rtt" / "RTT-NonAdmitted-Provider-2025-09.csv")
    bad = write(tmp_path / "RTT-NonAdmitted-Provider-2025-09.csv", rows[:-5])
    message = refused(store, bad)
    assert ", column 'Treatment Function Code', row " in message
    assert "no all-specialties row" in message and "cut short (truncated)" in message


@pytest.mark.parametrize("sample", [AE, DM01, FDS, AMBSYS, RTT, ORGS], ids=lambda p: p.parent.name)
def test_a_file_ending_mid_record_is_refused(tmp_path: Path, store: Path, sample: Path) -> None:
    """Cut inside its last line (no line break, cells missing): every layout refuses it."""
    data = sample.read_bytes().rstrip(b"\n")
    last = data.rindex(b"\n")
    bad = tmp_path / sample.name
    bad.write_bytes(data[: last + (len(data) - last) // 2])  # half the last line
    message = refused(store, bad)
    last_row = data.count(b"\n") + 1
    assert message.startswith(f"{sample.name}, row {last_row}: the last line stops")
    assert message.endswith("the file looks cut short (truncated)")


def test_a_whole_last_line_without_a_line_break_is_read_with_a_warning(
    tmp_path: Path, store: Path
) -> None:
    """Its last cell could have been cut: read as complete, and told which row."""
    path = tmp_path / DM01.name
    path.write_bytes(DM01.read_bytes().rstrip(b"\n"))
    (ex,) = read_extracts(path)
    warning = (
        f"{DM01.name}, row {len(lines(DM01))}: the file ends without a line break after its "
        "last row; read as complete (a file cut short there would lose the end of that row's "
        "last cell)"
    )
    assert warning in ex.warnings
    assert warning in stored(store, path)
    assert not any("line break" in w for w in read_extract(DM01).warnings)


# ---------------------------------------------------------------------------------- encodings

GEORGE = "ST GEORGE’S UNIVERSITY HOSPITALS"  # a right single quote, as published names have


def _named(sample: Path = AE) -> list[str]:
    return set_cell(lines(sample), 3, "Org name", GEORGE)


def test_utf8_with_one_cp1252_byte_is_refused_naming_line_and_offset(
    tmp_path: Path, store: Path
) -> None:
    """Read as cp1252, the UTF-8 `’` would be stored as `â€™`: a mixed file is refused."""
    text = ("\n".join(_named()) + "\n").encode("utf-8")
    line_4 = text.index(b"\n", text.index(GEORGE.encode())) + 1
    at = text.index(b",", text.index(b"NHS", line_4)) - 3  # inside line 4's Parent Org
    bad = tmp_path / AE.name
    bad.write_bytes(text[:at] + b"\x92" + text[at + 1 :])  # one cp1252 quote on line 4
    assert refused(store, bad) == (
        f"{AE.name}, row 4: mixed text encodings: byte offset {at:,} (0x92) is not UTF-8, but "
        f"line 3 holds UTF-8 text ('’' at byte offset {text.index('’'.encode()):,}); save the "
        "file again as UTF-8"
    )


def test_a_wholly_cp1252_file_is_read_with_a_warning(tmp_path: Path, store: Path) -> None:
    path = tmp_path / AE.name
    text = ("\n".join(_named()) + "\n").encode("cp1252")
    path.write_bytes(text)
    (ex,) = read_extracts(path)
    assert GEORGE in ex.orgs["org_name"].to_list()
    at = text.index(b"\x92")
    warning = (
        f"{AE.name}, row 3: not UTF-8 (byte offset {at:,}, 0x92, is the first that is not); the "
        "whole file was read as Windows-1252 (cp1252), as Excel saves CSV on Windows"
    )
    assert ex.warnings[0] == warning
    assert warning in stored(store, path)


def test_utf8_is_read_as_utf8_without_a_warning(tmp_path: Path) -> None:
    (ex,) = read_extracts(write(tmp_path / AE.name, _named()))
    assert GEORGE in ex.orgs["org_name"].to_list() and not ex.warnings


def test_a_byte_neither_utf8_nor_cp1252_is_refused_naming_line_and_offset(
    tmp_path: Path, store: Path
) -> None:
    text = ("\n".join(lines(AE)) + "\n").encode("utf-8")
    at = text.index(b"\n", text.index(b"\n") + 1) + 30  # inside line 3
    bad = tmp_path / AE.name
    bad.write_bytes(text[:at] + b"\x81" + text[at + 1 :])
    assert refused(store, bad) == (
        f"{AE.name}, row 3: not UTF-8 or cp1252 text: byte offset {at:,} (0x81) is neither"
    )


@needs_real
def test_real_file_with_one_cp1252_byte_is_refused(tmp_path: Path, store: Path) -> None:
    real = (REAL / "ae" / "Monthly-AE-April-2025.csv").read_bytes()
    text = real.replace(b"ST GEORGE'S", "ST GEORGE’S".encode())
    at = text.rindex(b"'")  # another apostrophe, made a cp1252 quote
    bad = tmp_path / "Monthly-AE-April-2025.csv"
    bad.write_bytes(text[:at] + b"\x92" + text[at + 1 :])
    message = refused(store, bad)
    assert f"mixed text encodings: byte offset {at:,} (0x92) is not UTF-8" in message


# ---------------------------------------------------------------------------- duplicate headers

# (sample, a column the layout reads by name)
BY_NAME = [
    (AE, "Org Code"),
    (DM01, "Total Waiting List"),
    (AMBSYS, "A8"),
    (RTT, "Total All"),
    (ORGS, "ICB Code"),
]


@pytest.mark.parametrize(("sample", "column"), BY_NAME, ids=lambda v: getattr(v, "name", v))
def test_a_column_read_by_name_given_twice_is_refused(
    tmp_path: Path, store: Path, sample: Path, column: str
) -> None:
    """Two columns with the same header: which holds the figures cannot be told."""
    rows = lines(sample)
    at = rows[0].split(",").index(column)
    bad = write(tmp_path / sample.name, [f"{r},{r.split(',')[at]}" for r in rows])
    width = len(rows[0].split(","))
    assert refused(store, bad) == (
        f"{sample.name}, column '{column}', row 1: the header has this column 2 times (columns "
        f"{at + 1} and {width + 1}); expected it once, as which one holds the figures cannot be "
        "told"
    )


def test_differing_only_in_case_and_spaces_is_still_twice(tmp_path: Path, store: Path) -> None:
    rows = lines(AE)
    bad = write(tmp_path / AE.name, [rows[0] + ",  org  CODE ", *(r + ",XXX" for r in rows[1:])])
    assert "column 'Org Code', row 1: the header has this column 2 times" in refused(store, bad)


def test_the_provider_level_sheet_reads_its_published_repeats_by_position(
    tmp_path: Path,
) -> None:
    (ex,) = read_extracts(write(tmp_path / "May-2025-AE.csv", [SHEET_HEADER, SHEET_ROW]))
    assert ex.format == "ae_provider_sheet" and ex.observations.height


def test_a_workbook_sheet_with_a_repeated_column_is_refused_not_skipped(
    tmp_path: Path, store: Path
) -> None:
    path = tmp_path / "Monthly-Diagnostics-Provider-2024-04.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Provider")
    for r, line in enumerate(lines(DM01)):
        cells = line.split(",")
        sheet.write_row(r, 0, [*cells, cells[4]])  # Total Waiting List again
    book.close()
    message = refused(store, path)
    assert message.startswith(
        f"{path.name} [Provider], column 'Total Waiting List', row 1: the header has this "
        "column 2 times"
    )


# --------------------------------------------------------------------------------- blank counts

# (sample, row, a count column the layout stores)
COUNTS = [
    (AE, 3, "A&E attendances Type 1"),
    (AE, len(lines(AE)), "Other emergency admissions"),  # the TOTAL row
    (DM01, 3, "Number waiting 6+ Weeks"),
    (DM01, 2, "Total Waiting List"),  # the England Total row
    (AMBSYS, 5, "A8"),
    (FDS, 3, "WITHIN 28 DAYS"),
]


@pytest.mark.parametrize(("sample", "row", "column"), COUNTS, ids=lambda v: str(v)[-24:])
def test_an_empty_count_cell_is_refused_naming_row_and_column(
    tmp_path: Path, store: Path, sample: Path, row: int, column: str
) -> None:
    """`*`, `-` and `.` mean not published (and are counted in a warning); a blank has no
    documented meaning in these layouts, and would silently drop the measure."""
    bad = write(tmp_path / sample.name, set_cell(lines(sample), row, column, ""))
    message = refused(store, bad)
    assert message.startswith(f"{sample.name}, column '{column}', row {row}: expected a")
    assert "got an empty cell" in message or "got ''" in message


def test_an_empty_count_in_the_provider_level_sheet_is_refused(tmp_path: Path, store: Path) -> None:
    cells = SHEET_ROW.replace('"', "").split(",")
    assert cells[-1] == "5"
    bad = write(tmp_path / "May-2025-AE.csv", [SHEET_HEADER, SHEET_ROW.removesuffix("5")])
    assert refused(store, bad) == (
        "May-2025-AE.csv, column 'Number of patients spending >12 hours from decision to admit "
        "to admission', row 2: expected a count, got an empty cell (a figure not published is "
        "marked *, - or .)"
    )


def test_an_empty_count_in_an_rtt_sheet_is_refused(tmp_path: Path, store: Path) -> None:
    rows = _rtt_sheet([("ZA1", "C_999")])
    rows[1] = rows[1].replace(",3,3", ",,3")  # Total number of incomplete pathways
    bad = write(tmp_path / "RTT-Incomplete-Provider-2025-04.csv", rows)
    assert refused(store, bad).startswith(
        "RTT-Incomplete-Provider-2025-04.csv, column 'Total number of incomplete pathways', "
        "row 2: expected a count, got an empty cell"
    )


def test_rtt_full_csv_blanks_mean_what_the_layout_says(tmp_path: Path, store: Path) -> None:
    """The Full CSV publishes empty bands (none) and an empty Total outside completed
    pathways; a completed-pathway row's Total left empty is refused."""
    rows = lines(RTT)
    at = next(n for n, r in enumerate(rows, 1) if ",Part_1A," in r and ",C_999," in r)
    assert read_extract(RTT).observations.height  # its Part_2 and Part_3 blanks are read
    bad = write(tmp_path / RTT.name, set_cell(rows, at, "Total", ""))
    assert refused(store, bad) == (
        f"{RTT.name}, column 'Total', row {at}: expected a count, got an empty cell (a figure "
        "not published is marked *, - or .)"
    )


# -------------------------------------------------------------- recognised by content, not name


def test_a_csv_named_xlsx_is_read_as_csv_with_a_warning(tmp_path: Path, store: Path) -> None:
    path = tmp_path / "Monthly-AE-April-2025.xlsx"
    path.write_bytes(AE.read_bytes())
    (ex,) = read_extracts(path)
    assert ex.observations.equals(read_extract(AE).observations)
    warning = (
        "Monthly-AE-April-2025.xlsx: named like an Excel workbook but holds CSV text; read as "
        "CSV text"
    )
    assert warning in ex.warnings and warning in stored(store, path)


def test_a_workbook_named_csv_is_read_as_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "DM01-Provider-2024-04.csv"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Provider")
    for r, line in enumerate(lines(DM01)):
        sheet.write_row(r, 0, line.split(","))
    book.close()
    (ex,) = read_extracts(path)
    assert ex.file == f"{path.name} [Provider]" and ex.format == "dm01_provider_csv"


def _encrypted_workbook() -> bytes:
    """The start of an OLE2 compound file as Excel writes a password-protected workbook: the
    header, then a directory of Root Entry, EncryptionInfo and EncryptedPackage."""

    def entry(name: str, kind: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return encoded.ljust(64, b"\0") + len(encoded).to_bytes(2, "little") + bytes([kind, 1])

    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".ljust(512, b"\0")
    directory = b"".join(
        e.ljust(128, b"\0")
        for e in (entry("Root Entry", 5), entry("EncryptionInfo", 2), entry("EncryptedPackage", 2))
    )
    return header + directory + b"\x5a" * 4096


@pytest.mark.parametrize("name", ["Monthly-AE-April-2025.xlsx", "Monthly-AE-April-2025.csv"])
def test_a_password_protected_workbook_says_so(tmp_path: Path, store: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(_encrypted_workbook())
    assert refused(store, path) == (
        f"{name}: the workbook is password-protected (encrypted), so it cannot be read; open it "
        "in Excel, remove the password, save it and ingest that copy"
    )


# ------------------------------------------------------------------------------ sparse workbooks


def _dm01_book(path: Path, stray: tuple[int, int] | None) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Provider")
    for r, line in enumerate(lines(DM01)):
        sheet.write_row(r, 0, line.split(","))
    if stray is not None:
        sheet.write(*stray, "x")
    book.close()
    return path


def test_a_sparse_sheet_spanning_the_whole_grid_is_refused_not_an_abort(
    tmp_path: Path, store: Path
) -> None:
    """A stray cell at XFD1048576: python-calamine would ask for 2^34 cells and abort the
    process (exit -6). Run as its own process, so an abort is seen as one."""
    path = _dm01_book(tmp_path / "Monthly-Diagnostics-Provider-2024-04.xlsx", (1048575, 16383))
    before = store.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "scorecard", "ingest", str(path), "--db", str(store)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert result.stderr == (
        f"error: {path.name} [Provider]: its cells span A1:XFD1048576 (1,048,576 rows x 16,384 "
        f"columns), more than the {MAX_CELLS:,} cells a sheet is read with; a published sheet is "
        "far smaller (a stray cell far below or right of the table?)\n"
    )
    assert store.read_bytes() == before


def test_a_claimed_dimension_alone_is_no_reason_to_refuse(tmp_path: Path) -> None:
    """A sheet whose <dimension ref> is bloated (formatting, say) but whose cells are few is
    read: only the cells decide what python-calamine allocates."""
    path = _dm01_book(tmp_path / "small.xlsx", None)
    with zipfile.ZipFile(path) as zin:
        items = [(i, zin.read(i.filename)) for i in zin.infolist()]
    with zipfile.ZipFile(path, "w") as zout:
        for info, data in items:
            if info.filename == "xl/worksheets/sheet1.xml":
                start = data.index(b"<dimension ref=")
                end = data.index(b"/>", start) + 2
                data = data[:start] + b'<dimension ref="A1:XFD1048576"/>' + data[end:]
            zout.writestr(info, data)
    (ex,) = read_extracts(path, "2024-04")
    assert ex.observations.height


def test_the_limit_is_on_rows_times_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The DM01 sample's sheet spans A1:Y6, 150 cells: refused under a limit of 149."""
    path = _dm01_book(tmp_path / "Monthly-Diagnostics-Provider-2024-04.xlsx", None)
    monkeypatch.setattr(sheet_extent, "MAX_CELLS", 150)
    assert read_extracts(path)[0].observations.height
    monkeypatch.setattr(sheet_extent, "MAX_CELLS", 149)
    with pytest.raises(SourceError) as info:
        read_extracts(path)
    assert str(info.value).startswith(f"{path.name} [Provider]: its cells span A1:Y6 (6 rows x 25")


def test_column_letters() -> None:
    for number, letters in ((1, "A"), (26, "Z"), (27, "AA"), (702, "ZZ"), (16384, "XFD")):
        assert column_letters(number) == letters
        assert column_number(letters.encode()) == number


@pytest.mark.parametrize(
    ("name", "parts", "kind"),
    [
        (
            "book.xlsb",
            {
                "[Content_Types].xml": "<Types/>",
                "xl/workbook.bin": "",
                "xl/worksheets/sheet1.bin": "",
            },
            ".xlsb",
        ),
        (
            "book.ods",
            {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"},
            ".ods",
        ),
        (
            "named-like-a.csv",
            {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"},
            ".ods",
        ),
    ],
)
def test_workbooks_whose_extent_cannot_be_scanned_are_refused(
    tmp_path: Path, store: Path, name: str, parts: dict[str, str], kind: str
) -> None:
    """An .xlsb or .ods (by its contents, whatever its name) could hide a stray far cell that
    aborts the reader: refused in one line saying what to do."""
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as book:
        for part, text in parts.items():
            book.writestr(part, text)
    message = refused(store, path)
    assert (
        message.startswith(f"{name}: ") and f"({kind})" in message and "save it as .xlsx" in message
    )


def test_an_ambsys_month_without_its_england_row_is_refused(tmp_path: Path, store: Path) -> None:
    """AmbSYS publishes an England row every month; a month without one was cut short (or
    edited), whichever month it is."""
    rows = lines(AMBSYS)
    months = [i for i, r in enumerate(rows) if r.split(",")[3] == "Eng"]
    for index in (months[3], months[-1]):  # a month in the middle, and the last
        bad = write(tmp_path / "AmbSYS-to-Sep-2025.csv", rows[:index] + rows[index + 1 :])
        message = refused(store, bad)
        year, month = rows[index].split(",")[:2]
        label = Month(int(year), int(month)).label()
        assert message.startswith(f"{bad.name}, column 'Org Code', row ")
        assert f"{label} has trust rows but no England (Eng) row" in message
