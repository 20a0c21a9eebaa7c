"""The bundled synthetic provider -> ICB -> region lookup (data/orgs/) and its generator.

Only the file itself is tested here (its layout, and that it agrees with the other samples);
reading it into the store is the System-Mapping adapter's business.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "orgs"
FILE = SAMPLE / "System-Mapping.csv"
REAL = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "real"
    / "ae"
    / "provider_level_sheet"
    / "System-Mapping.csv"
)
HEADER = "Code,Name,ICB Code,ICB Name,Region Name"
EXPECTED = {  # provider -> (ICB, region)
    "ZA1": ("ZI1", "North West Commissioning Region"),
    "ZE5": ("ZI1", "North West Commissioning Region"),
    "ZR1": ("ZI1", "North West Commissioning Region"),
    "ZB2": ("ZI2", "London Commissioning Region"),
    "ZD4": ("ZI2", "London Commissioning Region"),
    "ZR2": ("ZI2", "London Commissioning Region"),
    "ZC3": ("ZI3", "Midlands Commissioning Region"),
    "ZF6": ("ZI3", "Midlands Commissioning Region"),
    "ZR3": ("ZI3", "Midlands Commissioning Region"),
}
# How the other samples name each region.
AE_PARENT = {
    "North West Commissioning Region": "NHS ENGLAND NORTH WEST ",
    "London Commissioning Region": "NHS ENGLAND LONDON",
    "Midlands Commissioning Region": "NHS ENGLAND MIDLANDS ",
}
AMBSYS_REGION = {
    "North West Commissioning Region": "Y62",
    "London Commissioning Region": "Y56",
    "Midlands Commissioning Region": "Y60",
}


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_orgs", ROOT / "data" / "generate_orgs.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))


ROWS = _rows(FILE)[1:]


def _title(name: str) -> str:
    """The mapping sheet's case for an upper-case name (`And` capitalised, `NHS` kept)."""
    return " ".join(
        "-".join("NHS" if p == "NHS" else p.capitalize() for p in w.split("-"))
        for w in name.split(" ")
    )


def test_regenerates_byte_identical(tmp_path: Path) -> None:
    assert _load().main(["--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in SAMPLE.iterdir()) == [FILE.name]
    assert (tmp_path / FILE.name).read_bytes() == FILE.read_bytes()


def test_header_and_byte_format() -> None:
    data = FILE.read_bytes()
    assert data.split(b"\n", 1)[0].decode() == HEADER
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
    assert data.endswith(b"\n") and not data.endswith(b"\n\n")
    assert all(len(r) == 5 for r in ROWS)


def test_header_and_styles_are_the_published_ones() -> None:
    if not REAL.is_file():
        pytest.skip(f"real NHS England file not available: {REAL}")
    real = _rows(REAL)
    assert FILE.read_bytes().split(b"\n", 1)[0] == REAL.read_bytes().split(b"\n", 1)[0]
    assert {r[4] for r in ROWS} <= {r[4] for r in real[1:]}  # region wording
    real_icbs = [r[3] for r in real[1:]]
    assert all(n.startswith("NHS ") and n.endswith(" Integrated Care Board") for n in real_icbs)
    # The published file lists an ambulance trust like any other provider, under an ICB.
    assert any("Ambulance Service" in r[1] and r[2] and r[4] for r in real[1:])


def test_every_sample_provider_once_in_its_icb_and_region() -> None:
    assert sorted(r[0] for r in ROWS) == sorted(EXPECTED)
    icb_names: dict[str, set[str]] = {}
    for code, _, icb, icb_name, region in ROWS:
        assert (icb, region) == EXPECTED[code], code
        icb_names.setdefault(icb, set()).add(icb_name)
        assert icb_name.startswith("NHS ") and icb_name.endswith(" Integrated Care Board")
    assert all(len(names) == 1 for names in icb_names.values())  # one name per ICB


def test_rows_grouped_by_region_and_icb_then_by_name() -> None:
    regions = [r[4] for r in ROWS]
    assert regions == sorted(regions)  # London, Midlands, North West
    for icb in {r[2] for r in ROWS}:
        names = [r[1] for r in ROWS if r[2] == icb]
        assert names == sorted(names)
        first = [r[2] for r in ROWS].index(icb)
        assert [r[2] for r in ROWS][first : first + len(names)] == [icb] * len(names)


def test_names_and_regions_agree_with_the_other_samples() -> None:
    names = {r[0]: r[1] for r in ROWS}
    regions = {r[0]: r[4] for r in ROWS}
    ae = next((ROOT / "data" / "ae").glob("*.csv"))
    for row in list(csv.reader(ae.open(newline="")))[1:-1]:  # the last row is TOTAL
        _, code, parent, name = row[:4]
        assert names[code] == _title(name) and AE_PARENT[regions[code]] == parent, code
    ambsys = next((ROOT / "data" / "ambsys").glob("*.csv"))
    for row in list(csv.reader(ambsys.open(newline="")))[1:5]:  # England, then the trusts
        region, code, name = row[2:5]
        if code != "Eng":
            assert names[code] == _title(name) and AMBSYS_REGION[regions[code]] == region
    assert names["ZE5"] == "Brightwater Community Urgent Care Cic"  # as the sheet writes CIC


def test_icbs_agree_with_the_rtt_sample() -> None:
    icbs = {r[0]: r[2] for r in ROWS}
    icb_names = {r[2]: r[3] for r in ROWS}
    rtt = next((ROOT / "data" / "rtt").glob("*.csv"))
    for row in list(csv.reader(rtt.open(newline="")))[1:]:
        assert icbs[row[3]] == row[1], row[3]  # Provider Parent Org Code is the ICB
        assert icb_names[row[1]].upper() == row[2]
