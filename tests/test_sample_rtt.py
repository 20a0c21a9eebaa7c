"""The bundled synthetic RTT sample (data/rtt/) and its generator (data/generate_rtt.py).

The expected layout is written out here, not taken from the generator: the header, part
descriptions and file naming of NHS England's RTT "Full CSV data file".
"""

from __future__ import annotations

import calendar
import csv
import importlib.util
import io
import itertools
import re
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.sources.rtt_full import RttFullCsv

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "rtt"
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "rtt"
REAL_WORKBOOK = REAL / "RTT-NonAdmitted-Provider-2025-09.csv"

BANDS = [f"Gt {w:02d} To {w + 1:02d} Weeks SUM 1" for w in range(104)] + ["Gt 104 Weeks SUM 1"]
HEADER = (
    "Period,Provider Parent Org Code,Provider Parent Name,Provider Org Code,Provider Org Name,"
    "Commissioner Parent Org Code,Commissioner Parent Name,Commissioner Org Code,"
    "Commissioner Org Name,RTT Part Type,RTT Part Description,Treatment Function Code,"
    "Treatment Function Name," + ",".join(BANDS) + ",Total,"
    "Patients with unknown clock start date,Total All"
)
DESCRIPTIONS = {
    "Part_1A": "Completed Pathways For Admitted Patients",
    "Part_1B": "Completed Pathways For Non-Admitted Patients",
    "Part_2": "Incomplete Pathways",
    "Part_2A": "Incomplete Pathways with DTA",
    "Part_3": "New RTT Periods - All Patients",
}
FILE_NAME = re.compile(r"^(\d{4})(\d{2})(\d{2})-RTT-([A-Z][a-z]+)-(\d{4})-full-extract\.csv$")
B0 = 13  # position of the first band
TOTAL, UNKNOWN, TOTAL_ALL = 118, 119, 120
runner = CliRunner()


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_rtt", ROOT / "data" / "generate_rtt.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


def _files() -> list[Path]:
    return sorted(SAMPLE.glob("*.csv"))  # yyyymmdd first: in month order


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))[1:]


ROWS = {p.name: _rows(p) for p in _files()}


def _n(cell: str) -> int:
    return int(cell) if cell else 0


def _pct(rows: list[list[str]], provider: str) -> tuple[int, int]:
    """(within 18 weeks, all incomplete pathways), C_999 Part_2 rows over commissioners."""
    mine = [r for r in rows if r[3] == provider and r[9] == "Part_2" and r[11] == "C_999"]
    return sum(_n(c) for r in mine for c in r[B0 : B0 + 18]), sum(int(r[TOTAL_ALL]) for r in mine)


def test_regenerates_byte_identical(tmp_path: Path) -> None:
    assert _load().main(["--out", str(tmp_path)]) == 0
    committed = [p.name for p in _files()]
    assert committed == sorted(p.name for p in tmp_path.glob("*.csv"))
    workbooks = ["NonAdmitted-Provider-Aug25-XLSX.xlsx"]  # the overview has its own script
    assert [p.name for p in tmp_path.glob("*.xlsx")] == workbooks
    for name in [*committed, *workbooks]:
        assert (SAMPLE / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_header_and_byte_format() -> None:
    for path in _files():
        data = path.read_bytes()
        assert data.split(b"\n", 1)[0].decode() == HEADER, path.name
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data, path.name
        assert data.endswith(b"\n") and not data.endswith(b"\n\n"), path.name
        for r in ROWS[path.name]:
            assert len(r) == 121, path.name
            for cell in r[B0:]:
                assert cell == "" or (cell.isdigit() and str(int(cell)) == cell), path.name
    header = HEADER.split(",")
    assert len(header) == 121 and RttFullCsv().match(header) == 1.0


def test_file_names_periods_and_months() -> None:
    keys = []
    for path in _files():
        match = FILE_NAME.match(path.name)
        assert match, path.name
        year, month, day, name, year2 = match.groups()
        assert (name, year2) == (calendar.month_name[int(month)], year), path.name
        assert int(day) == calendar.monthrange(int(year), int(month))[1], path.name
        assert {r[0] for r in ROWS[path.name]} == {f"RTT-{name}-{year}"}, path.name
        keys.append(int(year) * 12 + int(month))
    assert len(keys) == 17 and keys[0] == 2024 * 12 + 4  # April 2024 to August 2025
    assert all(b == a + 1 for a, b in itertools.pairwise(keys))


def test_organisations_and_parts() -> None:
    parents = {"ZA1": "ZI1", "ZB2": "ZI2", "ZC3": "ZI3", "ZD4": "ZI2"}
    sub_icbs = {"ZS1": "ZI1", "ZS2": "ZI2", "ZS3": "ZI3"}
    for name, rows in ROWS.items():
        assert {r[3] for r in rows} == set(parents), name
        for r in rows:
            assert r[1] == parents[r[3]] and r[2].endswith(" INTEGRATED CARE BOARD"), name
            assert r[4] == r[4].upper() and r[2] == r[2].upper(), name
            if r[7] == "NONC":  # non-English commissioners: no parent and no name
                assert r[5] == r[6] == r[8] == "", name
            else:
                assert r[5] == sub_icbs[r[7]] and r[8].endswith(f" ICB - {r[7]}"), name
            assert DESCRIPTIONS[r[9]] == r[10], name
            assert (r[11] == "C_999") == (r[12] == "Total"), name


def test_treatment_functions_are_the_published_ones() -> None:
    if not REAL_WORKBOOK.is_file():
        pytest.skip(f"real NHS England file not available: {REAL_WORKBOOK}")
    with REAL_WORKBOOK.open(newline="") as fh:
        published = {(r[3], r[4]) for r in list(csv.reader(fh))[1:]}
    ours = {(r[11], r[12]) for rows in ROWS.values() for r in rows}
    assert ours <= published, ours - published


def test_cells_follow_each_parts_arithmetic() -> None:
    for name, rows in ROWS.items():
        for r in rows:
            bands = r[B0:TOTAL]
            if r[9] in ("Part_1A", "Part_1B"):  # Total = bands; Total All = Total + unknown
                assert int(r[TOTAL]) == sum(map(int, bands)), name
                assert int(r[TOTAL_ALL]) == int(r[TOTAL]) + int(r[UNKNOWN]), name
            elif r[9] in ("Part_2", "Part_2A"):  # bands = Total All; Total, unknown empty
                assert int(r[TOTAL_ALL]) == sum(map(int, bands)), name
                assert r[TOTAL] == r[UNKNOWN] == "", name
            else:  # Part_3: only Total All
                assert set(r[B0:TOTAL_ALL]) == {""} and r[TOTAL_ALL].isdigit(), name


def test_c999_is_the_sum_of_the_specialty_rows() -> None:
    for name, rows in ROWS.items():
        groups: dict[tuple[str, str, str], list[list[str]]] = defaultdict(list)
        totals: dict[tuple[str, str, str], list[str]] = {}
        for r in rows:
            key = (r[3], r[7], r[9])
            if r[11] == "C_999":
                assert key not in totals, (name, key)
                totals[key] = r
            else:
                groups[key].append(r)
        assert set(groups) == set(totals), name
        for key, specs in groups.items():
            for col in range(B0, 121):
                cells = [s[col] for s in specs]
                expected = "" if set(cells) == {""} else str(sum(_n(c) for c in cells))
                assert totals[key][col] == expected, (name, key, col)


def test_part_2a_is_a_subset_of_part_2_band_by_band() -> None:
    for name, rows in ROWS.items():
        part2 = {(r[3], r[7], r[11]): r for r in rows if r[9] == "Part_2"}
        for r in rows:
            if r[9] == "Part_2A":
                whole = part2[(r[3], r[7], r[11])][B0:TOTAL]
                pairs = zip(r[B0:TOTAL], whole, strict=True)
                assert all(int(a) <= int(b) for a, b in pairs), (name, r[3], r[7], r[11])


def test_waiting_lists_and_waits_are_realistic() -> None:
    names = list(ROWS)
    for provider in ("ZA1", "ZB2", "ZC3", "ZD4"):
        first, last = _pct(ROWS[names[0]], provider), _pct(ROWS[names[-1]], provider)
        assert last[0] / last[1] > first[0] / first[1] + 0.02, provider  # improving gently
        for rows in ROWS.values():
            within, total = _pct(rows, provider)
            assert 5_000 < total < 70_000 and 0.52 < within / total < 0.72, provider
    long_waits = [0, 0, 0, 0]  # 52+, 65+, 78+, 104+ over the whole sample
    for rows in ROWS.values():
        for r in rows:
            if r[9] == "Part_2" and r[11] == "C_999":
                for i, weeks in enumerate((52, 65, 78, 104)):
                    long_waits[i] += sum(int(c) for c in r[B0 + weeks : TOTAL])
    assert long_waits[0] > 20 * long_waits[1] > 0  # a tail of 52+, a few 65+
    assert 0 < long_waits[2] < 40 and long_waits[3] <= 3  # 78+ occasional, 104+ ~never


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rtt") / "rtt.duckdb"
    ends = [_files()[0], _files()[-1]]  # the first and last months keep the test fast
    result = runner.invoke(app, ["ingest", *map(str, ends), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _value(db: Path, indicator: str, org: str, period: str) -> dict[str, str]:
    args = ["values", "--db", str(db), "--org", org, "--indicator", indicator]
    result = runner.invoke(app, [*args, "--period", period])
    assert result.exit_code == 0, result.output
    (only,) = csv.DictReader(io.StringIO(result.stdout))
    return only


def test_ingested_18_week_performance_matches_the_rows(db: Path) -> None:
    for path, period in ((_files()[0], "2024-04"), (_files()[-1], "2025-08")):
        within, total = _pct(ROWS[path.name], "ZA1")
        got = _value(db, "rtt_incomplete_18wk_pct", "ZA1", period)
        assert (got["numerator"], got["denominator"]) == (str(within), str(total))
        assert float(got["value"]) == pytest.approx(100 * within / total)


def test_ingested_long_waits_and_completed_pathways(db: Path) -> None:
    rows = ROWS[_files()[-1].name]
    c999 = [r for r in rows if r[3] == "ZB2" and r[11] == "C_999"]
    over_52 = sum(int(c) for r in c999 if r[9] == "Part_2" for c in r[B0 + 52 : TOTAL])
    assert _value(db, "rtt_52wk_count", "ZB2", "2025-08")["value"] == str(over_52)
    admitted = [r for r in c999 if r[9] == "Part_1A"]
    got = _value(db, "rtt_admitted_18wk_pct", "ZB2", "2025-08")
    assert got["denominator"] == str(sum(int(r[TOTAL]) for r in admitted))  # known clock start
    assert got["numerator"] == str(sum(int(c) for r in admitted for c in r[B0 : B0 + 18]))
