"""Peer standings: hand-worked cases on a built store, the real A&E files recomputed
plainly, and the peer-group file's checks."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from scorecard.benchmark.peers import check_members, read_group
from scorecard.benchmark.ranking import quantile, rank_text, standings
from scorecard.benchmark.standings import standings_frame
from scorecard.cli import app
from scorecard.compute import compute_values
from scorecard.definitions import load_catalogue
from scorecard.errors import SourceError
from scorecard.model import Direction, Formula, Indicator, Term, Unit
from scorecard.periods import Month
from scorecard.sources import read_extracts
from scorecard.sources.base import Extract
from scorecard.store import Store

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "data" / "real" / "ae" / "provider_level_sheet"
MONTH = Month.parse("2025-09")
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


def _store(rows: dict[str, tuple[float, float]]) -> Store:
    """org -> (type 1 attendances, over 4 hours) for MONTH."""
    day = MONTH.first_day()
    obs = pl.DataFrame(
        [
            (day, org, measure, value)
            for org, (att, over) in rows.items()
            for measure, value in (("ae_att_type1", att), ("ae_over4h_type1", over))
        ],
        schema={"period": pl.Date, "org_code": pl.String, "measure": pl.String,
                "value": pl.Float64},
        orient="row",
    )  # fmt: skip
    orgs = obs.select("period", "org_code").unique().sort("org_code")
    orgs = orgs.with_columns(org_name=pl.col("org_code"), parent_name=pl.lit("REGION"))
    store = Store.open(None)
    store.ingest([Extract("f.csv", "test", "ae", "sha", obs, orgs)])
    return store


def _standing(store: Store, ind: Indicator = PCT) -> dict[str, tuple[object, ...]]:
    values = compute_values(store, [ind], MONTH, MONTH)
    frame = standings_frame(store, [ind], values, MONTH, MONTH).filter(pl.col("window") == "month")
    return {
        r["org_code"]: (r["rank_text"], r["quartile"], r["peer_median"])
        for r in frame.iter_rows(named=True)
    }


def test_tied_values_share_a_rank_and_the_next_is_skipped() -> None:
    store = _store({"RA1": (100, 10), "RB1": (200, 20), "RC1": (100, 30), "RD1": (10, 0)})
    got = _standing(store)
    assert got["RD1"] == ("1st of 4", 1, 90.0)
    assert got["RA1"][0] == got["RB1"][0] == "joint 2nd of 4"
    assert got["RC1"][:2] == ("4th of 4", 4)
    assert got["ENG"] == (None, None, None)  # England has no peers


def test_a_peer_with_a_zero_denominator_has_no_value_and_is_not_ranked() -> None:
    store = _store({"RA1": (100, 10), "RB1": (0, 0), "RC1": (100, 30), "RD1": (50, 10)})
    got = _standing(store)
    assert "RB1" not in got
    assert {got[c][0] for c in ("RA1", "RC1", "RD1")} == {"1st of 3", "2nd of 3", "3rd of 3"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code\nRA1\nRB1\n", "needs at least 3 organisations, got 2"),
        ("code\nRA1\nRB1\nRA1\n", "row 4: 'RA1' is listed twice (first on row 2)"),
        ("name\nx\n", "row 1: expected a 'code' column"),
        ("code\nRA1\nnot a code\nRB1\n", "row 3: expected an organisation code"),
        ("", "the file is empty"),
    ],
)
def test_a_bad_peer_group_file_is_one_line_naming_the_row(text: str, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        read_group("peers/mine.csv", text.encode(), "mine")
    assert message in caught.value.one_line()
    assert caught.value.one_line().startswith("peers/mine.csv")


def test_a_peer_group_naming_an_unknown_organisation_names_it() -> None:
    group = read_group("peers/g.csv", b"code,name\nRA1,a\nRZ9,b\nRB1,c\n", "g")
    with pytest.raises(SourceError, match=r"peers/g\.csv, column 'code', row 3: 'RZ9' is not"):
        check_members(group, {"RA1", "RB1"})


def test_a_group_ranks_only_its_members() -> None:
    store = _store({"RA1": (100, 10), "RB1": (100, 20), "RC1": (100, 30), "RD1": (100, 0)})
    group = read_group("peers/g.csv", b"code\nRA1\nRB1\nRC1\n", "g")
    values = compute_values(store, [PCT], MONTH, MONTH)
    frame = standings_frame(store, [PCT], values, MONTH, MONTH, group).filter(
        pl.col("window") == "month", pl.col("rank").is_not_null()
    )
    assert dict(zip(frame["org_code"], frame["rank_text"], strict=True)) == {
        "RA1": "1st of 3",
        "RB1": "2nd of 3",
        "RC1": "3rd of 3",
    }
    assert set(frame["peer_group"]) == {"g"}


# --- the real A&E provider-level sheet, March 2026, recomputed plainly ------------------


def _plain(path: Path) -> dict[str, float]:
    """Each provider with a type 1 department: its all-types 4-hour %, from the sheet's own
    total columns (positions: the names repeat)."""
    out = {}
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows[1:]:
        number = [
            float(c.replace(",", "")) if c.strip() not in ("", "-") else 0.0 for c in row[3:15]
        ]
        type1, total, over = number[0], number[3], number[11]
        if type1 > 0 and total > 0:
            out[row[0]] = 100 * (total - over) / total
    return out


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
def test_real_ranks_and_quartiles_equal_a_plain_recomputation() -> None:
    path = REAL / "March-2026-AE.csv"
    store = Store.open(None)
    store.ingest(read_extracts(path))
    cat = load_catalogue(ROOT)
    ind = cat.indicator("ae_4hr_all_pct")
    month = Month.parse("2026-03")
    values = compute_values(store, [ind], month, month)
    frame = standings_frame(store, [ind], values, month, month).filter(
        pl.col("window") == "month", pl.col("rank").is_not_null()
    )
    plain = _plain(path)
    expected = standings(plain, Direction.HIGHER)
    providers = frame.filter(pl.col("org_code").is_in(list(plain)))
    assert providers.height == len(plain) > 100
    # The seven regions are ranked among themselves, never with the trusts.
    regions = frame.filter(~pl.col("org_code").is_in(list(plain)))
    assert set(regions["peers"]) == {7} and regions.height == 7
    ordered = sorted(plain.values())
    for r in providers.iter_rows(named=True):
        assert r["rank_text"] == rank_text(expected[r["org_code"]])
        assert r["quartile"] == expected[r["org_code"]].quartile
        assert r["peer_median"] == pytest.approx(quantile(ordered, 0.5))
        assert r["peer_lower_quartile"] == pytest.approx(quantile(ordered, 0.25))
        assert r["peer_upper_quartile"] == pytest.approx(quantile(ordered, 0.75))
    assert dt.date(2026, 3, 1) in set(frame["period"])


# --- league tables, boards and the CLI on the bundled sample ------------------------------


def test_league_writes_a_ranked_page_and_csv_with_every_column(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["league", "ae_4hr_all_pct", "--period", "2025-09", "--org", "ZB2", "--out",
         str(tmp_path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pl.read_csv(tmp_path / "league-ae_4hr_all_pct-2025-09.csv", infer_schema=False)
    assert table["rank"].to_list() == sorted(table["rank"].to_list(), key=int)
    assert set(table.columns) >= {"rank_text", "quartile", "rating", "variation", "nof_score"}
    page = (tmp_path / "league-ae_4hr_all_pct-2025-09.html").read_text(encoding="utf-8")
    assert page.count('<tr class="sc-me">') == 1  # the organisation asked for, highlighted
    assert "NOF metric score: computed by NHS England&#x27;s published method" in page
    again = tmp_path / "again"
    CliRunner().invoke(
        app,
        ["league", "ae_4hr_all_pct", "--period", "2025-09", "--org", "ZB2", "--out",
         str(again)],
    )  # fmt: skip
    assert (again / "league-ae_4hr_all_pct-2025-09.html").read_bytes() == page.encode()


def test_a_league_of_fewer_than_three_is_refused_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["league", "mrsa_cases", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "fewer than 3 peers" in result.output


def test_a_board_asking_for_benchmarks_shows_each_rows_standing(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "indicators", tmp_path / "indicators")
    shutil.copytree(ROOT / "scorecards", tmp_path / "scorecards")
    shutil.copy(ROOT / "thresholds.toml", tmp_path)
    board = tmp_path / "scorecards" / "trust-board.toml"
    board.write_text(
        board.read_text(encoding="utf-8").replace(
            "\n[[domains]]", "\nbenchmark = true\n\n[[domains]]", 1
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["build", "--config", str(tmp_path), "--scorecard", str(board), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = next(out.glob("trust-board-*.fragment.html")).read_text(encoding="utf-8")
    assert "Among peers (month)" in page
    assert "1st of 3, quartile 1" in page  # ZA1's A&E 4 hours, among the 3 type 1 trusts
    assert "not ranked: 1 with a value" in page  # a local measure only ZA1 returns


def test_funnel_writes_the_plot_and_each_peers_point(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["funnel", "ae_4hr_all_pct", "--period", "2025-09", "--org", "ZA1", "--out",
              str(tmp_path), "--method", "exact", "--dispersion", "none"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    points = pl.read_csv(tmp_path / "funnel-ae_4hr_all_pct-2025-09.csv", infer_schema=False)
    assert set(points["org_code"]) == {"ZA1", "ZB2", "ZC3"}  # type 1 providers only
    centre = sum(map(float, points["numerator"])) / sum(map(float, points["denominator"]))
    assert float(points["centre"][0]) == pytest.approx(100 * centre)
    svg = (tmp_path / "funnel-ae_4hr_all_pct-2025-09.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "Northgate Hospitals" in svg


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["funnel", "ae_attendances"], "needs a proportion"),
        (["funnel", "amb_c2_mean"], "needs a proportion"),
        (["funnel", "ae_4hr_all_pct", "--org", "ZR1"], "ZR1 is not among the peers"),
        (["funnel", "ae_4hr_all_pct", "--method", "wilson"], "Invalid value for '--method'"),
    ],
)
def test_funnel_refusals_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, [*args, "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert message in result.output and result.output.count("\n") == 1
