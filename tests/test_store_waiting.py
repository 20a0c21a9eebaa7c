"""An extract's rows are stored month by month, each month's rows under its own load, in
order; the rows waiting for the one insert get their dataset and load, empty frames too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl
import pytest

from scorecard.sources import read_extracts
from scorecard.store import Store
from scorecard.store.month_rows import by_month
from scorecard.store.schema import one_thread, transaction
from scorecard.store.waiting import _marked

DATA = Path(__file__).resolve().parent.parent / "data"
APRIL, MAY, JUNE = dt.date(2025, 4, 1), dt.date(2025, 5, 1), dt.date(2025, 6, 1)


def test_a_frame_is_split_by_month_in_order() -> None:
    frame = pl.DataFrame({"period": [MAY, APRIL, MAY, APRIL], "n": [1, 2, 3, 4]})
    of = by_month(frame)
    assert of(APRIL)["n"].to_list() == [2, 4]
    assert of(MAY)["n"].to_list() == [1, 3]
    assert of(JUNE).height == 0 and of(JUNE).schema == frame.schema
    one = pl.DataFrame({"period": [MAY, MAY], "n": [1, 2]})
    assert by_month(one)(MAY) is one  # one month: the frame itself
    assert by_month(one)(APRIL).height == 0
    assert by_month(one, {MAY})(MAY) is one  # the months known: the rows not looked at
    assert by_month(frame, {APRIL, MAY})(MAY)["n"].to_list() == [1, 3]


def test_each_waiting_frame_gets_its_own_dataset_and_load_empty_ones_too() -> None:
    marks = [("ae", 1, 2), ("rtt", 2, 0), ("cwt", 3, 1), ("dm01", 4, 0)]
    dataset, load_id = _marked(marks)
    assert dataset.to_list() == ["ae", "ae", "cwt"]
    assert load_id.to_list() == [1, 1, 3] and load_id.dtype == pl.Int32
    assert [s.len() for s in _marked([("ae", 1, 0)])] == [0, 0]


def test_a_file_of_many_months_stores_each_months_rows_under_its_own_load() -> None:
    (ex,) = read_extracts(DATA / "ambsys" / next(p.name for p in (DATA / "ambsys").iterdir()))
    months = sorted(set(ex.observations["period"]))
    assert len(months) > 1
    with Store.open(None) as store:
        store.ingest([ex, *read_extracts(DATA / "ae" / "Monthly-AE-April-2024.csv")])
        for day in months:
            stored = store.con.execute(
                "SELECT o.org_code, o.measure, o.value FROM observations o "
                "JOIN loads l USING (load_id) WHERE l.file = ? AND l.period = ? "
                "AND o.period = l.period AND o.dataset = l.dataset ORDER BY o.rowid",
                [ex.file, day],
            ).fetchall()
            mine = ex.observations.filter(pl.col("period") == day)
            assert stored == mine.select("org_code", "measure", "value").rows()
        strays = store.con.execute(
            "SELECT count(*) FROM observations o JOIN loads l USING (load_id) "
            "WHERE o.period <> l.period OR o.dataset <> l.dataset"
        ).fetchone()
        assert strays == (0,)


@pytest.mark.parametrize("threads", [2, 3])
def test_an_ingest_runs_on_one_thread_and_the_store_keeps_its_own_count(threads: int) -> None:
    with Store.open(None) as store:
        store.threads(threads)
        with one_thread(store.con):
            assert _threads(store) == 1
        assert _threads(store) == threads
        store.ingest(read_extracts(DATA / "ae" / "Monthly-AE-April-2024.csv"))
        assert _threads(store) == threads


def test_a_failed_insert_keeps_its_own_error_and_the_thread_count() -> None:
    # (an aborted transaction takes no more statements: the count is set back after it)
    with Store.open(None) as store:
        store.threads(2)
        store.con.execute("CREATE TEMP TABLE t (a INTEGER NOT NULL)")
        failing = pytest.raises(duckdb.ConstraintException)
        with failing, one_thread(store.con), transaction(store.con):
            store.con.execute("INSERT INTO t VALUES (NULL)")
        assert _threads(store) == 2


def _threads(store: Store) -> int:
    got = store.con.execute("SELECT current_setting('threads')").fetchone()
    assert got is not None
    return int(got[0])
