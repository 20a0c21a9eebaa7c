"""Issue 6's battery of bad published files, through the real CLI and the store.

Each bad file is made here from the project's own samples (data/), edited, or written small
by hand. Every case must give one clear line naming the file (and the column and row where
that means something), exit 1, and store nothing: `ingest` is given a good file alongside the
bad one and the store is compared before and after. Cases that are not errors (suppressed
cells, extra workbook sheets, other encodings) are stored, with their warnings.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter  # type: ignore[import-untyped]
from layouts import SHEET_HEADER, SHEET_ROW
from stores import Ingested, unchanged
from typer.testing import CliRunner

from scorecard.check import check_files
from scorecard.cli import app
from scorecard.errors import SourceError, UsageError
from scorecard.sources import read_extract, read_extracts

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
AE = DATA / "ae" / "Monthly-AE-April-2025.csv"
DM01 = DATA / "dm01" / "DM01-Provider-2024-04.csv"
FDS = DATA / "cwt" / "CWT-Commissioner-2024-04_28-DAY-FDS-ALL-ROUTES.csv"
RTT = DATA / "rtt" / "20250430-RTT-April-2025-full-extract.csv"
ORGS = DATA / "orgs" / "System-Mapping.csv"
runner = CliRunner()


def lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


def write(tmp_path: Path, name: str, rows: list[str], end: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes((end.join(rows) + end).encode("utf-8"))
    return path


def set_cell(rows: list[str], row: int, column: str, value: str) -> list[str]:
    """`rows` (a sample's lines, no quoted commas in the edited row) with one cell changed;
    `row` is the file's line number (header = 1)."""
    out = list(rows)
    header = out[0].split(",")
    cells = out[row - 1].split(",")
    cells[header.index(column)] = value
    out[row - 1] = ",".join(cells)
    return out


def cell(text: str) -> str | float:
    """A CSV cell as a workbook stores it: numbers as numbers."""
    return float(text) if text.replace(".", "", 1).isdigit() else text


@pytest.fixture
def store(ingested: Ingested, tmp_path: Path) -> Path:
    """A store holding the organisation lookup, so 'unchanged' compares real rows."""
    return ingested(ORGS, into=tmp_path / "store.duckdb")


def refused(db: Path, bad: Path, *args: str) -> str:
    """Ingest a good file and `bad` together: exit 1, one line, nothing stored. The line."""
    with unchanged(db):
        result = runner.invoke(app, ["ingest", str(AE), str(bad), "--db", str(db), *args])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    assert message.startswith("error: ") and "\n" not in message, message
    return message.removeprefix("error: ")


def refused_lines(db: Path, *paths: Path, args: tuple[str, ...] = ()) -> list[str]:
    """Ingest `paths` together: exit 1, a line per problem (then their count when more than
    one), no traceback, nothing stored. The lines, without their `error: `."""
    with unchanged(db):
        result = runner.invoke(app, ["ingest", *map(str, paths), "--db", str(db), *args])
    assert result.exit_code == 1, result.output
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(
        result.exception, SystemExit
    )
    got = result.stderr.splitlines()
    assert got and all(line.startswith("error: ") for line in got), got
    return [line.removeprefix("error: ") for line in got]


def stored(db: Path, path: Path) -> str:
    result = runner.invoke(app, ["ingest", str(path), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.output


# ------------------------------------------------------------------ truncated, empty, header only


def test_truncated_mid_line(tmp_path: Path, store: Path) -> None:
    data = AE.read_bytes()
    cut = data[: data.rindex(b"\n", 0, len(data) - 1) - 30]  # inside the last provider row
    bad = tmp_path / "cut.csv"
    bad.write_bytes(cut)
    assert refused(store, bad) == (
        "cut.csv, row 7: the last line stops after 8 of the header's 22 cells, with no line "
        "break: the file looks cut short (truncated)"
    )


def test_truncated_mid_cell_is_caught_by_the_total_row(tmp_path: Path, store: Path) -> None:
    data = AE.read_bytes()
    bad = tmp_path / "cut.csv"
    bad.write_bytes(data[: len(data) - 3])  # the TOTAL row's last cell loses two digits
    assert refused(store, bad) == (
        "cut.csv, column 'Other emergency admissions', row 8: the national total row says 34 "
        "but the providers add up to 3,491; the file may be truncated or edited"
    )


def test_truncated_at_a_line_break_dm01_total_row_first(tmp_path: Path, store: Path) -> None:
    bad = write(tmp_path, "DM01-Provider-2024-04.csv", lines(DM01)[:-2])
    message = refused(store, bad)
    assert message.startswith("DM01-Provider-2024-04.csv, column 'Total Waiting List', row 2:")
    assert "the national total row says 41,205 but the providers add up to" in message
    assert message.endswith("the file may be truncated or edited")


def test_truncated_at_a_line_break_cwt_section_loses_its_total(tmp_path: Path, store: Path) -> None:
    bad = write(tmp_path, FDS.name, lines(FDS)[:-1])
    assert refused(store, bad) == (
        f"{FDS.name}, column 'INTEGRATED CARE BOARD (ICB)/COMMISSIONING HUB', row 2: no ALL "
        "ENGLISH COMMISSIONERS row for this row's section (ALL ROUTES); the file may be "
        "truncated"
    )


def test_truncated_at_a_line_break_ae_loses_its_total_row_and_is_refused(
    tmp_path: Path, store: Path
) -> None:
    """The A&E CSV's TOTAL row is its last line, and NHS England always publishes it: a file
    cut at a line break loses it (and the providers after the cut), so it is refused."""
    path = write(tmp_path, "Monthly-AE-April-2025.csv", lines(AE)[:-3])
    assert refused(store, path) == (
        f"Monthly-AE-April-2025.csv, row {len(lines(AE)) - 2}: no national TOTAL row after the "
        "providers: NHS England's monthly A&E CSV ends with one, so this file looks cut short "
        "(truncated) at a line break"
    )
    assert not check_files([path]).ok


def test_empty_file(tmp_path: Path, store: Path) -> None:
    bad = tmp_path / "empty.csv"
    bad.write_bytes(b"")
    assert refused(store, bad) == "empty.csv, row 1: the file is empty"
    bad.write_bytes(b"\n \r\n")
    assert refused(store, bad) == "empty.csv, row 1: the file is empty"


@pytest.mark.parametrize("sample", [AE, DM01, FDS, RTT, ORGS], ids=lambda p: p.parent.name)
def test_header_only(tmp_path: Path, store: Path, sample: Path) -> None:
    bad = write(tmp_path, sample.name, lines(sample)[:1])
    message = refused(store, bad)
    if sample == FDS:  # the CWT reader says it in its own words
        assert message == f"{FDS.name}, row 2: no commissioner rows below the header"
    elif sample == RTT:
        assert message == (
            f"{RTT.name}, column 'Treatment Function Code': no all-specialties rows (C_999), "
            "which the figures come from"
        )
    else:
        assert message == f"{sample.name}, row 2: no data rows below the header: nothing to store"


# ------------------------------------------------------------------------- layout, repeats, months


def test_wrong_layout_insisted_on(tmp_path: Path) -> None:
    """An RTT Full CSV read as the A&E CSV: refused at row 1, naming both layouts."""
    want = (
        f"{RTT.name}, row 1: not the NHS England monthly A&E CSV: missing column 'Org Code' "
        "(this header looks like the RTT Full CSV data file)"
    )
    with pytest.raises(SourceError) as info:
        read_extracts(RTT, layout="ae_monthly_csv")
    assert str(info.value) == want
    report = check_files([RTT], layout="ae_monthly_csv")
    assert not report.ok and report.problems[0].rule == want.split(", row 1: ", 1)[1]
    assert read_extracts(RTT, layout="rtt_full_csv")[0].format == "rtt_full_csv"


def test_unknown_layout_name_lists_the_valid_ones() -> None:
    with pytest.raises(UsageError, match="unknown layout 'ae'; expected one of ae_monthly_csv, "):
        read_extract(AE, layout="ae")


def test_duplicated_row(tmp_path: Path, store: Path) -> None:
    rows = lines(AE)
    bad = write(tmp_path, "dup.csv", [*rows[:4], rows[3], *rows[4:]])
    assert refused(store, bad) == (
        "dup.csv, column 'Org Code', row 5: the same Org Code appears twice for one period"
    )


def test_two_files_joined_repeat_the_header(tmp_path: Path, store: Path) -> None:
    rows = lines(DM01)
    bad = write(tmp_path, "DM01-Provider-2024-04.csv", [*rows, *rows])
    assert refused(store, bad) == (
        "DM01-Provider-2024-04.csv, row 7: this row repeats the header row: two files joined "
        "into one? one table per file is expected"
    )


def test_two_months_in_an_ae_csv(tmp_path: Path, store: Path) -> None:
    may = [r.replace("MSitAE-APRIL-2025", "MSitAE-MAY-2025") for r in lines(AE)[1:-1]]
    bad = write(tmp_path, "ae.csv", [*lines(AE)[:-1], *may])
    assert refused(store, bad) == (
        "ae.csv, column 'Period', row 8: two months in one file: 2025-04 (row 2) and 2025-05 "
        "(row 8); one month per file is expected"
    )


def test_two_months_in_a_dm01_file(tmp_path: Path, store: Path) -> None:
    rows = lines(DM01)
    bad = write(tmp_path, "DM01-Provider-2024-04.csv", [*rows, *rows[1:]])
    assert refused(store, bad) == (
        "DM01-Provider-2024-04.csv, column 'Provider Name', row 7: a second England Total row "
        "(rows 2 and 7): two months in one file? one month per file is expected"
    )


def test_two_months_in_an_rtt_full_csv(tmp_path: Path, store: Path) -> None:
    rows = lines(RTT)
    may = [r.replace("RTT-April-2025", "RTT-May-2025") for r in rows if ",C_999," in r][:2]
    bad = write(tmp_path, "rtt.csv", [*rows, *may])
    # The first row read: a C_999 row, or a specialty row of a part stored (1A, 1B, 2).
    first = next(
        n for n, r in enumerate(rows, 1) if re.search(r",(C_999|Part_1A|Part_1B|Part_2),", r)
    )
    assert refused(store, bad) == (
        f"rtt.csv, column 'Period', row {len(rows) + 1}: two months in one file: 2025-04 "
        f"(row {first}) and 2025-05 (row {len(rows) + 1}); one month per file is expected"
    )


# -------------------------------------------------------------------------------- bad numbers


def test_negative_count(tmp_path: Path, store: Path) -> None:
    bad = write(tmp_path, "neg.csv", set_cell(lines(AE), 4, "A&E attendances Type 1", "-12"))
    assert refused(store, bad) == (
        "neg.csv, column 'A&E attendances Type 1', row 4: expected a non-negative whole number "
        "(or -, * or . when not published), got '-12'"
    )


def test_non_numeric_counts_every_problem_counted(tmp_path: Path, store: Path) -> None:
    rows = set_cell(lines(AE), 3, "Other emergency admissions", "n/a")
    rows = set_cell(rows, 5, "A&E attendances Type 2", "12a")
    bad = write(tmp_path, "text.csv", rows)
    assert refused_lines(store, AE, bad) == [
        "text.csv, column 'Other emergency admissions', row 3: expected a non-negative whole "
        "number (or -, * or . when not published), got 'n/a'",
        "text.csv, column 'A&E attendances Type 2', row 5: expected a non-negative whole "
        "number (or -, * or . when not published), got '12a'",
        "2 problems in 1 file",
    ]
    with pytest.raises(SourceError) as info:
        read_extract(bad)
    assert [(p.row, p.column, p.value) for p in info.value.problems] == [
        (3, "Other emergency admissions", "n/a"),
        (5, "A&E attendances Type 2", "12a"),
    ]


@pytest.mark.parametrize(
    ("sample", "column"),
    [(AE, "A&E attendances Type 1"), (DATA / "local" / "local-measures.csv", "Value")],
    ids=["ae", "local"],
)
def test_digits_of_other_scripts_are_not_numbers(
    tmp_path: Path, store: Path, sample: Path, column: str
) -> None:
    """`١٢` and `１２` are digits to a regex's \\d but not to a number parser: refused, never
    stored as missing or passed on to a crash."""
    for digits in ("١٢", "１２"):
        bad = write(tmp_path, sample.name, set_cell(lines(sample), 2, column, digits))
        message = refused(store, bad)
        assert message.startswith(f"{sample.name}, column '{column}', row 2: expected a ")
        assert message.endswith(f"got '{digits}'")


def test_percentage_over_100_in_the_ae_provider_sheet(tmp_path: Path, store: Path) -> None:
    bad = write(tmp_path, "May-2025-AE.csv", [SHEET_HEADER, SHEET_ROW.replace("63.00%", "163%")])
    assert refused(store, bad) == (
        "May-2025-AE.csv, column 'Percentage in 4 hours or less (type 1)', row 2: expected a "
        "percentage from 0 to 100, such as 71.90%, 73.5 or -, got '163%'"
    )


def test_fraction_over_1_in_dm01(tmp_path: Path, store: Path) -> None:
    rows = set_cell(lines(DM01), 3, "Percentage waiting 6+ weeks", "1.5")
    bad = write(tmp_path, "DM01-Provider-2024-04.csv", rows)
    assert refused(store, bad) == (
        "DM01-Provider-2024-04.csv, column 'Percentage waiting 6+ weeks', row 3: expected a "
        "fraction from 0 to 1, such as 0.0357 (or -), got '1.5'"
    )


def _incomplete(within: int = 30, total: int = 40, pct: str = "0.75") -> list[str]:
    bands = [f">{w}-{w + 1}" for w in range(52)] + ["52 plus"]
    header = [
        "Region Code", "Provider Code", "Provider Name", "Treatment Function Code",
        "Treatment Function", *bands, "Total number of incomplete pathways",
        "Total within 18 weeks", "% within 18 weeks",
    ]  # fmt: skip
    counts = [0] * len(bands)
    counts[1], counts[30] = within, total - within
    row = ["Y56", "ZA1", "Trust ZA1", "C_999", "Total", *map(str, counts), str(total)]
    return [",".join(header), ",".join([*row, str(within), pct])]


def test_rtt_incomplete_fraction_over_1(tmp_path: Path, store: Path) -> None:
    bad = write(tmp_path, "RTT-Incomplete-Provider-2025-04.csv", _incomplete(pct="1.2"))
    assert refused(store, bad) == (
        "RTT-Incomplete-Provider-2025-04.csv, column '% within 18 weeks', row 2: expected a "
        "fraction from 0 to 1, such as 0.0357 (or -), got '1.2'"
    )


def test_rtt_incomplete_within_18_weeks_over_the_total(tmp_path: Path, store: Path) -> None:
    rows = _incomplete()
    rows[1] = rows[1].replace(",40,30,0.75", ",40,45,0.75")
    bad = write(tmp_path, "RTT-Incomplete-Provider-2025-04.csv", rows)
    assert refused(store, bad) == (
        "RTT-Incomplete-Provider-2025-04.csv, column 'Total within 18 weeks', row 2: expected "
        "no more than the 'Total number of incomplete pathways' it is part of (40), got '45'"
    )


def test_ae_over_4_hours_more_than_attendances(tmp_path: Path, store: Path) -> None:
    rows = set_cell(lines(AE), 3, "Attendances over 4hrs Type 1", "999999")
    bad = write(tmp_path, "over.csv", rows)
    message = refused(store, bad)
    assert message.startswith(
        "over.csv, column 'Attendances over 4hrs Type 1', row 3: expected no more than the "
        "'A&E attendances Type 1' it is part of ("
    )
    assert message.endswith("got '999999'")


def test_dm01_six_week_waits_more_than_the_list(tmp_path: Path, store: Path) -> None:
    rows = set_cell(lines(DM01), 3, "Number waiting 6+ Weeks", "99999")
    bad = write(tmp_path, "DM01-Provider-2024-04.csv", rows)
    message = refused(store, bad)
    assert message.startswith(
        "DM01-Provider-2024-04.csv, column 'Number waiting 6+ Weeks', row 3: expected no more "
        "than the 'Total Waiting List' it is part of ("
    )


def test_cwt_within_standard_more_than_the_total(tmp_path: Path, store: Path) -> None:
    rows = set_cell(lines(FDS), 5, "WITHIN 28 DAYS", "9999")
    bad = write(tmp_path, FDS.name, rows)
    assert refused(store, bad) == (
        f"{FDS.name}, column 'WITHIN 28 DAYS', row 5: expected no more than the 'TOTAL' it is "
        "part of (38), got '9999'"
    )


# ------------------------------------------------------------------- not errors: stored, warned


def test_suppressed_cells_are_stored_as_missing_with_a_warning(tmp_path: Path, store: Path) -> None:
    rows = set_cell(lines(AE), 3, "Attendances over 4hrs Type 1", "*")
    rows = set_cell(rows, 4, "A&E attendances Type 2", "-")
    rows = set_cell(rows, 5, "Other emergency admissions", ".")
    path = write(tmp_path, "Monthly-AE-April-2025.csv", rows)  # TOTAL: other columns checked
    ex = read_extract(path)
    warning = (
        "Monthly-AE-April-2025.csv: 3 cells suppressed or not published (*, -, .), stored as "
        "missing"
    )
    assert warning in ex.warnings
    code = rows[2].split(",")[1]
    measures = set(ex.observations.filter(pl.col("org_code") == code)["measure"])
    assert "ae_over4h_type1" not in measures and "ae_att_type1" in measures
    stored(store, path)
    table = runner.invoke(app, ["check", str(path)])
    assert table.exit_code == 0 and f"warning: {warning}" in table.output


def test_a_suppressed_part_skips_its_rows_sum_check(tmp_path: Path, store: Path) -> None:
    """A DM01 week band suppressed: the row's total cannot be checked against its bands, so
    the check is skipped for that row (not failed), and the band is stored as missing."""
    rows = set_cell(lines(DM01), 3, "0 <01 weeks", "*")
    path = write(tmp_path, DM01.name, rows)
    ex = read_extract(path)
    assert f"{DM01.name}: 1 cell suppressed or not published (*, -, .), stored as missing" in (
        ex.warnings
    )
    stored(store, path)


def _workbook(path: Path) -> Path:
    """A DM01 Provider sheet under its title block, a notes sheet, a chart-data sheet and a
    chart sheet."""
    book = xlsxwriter.Workbook(str(path))
    data = book.add_worksheet("Provider")
    title = [
        ["Title:", "Monthly Diagnostics"],
        ["Period:", "April 2024"],
        ["Status:", "Provisional"],
    ]
    for r, row in enumerate(title):
        data.write_row(r, 0, row)
    for r, line in enumerate(lines(DM01), start=len(title) + 1):
        data.write_row(r, 0, [cell(c) for c in line.split(",")])
    notes = book.add_worksheet("Notes")
    notes.write_column(0, 0, ["Notes", "Figures are provisional.", "See the guidance."])
    chart_data = book.add_worksheet("Chart data")
    chart_data.write_row(0, 0, ["Month", "Waiting list"])
    chart_data.write_row(1, 0, ["Apr-24", 41205.0])
    chart = book.add_chart({"type": "line"})
    chart.add_series({"values": "='Chart data'!$B$2:$B$2"})
    book.add_chartsheet("Chart").set_chart(chart)
    book.close()
    return path


def test_workbook_with_extra_sheets_reads_its_data_and_lists_the_rest(
    tmp_path: Path, store: Path
) -> None:
    path = _workbook(tmp_path / "Monthly-Diagnostics-Provider.xlsx")
    skipped: list[str] = []
    (ex,) = read_extracts(path, skipped=skipped)
    assert ex.format == "dm01_provider_csv" and ex.status == "provisional"
    assert str(ex.observations["period"][0]) == "2024-04-01"
    assert skipped == [
        f"{path.name}, sheet Chart: a chart sheet, skipped",
        f"{path.name}, sheet Notes: no known layout, skipped",
        f"{path.name}, sheet Chart data: no known layout, skipped",
    ]
    output = stored(store, path)
    assert f"{path.name}, sheet Notes: no known layout, skipped" in output


def test_utf16_unicode_text_from_excel(tmp_path: Path) -> None:
    """Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated, CRLF."""
    text = "\r\n".join(line.replace(",", "\t") for line in lines(AE)) + "\r\n"
    path = tmp_path / "Monthly-AE-April-2025.txt"
    path.write_bytes(text.encode("utf-16"))  # BOM + native order
    want = read_extract(AE)
    assert read_extract(path).observations.equals(want.observations)
    big = tmp_path / "be.csv"
    big.write_bytes(b"\xfe\xff" + AE.read_text("utf-8").encode("utf-16-be"))
    assert read_extract(big).observations.equals(want.observations)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (bytes(range(256)) * 8, "holds NUL bytes: a binary file"),
        (b"\x81\x8d\x8f\x90\x9d" * 100 + b"\n", "not UTF-8 or cp1252 text"),
        (b"\xff\xfe\x00\xd8\n\x00", "starts with a UTF-16 marker but is not UTF-16"),
        (b"PK\x03\x04" + b"junk" * 100, "not a readable Excel workbook"),
    ],
    ids=["nul", "undefined-cp1252", "bad-utf16", "zip-junk"],
)
def test_binary_junk_is_one_clean_line(
    tmp_path: Path, store: Path, data: bytes, problem: str
) -> None:
    bad = tmp_path / "junk.csv"
    bad.write_bytes(data)
    message = refused(store, bad)
    assert message.startswith("junk.csv") and problem in message


# --------------------------------------------------------------------------------- huge files


def test_file_over_the_size_limit_is_refused_unread(tmp_path: Path, store: Path) -> None:
    bad = tmp_path / "huge.csv"
    bad.touch()
    os.truncate(bad, 3 * 2**30)  # sparse: no disk, no time
    assert refused(store, bad) == (
        "huge.csv: 3.0 GB is over the 1.0 GB limit for one published file "
        "(SCORECARD_MAX_FILE_BYTES)"
    )


def test_size_limit_from_the_environment(
    tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for limit, message in (
        ("1024", "DM01-Provider-2024-04.csv: 1.3 KB is over the 1.0 KB limit for one published "
         "file (SCORECARD_MAX_FILE_BYTES)"),
        ("lots", "SCORECARD_MAX_FILE_BYTES: expected a whole number of bytes, got 'lots'"),
    ):  # fmt: skip
        monkeypatch.setenv("SCORECARD_MAX_FILE_BYTES", limit)
        with unchanged(store):
            result = runner.invoke(app, ["ingest", str(DM01), "--db", str(store)])
        assert result.exit_code == 1
        assert result.stderr == f"error: {message}\n"


def test_big_file_without_line_breaks_is_refused_from_its_first_megabyte(
    tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "one-line.csv"
    with bad.open("wb") as fh:
        fh.write(b"Period,Org Code," + b"x" * (2 << 20))
    os.truncate(bad, 900 * 2**20)  # 900 MB under the limit; only the first megabyte is read

    def whole_file_read(self: Path) -> bytes:
        raise AssertionError("the whole file was read")

    monkeypatch.setattr(Path, "read_bytes", whole_file_read)
    with pytest.raises(SourceError) as info:
        read_extracts(bad)
    assert str(info.value) == (
        "one-line.csv, row 1: no line break in the first 1,024 KB: not a CSV file with a header row"
    )


# ---------------------------------------------------------------------------- publication status

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("Incomplete-Commissioner-Mar15-revised-XLS-2357K.csv", "revised"),
        ("Monthly-AE-April-2025-PROVISIONAL.csv", "provisional"),
        ("Monthly AE April 2025 Final.csv", "final"),
        ("Monthly-AE-April-2025-final-revised.csv", "revised"),
        ("Monthly-AE-April-2025.csv", None),
        ("Monthly-AE-April-2025-finalised.csv", None),  # a word of its own, not a prefix
    ],
)
def test_status_from_the_file_name(tmp_path: Path, name: str, status: str | None) -> None:
    path = tmp_path / name
    path.write_bytes(AE.read_bytes())
    assert read_extract(path).status == status


@pytest.mark.parametrize(
    ("title", "status"),
    [
        ([["Status:", "Provisional"]], "provisional"),
        ([["Status: Final Official Statistics"]], "final"),
        ([["Published:", "13th June 2019"], ["Revised:", "12th September 2019"]], "revised"),
        ([["Revised:", "N/A"], ["Status:", "Published"]], None),
        ([["Revised: n/a"]], None),
    ],
)
def test_status_from_a_workbook_title_block(
    tmp_path: Path, title: list[list[str]], status: str | None
) -> None:
    path = tmp_path / "Monthly-Diagnostics-Provider-2024-04.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Provider")
    for r, row in enumerate(title):
        sheet.write_row(r, 0, row)
    for r, line in enumerate(lines(DM01), start=len(title) + 1):
        sheet.write_row(r, 0, [cell(c) for c in line.split(",")])
    book.close()
    (ex,) = read_extracts(path)
    assert ex.status == status


@needs_real
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("dm01/original_xls/Monthly-Diagnostics-Web-File-Provider-2019-04.xls", "revised"),
        ("rtt/original_xls/Incomplete-Commissioner-Mar15-revised-XLS-2357K.xls", "revised"),
        ("cwt/CWT-Commissioner-2024-07.xlsx", "final"),  # the front page: Final Official Statistics
        ("rtt/RTT-Incomplete-Commissioner-2015-03.csv", None),
    ],
)
def test_status_of_real_files(path: str, status: str | None) -> None:
    extracts = read_extracts(REAL / path, "2015-03" if path.endswith(".csv") else None)
    assert {e.status for e in extracts} == {status}


# ------------------------------------------- issue 13: plausible months, figures and indicator ids

LOCAL_HEADER = "Indicator,Org Code,Period,Value,Numerator,Denominator,Plan,Comment"


def _dm01_book(path: Path, period: str) -> Path:
    """The DM01 sample's Provider sheet under a title block naming `period`."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Provider")
    sheet.write_row(0, 0, ["Title:", "Monthly Diagnostics"])
    sheet.write_row(1, 0, ["Period:", period])
    for r, line in enumerate(lines(DM01), start=3):
        sheet.write_row(r, 0, [cell(c) for c in line.split(",")])
    book.close()
    return path


def test_a_title_naming_2099_is_refused_naming_the_title(tmp_path: Path, store: Path) -> None:
    book = _dm01_book(tmp_path / "Monthly-Diagnostics-Provider.xlsx", "April 2099")
    (line,) = refused_lines(store, AE, book)
    assert line.startswith("Monthly-Diagnostics-Provider.xlsx [Provider]: the month from the ")
    assert "the sheet's title block: expected a month no later than " in line
    assert line.endswith("the month of this check, got '2099-04'")


def test_a_period_column_naming_2099_is_refused_at_its_row(tmp_path: Path, store: Path) -> None:
    bad = write(tmp_path, "future.csv", [r.replace("APRIL-2025", "APRIL-2099") for r in lines(AE)])
    (line,) = refused_lines(store, bad)
    assert line.startswith("future.csv, column 'Period', row 2: expected a month no later than")
    assert line.endswith("got '2099-04'")


@pytest.mark.parametrize(
    ("name", "args", "origin"),
    [("DM01-Provider-2099-04.csv", (), "the file name"), ("dm01.csv", ("--period", "2099-04"),
     "--period")],
    ids=["file-name", "period-option"],
)  # fmt: skip
def test_a_month_from_the_name_or_option_names_its_origin(
    tmp_path: Path, store: Path, name: str, args: tuple[str, ...], origin: str
) -> None:
    bad = write(tmp_path, name, lines(DM01))
    (line,) = refused_lines(store, bad, args=args)
    assert line.startswith(f"{name}: the month from {origin}: expected a month no later than ")


def test_a_month_before_the_series_began_names_the_bound(tmp_path: Path, store: Path) -> None:
    old = write(tmp_path, "old.csv", [r.replace("APRIL-2025", "APRIL-1999") for r in lines(AE)])
    dm01 = write(tmp_path, "DM01-Provider-2005-12.csv", lines(DM01))
    assert refused_lines(store, old, dm01) == [
        "old.csv, column 'Period', row 2: expected a month from 2010-08 (NHS England's monthly "
        "A&E series begins in August 2010), got '1999-04'",
        "DM01-Provider-2005-12.csv: the month from the file name: expected a month from 2006-01 "
        "(the monthly diagnostics (DM01) series begins in January 2006), got '2005-12'",
        "2 problems in 2 files",
    ]


def test_the_latest_month_is_the_month_of_the_check(tmp_path: Path) -> None:
    """A file for this month passes; for next month it does not. The date of the check is
    passed in, so nothing but the problems depends on the clock."""
    import datetime as dt

    from scorecard.check import rules

    path = write(tmp_path, "DM01-Provider-2024-04.csv", lines(DM01))
    assert check_files([path], rules_=rules(None, dt.date(2024, 4, 1))).ok
    (problem,) = check_files([path], rules_=rules(None, dt.date(2024, 3, 31))).problems
    assert problem.value == "2024-04" and "no later than 2024-03" in problem.rule


def _local(tmp_path: Path, *rows: str, name: str = "local-measures.csv") -> Path:
    return write(tmp_path, name, [LOCAL_HEADER, *rows])


def test_local_numerator_above_its_denominator(tmp_path: Path, store: Path) -> None:
    rows = ("fft_ae_recommend,ZA1,2025-04,,1200,1100,,", "fft_ae_recommend,ZA1,2025-05,,9,10,,")
    bad = _local(tmp_path, *rows)
    assert refused_lines(store, bad) == [
        "local-measures.csv, column 'Numerator', row 2: expected no more than the Denominator "
        "(1100): fft_ae_recommend is a percentage, its Numerator a part of its Denominator, "
        "got '1200'"
    ]


def test_local_figures_the_indicator_does_not_read(tmp_path: Path, store: Path) -> None:
    bad = _local(tmp_path, "fft_ae_recommend,ZA1,2025-04,85,,,,", "mrsa_cases,ZA1,2025-04,,1,2,,")
    assert refused_lines(store, bad) == [
        "local-measures.csv, column 'Value', row 2: expected a Numerator and Denominator: "
        "fft_ae_recommend is a ratio of them, got '85'",
        "local-measures.csv, column 'Numerator', row 3: expected a Value: mrsa_cases reads one "
        "figure, not a Numerator, got '1'",
        "2 problems in 1 file",
    ]


def test_misspelt_indicator_ids_name_the_closest(tmp_path: Path, store: Path) -> None:
    local = _local(tmp_path, "mrsa_case,ZA1,2025-04,1,,,,", "ae_4hr_all_pct,ZA1,2025-04,1,,,,")
    comments = write(
        tmp_path, "commentary-2025-04.csv",
        ["Indicator,Org Code,Period,Commentary", "ae_4hrs,ZA1,2025-04,Winter pressures"],
    )  # fmt: skip
    assert refused_lines(store, local, comments) == [
        "local-measures.csv, column 'Indicator', row 2: expected the id of a local indicator in "
        "the catalogue (closest: mrsa_cases, cdiff_cases), got 'mrsa_case'",
        "local-measures.csv, column 'Indicator', row 3: expected a local indicator id: "
        "ae_4hr_all_pct is read from NHS England's ae files, got 'ae_4hr_all_pct'",
        "commentary-2025-04.csv, column 'Indicator', row 2: expected the id of an indicator in "
        "the catalogue (closest: ae_4hr_all_pct, ae_4hr_type2_pct, ae_4hr_type1_pct), got "
        "'ae_4hrs'",
        "3 problems in 2 files",
    ]


def test_ingest_and_check_read_ids_from_config(tmp_path: Path, store: Path) -> None:
    """--config DIR: the indicators a local file may name are the catalogue's in DIR."""
    import shutil

    config = tmp_path / "config"
    shutil.copytree(ROOT / "indicators", config / "indicators")
    shutil.copy(ROOT / "thresholds.toml", config)
    with (config / "indicators" / "local.toml").open("a") as fh:
        fh.write(
            '\n[indicators.falls_harm]\nname = "Falls with harm"\nunit = "count"\n'
            'direction = "lower"\nnumerator = "falls_harm_value"\nrating = "none"\n'
            'basis = "Falls with moderate or greater harm (local return)."\n'
        )
    path = _local(tmp_path, "falls_harm,ZA1,2025-04,3,,,,")
    (line,) = refused_lines(store, path)
    assert "got 'falls_harm'" in line
    checked = runner.invoke(app, ["check", str(path)])
    assert checked.exit_code == 1 and "falls_harm" in checked.output
    assert runner.invoke(app, ["check", str(path), "--config", str(config)]).exit_code == 0
    result = runner.invoke(app, ["ingest", str(path), "--db", str(store), "--config", str(config)])
    assert result.exit_code == 0, result.output


def _big_ae(rows: list[str], code_row: int, value: int) -> list[str]:
    """A&E rows with one provider's Type 1 attendances set to `value`, the TOTAL row agreeing."""
    header = rows[0].split(",")
    col = header.index("A&E attendances Type 1")
    out = [r.split(",") for r in rows]
    before = int(out[code_row - 1][col])
    out[code_row - 1][col] = str(value)
    for r in out[1:]:
        if r[0].upper() == "TOTAL":
            r[col] = str(int(r[col]) - before + value)
    return [",".join(r) for r in out]


# A stored measure is named in messages by the published columns it adds up.
TYPE1 = "A&E attendances Type 1 + A&E attendances Booked Appointments Type 1"


def test_absurd_attendances_with_an_agreeing_total_row(tmp_path: Path, store: Path) -> None:
    bad = write(tmp_path, "Monthly-AE-April-2025.csv", _big_ae(lines(AE), 3, 10**30))
    code = lines(AE)[2].split(",")[1]
    (line,) = refused_lines(store, bad)
    assert line == (
        f"Monthly-AE-April-2025.csv, column '{TYPE1}', row 3: expected a whole number from 0 "
        f"to 100,000,000 for one organisation and month ({code} 2025-04), got '1e+30'"
    )


@needs_real
def test_absurd_attendances_in_a_real_file(tmp_path: Path, store: Path) -> None:
    real = REAL / "ae" / "Monthly-AE-April-2025.csv"
    rows = real.read_text("utf-8").splitlines()
    bad = write(tmp_path, real.name, _big_ae(rows, 2, 10**30))
    (line,) = refused_lines(store, bad)
    assert line.startswith(f"{real.name}, column '{TYPE1}', row 2: expected a whole number")


def test_a_response_time_beyond_a_week(tmp_path: Path, store: Path) -> None:
    ambsys = DATA / "ambsys" / "AmbSYS-to-Sep-2025.csv"
    rows = set_cell(lines(ambsys), 3, "A26", "9999999")
    bad = write(tmp_path, ambsys.name, rows)
    (line,) = refused_lines(store, bad)
    code = rows[2].split(",")[3]
    assert line == (
        f"{ambsys.name}, column 'A26', row 3: expected a response time in seconds from "
        f"0 to 604,800 for one organisation and month ({code} 2024-04), got '9999999'"
    )


def test_every_problem_of_every_file_in_a_batch(tmp_path: Path, store: Path) -> None:
    """Three bad files and a good one: every problem listed, one line each, nothing stored."""
    neg = write(tmp_path, "neg.csv", set_cell(lines(AE), 4, "A&E attendances Type 1", "-12"))
    local = _local(tmp_path, "mrsa_case,ZA1,2025-04,1,,,,")
    dm01 = write(tmp_path, "DM01-Provider-2099-04.csv", lines(DM01))
    got = refused_lines(store, ORGS, neg, local, dm01)
    assert [line.split(",")[0].split(":")[0] for line in got[:-1]] == [
        "neg.csv", "local-measures.csv", "DM01-Provider-2099-04.csv"
    ]  # fmt: skip
    assert got[-1] == "3 problems in 3 files"
    assert "column 'A&E attendances Type 1', row 4" in got[0]
    assert "column 'Indicator', row 2" in got[1]


def test_check_lists_format_and_part_over_total_problems_together(tmp_path: Path) -> None:
    """Two bad cells and a part above its total on another row: all three, in one pass."""
    rows = set_cell(lines(AE), 3, "A&E attendances Type 1", "-5")
    rows = set_cell(rows, 4, "Other emergency admissions", "n/a")
    rows = set_cell(rows, 6, "Attendances over 4hrs Type 2", "999999")
    path = write(tmp_path, "three.csv", rows)
    result = runner.invoke(app, ["check", "--format", "json", str(path)])
    assert result.exit_code == 1
    import json

    records = json.loads(result.stdout)
    assert [(r["row"], r["column"]) for r in records] == [
        (3, "A&E attendances Type 1"),
        (4, "Other emergency admissions"),
        (6, "Attendances over 4hrs Type 2"),
    ]
    assert "no more than the 'A&E attendances Type 2'" in records[2]["rule"]


@pytest.mark.parametrize(
    "sample",
    [
        DATA / "ae" / "Monthly-AE-April-2025.csv",
        DATA / "dm01" / "DM01-Provider-2024-04.csv",
        DATA / "ambsys" / "AmbSYS-to-Sep-2025.csv",
        DATA / "rtt" / "20250430-RTT-April-2025-full-extract.csv",
    ],
    ids=lambda p: p.parent.name,
)
def test_every_stored_measure_is_named_by_the_columns_it_comes_from(sample: Path) -> None:
    """Messages about a stored figure name the file's own columns, not scorecard's names."""
    header = lines(sample)[0].split(",")
    ex = read_extract(sample)
    for measure in set(ex.observations["measure"].to_list()):
        text = re.sub(r" \(\d+ columns\)", "", ex.columns[measure])
        text = re.sub(r"^(median|92nd percentile) of the bands ", "", text)  # a centile
        named = re.split(r" \+ | \.\.\. ", re.sub(r", Part_\w+ rows$", "", text))
        assert all(name in header for name in named if name != "..."), (measure, named)


def test_a_local_file_with_a_bad_number_reports_its_catalogue_problems_too(
    tmp_path: Path, store: Path
) -> None:
    """A cell that is not a number, a misspelt indicator id and a numerator above its
    denominator, each on its own row: one pass reports all three, whatever their kind."""
    header = "Indicator,Org Code,Period,Value,Numerator,Denominator,Plan,Comment"
    rows = [
        header,
        "mrsa_cases,ZA1,2025-04,abc,,,,",
        "ae_4hrs,ZA1,2025-04,1,,,,",
        "fft_ae_recommend,ZA1,2025-04,,1300,1100,,",
    ]
    path = write(tmp_path, "local-measures.csv", rows)
    got = refused_lines(store, path)
    assert [line.split(": ", 1)[0] for line in got] == [
        "local-measures.csv, column 'Value', row 2",
        "local-measures.csv, column 'Indicator', row 3",
        "local-measures.csv, column 'Numerator', row 4",
        "3 problems in 1 file",
    ]
    result = runner.invoke(app, ["check", "--format", "json", str(path)])
    assert result.exit_code == 1
    import json

    assert [(r["row"], r["column"]) for r in json.loads(result.stdout)] == [
        (2, "Value"),
        (3, "Indicator"),
        (4, "Numerator"),
    ]


def test_a_commentary_file_with_a_bad_month_reports_its_misspelt_ids_too(
    tmp_path: Path, store: Path
) -> None:
    rows = [
        "Indicator,Org Code,Period,Commentary",
        "ae_4hrs,ZA1,2025-09,Four-hour performance fell",
        "mrsa_cases,ZA1,2025-13,One case",
    ]
    path = write(tmp_path, "commentary-2025-09.csv", rows)
    got = refused_lines(store, path)
    assert [line.split(": ", 1)[0] for line in got] == [
        "commentary-2025-09.csv, column 'Indicator', row 2",
        "commentary-2025-09.csv, column 'Period', row 3",
        "2 problems in 1 file",
    ]
    assert "got 'ae_4hrs'" in got[0] and "ae_4hr_all_pct" in got[0]


def test_an_rtt_full_csv_reports_a_bad_cell_and_a_bad_sum_together(
    tmp_path: Path, store: Path
) -> None:
    """One pass: a cell that is not a count on one all-specialties row, and a Total All that
    is not the sum of its bands on another."""
    rows = lines(RTT)
    picks = [n for n, r in enumerate(rows, 1) if ",Part_2," in r and ",C_999," in r][:2]
    bad = set_cell(rows, picks[0], "Gt 00 To 01 Weeks SUM 1", "lots")
    total = int(bad[picks[1] - 1].split(",")[rows[0].split(",").index("Total All")])
    bad = set_cell(bad, picks[1], "Total All", str(total + 7))
    got = refused_lines(store, write(tmp_path, RTT.name, bad))
    assert [line.split(": ", 1)[0] for line in got] == [
        f"{RTT.name}, column 'Gt 00 To 01 Weeks SUM 1', row {picks[0]}",
        f"{RTT.name}, column 'Total All', row {picks[1]}",
        "2 problems in 1 file",
    ]


def test_a_cancer_sheet_reports_a_bad_cell_and_a_bad_sum_together(
    tmp_path: Path, store: Path
) -> None:
    """One pass: a count that is not a number on one commissioner's row, and a TOTAL that
    is not within + after on another."""
    import csv
    import io

    sample = DATA / "cwt" / "CWT-Commissioner-2024-04_31-DAY-ALL-CANCER.csv"
    rows = list(csv.reader(io.StringIO(sample.read_text(encoding="utf-8"))))
    total = rows[0].index("TOTAL")
    rows[1][rows[0].index("AFTER 31 DAYS")] = "many"  # file row 2
    rows[3][total] = str(float(rows[3][total]) + 5)  # file row 4
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / sample.name
    path.write_text(out.getvalue(), encoding="utf-8")
    got = refused_lines(store, path)
    assert [line.split(": ", 1)[0] for line in got] == [
        f"{sample.name}, column 'AFTER 31 DAYS', row 2",
        f"{sample.name}, column 'TOTAL', row 4",
        "2 problems in 1 file",
    ]
