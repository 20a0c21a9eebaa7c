"""The bundled synthetic sample (data/ae/) and its generator (data/generate.py)."""

from __future__ import annotations

import csv
import importlib.util
import io
import itertools
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data" / "ae"
REAL_AE_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "ae"
REAL_FILE = REAL_AE_DIR / "Monthly-AE-April-2025.csv"

MONTHS = [
    "JANUARY",
    "FEBRUARY",
    "MARCH",
    "APRIL",
    "MAY",
    "JUNE",
    "JULY",
    "AUGUST",
    "SEPTEMBER",
    "OCTOBER",
    "NOVEMBER",
    "DECEMBER",
]

# Count columns by position (0-based, in the 22-column official layout).
ATT_T1, ATT_T2, ATT_OTH, BK_T1, BK_T2, BK_OTH = 4, 5, 6, 7, 8, 9
OV_T1, OV_T2, OV_OTH, BKOV_T1, BKOV_T2, BKOV_OTH = 10, 11, 12, 13, 14, 15
DTA_4_12, DTA_12, ADM_T1, ADM_T2 = 16, 17, 18, 19


def _load_generator() -> ModuleType:
    path = ROOT / "data" / "generate.py"
    spec = importlib.util.spec_from_file_location("sample_data_generate", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses needs the module registered
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


def _files() -> list[Path]:
    return sorted(SAMPLE_DIR.glob("*.csv"))


def _rows(path: Path) -> list[list[str]]:
    """Data rows (header dropped), read as text exactly as written."""
    text = path.read_bytes().decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))[1:]


def _month_key(path: Path) -> tuple[int, int]:
    """(year, month) from a name like Monthly-AE-April-2024.csv."""
    _, _, month, year = path.stem.split("-")
    return int(year), MONTHS.index(month.upper()) + 1


def _all_types_pct(row: list[str]) -> float:
    """All-types 4-hour performance with booked appointments in (NHS England's basis)."""
    att = sum(int(v) for v in row[ATT_T1 : BK_OTH + 1])
    over = sum(int(v) for v in row[OV_T1 : BKOV_OTH + 1])
    return 100.0 * (att - over) / att


def test_sample_files_present() -> None:
    assert _files(), f"no sample files in {SAMPLE_DIR}; run python data/generate.py"


def test_generator_reproduces_the_committed_files_byte_for_byte(tmp_path: Path) -> None:
    assert generate.main(["--out", str(tmp_path)]) == 0
    fresh = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert fresh == [p.name for p in _files()]
    for name in fresh:
        assert (tmp_path / name).read_bytes() == (SAMPLE_DIR / name).read_bytes(), name


def test_generator_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert generate.main(["--out", str(a)]) == 0
    assert generate.main(["--out", str(b)]) == 0
    for path in sorted(a.iterdir()):
        assert path.read_bytes() == (b / path.name).read_bytes(), path.name


def test_header_is_the_official_header() -> None:
    if not REAL_FILE.is_file():
        pytest.skip(f"real NHS England file not available: {REAL_FILE}")
    official = REAL_FILE.read_bytes().split(b"\n", 1)[0]
    assert b"4-12 hs from DTA" in official  # the published typo
    for path in _files():
        assert path.read_bytes().split(b"\n", 1)[0] == official, path.name


def test_every_file_has_the_generator_header() -> None:
    expected = ",".join(generate.HEADER).encode()
    for path in _files():
        assert path.read_bytes().split(b"\n", 1)[0] == expected, path.name


def test_at_least_15_consecutive_months_with_matching_periods() -> None:
    files = sorted(_files(), key=_month_key)
    assert len(files) >= 15
    keys = [_month_key(p) for p in files]
    for (y0, m0), (y1, m1) in itertools.pairwise(keys):
        assert y1 * 12 + m1 == y0 * 12 + m0 + 1
    for path, (year, month) in zip(files, keys, strict=True):
        periods = {row[0] for row in _rows(path)[:-1]}
        assert periods == {f"MSitAE-{MONTHS[month - 1]}-{year}"}, path.name


def test_byte_level_format() -> None:
    for path in _files():
        data = path.read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf"), path.name
        assert b"\r" not in data, path.name
        assert data.endswith(b"\n") and not data.endswith(b"\n\n"), path.name


def test_names_regions_and_codes_follow_the_official_conventions() -> None:
    for path in _files():
        for row in _rows(path)[:-1]:
            _, code, parent, name = row[:4]
            assert code.startswith("Z"), (path.name, code)  # not a real ODS code
            assert name == name.upper() and parent == parent.upper(), (path.name, code)
            assert parent.startswith("NHS ENGLAND "), (path.name, code)
            if parent.strip() == "NHS ENGLAND LONDON":
                assert parent == "NHS ENGLAND LONDON", (path.name, code)
            else:
                assert parent.endswith(" ") and not parent.endswith("  "), (path.name, code)
            for value in row[4:]:
                assert value.isdigit() and str(int(value)) == value, (path.name, code, value)


def test_total_row_is_the_sum_of_provider_rows() -> None:
    for path in _files():
        rows = _rows(path)
        total, providers = rows[-1], rows[:-1]
        assert total[:4] == ["TOTAL"] * 4, path.name
        assert all(row[0] != "TOTAL" for row in providers), path.name
        assert len(total) == len(generate.HEADER)
        for col in range(4, len(generate.HEADER)):
            expected = sum(int(row[col]) for row in providers)
            assert int(total[col]) == expected, (path.name, generate.HEADER[col])


def test_counts_are_internally_consistent() -> None:
    pairs = [
        (OV_T1, ATT_T1),
        (OV_T2, ATT_T2),
        (OV_OTH, ATT_OTH),
        (BKOV_T1, BK_T1),
        (BKOV_T2, BK_T2),
        (BKOV_OTH, BK_OTH),
    ]
    for path in _files():
        for row in _rows(path):
            n = [int(v) if i >= 4 else 0 for i, v in enumerate(row)]
            where = (path.name, row[1])
            for over, att in pairs:
                assert n[over] <= n[att], (*where, generate.HEADER[over])
            assert n[DTA_4_12] + n[DTA_12] <= n[ADM_T1] + n[ADM_T2], where


def test_acute_magnitudes_are_realistic() -> None:
    for path in _files():
        for row in _rows(path)[:-1]:
            att1 = int(row[ATT_T1])
            if att1 == 0:
                continue
            where = (path.name, row[1])
            assert 0.22 <= int(row[ADM_T1]) / att1 <= 0.33, where
            assert 0.50 <= 1 - int(row[OV_T1]) / att1 <= 0.75, where
            assert 0 < int(row[BK_T1]) < 0.1 * att1, where


def test_one_provider_crosses_78_percent_and_another_stays_below() -> None:
    files = sorted(_files(), key=_month_key)
    first = {row[1]: _all_types_pct(row) for row in _rows(files[0])[:-1]}
    last = {row[1]: _all_types_pct(row) for row in _rows(files[-1])[:-1]}
    every = [{row[1]: _all_types_pct(row) for row in _rows(p)[:-1]} for p in files]
    crossers = [code for code in first if first[code] < 78.0 <= last[code]]
    below = [code for code in first if all(month[code] < 78.0 for month in every)]
    assert crossers, (first, last)
    assert below, last
