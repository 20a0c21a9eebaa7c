"""Acceptance on NHS England's real cancer workbooks: the sheets read from October 2023 beyond
the whole (by cancer type, treatment modality and route; referral to first appointment), and
the indicators they feed. Skipped when ../shared/data/real is absent.

Every expected figure is read here from the workbook's own cells (python-calamine, by the
sheet's header names), never through scorecard's readers. Published July 2024
(ALL ENGLISH COMMISSIONERS rows):

* 31-day subsequent treatment 24,871 of 27,189 (0.914744933612858); by modality surgery 4,554
  of 5,588, anti-cancer drug regimen 10,432 of 10,645, radiotherapy 9,385 of 10,390, other
  500 of 566;
* 62 days, consultant upgrade 7,551 of 9,637 (0.783542596243644); breast symptomatic 89 of
  131 (0.679389312977099); all routes, Lung 1,959 of 3,280; all routes, Surgery 10,506 of
  15,055;
* urgent suspected cancer referrals seen within 14 days: 224,980 of 287,567 (the sum of the
  sheet's 16 national rows, one per suspected cancer type; no all-types row is printed);
  breast symptomatic referrals: 7,032 of 10,020.

Where the parts add up: for every commissioner each sheet's parts add up exactly to the whole
its ALL CANCER (ALL ROUTES) sheet prints, as NHS England's layout says they should (the
cancer types and modalities of each stage or route; the FDS routes and suspected types).
Where they do not: before October 2023 the subsequent treatment sheets (surgery, drugs,
radiotherapy) have no whole to add up to (other modalities were not published), and the
first-appointment sheets have no whole at all, so their whole is the sum of their rows.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.sources import read_extracts
from scorecard.sources.workbook import cell_text
from scorecard.store import Store

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "cwt"
BOOK, OLD = REAL / "CWT-Commissioner-2024-07.xlsx", REAL / "CWT-Commissioner-2023-07.xlsx"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
runner = CliRunner()
ENG = ""  # the ALL ENGLISH COMMISSIONERS rows have no ODS code
ICB = "QOP"  # NHS Greater Manchester ICB


@cache
def _table(book: Path, sheet: str) -> tuple[list[str], list[list[str]]]:
    """The sheet's header row (names without footnote markers) and the rows below it."""
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name(sheet).to_python()
    text = [[cell_text(c).strip() for c in row] for row in rows]
    at = next(i for i, row in enumerate(text) if any(c.startswith("ODS CODE") for c in row))
    header = [c.split(" (")[0] if c.endswith(")") and "(" in c else c for c in text[at]]
    return header, text[at + 1 :]


def _published(book: Path, sheet: str, code: str, *labels: str) -> tuple[float, float, str]:
    """(TOTAL, the count within the standard, the percentage cell or "") of the one row of
    `code` (ENG: the national row) whose text cells include every label."""
    header, rows = _table(book, sheet)
    ods, total = header.index("ODS CODE"), header.index("TOTAL")
    found = [
        r
        for r in rows
        if len(r) > total and r[ods] == code and r[total] and all(x in r for x in labels)
        and (code or "ALL ENGLISH COMMISSIONERS" in r)
    ]  # fmt: skip
    assert len(found) == 1, (sheet, code, labels, len(found))
    row = found[0]
    pct = row[total + 3] if header[total + 3].startswith(("TREATED", "TOLD")) else ""
    return float(row[total]), float(row[total + 1]), pct


def _national_sum(book: Path, sheet: str) -> tuple[float, float]:
    """Every national row of a sheet added up (TOTAL, WITHIN)."""
    header, rows = _table(book, sheet)
    total = header.index("TOTAL")
    national = [r for r in rows if "ALL ENGLISH COMMISSIONERS" in r]
    return sum(float(r[total]) for r in national), sum(float(r[total + 1]) for r in national)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cwt_parts") / "cwt.duckdb"
    result = runner.invoke(app, ["ingest", str(BOOK), str(OLD), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _values(db: Path, org: str, period: str) -> dict[str, dict[str, str]]:
    args = ["values", "--db", str(db), "--org", org, "--period", period]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return {r["indicator_id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}


def _parts(db: Path, measure: str, dimension: str, org: str | None = None) -> dict[str, float]:
    """A measure's drill-down in July 2024, for one organisation or added over all (England)."""
    sql = (
        "SELECT breakdown, sum(value) FROM current_breakdowns WHERE period = '2024-07-01' "
        "AND measure = ? AND dimension = ? AND (? IS NULL OR org_code = ?) GROUP BY 1"
    )
    with Store.open(db, read_only=True) as store:
        rows = store.con.execute(sql, [measure, dimension, org, org]).fetchall()
    return {str(k): float(v) for k, v in rows}


def _check(row: dict[str, str], total: float, within: float, pct: str) -> None:
    assert (float(row["numerator"]), float(row["denominator"])) == (within, total)
    if pct:  # the fraction NHS England printed, to its full precision
        assert float(row["value"]) / 100 == pytest.approx(float(pct), abs=1e-12)


def test_no_sheet_with_a_measure_is_left_unread() -> None:
    for book, read in ((BOOK, 10), (OLD, 10)):
        skipped: list[str] = []
        extracts = read_extracts(book, skipped=skipped)
        assert skipped == [f"{book.name}, sheet Frontpage: no known layout, skipped"]
        assert len(extracts) == read


BY_MODALITY, SUB, D62 = (
    "31-DAY (BY TREATMENT MODALITY)",
    "Subsequent Treatment",
    "62-DAY (ALL CANCER)",
)
NEW = {  # indicator -> (sheet, labels of its section's row)
    "cwt_31d_sub_pct": ("31-DAY (ALL CANCER)", (SUB, "ALL CANCERS")),
    "cwt_62d_upgrade_pct": (D62, ("Consultant Upgrade", "ALL CANCERS")),
    "cwt_62d_breast_symptomatic_pct": (D62, ("Breast Symptomatic", "ALL CANCERS")),
    "cwt_31d_sub_surgery_pct": (BY_MODALITY, (SUB, "Surgery")),
    "cwt_31d_sub_drug_pct": (BY_MODALITY, (SUB, "Anti-cancer drug regimen")),
    "cwt_31d_sub_radio_pct": (BY_MODALITY, (SUB, "Radiotherapy")),
    "cwt_ubs_fha_14d_pct": ("UBS referral to FHA", ()),
}  # fmt: skip


@pytest.mark.parametrize("org", [ENG, ICB])
def test_new_indicators_reproduce_the_published_rows(db: Path, org: str) -> None:
    rows = _values(db, org or "ENG", "2024-07")
    for indicator, (sheet, labels) in NEW.items():
        _check(rows[indicator], *_published(BOOK, sheet, org, *labels))
    foa = rows["cwt_usc_foa_14d_pct"]
    if org == ENG:  # no all-types row: England is the sum of the 16 national rows
        assert _national_sum(BOOK, "USC referral to FOA") == (287567.0, 224980.0)
        _check(foa, 287567.0, 224980.0, "")
        assert f"{float(foa['value']):.1f}" == "78.2"
    else:
        header, table = _table(BOOK, "USC referral to FOA")
        mine = [r for r in table if r[header.index("ODS CODE")] == org]
        total = header.index("TOTAL")
        _check(foa, sum(float(r[total]) for r in mine), sum(float(r[total + 1]) for r in mine), "")


def test_england_figures_as_printed(db: Path) -> None:
    rows = _values(db, "ENG", "2024-07")
    shown = {i: f"{float(rows[i]['value']):.1f}" for i in (*NEW, "cwt_usc_foa_14d_pct")}
    assert shown == {
        "cwt_31d_sub_pct": "91.5",
        "cwt_62d_upgrade_pct": "78.4",
        "cwt_62d_breast_symptomatic_pct": "67.9",
        "cwt_31d_sub_surgery_pct": "81.5",
        "cwt_31d_sub_drug_pct": "98.0",
        "cwt_31d_sub_radio_pct": "90.3",
        "cwt_ubs_fha_14d_pct": "70.2",
        "cwt_usc_foa_14d_pct": "78.2",
    }


def test_ratings_against_the_standards_in_force(db: Path) -> None:
    now = _values(db, "ENG", "2024-07")
    assert (now["cwt_31d_sub_pct"]["standard"], now["cwt_31d_sub_pct"]["rating"]) == ("96", "Red")
    for indicator in (
        "cwt_62d_upgrade_pct",
        "cwt_62d_breast_symptomatic_pct",
        "cwt_usc_foa_14d_pct",
        "cwt_ubs_fha_14d_pct",
        "cwt_31d_sub_surgery_pct",
    ):
        assert (now[indicator]["standard"], now[indicator]["rating"]) == ("", "Not rated")
    before = _values(db, "ENG", "2023-07")
    assert "cwt_31d_sub_pct" not in before  # no combined subsequent figure before October 2023
    upgrade = before["cwt_62d_upgrade_pct"]  # the 62-DAY (CONSULTANT UPGRADE) sheet
    assert (upgrade["numerator"], upgrade["denominator"], upgrade["rating"]) == (
        "4151", "5647", "Not rated",
    )  # fmt: skip
    drug = before["cwt_31d_sub_drug_pct"]  # 98.2% against the retired 98% standard
    assert (drug["numerator"], drug["denominator"], drug["rating"]) == ("8556", "8709", "Green")


# (sheet, labels, measure pair, dimension, key): one drill-down level each, as published.
LEVELS = [
    ("62-DAY (BY CANCER)", ("ALL ROUTES", "Lung"), "cwt_62d", "cancer_type", "lung"),
    ("62-DAY (BY CANCER)", ("Screening", "Breast"), "cwt_62d_screening", "cancer_type", "breast"),
    ("31-DAY (BY CANCER)", ("Subsequent Treatment", "Breast"), "cwt_31d_sub", "cancer_type",
     "breast"),
    ("31-DAY (BY CANCER)", ("ALL STAGES", "Other (a)"), "cwt_31d", "cancer_type", "other"),
    ("31-DAY (BY TREATMENT MODALITY)", ("Subsequent Treatment", "Other"), "cwt_31d_sub",
     "modality", "other"),
    ("62-DAY (BY TREATMENT MODALITY)", ("ALL ROUTES", "Surgery"), "cwt_62d", "modality",
     "surgery"),
    ("62-DAY (BY TREATMENT MODALITY)", ("Consultant Upgrade", "Radiotherapy"), "cwt_62d_upgrade",
     "modality", "radio"),
    ("62-DAY (ALL CANCER)", ("Screening", "ALL CANCERS"), "cwt_62d", "route", "screening"),
    ("USC referral to FOA", ("Suspected skin cancer",), "cwt_usc_foa", "cancer_type",
     "suspected_skin"),
]  # fmt: skip
WITHIN = {"cwt_62d": "within_62d", "cwt_31d": "within_31d", "cwt_usc_foa": "within_14d"}


def _pair(stem: str) -> tuple[str, str]:
    days = next(v for k, v in WITHIN.items() if stem.startswith(k))
    return f"{stem}_{'seen' if stem == 'cwt_usc_foa' else 'treated'}", f"{stem}_{days}"


@pytest.mark.parametrize("org", [ENG, ICB])
@pytest.mark.parametrize(("sheet", "labels", "stem", "dimension", "key"), LEVELS)
def test_each_drill_down_level_is_the_published_row(
    db: Path, org: str, sheet: str, labels: tuple[str, ...], stem: str, dimension: str, key: str
) -> None:
    total, within, pct = _published(BOOK, sheet, org, *labels)
    treated, inside = _pair(stem)
    who = org or None  # England: every commissioner added up, as the national row does
    got = (_parts(db, treated, dimension, who)[key], _parts(db, inside, dimension, who)[key])
    assert got == (total, within)
    if pct:
        assert got[1] / got[0] == pytest.approx(float(pct), abs=1e-12)


def test_fds_by_route_and_suspected_type_add_up_the_route_rows(db: Path) -> None:
    """The sheet prints each route by suspected cancer type, no route totals."""
    header, rows = _table(BOOK, "28-DAY FDS (BY ROUTE)")
    route, total = header.index("REFERRAL ROUTE"), header.index("TOTAL")
    screening = [r for r in rows if "ALL ENGLISH COMMISSIONERS" in r and
                 r[route] == "NATIONAL SCREENING PROGRAMME"]  # fmt: skip
    told = _parts(db, "cwt_fds_told", "route")
    assert told["screening"] == sum(float(r[total]) for r in screening) == 12845.0
    within = _parts(db, "cwt_fds_told_within_28d", "cancer_type", ICB)
    assert (
        within["breast_symptoms"]
        == _published(
            BOOK, "28-DAY FDS (BY ROUTE)", ICB, "BREAST SYMPTOMATIC, CANCER NOT SUSPECTED"
        )[1]
    )
    skin = _parts(db, "cwt_fds_told", "cancer_type")["suspected_skin"]
    assert skin == _published(BOOK, "28-DAY FDS (BY ROUTE)", ENG, "Suspected skin cancer")[0]


def test_parts_add_up_to_the_published_whole_for_every_commissioner(db: Path) -> None:
    sql = (
        "WITH parts AS (SELECT org_code, measure, dimension, sum(value) AS v "
        "FROM current_breakdowns WHERE period = '2024-07-01' GROUP BY ALL) "
        "SELECT p.measure, p.dimension, count(*), count(*) FILTER (WHERE p.v <> o.value) "
        "FROM parts p JOIN current_observations o USING (org_code, measure) "
        "WHERE o.period = '2024-07-01' GROUP BY ALL ORDER BY 1, 2"
    )
    with Store.open(db, read_only=True) as store:
        rows = store.con.execute(sql).fetchall()
    assert len(rows) == 40  # every measure and dimension stored as parts has its whole
    assert all(bad == 0 and n >= 36 for _, _, n, bad in rows), rows
    # The route drill-down of 62 days is the route measures themselves, figure for figure.
    routes = _parts(db, "cwt_62d_treated", "route", ICB)
    rows_icb = _values(db, ICB, "2024-07")
    assert routes["upgrade"] == float(rows_icb["cwt_62d_upgrade_pct"]["denominator"])


def test_by_cancer_sheets_add_up_to_the_all_cancer_rows_in_print() -> None:
    """NHS England's own national rows: the 13 cancer types make the ALL CANCERS row."""
    for by, whole, section in (
        ("31-DAY (BY CANCER)", "31-DAY (ALL CANCER)", "Subsequent Treatment"),
        ("62-DAY (BY CANCER)", "62-DAY (ALL CANCER)", "Urgent Suspected Cancer"),
    ):
        header, rows = _table(BOOK, by)
        total = header.index("TOTAL")
        types = [r for r in rows if "ALL ENGLISH COMMISSIONERS" in r and section in r]
        assert len(types) == 13
        added = (sum(float(r[total]) for r in types), sum(float(r[total + 1]) for r in types))
        assert added == _published(BOOK, whole, ENG, section, "ALL CANCERS")[:2]


def _breakdown(db: Path, org: str, indicator: str, part: str) -> dict[str, dict[str, str]]:
    args = ["values", "--db", str(db), "--org", org, "--period", "2024-07"]
    result = runner.invoke(app, [*args, "--indicator", indicator, "--breakdown", part])
    assert result.exit_code == 0, result.output
    return {r["breakdown"]: r for r in csv.DictReader(io.StringIO(result.stdout))}


def test_values_by_breakdown_are_the_published_rows(db: Path) -> None:
    """`scorecard values --breakdown`, end to end, against the sheets' own rows."""
    (lung,) = _breakdown(db, "ENG", "cwt_62d_combined_pct", "Lung").values()
    _check(lung, *_published(BOOK, "62-DAY (BY CANCER)", ENG, "ALL ROUTES", "Lung"))
    assert (lung["dimension"], lung["breakdown_name"]) == ("cancer_type", "Lung")
    modalities = _breakdown(db, ICB, "cwt_31d_sub_pct", "modality")
    assert list(modalities) == ["drug", "other", "radio", "surgery"]
    for key, name in (("drug", "Anti-cancer drug regimen"), ("other", "Other"),
                      ("radio", "Radiotherapy"), ("surgery", "Surgery")):  # fmt: skip
        _check(modalities[key], *_published(BOOK, BY_MODALITY, ICB, SUB, name))
    routes = _breakdown(db, "ENG", "cwt_fds_28d_pct", "route")
    assert (routes["screening"]["numerator"], routes["screening"]["denominator"]) == (
        "8979", "12845",
    )  # fmt: skip
    (skin,) = _breakdown(db, "ENG", "cwt_usc_foa_14d_pct", "Suspected skin cancer").values()
    _check(skin, *_published(BOOK, "USC referral to FOA", ENG, "Suspected skin cancer"))
    upgrade = _breakdown(db, "ENG", "cwt_62d_combined_pct", "route")["upgrade"]
    assert (upgrade["numerator"], upgrade["denominator"]) == ("7551", "9637")
