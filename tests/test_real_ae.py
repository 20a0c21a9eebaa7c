"""Acceptance on NHS England's real published A&E files (skipped when ../shared is absent).

NHS England's published national four-hour performance (all types, booked appointments
included), April-September 2025, to one decimal place: 74.8, 75.4, 75.5, 76.4, 75.9, 75.0%.
`scorecard values` must reproduce it. (June is 75.545% in NHS England's CSV, so 75.5%; the
later provider-level sheet gives 75.556%, 75.6%, because some trusts' rows were revised.)
"""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from scorecard import api
from scorecard.cli import app
from scorecard.periods import Month
from scorecard.sources import read_extract
from scorecard.store import Store

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "ae"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")

OFFICIAL = [
    "Monthly-AE-April-2025.csv",
    "Monthly-AE-May-2025.csv",
    "Monthly-AE-June-2025-1-1.csv",
    "July-2025-CSV-9jfy4.csv",
    "August-2025-CSV-g5tyh-v2.0.csv",
    "September-2025-Csv-7hjr2.csv",
]
SHEETS = [f"{m}-2025-AE.csv" for m in ("April", "May", "June", "July", "August", "September")]
PUBLISHED = {
    "2025-04": 74.8,
    "2025-05": 75.4,
    "2025-06": 75.5,
    "2025-07": 76.4,
    "2025-08": 75.9,
    "2025-09": 75.0,
}
runner = CliRunner()


def _ingest(paths: list[Path], db: Path) -> None:
    result = runner.invoke(app, ["ingest", *map(str, paths), "--db", str(db)])
    assert result.exit_code == 0, result.output


def _england(db: Path, indicator: str = "ae_4hr_all_pct") -> dict[str, dict[str, str]]:
    result = runner.invoke(
        app, ["values", "--db", str(db), "--org", "ENG", "--indicator", indicator]
    )
    assert result.exit_code == 0, result.output
    return {r["period"]: r for r in csv.DictReader(io.StringIO(result.stdout))}


def _round1(text: str) -> float:
    return float(f"{float(text):.1f}")


@pytest.fixture(scope="module")
def official_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("official") / "ae.duckdb"
    _ingest([REAL / f for f in OFFICIAL], db)
    return db


def test_official_csvs_reproduce_published_national_figures(official_db: Path) -> None:
    rows = _england(official_db)
    assert {p: _round1(r["value"]) for p, r in rows.items()} == PUBLISHED
    for r in rows.values():
        assert r["standard"] == "95" and r["lower_threshold"] == "78"
        assert r["rating"] == "Red"  # below the 2025/26 planning target of 78% every month


def test_england_equals_the_files_own_total_rows(official_db: Path) -> None:
    """England is the providers' sum; each file's TOTAL row holds the same numbers."""
    rows = _england(official_db, "ae_12hr_dta_count")
    totals = {}
    for name in OFFICIAL:
        *_, last = (REAL / name).read_text().splitlines()
        cells = last.split(",")
        assert cells[0].upper() == "TOTAL"
        totals[name] = cells[17]
    assert [rows[p]["value"] for p in PUBLISHED] == [totals[n] for n in OFFICIAL]


def test_provider_sheets_give_the_same_figures_where_they_overlap(
    tmp_path: Path, official_db: Path
) -> None:
    db = tmp_path / "sheets.duckdb"
    _ingest([REAL / "provider_level_sheet" / f for f in SHEETS], db)
    sheets = _england(db)
    official = _england(official_db)
    for period, published in PUBLISHED.items():
        # Same basis: within 0.03 percentage points every month, though the sheets carry
        # later revisions for a few trusts (see the next test).
        assert abs(float(sheets[period]["value"]) - float(official[period]["value"])) < 0.03
        if period not in ("2025-06", "2025-09"):
            assert _round1(sheets[period]["value"]) == published
    # The two revised months land on the other side of a rounding boundary.
    assert _round1(sheets["2025-06"]["value"]) == 75.6
    assert _round1(sheets["2025-09"]["value"]) == 75.1


@pytest.mark.parametrize(("sheet", "csv_name"), list(zip(SHEETS, OFFICIAL, strict=True)))
def test_sheets_differ_from_the_csvs_only_in_a_few_revised_trusts(
    sheet: str, csv_name: str
) -> None:
    a = read_extract(REAL / "provider_level_sheet" / sheet).observations
    b = read_extract(REAL / csv_name).observations
    both = a.join(b, on=["period", "org_code", "measure"], suffix="_csv")
    assert set(a["org_code"]) == set(b["org_code"])
    assert both.height == a.height  # every measure the sheet publishes, for every provider
    differ = set(both.filter(pl.col("value") != pl.col("value_csv"))["org_code"])
    assert "RTD" in differ and len(differ) <= 3


def test_rf4_april_type1_attendances_agree_across_layouts() -> None:
    def rf4(path: Path) -> float:
        obs = read_extract(path).observations
        sel = obs.filter((pl.col("org_code") == "RF4") & (pl.col("measure") == "ae_att_type1"))
        return float(sel["value"][0])

    assert rf4(REAL / "Monthly-AE-April-2025.csv") == 13402
    assert rf4(REAL / "provider_level_sheet" / "April-2025-AE.csv") == 13402


def test_ingesting_the_same_files_twice_changes_nothing(official_db: Path) -> None:
    with Store.open(official_db, read_only=True) as store:
        before = store.snapshot()
    result = runner.invoke(
        app, ["ingest", *(str(REAL / f) for f in OFFICIAL), "--db", str(official_db)]
    )
    assert result.exit_code == 0
    assert result.output.count("unchanged") == len(OFFICIAL)
    with Store.open(official_db, read_only=True) as store:
        assert store.snapshot() == before


def test_unknown_layout_is_rejected_by_content(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["ingest", str(REAL / "nhsrdatasets_ae_attendances.csv"), "--db", str(tmp_path / "x")]
    )
    assert result.exit_code == 1
    assert "matches no known published layout" in result.stderr
    assert not (tmp_path / "x").exists()


NAMES = ("Period", "Org Code", "Parent Org", "Org name")
VIA_AE = tuple(
    f"Emergency admissions via A&E - {d}" for d in ("Type 1", "Type 2", "Other A&E department")
)
DTA = (
    "Patients who have waited 4-12 hs from DTA to admission",
    "Patients who have waited 12+ hrs from DTA to admission",
)


def _total_row(name: str) -> dict[str, float]:
    """A file's national TOTAL row by column name, read with the csv module."""
    rows = list(csv.DictReader(io.StringIO((REAL / name).read_text())))
    (total,) = [r for r in rows if r["Period"].upper() == "TOTAL"]
    return {k: float(v) for k, v in total.items() if k not in NAMES}


def test_dta_waits_and_admissions_via_ae_equal_the_total_rows(official_db: Path) -> None:
    """4-hour decision-to-admit waits and emergency admissions via A&E: England's figure is
    each file's own TOTAL row."""
    got = {i: _england(official_db, i) for i in ("ae_4hr_dta_count", "ae_admissions_via_ae")}
    for name, period in zip(OFFICIAL, PUBLISHED, strict=True):
        t = _total_row(name)
        assert float(got["ae_4hr_dta_count"][period]["value"]) == sum(t[c] for c in DTA)
        assert float(got["ae_admissions_via_ae"][period]["value"]) == sum(t[c] for c in VIA_AE)


# Four-hour performance of type 2 and of other (type 3) departments (issue 14).
# The official CSV's attendance columns (booked appointments apart), its over-4-hour
# columns, and the position of the provider-level sheet's printed percentage.
BY_TYPE = {
    "ae_4hr_type2_pct": (
        ("A&E attendances Type 2", "A&E attendances Booked Appointments Type 2"),
        ("Attendances over 4hrs Type 2", "Attendances over 4hrs Booked Appointments Type 2"),
        17,
    ),
    "ae_4hr_other_pct": (
        (
            "A&E attendances Other A&E Department",
            "A&E attendances Booked Appointments Other Department",
        ),
        (
            "Attendances over 4hrs Other Department",
            "Attendances over 4hrs Booked Appointments Other Department",
        ),
        18,
    ),
}
ALL_SHEETS = [
    f"{m}-AE.csv"
    for m in (
        *(f"{n}-2025" for n in ("April", "May", "June", "July", "August", "September")),
        *(f"{n}-2025" for n in ("October", "November", "December")),
        *(f"{n}-2026" for n in ("January", "February", "March")),
    )
]


def _half_up(numerator: str, denominator: str) -> Decimal:
    """100 x numerator / denominator to one decimal place, halves up, as the sheet prints."""
    exact = Fraction(100 * int(float(numerator)), int(float(denominator)))
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@pytest.mark.parametrize("indicator", list(BY_TYPE))
def test_type2_and_other_four_hours_equal_the_total_rows(official_db: Path, indicator: str) -> None:
    """England's figure is each official CSV's TOTAL row: attendances (booked included)
    less those over 4 hours, over attendances, for that department type alone."""
    attendances, over_4h, _ = BY_TYPE[indicator]
    got = _england(official_db, indicator)
    for name, period in zip(OFFICIAL, PUBLISHED, strict=True):
        t = _total_row(name)
        att, over = sum(t[c] for c in attendances), sum(t[c] for c in over_4h)
        row = got[period]
        assert (float(row["numerator"]), float(row["denominator"])) == (att - over, att)
        assert float(row["value"]) == pytest.approx(100 * (att - over) / att)
        assert row["rating"] == "Not rated"  # no per-type standard
    expected = {
        "ae_4hr_type2_pct": [95.4, 95.5, 96.0, 95.4, 95.4, 95.8],
        "ae_4hr_other_pct": [97.1, 97.4, 97.0, 97.3, 97.7, 97.3],
    }
    assert [_round1(got[p]["value"]) for p in PUBLISHED] == expected[indicator]


@pytest.fixture(scope="module")
def sheets_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("sheets") / "ae.duckdb"
    _ingest([REAL / "provider_level_sheet" / f for f in ALL_SHEETS], db)
    return db


def _sheet(name: str) -> dict[str, list[str]]:
    rows = list(csv.reader(io.StringIO((REAL / "provider_level_sheet" / name).read_text())))
    return {r[0]: r for r in rows[1:]}


@pytest.mark.parametrize("indicator", list(BY_TYPE))
def test_type2_and_other_four_hours_equal_the_sheets_printed_percentages(
    sheets_db: Path, indicator: str
) -> None:
    """Every provider, every month of 2025/26: the sheet's 'Percentage in 4 hours or less
    (type 2)' / '(type 3)', to its one decimal place; where it prints `-` (or 0.0 for no
    attendances, April 2025) the provider has no department of that type, and no figure."""
    column = BY_TYPE[indicator][2]
    args = ["values", "--db", str(sheets_db), "--indicator", indicator]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    got = {(r["period"], r["org_code"]): r for r in csv.DictReader(io.StringIO(result.stdout))}
    printed = 0
    for name in ALL_SHEETS:
        word, year = name.split("-")[:2]
        month = Month.from_name(word, int(year))
        assert month is not None
        for code, cells in _sheet(name).items():
            row, text = got[(month.iso(), code)], cells[column].rstrip("%")
            if row["denominator"] == "0":
                assert text in ("-", "0.0") and row["value"] == "", (month, code)
                continue
            assert _half_up(row["numerator"], row["denominator"]) == Decimal(text), (month, code)
            printed += 1
    assert printed > (400 if indicator == "ae_4hr_type2_pct" else 2000)
    rf4 = {p: r["value"] for (p, o), r in got.items() if o == "RF4"}
    assert _round1(rf4["2025-04"]) == (86.8 if indicator == "ae_4hr_type2_pct" else 98.6)


def test_a_trust_without_a_type2_department_has_no_type2_row(sheets_db: Path) -> None:
    """RF4 (Barking, Havering and Redbridge) has a type 2 department, RRF (Wrightington,
    Wigan and Leigh) none: RRF's card shows no type 2 row, and says why."""
    catalogue = api.catalogue()
    with api.open_store(sheets_db) as store:
        rf4 = api.scorecard_for(store, catalogue, "RF4", Month(2026, 3))
        rrf = api.scorecard_for(store, catalogue, "RRF", Month(2026, 3))
    assert {"ae_4hr_type2_pct", "ae_4hr_other_pct"} <= {r.indicator.id for r in rf4.rows}
    assert "ae_4hr_type2_pct" not in {r.indicator.id for r in rrf.rows}
    (note,) = [n for n in rrf.sources if n.startswith("Not shown, nothing to measure")]
    assert note.endswith(": A&E: seen within 4 hours, type 2.")
    assert all(r.month.value.value is not None for r in (*rf4.rows, *rrf.rows))
