"""Acceptance on NHS England's real July 2023 commissioner workbook (pre-October 2023 standards).

Skipped when ../shared is absent. Each sheet is saved as CSV here, as the real-data README
converts the other CWT sheets: the header row verbatim, the title block, section and
group-header rows above it dropped, blank rows and the empty spacer column dropped, numbers as
stored. The sheets publish no ALL ENGLISH COMMISSIONERS row (the front page says England totals
are in the provider-based outputs), so the England figures expected here are the sums of every
commissioner row, UNKNOWN included, read from the workbook cells with python-calamine alone.

July 2023, commissioner basis: two-week wait 204,545 of 263,897 (77.5%); breast symptoms 7,347
of 10,213 (71.9%); 31-day first treatment 26,069 of 28,395 (91.8%); 31-day subsequent surgery
3,703 of 4,685 (79.0%), drugs 8,556 of 8,709 (98.2%), radiotherapy 7,949 of 8,974 (88.6%);
62-day urgent GP referral 9,935 of 15,779 (63.0%); 62-day screening 1,027 of 1,614 (63.6%).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.sources import read_extract

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "cwt"
WORKBOOK = REAL / "CWT-Commissioner-2023-07.xlsx"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
runner = CliRunner()
NATIONAL = "ALL ENGLISH COMMISSIONERS"
# indicator -> (sheet, standard in force for July 2023, published England figures)
EXPECTED = {
    "cwt_2ww_pct": ("TWO WEEK WAIT-ALL CANCER", "93", ("204545", "263897", "77.5")),
    "cwt_2ww_breast_pct": ("TWO WEEK WAIT-BREAST SYMPTOMS", "93", ("7347", "10213", "71.9")),
    "cwt_31d_first_pct": ("31-DAY FIRST TREAT (ALL CANCER)", "96", ("26069", "28395", "91.8")),
    "cwt_31d_sub_surgery_pct": ("31-DAY SUB TREAT (SURGERY)", "94", ("3703", "4685", "79.0")),
    "cwt_31d_sub_drug_pct": ("31-DAY SUB TREAT (DRUGS)", "98", ("8556", "8709", "98.2")),
    "cwt_31d_sub_radio_pct": ("31-DAY SUB TREAT (RADIOTHERAPY)", "94", ("7949", "8974", "88.6")),
    "cwt_62d_usc_pct": ("62-DAY (ALL CANCER)", "85", ("9935", "15779", "63.0")),
    "cwt_62d_screening_pct": ("62-DAY (SCREENING)", "90", ("1027", "1614", "63.6")),
}


def _cell(value: object) -> str:
    """As the conversion writes a cell: whole numbers without `.0`, fractions in full."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return "" if value is None else str(value)


def _sheet(name: str) -> list[list[str]]:
    book = CalamineWorkbook.from_path(str(WORKBOOK))
    rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return [[_cell(v) for v in row] for row in rows]


def _header_at(rows: list[list[str]]) -> int:
    return next(i for i, row in enumerate(rows) if "ODS CODE" in row and "TOTAL" in row)


def _csv_text(rows: list[list[str]]) -> str:
    """The documented conversion: header row and the data below it, empty columns dropped."""
    at = _header_at(rows)
    kept = [rows[at], *(row for row in rows[at + 1 :] if any(c.strip() for c in row))]
    columns = [c for c in range(len(rows[at])) if any(row[c].strip() for row in kept)]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([row[c] for c in columns] for row in kept)
    return out.getvalue()


def _file_name(sheet: str) -> str:
    """`62-DAY (SCREENING)` -> `CWT-Commissioner-2023-07_62-DAY-SCREENING.csv`."""
    return f"CWT-Commissioner-2023-07_{re.sub(r'[^A-Z0-9]+', '-', sheet).strip('-')}.csv"


def _england(sheet: str) -> tuple[str, str]:
    """(within, total) for England: the sheet has no national row, so every row added."""
    rows = _sheet(sheet)
    at = _header_at(rows)
    header = rows[at]
    name, total = (
        header.index("INTEGRATED CARE BOARD (ICB)/COMMISSIONING HUB"),
        header.index("TOTAL"),
    )
    data = [row for row in rows[at + 1 :] if row[total].strip()]
    assert not any(row[name] == NATIONAL for row in rows), sheet
    assert "UNKNOWN" in [row[header.index("ODS CODE")] for row in data], sheet
    within, people = (_cell(sum(float(row[c]) for row in data)) for c in (total + 1, total))
    return within, people


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("cwt_legacy")
    book = CalamineWorkbook.from_path(str(WORKBOOK))
    written = []
    for sheet in book.sheet_names:
        if sheet == "Frontpage":
            continue
        path = folder / _file_name(sheet)
        path.write_text(_csv_text(_sheet(sheet)), encoding="utf-8")
        written.append(path)
    return written


@pytest.fixture(scope="module")
def db(paths: list[Path]) -> Path:
    path = paths[0].parent / "cwt.duckdb"
    args = ["ingest", *map(str, paths), "--db", str(path), "--period", "2023-07"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return path


def _values(db: Path, org: str) -> dict[str, dict[str, str]]:
    args = ["values", "--db", str(db), "--org", org, "--period", "2023-07"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return {r["indicator_id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}


def test_england_equals_the_sum_of_each_sheet(db: Path) -> None:
    rows = _values(db, "ENG")
    for indicator, (sheet, _, (num, den, pct)) in EXPECTED.items():
        row = rows[indicator]
        assert (row["numerator"], row["denominator"]) == _england(sheet), indicator
        assert (row["numerator"], row["denominator"]) == (num, den), indicator
        assert f"{float(row['value']):.1f}" == pct, indicator


def test_rated_against_the_standards_in_force_in_july_2023(db: Path) -> None:
    rows = _values(db, "ENG")
    for indicator, (_, standard, (num, den, _)) in EXPECTED.items():
        row = rows[indicator]
        assert (row["standard"], row["lower_threshold"]) == (standard, ""), indicator
        met = 100 * float(num) / float(den) >= float(standard)
        assert row["rating"] == ("Green" if met else "Red"), indicator  # no Amber band
    assert rows["cwt_31d_sub_drug_pct"]["rating"] == "Green"  # 98.2% meets 98%
    assert rows["cwt_2ww_pct"]["rating"] == "Red"  # 77.5% misses 93%


def test_each_sheet_has_its_own_layout_scope_and_measures(paths: list[Path]) -> None:
    extracts = {p.name: read_extract(p) for p in paths}
    scopes = {name.split("_", 1)[1]: (ex.format, ex.scope) for name, ex in extracts.items()}
    assert scopes == {
        "TWO-WEEK-WAIT-ALL-CANCER.csv": ("cwt_legacy_2ww_sheet", "2ww"),
        "TWO-WEEK-WAIT-BREAST-SYMPTOMS.csv": ("cwt_legacy_2ww_sheet", "2ww_breast"),
        "62-DAY-ALL-CANCER.csv": ("cwt_legacy_62d_sheet", "62d_usc"),
        "62-DAY-CONSULTANT-UPGRADE.csv": ("cwt_legacy_62d_sheet", "62d_upgrade"),
        "62-DAY-SCREENING.csv": ("cwt_legacy_62d_sheet", "62d_screening"),
        "31-DAY-FIRST-TREAT-ALL-CANCER.csv": ("cwt_legacy_31d_first_sheet", "31d_first"),
        "31-DAY-SUB-TREAT-SURGERY.csv": ("cwt_legacy_31d_sub_sheet", "31d_sub_surgery"),
        "31-DAY-SUB-TREAT-DRUGS.csv": ("cwt_legacy_31d_sub_sheet", "31d_sub_drug"),
        "31-DAY-SUB-TREAT-RADIOTHERAPY.csv": ("cwt_legacy_31d_sub_sheet", "31d_sub_radio"),
        "28-DAY-FDS-ALL-ROUTES.csv": ("cwt_legacy_fds_sheet", "fds"),
    }
    measures = [set(ex.observations["measure"]) for ex in extracts.values()]
    assert all(len(m) == 2 for m in measures)
    assert len(set().union(*measures)) == 2 * len(measures)  # no two sheets share a measure
    assert all(ex.basis == "commissioner" for ex in extracts.values())


def test_fds_and_an_icb_equal_their_own_rows(db: Path) -> None:
    """The FDS sheet (no time bands in 2023) and NHS Greater Manchester ICB (QOP)."""
    fds = _values(db, "ENG")["cwt_fds_28d_pct"]
    assert (fds["numerator"], fds["denominator"]) == _england("28-DAY FDS (ALL ROUTES)")
    assert (fds["numerator"], fds["denominator"]) == ("192108", "259463")  # 74.0% < 75%
    assert fds["rating"] == "Red"
    rows = _values(db, "QOP")
    for indicator, (sheet, _, _) in EXPECTED.items():
        cells = _sheet(sheet)
        header = cells[_header_at(cells)]
        total = header.index("TOTAL")
        qop = next(r for r in cells if r[header.index("ODS CODE")] == "QOP")
        got = rows[indicator]
        assert (got["numerator"], got["denominator"]) == (qop[total + 1], qop[total]), indicator
