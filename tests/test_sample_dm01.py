"""The bundled synthetic DM01 sample (data/dm01/) and its generator."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from scorecard.dimensions.diagnostics import LABELS

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "dm01"
REAL = ROOT.parent / "shared" / "data" / "real" / "dm01" / "provider_csv"
REAL_BY_TEST = REAL.parent / "DM01-ProviderByTest-2020-03.csv"
DIAGNOSTIC_TESTS = list(LABELS.values())
PROVIDER = sorted(SAMPLE.glob("DM01-Provider-*.csv"))
BY_TEST = sorted(SAMPLE.glob("DM01-ProviderByTest-*.csv"))


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
    for path in PROVIDER:
        assert path.read_text().splitlines()[0] == real
    by_test = REAL_BY_TEST.read_text().splitlines()[0]
    for path in BY_TEST:
        assert path.read_text().splitlines()[0] == by_test


def test_one_provider_sheet_and_one_by_test_sheet_a_month() -> None:
    assert len(PROVIDER) == len(BY_TEST) == 16
    assert [p.name[-11:] for p in PROVIDER] == [p.name[-11:] for p in BY_TEST]


def test_total_row_first_and_equal_to_the_sums() -> None:
    for path in PROVIDER:
        rows = list(csv.reader(path.open()))
        total, providers = rows[1], rows[2:]
        assert total[:4] == ["", "", "", "Total"]
        for i in [*range(4, 7), *range(8, 25)]:
            assert int(total[i]) == sum(int(r[i]) for r in providers)
        for r in providers:
            assert int(r[4]) == sum(int(x) for x in r[8:22])  # bands add to the list
            assert int(r[5]) == sum(int(x) for x in r[14:22])  # 6+ weeks
            assert float(r[7]) == pytest.approx(int(r[5]) / int(r[4]))


def test_by_test_sheet_adds_up_to_the_provider_sheet() -> None:
    """England first; each trust's tests (IDs in order, a name each) add up to its Total
    row, column by column; that row is the trust's row of the Provider sheet, and the
    England row the same in both sheets."""
    names = dict(enumerate(DIAGNOSTIC_TESTS, start=1))
    for provider, by_test in zip(PROVIDER, BY_TEST, strict=True):
        rows = list(csv.reader(by_test.open()))[1:]
        sheet = {r[2]: r for r in list(csv.reader(provider.open()))[1:]}
        assert rows[0][:6] == ["", "", "", "Total", "", ""] and rows[0][6:] == sheet[""][4:]
        for code in ("ZA1", "ZB2", "ZC3", "ZD4"):
            own = [r for r in rows if r[2] == code]
            tests, total = own[:-1], own[-1]
            assert [r[4] for r in tests] == sorted((r[4] for r in tests), key=int)
            assert all(r[5] == names[int(r[4])] for r in tests)
            assert total[4:6] == ["16", "Total"]
            assert [int(x) for i, x in enumerate(total[6:]) if i != 3] == [
                int(x) for i, x in enumerate(sheet[code][4:]) if i != 3
            ]
            for i in [*range(6, 9), *range(10, 27)]:
                assert int(total[i]) == sum(int(r[i]) for r in tests), (by_test.name, code, i)
            for r in own:
                assert int(r[6]) == sum(int(x) for x in r[10:24])  # bands add to the list
                assert int(r[7]) == sum(int(x) for x in r[16:24])  # 6+ weeks
                assert int(r[8]) == int(r[23])  # 13+ weeks
                assert float(r[9]) == pytest.approx(int(r[7]) / int(r[6]) if int(r[6]) else 0)
