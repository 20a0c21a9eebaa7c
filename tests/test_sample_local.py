"""The bundled synthetic local-measures file (data/local/) and its generator."""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from scorecard.api import Query, catalogue, values
from scorecard.measures import LOCAL
from scorecard.model import Window
from scorecard.periods import Month
from scorecard.sources import read_extracts
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "local" / "local-measures.csv"
ORGS = ROOT / "data" / "orgs" / "System-Mapping.csv"
INDICATORS = {
    "mrsa_cases": {"ZA1"},
    "cdiff_cases": {"ZA1"},
    "fft_ae_recommend": {"ZA1"},
    "finance_surplus": {"ZA1", "ZI1"},
    "elective_activity": {"ZI1"},
    "safeguarding_assured": {"ZA1"},
    "vte_risk_assessed_pct": {"ZA1"},  # a percentage entered as a percentage
    "cancelled_ops_not_rebooked": {"ZA1"},  # quarterly
}
QUARTERS = ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_local", ROOT / "data" / "generate_local.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _rows() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_regenerates_byte_identical(tmp_path: Path) -> None:
    assert _load().main(["--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [SAMPLE.name]
    assert (tmp_path / SAMPLE.name).read_bytes() == SAMPLE.read_bytes()


def test_covers_every_indicator_and_month() -> None:
    rows = _rows()
    months = {r["Period"] for r in rows if re.fullmatch(r"\d{4}-\d{2}", r["Period"])}
    assert min(months) == "2024-04" and max(months) == "2025-09" and len(months) == 18
    for indicator, orgs in INDICATORS.items():
        mine = [r for r in rows if r["Indicator"] == indicator and r["Period"] in months]
        assert {r["Org Code"] for r in mine} == orgs or indicator == "cancelled_ops_not_rebooked"
        assert len(mine) == (0 if indicator == "cancelled_ops_not_rebooked" else 18 * len(orgs))
    quarterly = [r["Period"] for r in rows if r["Indicator"] == "cancelled_ops_not_rebooked"]
    assert quarterly == QUARTERS
    own = [r["Period"] for r in rows if r["Indicator"] == "vte_risk_assessed_pct"]
    assert {"Q1 2024/25", "2024-Q2", "2024/25", "Q1 2025/26"} <= set(own)  # windows' own figures
    assert {r["Value"] for r in rows if r["Indicator"] == "safeguarding_assured"} == {"Yes", "No"}
    assert any(r["Value"].startswith("-") for r in rows if r["Indicator"] == "finance_surplus")
    assert any("<script>" in r["Comment"] and "&" in r["Comment"] for r in rows)


def test_ingests_cleanly_and_every_indicator_has_values() -> None:
    cat = catalogue(ROOT)
    local = [
        i
        for i in cat.indicators.values()
        if i.family == LOCAL and cat.defined_in[i.id] == "indicators/local.toml"
    ]  # the provider assurance questions (indicators/assurance.toml) are in data/assurance/
    assert {i.id for i in local} == set(INDICATORS)
    with Store.open(None) as store:
        results = store.ingest([e for p in (SAMPLE, ORGS) for e in read_extracts(p)])
        assert {r.action for r in results} == {"stored"}
        for ind in local:
            for org in INDICATORS[ind.id]:
                query = Query(Month(2025, 9), org, ind.id)
                [row] = values(store, cat, query, Window.MONTH).rows(named=True)
                assert row["value"] != "", (ind.id, org)
        said = store.comments("ZA1", Month(2024, 4), Month(2025, 9))
        assert any("<script>alert(1)</script>" in c for c in said["comment"].to_list())


@pytest.mark.parametrize("org", ["ZA1", "ZI1"])
def test_finance_is_stored_as_written_deficits_included(org: str) -> None:
    written = {
        r["Period"]: float(r["Value"].replace(",", ""))
        for r in _rows()
        if r["Indicator"] == "finance_surplus" and r["Org Code"] == org
    }
    with Store.open(None) as store:
        store.ingest(read_extracts(SAMPLE))
        stored = store.con.execute(
            "SELECT strftime(period, '%Y-%m'), value FROM current_observations "
            "WHERE org_code = ? AND measure = 'finance_surplus_value'",
            [org],
        ).fetchall()
    assert dict(stored) == written
    assert min(written.values()) < 0
