"""The writer's in-memory publications (store.index) answer as the store's SQL views do.

Random stores of publications (datasets, scopes including a level's printed rows, months,
ranks, measures and drill-down parts, some with no measure) are made directly in the
tables; for every month, which publications are in use, which publication's figures each
measure uses, and the rival `store.compare.rival` names must be the same both ways.
"""

from __future__ import annotations

import datetime as dt
import random

import duckdb
import pytest

from scorecard.periods import Month
from scorecard.store.compare import rival
from scorecard.store.index import Publications
from scorecard.store.schema import as_of_views, create

DATASETS = ("rtt", "cwt")
SCOPES = ("provider", "commissioner", "level:england", "level:england:overview", "level:region")
MEASURES = ("a", "b", "c", "d@treatment_function")
DAYS = (dt.date(2025, 4, 1), dt.date(2025, 5, 1))


def random_store(rng: random.Random) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    create(con)
    when = dt.datetime(2025, 6, 1)
    for load_id in range(1, rng.randint(2, 14)):
        con.execute(
            "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, NULL, ?, ?, ?)",
            [
                load_id,
                f"file{load_id}.csv",
                f"sha{rng.randint(1, 4)}",
                rng.choice(("fmt_a", "fmt_b")),
                rng.choice(DATASETS),
                rng.choice(SCOPES),
                rng.choice(("provider", "commissioner")),
                rng.choice(DAYS),
                when,
                rng.randint(1, 3),
                rng.randint(0, 2),
            ],
        )
        for measure in rng.sample(MEASURES, rng.randint(0, len(MEASURES))):
            con.execute("INSERT INTO load_measures VALUES (?, ?)", [load_id, measure])
    as_of_views(con, None)
    return con


@pytest.mark.parametrize("seed", range(30))
def test_the_same_answers_as_the_views(seed: int) -> None:
    rng = random.Random(seed)
    con = random_store(rng)
    pubs = Publications.read(con)
    for dataset in DATASETS:
        for day in DAYS:
            sql = con.execute(
                "SELECT load_id FROM current_loads WHERE dataset = ? AND period = ? ORDER BY 1",
                [dataset, day],
            ).fetchall()
            assert sorted(p.load_id for p in pubs.current(dataset, day)) == [r[0] for r in sql]
            used = con.execute(
                "SELECT load_id, measure FROM current_measures WHERE dataset = ? AND period = ?",
                [dataset, day],
            ).fetchall()
            for load_id in {p.load_id for p in pubs.month(dataset, day)}:
                mine = {m for i, m in used if i == load_id}
                assert pubs.measures_used(load_id) == mine
                assert pubs.is_current(load_id) == any(r[0] == load_id for r in sql)
            for _ in range(6):
                exclude = rng.choice([-1, *(p.load_id for p in pubs.month(dataset, day))])
                scope = rng.choice((None, *SCOPES))
                measures = rng.sample(MEASURES, rng.randint(0, 2))
                from_sql = rival(con, dataset, Month.from_date(day), exclude, scope, measures)
                assert pubs.rival(dataset, day, exclude, scope, measures) == from_sql
