"""Drill-downs on hand-built extracts: parts stored beside the whole, computed per part,
rolled up where a level has none of its own, ranked per measure and dimension."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from unittest.mock import ANY

import polars as pl
import pytest

from scorecard.api import Query, values
from scorecard.boards import load_board
from scorecard.cards import board_for
from scorecard.compute import compute_values
from scorecard.definitions import Catalogue, load_catalogue
from scorecard.dimensions import find, label
from scorecard.errors import DefinitionError, SourceError, StoreError, UsageError
from scorecard.model import Direction, Formula, Indicator, Scorecard, Term, Unit, Window
from scorecard.periods import Month
from scorecard.render.html import render_html
from scorecard.sources.base import BreakdownSchema, Extract
from scorecard.sources.validation import check_result
from scorecard.store import Store
from scorecard.store.schema import TABLES

WAITING = Indicator(
    "wl",
    "Waiting list",
    "rtt",
    Unit.COUNT,
    Direction.LOWER,
    Formula((Term(1, "rtt_incomplete_total"),)),
    None,
    "basis",
    breakdowns=("treatment_function",),
)
WITHIN = Indicator(
    "pct",
    "Within 18 weeks",
    "rtt",
    Unit.PERCENT,
    Direction.HIGHER,
    Formula((Term(1, "rtt_incomplete_within_18wk"),)),
    Formula((Term(1, "rtt_incomplete_total"),)),
    "basis",
    breakdowns=("treatment_function",),
)
MONTH = Month.parse("2025-09")
ROOT = Path(__file__).resolve().parent.parent


def _extract(
    whole: dict[str, tuple[float, float]],
    parts: dict[tuple[str, str], tuple[float, float]],
    sha: str,
    *,
    file: str = "f.csv",
    status: str | None = None,
) -> Extract:
    """whole: org -> (total, within); parts: (org, treatment function) -> (total, within)."""
    day = MONTH.first_day()
    obs = pl.DataFrame(
        [
            (day, org, measure, value)
            for org, (total, within) in whole.items()
            for measure, value in (
                ("rtt_incomplete_total", total),
                ("rtt_incomplete_within_18wk", within),
            )
        ],
        schema={"period": pl.Date, "org_code": pl.String, "measure": pl.String,
                "value": pl.Float64},
        orient="row",
    )  # fmt: skip
    rows = pl.DataFrame(
        [
            (day, org, measure, "treatment_function", tf, value)
            for (org, tf), (total, within) in parts.items()
            for measure, value in (
                ("rtt_incomplete_total", total),
                ("rtt_incomplete_within_18wk", within),
            )
        ],
        schema=list(BreakdownSchema.to_schema().columns),
        orient="row",
    )
    orgs = obs.select("period", "org_code").unique().sort("org_code")
    orgs = orgs.with_columns(org_name=pl.col("org_code"), parent_name=pl.lit("REGION"))
    return Extract(
        file,
        "test",
        "rtt",
        sha,
        obs,
        orgs,
        breakdowns=check_result(file, rows, BreakdownSchema),
        status=status,
    )


WHOLE = {"RA1": (100.0, 60.0), "RB1": (50.0, 40.0)}
PARTS = {
    ("RA1", "110"): (70.0, 35.0),
    ("RA1", "130"): (30.0, 25.0),
    ("RB1", "110"): (50.0, 40.0),
}


@pytest.fixture
def store() -> Store:
    s = Store.open(None)
    s.ingest([_extract(WHOLE, PARTS, "one")])
    return s


def _parts(store: Store, ind: Indicator, org: str | None = None) -> dict[tuple[str, str], float]:
    frame = compute_values(store, [ind], MONTH, MONTH, org, part="treatment_function")
    month = frame.filter(pl.col("window") == "month")
    return {(r["org_code"], r["breakdown"]): r["value"] for r in month.iter_rows(named=True)}


def test_each_part_is_computed_from_its_own_published_figures(store: Store) -> None:
    got = _parts(store, WITHIN)
    assert got[("RA1", "110")] == pytest.approx(50.0)
    assert got[("RA1", "130")] == pytest.approx(100 * 25 / 30)
    assert got[("RB1", "110")] == pytest.approx(80.0)


def test_a_level_without_its_own_row_adds_up_its_organisations_parts(store: Store) -> None:
    # England has no published row here, so its parts are the organisations' parts added up
    # (numerators and denominators, never percentages averaged).
    got = _parts(store, WITHIN, "ENG")
    assert got == {
        ("ENG", "110"): pytest.approx(100 * 75 / 120),
        ("ENG", "130"): pytest.approx(100 * 25 / 30),
    }


def test_the_whole_is_the_published_total_not_the_sum_of_parts(store: Store) -> None:
    whole = compute_values(store, [WAITING], MONTH, MONTH, "RA1")
    assert whole.filter(pl.col("window") == "month")["value"].to_list() == [100.0]
    assert "breakdown" not in whole.columns


def test_a_revised_file_replaces_the_parts_too(store: Store) -> None:
    revised = dict(PARTS)
    revised[("RA1", "110")] = (71.0, 36.0)
    store.ingest([_extract(WHOLE, revised, "two", file="revised.csv", status="revised")])
    assert _parts(store, WAITING, "RA1")[("RA1", "110")] == 71.0


@pytest.mark.parametrize("frame", ["observations", "orgs", "breakdowns"])
def test_a_row_whose_key_is_there_twice_is_refused_and_nothing_is_stored(
    store: Store, frame: str
) -> None:
    """The tables of a publication's rows have no primary key (store.schema): an extract
    that was not checked (a bug in what made it) is refused as the key refused it, before
    anything is inserted, not stored to be counted twice."""
    extract = _extract(WHOLE, PARTS, "two", file="again.csv", status="revised")
    rows = getattr(extract, frame)
    spoiled = replace(extract, **{frame: pl.concat([rows, rows.tail(1)])})
    before = {t: store.con.execute(f"SELECT count(*) FROM {t}").fetchone() for t in TABLES}
    with pytest.raises(StoreError, match=rf"^the store could not be written \({frame}: .* twice\)"):
        store.ingest([spoiled])
    assert {t: store.con.execute(f"SELECT count(*) FROM {t}").fetchone() for t in TABLES} == before
    store.ingest([extract])  # the same extract, unspoiled, is stored


def test_an_unknown_dimension_is_refused_by_the_schema() -> None:
    rows = pl.DataFrame(
        [(MONTH.first_day(), "RA1", "rtt_incomplete_total", "colour", "red", 1.0)],
        schema=list(BreakdownSchema.to_schema().columns),
        orient="row",
    )
    with pytest.raises(SourceError, match="dimension"):
        check_result("f.csv", rows, BreakdownSchema)


def test_parts_are_named_by_key_or_name_in_any_case() -> None:
    assert find(("treatment_function",), "Trauma and Orthopaedic") == [
        ("treatment_function", "110")
    ]
    assert find(("treatment_function",), " 110 ") == [("treatment_function", "110")]
    assert find(("treatment_function",), "treatment_function:110") == [
        ("treatment_function", "110")
    ]
    assert find(("diagnostic_test",), "110") == []
    assert label("treatment_function", "110") == "Trauma and Orthopaedic"
    assert label("treatment_function", "Z99") == "Z99"


# --- values, boards and the catalogue, end to end on the hand-built store --------------


def _catalogue() -> Catalogue:
    """The shipped catalogue, with the RTT indicators used here drillable by specialty."""
    cat = load_catalogue(ROOT)
    drillable = {
        i: replace(cat.indicator(i), breakdowns=("treatment_function",))
        for i in ("rtt_waiting_list", "rtt_incomplete_18wk_pct")
    }
    return replace(cat, indicators={**cat.indicators, **drillable})


def test_values_lists_each_part_with_its_name(store: Store) -> None:
    query = Query(MONTH, "RA1", "rtt_incomplete_18wk_pct", "treatment_function")
    table = values(store, _catalogue(), query, Window.MONTH)
    got = {(r["breakdown"], r["breakdown_name"]): r["value"] for r in table.iter_rows(named=True)}
    assert got == {("110", "Trauma and Orthopaedic"): "50", ("130", "Ophthalmology"): ANY}
    assert set(table["dimension"]) == {"treatment_function"}


def test_values_filters_to_one_part_named_by_name(store: Store) -> None:
    query = Query(MONTH, None, "rtt_waiting_list", "trauma and orthopaedic")
    table = values(store, _catalogue(), query, Window.MONTH)
    assert dict(zip(table["org_code"], table["value"], strict=True)) == {
        "RA1": "70",
        "RB1": "50",
        "ENG": "120",
    }


@pytest.mark.parametrize(
    ("indicator", "text", "message"),
    [
        ("rtt_waiting_list", "Colonoscopy", "names no part of treatment_function"),
        ("rtt_waiting_list", "diagnostic_test", "not a drill-down here"),
        ("ae_4hr_all_pct", "110", "has no drill-downs"),
    ],
)
def test_values_refuses_a_part_the_indicator_does_not_have(
    store: Store, indicator: str, text: str, message: str
) -> None:
    with pytest.raises(UsageError, match=f"--breakdown: .*{message}"):
        values(store, _catalogue(), Query(MONTH, None, indicator, text), Window.MONTH)


def test_values_says_when_no_part_is_stored(store: Store) -> None:
    query = Query(MONTH, "RA1", "rtt_waiting_list", "Urology")
    with pytest.raises(UsageError, match=r"no figures by treatment function .*Urology"):
        values(store, _catalogue(), query, Window.MONTH)


BOARD = """
title = "Elective board"
audience = "Board"
org = "RA1"
windows = ["month"]
[[domains]]
name = "Elective"
rows = [
  {{ indicator = "rtt_incomplete_18wk_pct" }},
  {{ indicator = "rtt_incomplete_18wk_pct", breakdown = "Trauma and Orthopaedic" }},
  {{ indicator = "rtt_waiting_list", drill = "treatment_function", drill_top = {top} }},
]
"""


def _board(tmp_path: Path, store: Store, top: int = 1) -> Scorecard:
    path = tmp_path / "elective.toml"
    path.write_text(BOARD.format(top=top), encoding="utf-8")
    cat = _catalogue()
    return board_for(store, cat, load_board(path, cat), MONTH)


def test_a_board_row_for_one_part_is_rated_on_the_parts_figures(
    tmp_path: Path, store: Store
) -> None:
    card = _board(tmp_path, store)
    whole, part = card.rows[0], card.rows[1]
    assert whole.month.value.value == 60.0
    assert part.indicator.name.endswith(": Trauma and Orthopaedic")
    assert part.month.value.value == 50.0
    assert part.month.rating.standard == whole.month.rating.standard


def test_a_drill_row_lists_its_worst_parts_under_the_board(tmp_path: Path, store: Store) -> None:
    card = _board(tmp_path, store, top=1)
    (drill,) = card.drills
    assert drill.parts == (("Trauma and Orthopaedic", 70.0),)  # the largest list, 1 of 2
    assert (drill.of, drill.whole) == (2, 100.0)
    html = render_html(card)
    assert "Drill-downs" in html
    assert "the 1 of 2 with the highest values" in html
    assert "All (the published total)" in html


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('breakdown = "Colonoscopy"', "names no part of treatment_function"),
        ('breakdown = "treatment_function"', "is a dimension; name one part"),
        ('drill = "diagnostic_test"', "drills down by treatment_function"),
        ('drill = "treatment_function", drill_top = 0', "expected 1 to 20"),
    ],
)
def test_a_board_naming_a_part_wrongly_is_refused_by_key(
    tmp_path: Path, row: str, message: str
) -> None:
    path = tmp_path / "bad.toml"
    text = BOARD.format(top=1).replace(
        '{ indicator = "rtt_incomplete_18wk_pct" }', f'{{ indicator = "rtt_waiting_list", {row} }}'
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError, match=rf"domains\[1\]\.rows\[1\]\..*{message}"):
        load_board(path, _catalogue())


def test_the_catalogue_refuses_an_unknown_dimension(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "indicators", tmp_path / "indicators")
    shutil.copy(ROOT / "thresholds.toml", tmp_path)
    with (tmp_path / "indicators" / "rtt.toml").open("a", encoding="utf-8") as fh:
        fh.write(
            '\n[indicators.rtt_colour]\nname = "x"\nunit = "count"\ndirection = "lower"\n'
            'numerator = "rtt_incomplete_total"\nbasis = "b"\nbreakdowns = ["colour"]\n'
        )
    with pytest.raises(DefinitionError, match=r"rtt_colour\.breakdowns.*unknown dimension"):
        load_catalogue(tmp_path)
