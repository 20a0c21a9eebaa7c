"""The RTT level layouts on small files in the published layouts: the National, Region and
Area Team sheets (as CSV), the overview time series (as its sheet's CSV text), and how the
store and the hierarchy keep a level's printed rows beside the organisations'."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from scorecard.compute import compute_values
from scorecard.errors import SourceError
from scorecard.hierarchy import build_hierarchy
from scorecard.model import ENGLAND, Direction, Formula, Indicator, Level, Term, Unit
from scorecard.periods import Month
from scorecard.sources import read_extract
from scorecard.store import Store

BANDS = [f">{w}-{w + 1}" for w in range(52)] + ["52 plus"]
TAIL = [
    "Total number of incomplete pathways",
    "Total within 18 weeks",
    "% within 18 weeks",
    "Average (median) waiting time (in weeks)",
    "95th percentile waiting time (in weeks)",
]
PCT = Indicator(
    "rtt_incomplete_18wk_pct",
    "Within 18 weeks",
    "rtt",
    Unit.PERCENT,
    Direction.HIGHER,
    Formula((Term(1, "rtt_incomplete_within_18wk"),)),
    Formula((Term(1, "rtt_incomplete_total"),)),
    "basis",
)


def _cells(within: int, later: int, median: str = "5.5") -> list[str]:
    """A row's bands and tail: `within` in the first band, `later` in >20-21."""
    bands = [0] * len(BANDS)
    bands[0], bands[20] = within, later
    total = within + later
    share = f"{within / total}" if total else "-"
    return [*map(str, bands), str(total), str(within), share, median, "20.1"]


def _sheet(tmp_path: Path, name: str, ids: list[str], rows: list[list[str]]) -> Path:
    header = [*ids, "Treatment Function Code", "Treatment Function", *BANDS, *TAIL]
    lines = [",".join(header), *(",".join(r) for r in rows)]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path


def _national(tmp_path: Path, median: str = "5.5") -> Path:
    rows = [
        ["IP100", "General Surgery", *_cells(60, 30)],
        ["IP999", "Total", *_cells(900, 100, median)],
    ]
    return _sheet(tmp_path, "RTT-Incomplete-National-2015-03.csv", [], rows)


def _figures(path: Path) -> dict[tuple[str, str], float]:
    extract = read_extract(path, "2015-03")
    rows = extract.observations.select("org_code", "measure", "value").rows()
    return {(org, measure): value for org, measure, value in rows}


def test_the_national_sheet_is_england_not_a_missing_region_code(tmp_path: Path) -> None:
    extract = read_extract(_national(tmp_path), "2015-03")
    assert (extract.format, extract.scope, extract.basis) == (
        "rtt_national_sheet",
        "level:england",
        "commissioner",
    )
    got = _figures(_national(tmp_path))
    assert got[(ENGLAND, "rtt_incomplete_total")] == 1000  # IP999, never the IP100 row added
    assert got[(ENGLAND, "rtt_incomplete_within_18wk")] == 900
    assert got[(ENGLAND, "rtt_incomplete_median_wk")] == 5.5


def test_an_unpublished_median_stores_none(tmp_path: Path) -> None:
    got = _figures(_national(tmp_path, "-"))
    assert (ENGLAND, "rtt_incomplete_median_wk") not in got
    assert got[(ENGLAND, "rtt_incomplete_total")] == 1000


def test_a_bad_median_names_its_cell(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        read_extract(_national(tmp_path, "about 5"), "2015-03")
    assert err.value.one_line() == (
        "RTT-Incomplete-National-2015-03.csv, column 'Average (median) waiting time (in "
        "weeks)', row 3: expected a number of weeks, such as 5.56 (or - when not published), "
        "got 'about 5'"
    )


@pytest.mark.parametrize(
    ("ids", "codes", "layout", "scope"),
    [
        (["Region Code", "Region Name"], ["Y54", "Y56"], "rtt_region_sheet", "level:region"),
        (
            ["Area Team Code", "Area Team Name"],
            ["Q46", "Q71"],
            "rtt_area_team_sheet",
            "level:area_team",
        ),
    ],
)
def test_region_and_area_team_sheets(
    tmp_path: Path, ids: list[str], codes: list[str], layout: str, scope: str
) -> None:
    rows = [
        [code, f"NAME {code}", "IP999", "Total", *_cells(90 + i, 10)]
        for i, code in enumerate(codes)
    ]
    path = _sheet(tmp_path, "RTT-Incomplete-Region-2015-03.csv", ids, rows)
    extract = read_extract(path, "2015-03")
    assert (extract.format, extract.scope) == (layout, scope)
    got = _figures(path)
    assert [got[(c, "rtt_incomplete_within_18wk")] for c in codes] == [90, 91]
    assert extract.orgs["parent_name"].to_list() == [None, None]


def test_the_organisations_sheets_keep_their_layout(tmp_path: Path) -> None:
    ids = ["Area Team Code", "CCG Code", "CCG Name"]
    path = _sheet(tmp_path, "c.csv", ids, [["Q46", "00T", "NHS BOLTON CCG", "IP999", "Total",
                                              *_cells(9, 1)]])  # fmt: skip
    extract = read_extract(path, "2015-03")
    assert (extract.format, extract.scope, extract.orgs["parent_name"][0]) == (
        "rtt_incomplete_sheet",
        "",
        "Q46",
    )


def _store(*paths: Path) -> Store:
    store = Store.open(None)
    store.ingest([read_extract(p, "2015-03") for p in paths])
    return store


def _pct(store: Store, org: str) -> tuple[float, float]:
    values = compute_values(store, [PCT], Month(2015, 3), Month(2015, 3))
    row = values.filter((pl.col("org_code") == org) & (pl.col("window") == "month")).row(
        0, named=True
    )
    return row["numerator"], row["denominator"]


def test_a_level_and_its_organisations_are_both_in_use(tmp_path: Path) -> None:
    """England printed as 900 of 1,000 while its CCGs add up to 19 of 21: England is shown
    as printed, the CCGs as theirs, and neither publication replaces the other."""
    ids = ["Area Team Code", "CCG Code", "CCG Name"]
    ccgs = _sheet(tmp_path, "ccg.csv", ids, [
        ["Q46", "00T", "NHS BOLTON CCG", "IP999", "Total", *_cells(9, 1)],
        ["Q46", "00V", "NHS BURY CCG", "IP999", "Total", *_cells(10, 1)],
    ])  # fmt: skip
    store = _store(_national(tmp_path), ccgs)
    assert _pct(store, ENGLAND) == (900, 1000)  # as printed, not the CCGs' 19 of 21
    assert _pct(store, "00T") == (9, 10)
    assert _pct(store, "Q46") == (19, 21)  # the area team: its CCGs, none printed
    hierarchy = store.hierarchy()
    assert (hierarchy.levels["Q46"], hierarchy.levels[ENGLAND]) == (Level.ICB, Level.ENGLAND)


def test_a_level_is_not_held_to_the_organisations_basis(tmp_path: Path) -> None:
    """England's printed row is never added to anything, so a provider-based month takes a
    commissioner workbook's National sheet; two organisation files still may not mix."""
    ids = ["Region Code", "Provider Code", "Provider Name"]
    providers = _sheet(tmp_path, "p.csv", ids, [
        ["Y56", "RAL", "ROYAL FREE", "IP999", "Total", *_cells(9, 1)],
    ])  # fmt: skip
    store = _store(providers, _national(tmp_path))
    assert _pct(store, ENGLAND) == (900, 1000)
    assert _pct(store, "RAL") == (9, 10)


def test_area_teams_and_former_regions_in_the_hierarchy() -> None:
    orgs = pl.DataFrame(
        {
            "org_code": ["00T", "X24", "Q46", "Y54", "Y56", "RAL"],
            "org_name": ["NHS BOLTON CCG", "NHS ENGLAND", "GREATER MANCHESTER AREA TEAM",
                         "NORTH OF ENGLAND COMMISSIONING REGION", "LONDON COMMISSIONING REGION",
                         "ROYAL FREE"],
            "parent_name": ["Q46", "- ", None, None, None, "Y54"],
        }
    )  # fmt: skip
    links = pl.DataFrame(
        schema=dict.fromkeys(
            ["org_code", "org_name", "parent_code", "parent_name", "parent_level"], pl.String
        )
    )
    hierarchy = build_hierarchy(orgs, links)
    levels = {code: hierarchy.levels[code] for code in ("00T", "X24", "Q46", "Y54", "Y56")}
    assert levels == {
        "00T": Level.ORGANISATION,
        "X24": Level.ORGANISATION,  # NHS England's commissioning hub: a commissioner
        "Q46": Level.ICB,
        "Y54": Level.REGION,
        "Y56": Level.REGION,
    }
    assert hierarchy.descendants("Q46") == ["00T"]
    assert hierarchy.descendants("Y54") == ["RAL"]  # a 2015 provider file's Region Code
    assert hierarchy.descendants(ENGLAND) == ["00T", "RAL", "X24"]
    assert hierarchy.names["Y54"] == "North of England Commissioning Region"


# The overview's sheet as the workbook reader hands it over: row 11 and the rows below.
OVERVIEW_HEADER = (
    ",,Median wait (weeks),92nd percentile (weeks),No. within 18 weeks,"
    "No. within 18 weeks with estimates for missing data,% within 18 weeks,No. > 18 weeks,"
    "No. > 18 weeks with estimates for missing data,No. > 52 weeks,"
    "No. > 52 weeks with estimates for missing data,% > 52 weeks,No. > 78 weeks,"
    "No. > 78 weeks with estimates for missing data,No. > 104 weeks,"
    "No. > 104 weeks with estimates for missing data,Total waiting (mil),"
    "Total waiting (mil) with estimates for missing data,Median wait (weeks),"
    "95th percentile (weeks),No. within 18 weeks,No. > 52 weeks"
)


def _month(year: str, day: str, within: int, over: int, p92: str = "40.5") -> str:
    over52, total = over // 10, within + over
    cells = [year, day, "12.5", p92, within, within + 5, within / total, over, over + 1,
             over52, over52, over52 / total, "-", "-", "-", "-", total, total + 6,
             "9.1", "60.2", "111", "7"]  # fmt: skip
    return ",".join(str(c) for c in cells)


def _overview(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "RTT-Overview-Timeseries.csv"
    path.write_text("\n".join([OVERVIEW_HEADER, *rows]) + "\n")
    return path


def test_the_overview_reads_the_incomplete_group_as_submitted(tmp_path: Path) -> None:
    path = _overview(
        tmp_path,
        _month("2020/21", "2020-04-01", 600, 400, "52+"),
        _month("", "2020-05-01", 650, 400),
        ",2020-06-01" + "," * 20,  # a month to come
    )
    extract = read_extract(path)
    assert (extract.format, extract.scope) == ("rtt_overview_timeseries", "level:england:overview")
    may = {m: v for d, o, m, v in extract.observations.rows() if d.month == 5 and o == ENGLAND}
    assert may == {
        "rtt_incomplete_total": 1050,  # not the 1,056 with estimates
        "rtt_incomplete_within_18wk": 650,
        "rtt_incomplete_over_52wk": 40,
        "rtt_incomplete_median_wk": 12.5,
        "rtt_incomplete_p92_wk": 40.5,
    }
    assert extract.warnings == (
        "RTT-Overview-Timeseries.csv: Apr 2020: 92nd percentile published as 52+ (beyond the "
        "last weekly band), not a number, not stored",
    )


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [
                _month("2020/21", "2020-04-01", 600, 400),
                ",2020-05-01" + "," * 20,
                _month("", "2020-06-01", 600, 400),
            ],
            "column 'Total waiting (mil)', row 3: no figures for May 2020, but later months "
            "have them; expected each month up to the last published (the file may be edited)",
        ),
        (
            [_month("2019/20", "2020-04-01", 600, 400)],
            "column 'Year', row 2: expected the financial year of Apr 2020, 2020/21, got '2019/20'",
        ),
        (
            [_month("", "2020-04-01", 600, 400), _month("", "2020-04-01", 600, 400)],
            "column 'Month', row 3: the same month appears twice",
        ),
        (
            [_month("", "2020-04-01", 600, 400).replace(",0.6,", ",0.7,")],
            "column '% within 18 weeks', row 2: expected 600 / 1,000 = 0.600000, the counts' "
            "share (to within 0.001), got '0.7'",
        ),
    ],
    ids=["gap", "year", "twice", "share"],
)
def test_overview_problems_name_their_cell(tmp_path: Path, rows: list[str], message: str) -> None:
    with pytest.raises(SourceError) as err:
        read_extract(_overview(tmp_path, *rows))
    assert err.value.one_line() == f"RTT-Overview-Timeseries.csv, {message}"


def test_a_sheet_lacking_a_column_of_the_incomplete_group_is_refused(tmp_path: Path) -> None:
    header = OVERVIEW_HEADER.replace("92nd percentile (weeks),", "")
    path = tmp_path / "o.csv"
    path.write_text(header + "\n" + _month("", "2020-04-01", 6, 4).replace(",40.5,", ",") + "\n")
    with pytest.raises(SourceError) as err:
        read_extract(path)
    assert "column '92nd percentile (weeks)', row 1: missing column" in err.value.one_line()


@pytest.mark.parametrize("together", [True, False], ids=["one command", "two commands"])
@pytest.mark.parametrize("national_first", [True, False], ids=["national first", "overview first"])
def test_a_months_national_sheet_ranks_above_the_overview(
    tmp_path: Path, together: bool, national_first: bool
) -> None:
    """March 2015 printed twice for England: 900 of 1,000 in the National sheet, 650 of 1,050
    in the overview. The National sheet's figures are used, whatever the order; the 92nd
    percentile, which only the overview prints, still comes from it."""
    overview = read_extract(_overview(tmp_path, _month("", "2015-03-01", 650, 400)))
    national = read_extract(_national(tmp_path), "2015-03")
    order = [national, overview] if national_first else [overview, national]
    store = Store.open(None)
    for batch in [order] if together else [[e] for e in order]:
        said = [w for r in store.ingest(batch) for w in r.warnings]
    assert any("figures differ from" in w or "figure differs from" in w for w in said), said
    assert _pct(store, ENGLAND) == (900, 1000)
    got = dict(
        store.con.sql(
            "SELECT measure, value FROM current_observations WHERE org_code = 'ENG'"
        ).fetchall()
    )
    assert (got["rtt_incomplete_median_wk"], got["rtt_incomplete_p92_wk"]) == (5.5, 40.5)
