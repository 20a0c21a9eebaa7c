"""A new store is opened while an ingest's files are read (store/early.py): refused files,
a stopped ingest, or a store that cannot be opened leave things as they were before."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorecard import api
from scorecard import check as checking
from scorecard.errors import SourceError, StoreError
from scorecard.store import Store
from scorecard.store.early import opened_beside

ROOT = Path(__file__).resolve().parents[1]
AE = sorted((ROOT / "data" / "ae").glob("*.csv"))[0]


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_an_ingest_into_a_new_file_stores_the_files(tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    results = api.ingest([AE], db)
    assert results and all(r.action == "stored" for r in results)
    with Store.open(db, read_only=True) as store:
        assert store.months()


def test_refused_files_leave_no_new_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("this,is\nnot,a layout\n")
    with pytest.raises(SourceError):
        api.ingest([bad], tmp_path / "new.duckdb")
    assert _files(tmp_path) == ["bad.csv"]  # no store, no write-ahead log


def test_an_ingest_stopped_while_reading_leaves_no_new_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def stopped(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(checking, "read_all", stopped)
    with pytest.raises(KeyboardInterrupt):
        api.ingest([AE], tmp_path / "new.duckdb")
    assert _files(tmp_path) == []


def test_refused_files_are_reported_before_a_store_that_cannot_be_made(tmp_path: Path) -> None:
    """As when the store was opened after the files were read: the files' problems first;
    the store's own error once the files are good."""
    (tmp_path / "not-a-folder").write_text("x")
    db = tmp_path / "not-a-folder" / "new.duckdb"
    bad = tmp_path / "bad.csv"
    bad.write_text("this,is\nnot,a layout\n")
    with pytest.raises(SourceError):
        api.ingest([bad], db)
    with pytest.raises(StoreError, match=r"new\.duckdb"):
        api.ingest([AE], db)


def test_an_existing_store_is_opened_only_when_taken(tmp_path: Path) -> None:
    """A store that exists is locked to write only once the files are read."""
    db = tmp_path / "old.duckdb"
    api.ingest([AE], db)
    with opened_beside(db) as opened:
        with Store.open(db, read_only=True) as reader:  # not locked meanwhile
            assert reader.months()
        store = opened()
    with store:
        assert store.months()


def test_a_store_another_process_filled_meanwhile_is_never_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the new file turn out to hold figures by the time the files are refused (an
    ingest elsewhere wrote them), it is left as it is."""
    db = tmp_path / "new.duckdb"
    opening = Store.open

    def filled(path: Path) -> Store:
        store = opening(path)
        store.ingest(checking.read_all([AE], None, None, None, checking.rules(None)))
        return store

    with monkeypatch.context() as patch:
        patch.setattr(Store, "open", staticmethod(filled))
        with pytest.raises(RuntimeError), opened_beside(db):
            raise RuntimeError("the files were refused")
    assert db.exists()
    with Store.open(db, read_only=True) as store:
        assert store.months()
