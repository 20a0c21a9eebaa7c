"""What a store read once and kept is forgotten when the store changes; reads made for many
organisations at once give each organisation what its own read gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from scorecard.periods import Month
from scorecard.sources import read_extracts
from scorecard.store import Store

DATA = Path(__file__).resolve().parent.parent / "data"


def test_the_months_read_once_follow_each_ingest_and_as_of() -> None:
    april, may = (read_extracts(DATA / "ae" / f"Monthly-AE-{m}-2024.csv") for m in ("April", "May"))
    with Store.open(None) as store:
        store.ingest(april, at=dt.datetime(2026, 1, 1))
        assert store.months() == [Month(2024, 4)]
        store.months().clear()  # a caller's copy: what the store keeps is not touched
        assert store.months() == [Month(2024, 4)]
        store.ingest(may, at=dt.datetime(2026, 2, 1))
        assert store.months() == [Month(2024, 4), Month(2024, 5)]
        store.set_as_of(dt.datetime(2026, 1, 15))
        assert store.months() == [Month(2024, 4)]
        store.set_as_of(None)
        assert store.months() == [Month(2024, 4), Month(2024, 5)]


def test_comments_of_many_organisations_are_each_ones_own() -> None:
    files = [DATA / "commentary" / "commentary-2025-09.csv", DATA / "local" / "local-measures.csv"]
    with Store.open(None) as store:
        store.ingest([e for f in files for e in read_extracts(f)])
        first, last = Month(2024, 4), Month(2025, 9)
        codes = sorted(
            str(r[0])
            for r in store.con.execute("SELECT DISTINCT org_code FROM comments").fetchall()
        )
        assert len(codes) > 1
        together = store.comments_of(codes, first, last)
        for code in codes:
            own = store.comments(code, first, last)
            assert own.height > 0
            mine = together.filter(org_code=code).drop("org_code")
            assert mine.equals(own)
        assert set(store.comments_of(codes[:1], first, last)["org_code"]) == {codes[0]}
        assert store.comments_of([], first, last).height == 0
