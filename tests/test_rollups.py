"""Roll-ups: regions, the hierarchy, the System-Mapping lookup, and ICB/region/England sums."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.compute import compute_values, measure_values
from scorecard.errors import SourceError
from scorecard.hierarchy import build_hierarchy
from scorecard.model import (
    ENGLAND,
    Direction,
    Formula,
    Indicator,
    Level,
    OverTime,
    Rollup,
    Term,
    Unit,
)
from scorecard.periods import Month
from scorecard.regions import region_code
from scorecard.sources import read_extract
from scorecard.sources.base import Extract
from scorecard.store import Store

MAPPING_HEADER = "Code,Name,ICB Code,ICB Name,Region Name\n"
MAPPING = MAPPING_HEADER + (
    "RA1,Alpha Hospitals NHS Trust,QA1,NHS Alpha Integrated Care Board,"
    "North West Commissioning Region\n"
    "RB2,Beta Hospitals NHS Trust,QA1,NHS Alpha Integrated Care Board,"
    "North West Commissioning Region\n"
    "RC3,Gamma Hospitals NHS Trust,QC1,NHS Gamma Integrated Care Board,"
    "London Commissioning Region\n"
)
PCT = Indicator(
    "pct",
    "Within 4h",
    "ae",
    Unit.PERCENT,
    Direction.HIGHER,
    Formula((Term(1, "ae_att_type1"), Term(-1, "ae_over4h_type1"))),
    Formula((Term(1, "ae_att_type1"),)),
    "basis",
)
CENTILE = Indicator(
    "p90",
    "90th centile",
    "ae",
    Unit.SECONDS,
    Direction.LOWER,
    Formula((Term(1, "ae_dta_over4h"),)),
    None,
    "as published",
    over_time=OverTime.NONE,
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("NHS ENGLAND NORTH WEST ", "Y62"),
        ("NHS England East Of England ", "Y61"),
        ("North East and Yorkshire Commissioning Region", "Y63"),
        ("London", "Y56"),
        ("y59", "Y59"),
        ("Q44", None),
        ("North of England", None),
        (None, None),
    ],
)
def test_region_spellings(text: str | None, code: str | None) -> None:
    assert region_code(text) == code


def _mapping(tmp_path: Path, text: str = MAPPING) -> Path:
    path = tmp_path / "System-Mapping.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_mapping_file_gives_icb_and_region_links(tmp_path: Path) -> None:
    links = read_extract(_mapping(tmp_path)).links
    assert links is not None
    got = sorted(links.select("org_code", "parent_code", "parent_level").iter_rows())
    assert got == [
        ("QA1", "Y62", "region"),
        ("QC1", "Y56", "region"),
        ("RA1", "QA1", "icb"),
        ("RB2", "QA1", "icb"),
        ("RC3", "QC1", "icb"),
    ]


@pytest.mark.parametrize(
    ("row", "column", "problem"),
    [
        ("RD4,Delta,QA1,NHS Alpha Integrated Care Board,London Commissioning Region\n",
         "Region Name", "ICB QA1 is in region Y62"),
        ("RD4,Delta,QD1,NHS Delta ICB,Atlantis Commissioning Region\n",
         "Region Name", "expected an NHS England region"),
        ("RA1,Alpha,QC1,NHS Gamma Integrated Care Board,London Commissioning Region\n",
         "Code", "the same Code appears twice"),
    ],
)  # fmt: skip
def test_broken_mapping_is_rejected_naming_the_row(
    tmp_path: Path, row: str, column: str, problem: str
) -> None:
    with pytest.raises(SourceError) as err:
        read_extract(_mapping(tmp_path, MAPPING + row))
    message = err.value.one_line()
    assert f"column '{column}'" in message
    assert "row 5" in message
    assert problem in message


def test_exact_repeat_rows_are_read_once(tmp_path: Path) -> None:
    links = read_extract(_mapping(tmp_path, MAPPING + MAPPING.splitlines()[1] + "\n")).links
    assert links is not None
    assert links.filter(pl.col("org_code") == "RA1").height == 1


def _obs(rows: list[tuple[str, str, float]], month: str = "2025-04") -> Extract:
    obs = pl.DataFrame(
        {
            "period": [Month.parse(month).first_day()] * len(rows),
            "org_code": [r[0] for r in rows],
            "measure": [r[1] for r in rows],
            "value": [r[2] for r in rows],
        }
    )
    orgs = pl.DataFrame(
        {
            "period": [Month.parse(month).first_day()] * 4,
            "org_code": ["RA1", "RB2", "RC3", "RX9"],
            "org_name": ["ALPHA", "BETA", "GAMMA", "XRAY WALK-IN CENTRE"],
            "parent_name": ["NHS ENGLAND NORTH WEST ", "x", "NHS ENGLAND LONDON", "NHS ENGLAND "
                            "LONDON"],
        }
    )  # fmt: skip
    return Extract("ae.csv", "test", "ae", month, obs, orgs)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(None)
    s.ingest(
        [
            _obs(
                [
                    ("RA1", "ae_att_type1", 100),
                    ("RA1", "ae_over4h_type1", 10),
                    ("RB2", "ae_att_type1", 300),
                    ("RB2", "ae_over4h_type1", 90),
                    ("RC3", "ae_att_type1", 200),
                    ("RC3", "ae_over4h_type1", 20),
                    ("RX9", "ae_att_type1", 50),
                    ("RX9", "ae_over4h_type1", 5),
                    ("RA1", "ae_dta_over4h", 600),
                    ("RB2", "ae_dta_over4h", 700),
                    (ENGLAND, "ae_dta_over4h", 650),
                ]
            ),
            read_extract(_mapping(tmp_path)),
        ]
    )
    return s


def _value(frame: pl.DataFrame, ind: str, org: str) -> tuple[float, float | None]:
    row = frame.filter(
        (pl.col("indicator_id") == ind)
        & (pl.col("org_code") == org)
        & (pl.col("window") == "month")
    ).row(0, named=True)
    return row["numerator"], row["denominator"]


def test_icb_region_and_england_add_numerators_and_denominators(store: Store) -> None:
    frame = compute_values(store, [PCT], Month(2025, 4), Month(2025, 4))
    assert _value(frame, "pct", "QA1") == (90 + 210, 400)  # RA1 + RB2
    assert _value(frame, "pct", "QC1") == (180, 200)  # RC3
    # RB2's own file names no region, but its ICB is in the North West.
    assert _value(frame, "pct", "Y62") == (300, 400)
    # RX9 is not in the lookup: its file's Parent Org puts it in London.
    assert _value(frame, "pct", "Y56") == (180 + 45, 250)
    assert _value(frame, "pct", ENGLAND) == (90 + 210 + 180 + 45, 650)


def test_uncombinable_figures_are_never_rolled_up(store: Store) -> None:
    frame = compute_values(store, [CENTILE], Month(2025, 4), Month(2025, 4))
    assert set(frame["org_code"]) == {"RA1", "RB2", ENGLAND}
    assert _value(frame, "p90", ENGLAND) == (650, None)  # as published, not 600 + 700


def test_an_indicator_exists_only_at_its_declared_levels(store: Store) -> None:
    """`levels` leaves out every organisation at another level, whatever the roll-up."""
    trusts_and_england = replace(
        PCT, id="pct_x", levels=frozenset({Level.ORGANISATION, Level.ENGLAND})
    )
    published = replace(PCT, id="pct_p", rollup=Rollup.PUBLISHED)
    frame = compute_values(
        store, [PCT, trusts_and_england, published], Month(2025, 4), Month(2025, 4)
    )
    orgs = {i: set(frame.filter(pl.col("indicator_id") == i)["org_code"]) for i in
            ("pct", "pct_x", "pct_p")}  # fmt: skip
    assert orgs["pct"] == {"RA1", "RB2", "RC3", "RX9", "QA1", "QC1", "Y62", "Y56", ENGLAND}
    assert orgs["pct_x"] == {"RA1", "RB2", "RC3", "RX9", ENGLAND}
    assert _value(frame, "pct_x", ENGLAND) == _value(frame, "pct", ENGLAND)
    # Published only: nothing is published for an ICB, a region or England here.
    assert orgs["pct_p"] == {"RA1", "RB2", "RC3", "RX9"}


def test_explain_shows_the_measures_a_rollup_adds(store: Store) -> None:
    got = measure_values(store, "ae", ["ae_att_type1", "ae_over4h_type1"], "QA1", Month(2025, 4))
    assert got == {"ae_att_type1": 400.0, "ae_over4h_type1": 100.0}
    published = measure_values(store, "ae", ["ae_dta_over4h"], ENGLAND, Month(2025, 4))
    assert published == {"ae_dta_over4h": 650.0}


def test_hierarchy_names_and_levels(store: Store) -> None:
    hierarchy = store.hierarchy()
    assert hierarchy.levels["QA1"] is Level.ICB
    assert hierarchy.levels["Y62"] is Level.REGION
    assert hierarchy.levels["RA1"] is Level.ORGANISATION
    assert hierarchy.names["QA1"] == "NHS Alpha Integrated Care Board"
    assert hierarchy.names["Y56"] == "NHS England London"
    assert hierarchy.names["RX9"] == "Xray Walk-in Centre"
    assert hierarchy.descendants("QA1") == ["RA1", "RB2"]


def test_without_a_lookup_regions_come_from_the_files() -> None:
    orgs = pl.DataFrame(
        {"org_code": ["RA1", "RB2"], "org_name": ["A", "B"], "parent_name": ["Y62", None]}
    )
    columns = ("org_code", "org_name", "parent_code", "parent_name", "parent_level")
    links = pl.DataFrame(schema=dict.fromkeys(columns, pl.String))
    hierarchy = build_hierarchy(orgs, links)
    assert sorted(hierarchy.ancestors.iter_rows()) == [
        ("RA1", ENGLAND), ("RA1", "Y62"), ("RB2", ENGLAND)
    ]  # fmt: skip


def test_build_accepts_an_icb_and_says_what_it_adds_up(tmp_path: Path, store: Store) -> None:
    db = tmp_path / "s.duckdb"
    mapping = _mapping(tmp_path)
    runner = CliRunner()
    ae = tmp_path / "Monthly-AE-April-2025.csv"
    header = (
        "Period,Org Code,Parent Org,Org name,A&E attendances Type 1,A&E attendances Type 2,"
        "A&E attendances Other A&E Department,A&E attendances Booked Appointments Type 1,"
        "A&E attendances Booked Appointments Type 2,A&E attendances Booked Appointments Other "
        "Department,Attendances over 4hrs Type 1,Attendances over 4hrs Type 2,Attendances over "
        "4hrs Other Department,Attendances over 4hrs Booked Appointments Type 1,Attendances over "
        "4hrs Booked Appointments Type 2,Attendances over 4hrs Booked Appointments Other "
        "Department,Patients who have waited 4-12 hs from DTA to admission,Patients who have "
        "waited 12+ hrs from DTA to admission,Emergency admissions via A&E - Type 1,Emergency "
        "admissions via A&E - Type 2,Emergency admissions via A&E - Other A&E department,Other "
        "emergency admissions\n"
    )
    tail = "0,0,0,0,0,1,1,9,0,0,2"
    rows = [
        f"MSitAE-APRIL-2025,RA1,NHS ENGLAND NORTH WEST ,ALPHA,100,0,0,0,0,0,10,{tail}",
        f"MSitAE-APRIL-2025,RB2,NHS ENGLAND NORTH WEST ,BETA,300,0,0,0,0,0,90,{tail}",
        f"MSitAE-APRIL-2025,RC3,NHS ENGLAND LONDON,GAMMA,200,0,0,0,0,0,20,{tail}",
        "TOTAL,TOTAL,TOTAL,TOTAL,600,0,0,0,0,0,120,0,0,0,0,0,3,3,27,0,0,6",
    ]
    ae.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(ae), str(mapping), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "System-Mapping.csv: system_mapping_csv, hierarchy: 5 links stored" in result.output
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--db", str(db), "--org", "qa1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    csv_text = (out / "scorecard-QA1-2025-04.csv").read_text(encoding="utf-8")
    assert "ae_4hr_all_pct" in csv_text
    html = (out / "scorecard-QA1-2025-04.html").read_text(encoding="utf-8")
    assert "NHS Alpha Integrated Care Board" in html
    assert "ICB figures add up the numerators and denominators" in html
    assert "(RA1, RB2; hierarchy from System-Mapping.csv)" in html
    values = runner.invoke(
        app, ["values", "--db", str(db), "--org", "Y62", "--indicator", "ae_4hr_all_pct"]
    )
    assert values.exit_code == 0, values.output
    assert values.output.splitlines()[1].startswith("ae_4hr_all_pct,Y62,2025-04,300,400,75,")
    again = runner.invoke(app, ["ingest", str(mapping), "--db", str(db)])
    assert "already stored, unchanged" in again.output


def test_a_real_name_beats_a_code_and_ties_are_settled_by_dataset() -> None:
    s = Store.open(None)
    named = _obs([("RA1", "ae_att_type1", 1)])
    coded = Extract(
        "cwt.csv",
        "test",
        "cwt",
        "c",
        named.observations.with_columns(measure=pl.lit("cwt_fds_told")),
        named.orgs.with_columns(org_name=pl.col("org_code"), parent_name=pl.lit(None)),
    )
    s.ingest([coded, named])
    hierarchy = s.hierarchy()
    assert hierarchy.names["RA1"] == "Alpha"
    assert hierarchy.ancestors.filter(pl.col("org_code") == "RA1")["ancestor"].to_list() == [
        ENGLAND,
        "Y62",
    ]
