"""The diagnostics (DM01) indicators, and the `breakdowns` key indicators declare drill-downs by."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scorecard.definitions import load_catalogue
from scorecard.errors import DefinitionError
from scorecard.model import Direction, OverTime, Scheme, Unit
from scorecard.periods import Month

ROOT = Path(__file__).resolve().parents[1]
DM01 = (
    "dm01_6wk_pct",
    "dm01_waiting_list",
    "dm01_13wk_count",
    "dm01_13wk_pct",
    "dm01_activity",
    "dm01_activity_waiting_list",
    "dm01_activity_planned",
    "dm01_activity_unscheduled",
)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "indicators", tmp_path / "indicators")
    shutil.copy(ROOT / "thresholds.toml", tmp_path / "thresholds.toml")
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"fixture text {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, 1))


def test_every_dm01_indicator_can_be_broken_down_by_test() -> None:
    cat = load_catalogue(ROOT)
    assert [i for i in cat.indicators if i.startswith("dm01_")] == list(DM01)
    for ind_id in DM01:
        assert cat.indicator(ind_id).breakdowns == ("diagnostic_test",)
    assert cat.indicator("ae_4hr_all_pct").breakdowns == ()  # the default: none


def test_waits_are_positions_and_activity_adds_up_over_months() -> None:
    cat = load_catalogue(ROOT)
    pct = cat.indicator("dm01_13wk_pct")
    assert (pct.unit, pct.direction, pct.over_time) == (
        Unit.PERCENT,
        Direction.LOWER,
        OverTime.LATEST,
    )
    assert pct.numerator.measures() == ("dm01_waiting_13wk_plus",)
    assert pct.denominator is not None and pct.denominator.measures() == ("dm01_waiting_list",)
    total = cat.indicator("dm01_activity")
    assert total.over_time is OverTime.SUM and total.direction is Direction.HIGHER
    assert sorted(total.numerator.measures()) == [
        "dm01_activity_planned",
        "dm01_activity_unscheduled",
        "dm01_activity_waiting_list",
    ]
    for ind_id in ("dm01_activity", *(f"dm01_activity_{k}" for k in ("waiting_list", "planned"))):
        assert cat.indicator(ind_id).scheme is Scheme.NONE  # activity: monitored


def test_only_the_six_week_wait_has_a_national_standard() -> None:
    cat = load_catalogue(ROOT)
    for month in ("2019-04", "2025-09", "2026-04"):
        for ind_id in DM01[1:]:
            assert cat.standard_for(ind_id, Month.parse(month)) is None
    now = cat.standard_for("dm01_6wk_pct", Month.parse("2025-09"))
    assert now is not None and (now.standard, now.lower_threshold) == (1.0, 5.0)
    before = cat.standard_for("dm01_6wk_pct", Month.parse("2019-04"))
    assert before is not None and (before.standard, before.lower_threshold) == (1.0, None)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('["diagnostic test"]', "unknown dimension 'diagnostic test'; expected one of"),
        ('"diagnostic_test"', "expected a list of dimension names"),
        ('["diagnostic_test", "diagnostic_test"]', "a dimension is named twice"),
        ("[1]", "expected a list of dimension names"),
    ],
)
def test_breakdowns_must_name_known_dimensions(config: Path, value: str, message: str) -> None:
    _edit(
        config / "indicators" / "diagnostics.toml",
        'breakdowns = ["diagnostic_test"]',
        f"breakdowns = {value}",
    )
    with pytest.raises(DefinitionError) as info:
        load_catalogue(config)
    assert "indicators.dm01_6wk_pct.breakdowns" in str(info.value)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_an_empty_breakdowns_list_is_none(config: Path) -> None:
    _edit(
        config / "indicators" / "diagnostics.toml",
        'breakdowns = ["diagnostic_test"]',
        "breakdowns = []",
    )
    assert load_catalogue(config).indicator("dm01_6wk_pct").breakdowns == ()
