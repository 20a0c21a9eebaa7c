"""The sample trust board's own files (scorecards/trust-board/) and the provider assurance
answers (data/assurance/), and their generators: committed files match a fresh run."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "data" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("generator", "folder"),
    [("generate_board", ROOT / "scorecards" / "trust-board"),
     ("generate_assurance", ROOT / "data" / "assurance")],
)  # fmt: skip
def test_regenerates_byte_identical(tmp_path: Path, generator: str, folder: Path) -> None:
    assert _load(generator).main(["--out", str(tmp_path)]) == 0
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    kept = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    assert made == kept
    for name in made:
        assert (tmp_path / name).read_bytes() == (folder / name).read_bytes(), name


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_registers_move_between_the_two_months() -> None:
    folder = ROOT / "scorecards" / "trust-board" / "risks"
    aug, sep = (
        {r["ID"]: int(r["Likelihood"]) * int(r["Impact"]) for r in _rows(folder / f"{m}.csv")}
        for m in ("2025-08", "2025-09")
    )
    assert any(sep[k] > aug[k] for k in sep.keys() & aug.keys())  # up
    assert any(sep[k] < aug[k] for k in sep.keys() & aug.keys())  # down
    assert sep.keys() - aug.keys() and aug.keys() - sep.keys()  # new and closed


def test_the_assurance_answers_have_a_red_in_september() -> None:
    rows = _rows(ROOT / "data" / "assurance" / "provider-assurance.csv")
    sep = {(r["Indicator"], r["Org Code"]): r["Value"] for r in rows if r["Period"] == "2025-09"}
    assert sep[("serious_incidents_reported", "ZE5")] == "No"
    assert sep[("never_events", "ZR1")] == "1"
    assert {o for _, o in sep} == {"ZA1", "ZE5", "ZR1"} and len(sep) == 12
