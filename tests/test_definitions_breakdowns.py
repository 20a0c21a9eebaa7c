"""The `breakdowns` key of an indicator definition: the dimensions it can be broken down by."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scorecard.definitions import load_catalogue
from scorecard.errors import DefinitionError

ROOT = Path(__file__).resolve().parents[1]
LINE = 'breakdowns = ["route", "cancer_type", "modality"]'


@pytest.fixture
def config(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "indicators", tmp_path / "indicators")
    shutil.copy(ROOT / "thresholds.toml", tmp_path / "thresholds.toml")
    return tmp_path


def test_shipped_cancer_indicators_declare_their_dimensions() -> None:
    cat = load_catalogue(ROOT)
    assert cat.indicator("cwt_62d_combined_pct").breakdowns == ("route", "cancer_type", "modality")
    assert cat.indicator("cwt_31d_sub_pct").breakdowns == ("modality", "cancer_type")
    assert cat.indicator("cwt_usc_foa_14d_pct").breakdowns == ("cancer_type",)
    assert cat.indicator("cwt_ubs_fha_14d_pct").breakdowns == ()
    assert cat.indicator("ae_4hr_all_pct").breakdowns == ()


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ('["route", "tumour"]', "unknown dimension 'tumour'; expected one of treatment_function"),
        ('"route"', "expected a list of dimension names"),
        ('["route", "route"]', "a dimension is named twice"),
    ],
)
def test_a_bad_breakdowns_value_fails_by_name(config: Path, value: str, problem: str) -> None:
    path = config / "indicators" / "cancer.toml"
    text = path.read_text()
    assert LINE in text
    path.write_text(text.replace(LINE, f"breakdowns = {value}", 1))
    with pytest.raises(DefinitionError) as info:
        load_catalogue(config)
    err = info.value
    assert (err.file, err.key) == (
        "indicators/cancer.toml",
        "indicators.cwt_62d_combined_pct.breakdowns",
    )
    assert problem in err.problem and "\n" not in str(err)
