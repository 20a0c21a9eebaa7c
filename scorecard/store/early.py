"""A new store opened on another thread while an ingest's files are still being read.

Opening a store that does not exist yet (DuckDB's start, the tables and views made) takes
about 50 ms; DuckDB lets go of the interpreter lock meanwhile, so it is done beside the
reading of the files rather than after it. Should the files be refused (or the reading be
stopped), the store is closed and the new file removed again: a refused ingest leaves no
file behind, as before. A store that exists already is opened only once the files are read,
as before: opening it to write locks it against every other process, which should not have
to wait on the reading of files.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from scorecard.store import Store


@contextmanager
def opened_beside(db: Path) -> Iterator[Callable[[], Store]]:
    """Inside, the call yielded gives the store at `db`, opened to write: on another thread
    from the start for a new file, else when called. Leaving by an exception before the
    store was taken removes a new file again."""
    if db.exists():
        yield lambda: Store.open(db)
        return
    got: list[Store] = []
    failed: list[BaseException] = []

    def open_it() -> None:
        try:
            got.append(Store.open(db))
        except BaseException as exc:  # given to whoever takes the store
            failed.append(exc)

    thread = threading.Thread(target=open_it, name="scorecard-store", daemon=True)
    thread.start()
    taken = False

    def take() -> Store:
        nonlocal taken
        thread.join()
        taken = True
        if failed:
            raise failed[0]
        return got[0]

    try:
        yield take
    except BaseException:
        if not taken:
            thread.join()
            for store in got:
                empty = not store.months() and not store.links().height
                store.close()
                if empty:  # (nothing in it: no other process wrote to it meanwhile)
                    for path in (db, db.with_name(db.name + ".wal")):
                        path.unlink(missing_ok=True)
        raise
