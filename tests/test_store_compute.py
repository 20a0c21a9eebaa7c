"""The store and compute.py on small hand-built extracts: sums, windows, England, atomicity."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from scorecard.compute import compute_values
from scorecard.errors import StoreError
from scorecard.model import Direction, Formula, Indicator, Term, Unit
from scorecard.periods import Month
from scorecard.sources.base import Extract
from scorecard.store import Store
from scorecard.store.schema import SCHEMA_VERSION

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
COUNT = Indicator(
    "cnt",
    "12h",
    "ae",
    Unit.COUNT,
    Direction.LOWER,
    Formula((Term(1, "ae_dta_over12h"),)),
    None,
    "b",
)


def _extract(rows: list[tuple[str, str, str, float]], sha: str, file: str = "f.csv") -> Extract:
    """rows: (YYYY-MM, org, measure, value)."""
    obs = pl.DataFrame(
        {
            "period": [Month.parse(r[0]).first_day() for r in rows],
            "org_code": [r[1] for r in rows],
            "measure": [r[2] for r in rows],
            "value": [float(r[3]) for r in rows],
        }
    )
    orgs = obs.select("period", "org_code").unique().sort("period", "org_code")
    orgs = orgs.with_columns(
        org_name=pl.lit("TRUST ") + pl.col("org_code"), parent_name=pl.lit("REGION")
    )
    return Extract(file, "test", "ae", sha, obs, orgs)


def _month_rows(
    month: str, a_att: float, a_over: float, b_att: float, b_over: float
) -> list[tuple[str, str, str, float]]:
    return [
        (month, "A", "ae_att_type1", a_att),
        (month, "A", "ae_over4h_type1", a_over),
        (month, "A", "ae_dta_over12h", 3),
        (month, "B", "ae_att_type1", b_att),
        (month, "B", "ae_over4h_type1", b_over),
        (month, "B", "ae_dta_over12h", 5),
    ]


@pytest.fixture
def store() -> Store:
    s = Store.open(None)
    s.ingest(
        [
            _extract(_month_rows("2025-03", 100, 10, 300, 30), "m3"),
            _extract(_month_rows("2025-04", 100, 20, 300, 90), "m4"),
            _extract(_month_rows("2025-05", 200, 20, 100, 50), "m5"),
            _extract(_month_rows("2025-07", 100, 50, 100, 0), "m7"),
        ]
    )
    return s


def _get(frame: pl.DataFrame, ind: str, org: str, month: str, window: str) -> dict[str, Any]:
    sel = frame.filter(
        (pl.col("indicator_id") == ind)
        & (pl.col("org_code") == org)
        & (pl.col("period") == Month.parse(month).first_day())
        & (pl.col("window") == window)
    )
    assert sel.height == 1
    return sel.row(0, named=True)


def test_month_quarter_and_year_to_date_add_numerators(store: Store) -> None:
    f = compute_values(store, [PCT, COUNT], Month(2025, 4), Month(2025, 7))
    m5 = _get(f, "pct", "A", "2025-05", "month")
    assert (m5["numerator"], m5["denominator"]) == (180, 200)
    q = _get(f, "pct", "A", "2025-05", "quarter")
    assert (q["numerator"], q["denominator"], q["months"]) == (260, 300, 2)
    assert q["value"] == pytest.approx(100 * 260 / 300)
    # July starts Q2: quarter to date is July alone, year to date is Apr+May+Jul (June missing).
    q2 = _get(f, "pct", "A", "2025-07", "quarter")
    assert (q2["denominator"], q2["months"], q2["window_start"]) == (100, 1, dt.date(2025, 7, 1))
    ytd = _get(f, "pct", "A", "2025-07", "ytd")
    assert (ytd["numerator"], ytd["denominator"], ytd["months"]) == (310, 400, 3)
    # March belongs to the previous financial year and never leaks into 2025/26.
    assert _get(f, "pct", "A", "2025-04", "ytd")["denominator"] == 100


def test_england_is_the_sum_of_numerators_not_mean_of_percentages(store: Store) -> None:
    f = compute_values(store, [PCT], Month(2025, 5), Month(2025, 5))
    eng = _get(f, "pct", "ENG", "2025-05", "month")
    assert (eng["numerator"], eng["denominator"]) == (230, 300)
    mean_of_pcts = (90.0 + 50.0) / 2
    assert eng["value"] == pytest.approx(100 * 230 / 300)
    assert eng["value"] != pytest.approx(mean_of_pcts)


def test_counts_sum_over_the_window(store: Store) -> None:
    f = compute_values(store, [COUNT], Month(2025, 5), Month(2025, 5))
    assert _get(f, "cnt", "ENG", "2025-05", "month")["value"] == 8
    assert _get(f, "cnt", "B", "2025-05", "ytd")["value"] == 10
    assert _get(f, "cnt", "B", "2025-05", "ytd")["denominator"] is None


def test_missing_measure_gives_no_value_and_is_left_out_of_england() -> None:
    s = Store.open(None)
    rows = [
        r for r in _month_rows("2025-04", 100, 20, 300, 90) if r[1:3] != ("B", "ae_over4h_type1")
    ]
    s.ingest([_extract(rows, "x")])
    f = compute_values(s, [PCT], Month(2025, 4), Month(2025, 4))
    assert f.filter(pl.col("org_code") == "B").height == 0
    eng = _get(f, "pct", "ENG", "2025-04", "month")
    assert (eng["numerator"], eng["denominator"]) == (80, 100)


def test_zero_denominator_gives_no_value() -> None:
    s = Store.open(None)
    s.ingest([_extract(_month_rows("2025-04", 0, 0, 300, 90), "x")])
    f = compute_values(s, [PCT], Month(2025, 4), Month(2025, 4))
    assert _get(f, "pct", "A", "2025-04", "month")["value"] is None


def test_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    ex = _extract(_month_rows("2025-04", 100, 20, 300, 90), "same")
    with Store.open(db) as s:
        assert [r.action for r in s.ingest([ex])] == ["stored"]
        before = s.snapshot()
    with Store.open(db) as s:
        assert [r.action for r in s.ingest([ex])] == ["unchanged"]
        assert s.snapshot() == before


def test_new_file_for_a_stored_month_replaces_it(store: Store) -> None:
    results = store.ingest([_extract(_month_rows("2025-04", 10, 1, 30, 3), "new", "rev.csv")])
    assert results[0].action == "replaced" and results[0].replaced_file == "f.csv"
    f = compute_values(store, [PCT], Month(2025, 4), Month(2025, 4))
    assert _get(f, "pct", "ENG", "2025-04", "month")["denominator"] == 40
    assert [ld.file for ld in store.active_loads() if ld.period == Month(2025, 4)] == ["rev.csv"]


def test_failed_ingest_leaves_the_store_exactly_as_it_was(store: Store) -> None:
    before = store.snapshot()
    good = _extract(_month_rows("2025-08", 1, 0, 1, 0), "good")
    broken = _extract(_month_rows("2025-09", 1, 0, 1, 0), "broken")
    # A frame that breaks the store's primary key makes the second write fail mid-transaction.
    broken = Extract(
        broken.file, broken.format, broken.dataset, broken.sha256,
        pl.concat([broken.observations, broken.observations]), broken.orgs,
    )  # fmt: skip
    with pytest.raises(StoreError, match="nothing was stored"):
        store.ingest([good, broken])
    assert store.snapshot() == before


def test_month_end_positions_are_not_summed_over_a_window(store: Store) -> None:
    from dataclasses import replace

    from scorecard.model import OverTime

    position = replace(PCT, id="pos", over_time=OverTime.LATEST)
    f = compute_values(store, [PCT, position], Month(2025, 5), Month(2025, 5))
    month = _get(f, "pos", "A", "2025-05", "month")
    for window in ("quarter", "ytd"):
        cell = _get(f, "pos", "A", "2025-05", window)
        assert (cell["numerator"], cell["denominator"], cell["months"]) == (180, 200, 1)
        assert cell["value"] == month["value"]
    assert _get(f, "pct", "A", "2025-05", "quarter")["denominator"] == 300


def test_each_row_shows_its_latest_month_up_to_the_period(store: Store) -> None:
    from scorecard.assemble import LOOKBACK, assemble
    from scorecard.definitions import Catalogue
    from scorecard.model import Rating

    catalogue = Catalogue({"pct": PCT, "cnt": COUNT}, {})
    # Data stops at July; a scorecard for September shows July, labelled as July.
    values = compute_values(store, [PCT, COUNT], Month(2025, 3), Month(2025, 9))
    card = assemble(
        catalogue, values, org_code="A", org_name="A", period=Month(2025, 9), title="t", sources=()
    )
    assert [r.period for r in card.rows] == [Month(2025, 7), Month(2025, 7)]
    assert card.rows[0].month.value.value == 50.0
    # Before any data there is no row to guess at; a closing note names what is left out.
    early = assemble(
        catalogue, values, org_code="A", org_name="A", period=Month(2025, 2), title="t", sources=()
    )
    assert early.rows == ()
    assert early.sources[-1] == (
        f"Not shown, no data for A in the {LOOKBACK} months to Feb 2025: {PCT.name}; {COUNT.name}."
    )
    # Data older than the look-back is not shown as if it were current.
    late = assemble(
        catalogue, values, org_code="A", org_name="A", period=Month(2026, 7), title="t", sources=()
    )
    assert late.rows == ()
    # Within it, the latest month is shown even when the quarter has no data yet.
    card = assemble(
        catalogue, values, org_code="A", org_name="A", period=Month(2026, 6), title="t", sources=()
    )
    assert [r.period for r in card.rows] == [Month(2025, 7), Month(2025, 7)]
    assert all(r.month.rating.rating is not Rating.NO_DATA for r in card.rows)


def test_scopes_of_one_month_sit_side_by_side_and_replace_only_themselves() -> None:
    from dataclasses import replace

    s = Store.open(None)
    fds = replace(_extract([("2025-04", "A", "ae_att_type1", 10)], "fds1"), scope="fds")
    d62 = replace(_extract([("2025-04", "A", "ae_over4h_type1", 3)], "62d"), scope="62d")
    s.ingest([fds, d62])
    assert [r.action for r in s.ingest([fds])] == ["unchanged"]
    revised = replace(_extract([("2025-04", "A", "ae_att_type1", 12)], "fds2"), scope="fds")
    assert [r.action for r in s.ingest([revised])] == ["replaced"]
    rows = s.con.execute("SELECT measure, value FROM current_observations ORDER BY 1").fetchall()
    assert rows == [("ae_att_type1", 12.0), ("ae_over4h_type1", 3.0)]


def test_a_store_of_another_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    Store.open(path).close()
    import duckdb

    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(
        StoreError, match=f"store version 1, expected store version {SCHEMA_VERSION}"
    ):
        Store.open(path, read_only=True)


def test_an_indicator_whose_standards_all_ended_is_left_out(store: Store) -> None:
    from scorecard.assemble import assemble
    from scorecard.definitions import Catalogue
    from scorecard.model import Standard

    def spans(end: Month | None) -> tuple[Standard, ...]:
        return (Standard("pct", Month(2008, 12), end, 90.0, None, "b", "s"),)

    values = compute_values(store, [PCT, COUNT], Month(2025, 3), Month(2025, 7))
    for end, shown in ((Month(2025, 3), False), (Month(2025, 5), True), (None, True)):
        catalogue = Catalogue({"pct": PCT, "cnt": COUNT}, {"pct": spans(end)})
        card = assemble(
            catalogue, values, org_code="A", org_name="A", period=Month(2025, 5), title="t",
            sources=(),
        )  # fmt: skip
        assert ("pct" in [r.indicator.id for r in card.rows]) is shown
        note = "Not shown, standards no longer in force: Within 4h."
        assert (note in card.sources) is not shown


def test_two_layouts_holding_the_same_figure_rank_by_publication_in_either_order() -> None:
    from dataclasses import replace

    sheet = replace(
        _extract([("2025-04", "A", "ae_att_type1", 10)], "s1", "sheet.csv"),
        format="ae_provider_sheet",
        scope="x",
    )
    full = replace(
        _extract([("2025-04", "A", "ae_att_type1", 11)], "f1", "full.csv"),
        format="ae_monthly_csv",
        scope="y",
    )
    for order in ([sheet], [full]), ([full], [sheet]), ([sheet, full],), ([full, sheet],):
        s = Store.open(None)
        results = [r for batch in order for r in s.ingest(batch)]
        used = s.con.sql("SELECT value FROM current_observations").fetchall()
        assert used == [(11.0,)]  # the official file's figure, whatever the order
        assert s.con.sql("SELECT count(*) FROM observations").fetchall() == [(2,)]
        said = [w for r in results for w in r.warnings]
        assert any("1 figure differs from" in w for w in said), said


def test_provider_and_commissioner_figures_of_one_month_are_never_mixed() -> None:
    from dataclasses import replace

    s = Store.open(None)
    provider = _extract([("2025-04", "RA1", "ae_att_type1", 10)], "p", "prov.csv")
    commissioner = replace(
        _extract([("2025-04", "QA1", "ae_att_type1", 10)], "c", "comm.csv"),
        scope="sheet",
        basis="commissioner",
    )
    s.ingest([provider])
    before = s.snapshot()
    with pytest.raises(StoreError) as err:
        s.ingest([commissioner])
    assert str(err.value).startswith(
        "comm.csv: ae 2025-04 is already stored on a provider basis from prov.csv, and this "
        "file is commissioner-based; England would count the same patients twice"
    )
    assert s.snapshot() == before
    # Another month on the other basis is fine.
    may = Month(2025, 5).first_day()
    s.ingest(
        [
            replace(
                commissioner,
                observations=commissioner.observations.with_columns(period=pl.lit(may)),
                orgs=commissioner.orgs.with_columns(period=pl.lit(may)),
            )
        ]
    )
    assert [ld.period for ld in s.active_loads()] == [Month(2025, 4), Month(2025, 5)]


def test_windows_from_keeps_monthly_values_and_later_windows_unchanged(store: Store) -> None:
    everything = compute_values(store, [PCT, COUNT], Month(2025, 3), Month(2025, 7))
    since = Month(2025, 5)  # quarter and year to date from May: they still add April in
    trimmed = compute_values(store, [PCT, COUNT], Month(2025, 3), Month(2025, 7), None, since)
    is_month = pl.col("window") == "month"
    assert trimmed.filter(is_month).equals(everything.filter(is_month))
    later = everything.filter(~is_month & (pl.col("period") >= since.first_day()))
    assert trimmed.filter(~is_month).equals(later)
    ytd = trimmed.filter((pl.col("window") == "ytd") & (pl.col("indicator_id") == PCT.id))
    assert ytd["months"].to_list()[0] == 2  # May's year to date is April and May


def test_organisations_of_the_month_before_missing_from_a_file_are_named() -> None:
    """A layout with no total row cannot tell a file cut short between two rows: the
    organisations the same layout had the month before, and this file lacks, are named."""
    from dataclasses import replace

    before = [("2025-04", org, "ae_att_type1", 10.0) for org in ("A", "B", "C", "D")]
    cut = [("2025-05", org, "ae_att_type1", 10.0) for org in ("A", "B")]
    whole = [("2025-05", org, "ae_att_type1", 10.0) for org in ("A", "B", "C", "D")]
    april, may = _extract(before, "a"), _extract(cut, "b")
    for order in ([april, may], [may, april]):
        s = Store.open(None)
        said = [w for r in s.ingest(order) for w in r.warnings]
        assert [w for w in said if "no rows here" in w] == [
            "f.csv: ae 2025-05: 2 organisations in the Apr 2025 publication (f.csv) have no "
            "rows here: C (TRUST C), D (TRUST D); stored (a closed or merged organisation, or "
            "a file cut short?)"
        ]
    s = Store.open(None)
    said = [w for r in s.ingest([_extract(before, "a"), _extract(whole, "c")]) for w in r.warnings]
    assert not [w for w in said if "no rows here" in w]
    # An analyst's own file names the organisations it has figures for that month, no more.
    s = Store.open(None)
    own = [replace(e, format="local_measures") for e in (april, may)]
    assert not [w for r in s.ingest(own) for w in r.warnings if "no rows here" in w]
