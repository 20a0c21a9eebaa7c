"""The bundled synthetic DM01 sample (data/dm01/) and its generator."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "dm01"
REAL = ROOT.parent / "shared" / "data" / "real" / "dm01" / "provider_csv"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_dm01", ROOT / "data" / "generate_dm01.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


def test_regenerates_byte_identical(tmp_path: Path) -> None:
    assert _load().main(["--out", str(tmp_path)]) == 0
    committed = sorted(p.name for p in SAMPLE.glob("*.csv"))
    assert committed == sorted(p.name for p in tmp_path.glob("*.csv"))
    for name in committed:
        assert (SAMPLE / name).read_bytes() == (tmp_path / name).read_bytes(), name


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
def test_header_is_the_published_one() -> None:
    real = next(REAL.glob("*.csv")).read_text().splitlines()[0]
    for path in SAMPLE.glob("*.csv"):
        assert path.read_text().splitlines()[0] == real


def test_total_row_first_and_equal_to_the_sums() -> None:
    for path in SAMPLE.glob("*.csv"):
        rows = list(csv.reader(path.open()))
        total, providers = rows[1], rows[2:]
        assert total[:4] == ["", "", "", "Total"]
        for i in [*range(4, 7), *range(8, 25)]:
            assert int(total[i]) == sum(int(r[i]) for r in providers)
        for r in providers:
            assert int(r[4]) == sum(int(x) for x in r[8:22])  # bands add to the list
            assert int(r[5]) == sum(int(x) for x in r[14:22])  # 6+ weeks
            assert float(r[7]) == pytest.approx(int(r[5]) / int(r[4]))
