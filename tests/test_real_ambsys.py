"""Acceptance on NHS England's real AmbSYS files (skipped when ../shared is absent).

For every month in the file, England's published means (A25 category 1, A31 category 2) are
reproduced from totals and counts; England's and every region's 90th centiles are the
published ones; quarters and years of a centile are "Not available", never estimated. With
NHS England's System-Mapping lookup stored too, no ICB gets an ambulance figure: QRL
(Hampshire and Isle of Wight) is not the Isle of Wight trust, nor QJK (Devon) South Western.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.model import ENGLAND

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "ambsys"
SERIES = REAL / "AmbSYS_2017-08_to_2021-01.csv"
CURRENT = REAL / "AmbSYS_sample_2026-04_current_layout.csv"
MAPPING = REAL.parent / "ae" / "provider_level_sheet" / "System-Mapping.csv"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
runner = CliRunner()


def _published(path: Path) -> dict[str, dict[str, str]]:
    """England's row per month, read with the csv module (not the code under test)."""
    return {
        f"{int(r['Year']):04d}-{int(r['Month']):02d}": r
        for r in csv.DictReader(path.open())
        if r["Org Code"] == "Eng"
    }


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("amb") / "amb.duckdb"
    files = [str(SERIES), str(CURRENT), *([str(MAPPING)] if MAPPING.is_file() else [])]
    result = runner.invoke(app, ["ingest", *files, "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _query(db: Path, *args: str) -> dict[tuple[str, str], dict[str, dict[str, str]]]:
    """`scorecard values --db DB ARGS`: its rows by (organisation, indicator), then month."""
    result = runner.invoke(app, ["values", "--db", str(db), *args])
    assert result.exit_code == 0, result.output
    rows: dict[tuple[str, str], dict[str, dict[str, str]]] = {}
    for r in csv.DictReader(io.StringIO(result.stdout)):
        rows.setdefault((r["org_code"], r["indicator_id"]), {})[r["period"]] = r
    return rows


@pytest.fixture(scope="module")
def every_month(db: Path) -> dict[tuple[str, str], dict[str, dict[str, str]]]:
    """Every organisation's every indicator in every month, from one `scorecard values`
    (the rows `values --org ORG --indicator ID` gives, as the test below holds)."""
    return _query(db, "--window", "month")


def _values(
    every_month: dict[tuple[str, str], dict[str, dict[str, str]]],
    indicator: str,
    org: str = "ENG",
) -> dict[str, dict[str, str]]:
    """The month rows `scorecard values --org ORG --indicator ID` gives."""
    return every_month.get((org, indicator), {})


@pytest.mark.parametrize(("indicator", "field"), [("amb_c1_mean", "A25"), ("amb_c2_mean", "A31")])
def test_england_means_reproduce_the_published_fields(
    db: Path,
    every_month: dict[tuple[str, str], dict[str, dict[str, str]]],
    indicator: str,
    field: str,
) -> None:
    published = _published(SERIES) | _published(CURRENT)
    for org in (ENGLAND, "Y60", "RX8"):  # England, a region, a trust: asked for alone
        asked = _query(db, "--org", org, "--indicator", indicator, "--window", "month")
        assert asked == {(org, indicator): _values(every_month, indicator, org)}, org
    rows = _values(every_month, indicator)
    assert set(rows) == set(published)
    for month, row in published.items():
        assert round(float(rows[month]["value"])) == int(row[field]), month


def test_england_centiles_are_the_published_ones(
    every_month: dict[tuple[str, str], dict[str, dict[str, str]]],
) -> None:
    published = _published(SERIES)
    rows = _values(every_month, "amb_c1_p90")
    for month, row in published.items():
        assert rows[month]["value"] == row["A26"]


def test_centiles_are_not_combined_over_a_quarter(db: Path) -> None:
    args = ["values", "--db", str(db), "--org", "ENG", "--indicator", "amb_c1_p90"]
    result = runner.invoke(app, [*args, "--window", "quarter"])
    # No quarter figure: an empty table, or a one-line refusal saying why.
    if result.exit_code == 0:
        assert list(csv.DictReader(io.StringIO(result.stdout))) == []
    else:
        (line,) = result.output.strip().splitlines()
        assert result.exit_code == 1 and "amb_c1_p90" in line
    result = runner.invoke(
        app, ["explain", "amb_c2_p90", "--db", str(db), "--org", "ENG", "--period", "2021-01"]
    )
    assert result.exit_code == 0, result.output
    assert "cannot be combined" in result.output


def test_april_2026_current_layout(
    every_month: dict[tuple[str, str], dict[str, dict[str, str]]],
) -> None:
    assert _values(every_month, "amb_c1_mean")["2026-04"]["rating"] == "Red"  # 460 s > 420 s
    c2 = _values(every_month, "amb_c2_mean")["2026-04"]
    assert round(float(c2["value"])) == 1467  # published A31
    assert c2["standard"] == "1080"


def test_region_means_reproduce_the_published_region_rows(
    db: Path, every_month: dict[tuple[str, str], dict[str, dict[str, str]]]
) -> None:
    """A region's figure is its own published row (stored, never rebuilt from trusts)."""
    published = {
        (f"{int(r['Year']):04d}-{int(r['Month']):02d}", r["Org Code"]): r
        for r in csv.DictReader(SERIES.open())
        if r["Org Code"].startswith("Y") and r["A25"] != "."
    }
    assert len(published) > 200
    regions = sorted({code for _, code in published})
    for region in regions:
        args = ["values", "--db", str(db), "--org", region, "--indicator", "amb_c1_mean"]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        rows = {r["period"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
        assert rows == _values(every_month, "amb_c1_mean", region), region
        for (month, code), row in published.items():
            if code == region:
                assert round(float(rows[month]["value"])) == int(row["A25"]), (month, code)


def _rows(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    return {
        (f"{int(r['Year']):04d}-{int(r['Month']):02d}", r["Org Code"]): r
        for r in csv.DictReader(path.open())
    }


@pytest.mark.parametrize("path", [SERIES, CURRENT], ids=["2017-2021", "2026-04"])
def test_region_centiles_are_the_published_region_rows(
    every_month: dict[tuple[str, str], dict[str, dict[str, str]]], path: Path
) -> None:
    """A region's 90th centile cannot be made from its trusts': it is read as published."""
    published = {k: r for k, r in _rows(path).items() if k[1].startswith("Y")}
    for region in sorted({code for _, code in published}):
        got = _values(every_month, "amb_c2_p90", org=region)
        for (month, code), row in published.items():
            if code == region:
                assert got.get(month, {}).get("value", ".") == row["A32"], (month, code)


def test_no_icb_has_an_ambulance_figure(db: Path) -> None:
    if not MAPPING.is_file():
        pytest.skip("System-Mapping.csv is absent")
    mapped = {r["Code"]: r["ICB Code"] for r in csv.DictReader(MAPPING.open(encoding="utf-8"))}
    assert mapped["R1F"] == "QRL" and mapped["RYF"] == "QJK"  # trusts the lookup puts in ICBs
    args = ["values", "--db", str(db), "--indicator", "amb_c1_mean", "--period", "2026-04"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    orgs = {r["org_code"] for r in csv.DictReader(io.StringIO(result.stdout))}
    trusts = {code for (month, code) in _rows(CURRENT) if month == "2026-04"}
    assert orgs == {ENGLAND if c == "Eng" else c for c in trusts}  # 11 trusts, 7 regions, ENG
    assert not orgs & set(mapped.values())


@pytest.mark.parametrize(
    ("indicator", "field"),
    [
        ("amb_c1t_mean", "A28"),
        ("amb_c3_mean", "A34"),
        ("amb_c4_mean", "A37"),
        ("amb_c1t_p90", "A29"),
        ("amb_incidents", "A7"),
        ("amb_calls_answered", "A1"),
    ],
)
def test_the_other_published_ambulance_measures_reproduce_englands_row(
    every_month: dict[tuple[str, str], dict[str, dict[str, str]]], indicator: str, field: str
) -> None:
    """Category 1T, 3 and 4 means (total / incidents), the 1T centile and the activity
    counts give England's published figure in every month that has one, and none where
    the field is not published."""
    published = {m: r[field] for m, r in (_published(SERIES) | _published(CURRENT)).items()}
    rows = _values(every_month, indicator)
    assert {m for m, v in published.items() if v != "."} == set(rows)
    for month, value in rows.items():
        assert abs(float(value["value"]) - float(published[month])) <= 0.5, month
        assert value["rating"] == "Not rated"


# Issue 14: call answering, incidents by category, and what happened to the incidents. Each
# indicator against the fields NHS England printed for the same row (see ambsys.py for the
# field codes and their source).
COUNTS = {
    "amb_c1_incidents": "A8",
    "amb_c2_incidents": "A10",
    "amb_c3_incidents": "A11",
    "amb_c4_incidents": "A12",
    "amb_hear_treat": "A17",
    "amb_see_treat": "A55",
    "amb_conveyed_ed": "A53",
    "amb_conveyed_non_ed": "A54",
}
RATES = {
    "amb_hear_treat_pct": "A17",
    "amb_see_treat_pct": "A55",
    "amb_conveyed_ed_pct": "A53",
    "amb_conveyed_non_ed_pct": "A54",
}
CALLS = {"amb_call_answer_mean": "A3", "amb_call_answer_p90": "A114"}


def _printed(indicator: str, row: dict[str, str]) -> float | None:
    """The figure the published row gives for `indicator`, or None where it has none."""
    if indicator in RATES:
        part, whole = row[RATES[indicator]], row["A7"]
        return None if "." in (part, whole) else 100 * int(part) / int(whole)
    field = row[COUNTS.get(indicator) or CALLS[indicator]]
    return None if field == "." else float(field)


@pytest.mark.parametrize("indicator", [*COUNTS, *RATES, *CALLS])
@pytest.mark.parametrize("org", ["Eng", "Y60", "RX8"], ids=["England", "Midlands", "Yorkshire"])
def test_call_incident_and_outcome_measures_reproduce_the_printed_rows(
    every_month: dict[tuple[str, str], dict[str, dict[str, str]]], indicator: str, org: str
) -> None:
    """England, a region (Midlands, two trusts) and a trust (Yorkshire), every month of both
    layouts: counts and the call-answer centile exactly as printed, the mean (A2 / A1) to
    the published whole second (A3), rates as the printed part over all incidents (A7)."""
    printed = {
        month: _printed(indicator, row)
        for path in (SERIES, CURRENT)
        for (month, code), row in _rows(path).items()
        if code == org
    }
    got = _values(every_month, indicator, org=ENGLAND if org == "Eng" else org)
    assert set(got) == {m for m, v in printed.items() if v is not None}
    assert len(got) >= (22 if indicator == "amb_call_answer_p90" else 40)
    for month, row in got.items():
        value, expected = float(row["value"]), printed[month]
        assert expected is not None and row["rating"] == "Not rated"
        if indicator == "amb_call_answer_mean":
            assert abs(value - expected) <= 0.5, month
        else:
            assert value == pytest.approx(expected, rel=1e-12), month


def test_april_2026_incident_outcomes_add_up_for_england(
    every_month: dict[tuple[str, str], dict[str, dict[str, str]]],
) -> None:
    """Hear and treat, see and treat and the two conveyances make up every incident in April
    2026 (A17 + A53 + A54 + A55 = A7); a call is answered in about two seconds on average."""
    share = {i: float(_values(every_month, i)["2026-04"]["value"]) for i in RATES}
    assert sum(share.values()) == pytest.approx(100.0)
    assert [round(share[i], 1) for i in RATES] == [18.4, 28.8, 48.3, 4.5]
    mean = _values(every_month, "amb_call_answer_mean")["2026-04"]
    assert (mean["numerator"], mean["denominator"]) == ("1750188", "791911")
    assert round(float(mean["value"]), 2) == 2.21  # published A3: 2 s
    assert _values(every_month, "amb_call_answer_p90")["2026-04"]["value"] == "1"  # A114
