"""definitions.py: the shipped catalogue loads, and each kind of mistake fails by name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scorecard.definitions import load_catalogue
from scorecard.errors import DefinitionError
from scorecard.model import Direction, Unit
from scorecard.periods import Month

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "indicators", tmp_path / "indicators")
    shutil.copy(ROOT / "thresholds.toml", tmp_path / "thresholds.toml")
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"fixture text {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, 1))


def test_shipped_catalogue_loads() -> None:
    cat = load_catalogue(ROOT)
    assert {"ae_4hr_all_pct", "ae_4hr_type1_pct", "ae_12hr_dta_count"} <= set(cat.indicators)
    four = cat.indicator("ae_4hr_all_pct")
    assert four.unit is Unit.PERCENT and four.direction is Direction.HIGHER
    assert "booked" in four.basis.lower()
    assert cat.indicator("ae_12hr_dta_count").direction is Direction.LOWER


@pytest.mark.parametrize(
    ("month", "standard", "lower"),
    [
        ("2009-05", 98.0, None),
        ("2015-01", 95.0, None),
        ("2023-04", 95.0, 76.0),
        ("2024-03", 95.0, 76.0),
        ("2024-04", 95.0, 78.0),
        ("2025-09", 95.0, 78.0),
        ("2026-04", 95.0, 82.0),
    ],
)
def test_standard_in_force_changes_by_financial_year(
    month: str, standard: float, lower: float | None
) -> None:
    s = load_catalogue(ROOT).standard_for("ae_4hr_all_pct", Month.parse(month))
    assert s is not None
    assert (s.standard, s.lower_threshold) == (standard, lower)


def test_no_standard_for_activity_counts() -> None:
    cat = load_catalogue(ROOT)
    assert cat.standard_for("ae_attendances", Month(2025, 9)) is None


def _error(config: Path) -> DefinitionError:
    with pytest.raises(DefinitionError) as info:
        load_catalogue(config)
    assert "\n" not in str(info.value)
    return info.value


def test_unknown_indicator_key_lists_valid_keys(config: Path) -> None:
    _edit(config / "indicators" / "ae.toml", 'unit = "percent"', 'unti = "percent"')
    err = _error(config)
    assert err.file == "indicators/ae.toml"
    assert err.key == "indicators.ae_4hr_all_pct.unti"
    assert "valid keys are" in err.problem and "unit" in err.problem


def test_missing_field(config: Path) -> None:
    _edit(config / "indicators" / "ae.toml", 'direction = "higher"\n', "")
    err = _error(config)
    assert err.key == "indicators.ae_4hr_all_pct.direction"
    assert "missing" in err.problem


def test_unknown_measure_in_formula(config: Path) -> None:
    _edit(
        config / "indicators" / "ae.toml",
        'denominator = "ae_att_type1"',
        'denominator = "ae_att_typ1"',
    )
    err = _error(config)
    assert err.key == "indicators.ae_4hr_type1_pct.denominator"
    assert "ae_att_typ1" in err.problem


def test_bad_enum_value(config: Path) -> None:
    _edit(config / "indicators" / "ae.toml", 'unit = "count"', 'unit = "patients"')
    err = _error(config)
    assert err.key == "indicators.ae_12hr_dta_count.unit"
    assert "percent" in err.problem


def test_unknown_threshold_key(config: Path) -> None:
    _edit(config / "thresholds.toml", "lower_threshold = 76.0", "lower_treshold = 76.0")
    err = _error(config)
    assert err.file == "thresholds.toml"
    assert err.key == "ae_4hr_all_pct[3].lower_treshold"


def test_threshold_for_unknown_indicator(config: Path) -> None:
    _edit(config / "thresholds.toml", "[[ae_4hr_type1_pct]]", "[[ae_4hr_typ1_pct]]")
    err = _error(config)
    assert err.key == "ae_4hr_typ1_pct"


def test_missing_standard(config: Path) -> None:
    _edit(
        config / "thresholds.toml",
        "standard = 95.0\nlower_threshold = 76.0",
        "lower_threshold = 76.0",
    )
    err = _error(config)
    assert err.key == "ae_4hr_all_pct[3].standard"


def test_overlapping_dates(config: Path) -> None:
    _edit(config / "thresholds.toml", 'from = "2024-04"', 'from = "2024-02"')
    err = _error(config)
    assert err.key == "ae_4hr_all_pct[4].from"
    assert "overlaps" in err.problem


def test_out_of_order_dates(config: Path) -> None:
    _edit(
        config / "thresholds.toml",
        'from = "2025-04"\nto = "2026-03"',
        'from = "2019-04"\nto = "2020-03"',
    )
    err = _error(config)
    assert err.key == "ae_4hr_all_pct[5].from"


def test_to_before_from(config: Path) -> None:
    _edit(config / "thresholds.toml", 'to = "2027-03"', 'to = "2026-01"')
    err = _error(config)
    assert err.key == "ae_4hr_all_pct[6].to"


def test_unparseable_month(config: Path) -> None:
    _edit(config / "thresholds.toml", 'from = "2025-04"', 'from = "April 2025"')
    err = _error(config)
    assert err.key == "ae_4hr_all_pct[5].from"
    assert "YYYY-MM" in err.problem


def test_lower_threshold_on_the_wrong_side(config: Path) -> None:
    _edit(config / "thresholds.toml", "lower_threshold = 78.0", "lower_threshold = 97.0")
    err = _error(config)
    assert err.key == "ae_4hr_all_pct[4].lower_threshold"


def test_toml_syntax_error(config: Path) -> None:
    (config / "thresholds.toml").write_text("[[ae_4hr_all_pct]\nfrom = 1\n")
    err = _error(config)
    assert err.file == "thresholds.toml"
    assert err.key == "(syntax)"


def test_duplicate_indicator_across_files(config: Path) -> None:
    shutil.copy(config / "indicators" / "ae.toml", config / "indicators" / "ae2.toml")
    err = _error(config)
    assert err.file == "indicators/ae2.toml"
