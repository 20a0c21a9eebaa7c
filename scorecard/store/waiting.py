"""Rows waiting for the store's one insert a table per ingest (inside its transaction)."""

from __future__ import annotations

import duckdb
import polars as pl

from scorecard.errors import StoreError

LOADS = pl.Schema({  # the loads table's columns, in order
    "load_id": pl.Int64(), "file": pl.String(), "sha256": pl.String(), "format": pl.String(),
    "dataset": pl.String(), "scope": pl.String(), "basis": pl.String(), "period": pl.Date(),
    "rows": pl.Int64(), "status": pl.String(), "ingested_at": pl.Datetime("us"),
    "precedence": pl.Int64(), "revision": pl.Int64(),
})  # fmt: skip
# The columns written of each table whose rows wait for Waiting.flush.
COLUMNS = {
    "loads": tuple(LOADS),  # (its rows wait as tuples, made a frame by flush)
    "observations": ("dataset", "period", "org_code", "measure", "value", "load_id"),
    "orgs": ("dataset", "period", "org_code", "org_name", "parent_name", "rows", "load_id"),
    "load_measures": ("load_id", "measure"),
    "breakdowns": (
        "dataset", "period", "org_code", "measure", "dimension", "breakdown", "value", "load_id",
    ),
    "measure_rows": ("period", "org_code", "measure", "rows", "load_id"),
    "comments": ("dataset", "period", "org_code", "indicator_id", "comment", "load_id"),
}  # fmt: skip
# Each table's key, where the table itself has none (scorecard.store.schema): its rows are
# unique by it, as each publication's rows are by pandera's schema (sources.base).
KEYS = {
    "observations": ("load_id", "period", "org_code", "measure"),
    "orgs": ("load_id", "period", "org_code"),
    "measure_rows": ("load_id", "period", "org_code", "measure"),
    "breakdowns": ("load_id", "period", "org_code", "measure", "dimension", "breakdown"),
}


class Waiting:
    """Each table's rows waiting to be inserted, one statement a table."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._pending: dict[str, list[pl.DataFrame]] = {}
        # For each table, each waiting frame's (dataset, load_id, height), where flush adds
        # those columns (one expression a table, not one a frame).
        self._marks: dict[str, list[tuple[str, int, int]]] = {}
        self._loads: list[tuple[object, ...]] = []  # `loads` rows, as tuples

    def load(self, row: tuple[object, ...]) -> None:
        """A `loads` row (LOADS' columns, in order)."""
        self._loads.append(row)

    def later(self, table: str, rows: pl.DataFrame, mark: tuple[str, int] | None = None) -> None:
        """Rows for `table`; with `mark`, the (dataset, load_id) flush gives each of them."""
        self._pending.setdefault(table, []).append(rows)
        if mark is not None:
            self._marks.setdefault(table, []).append((*mark, rows.height))

    def flush(self) -> None:
        """Insert every table's waiting rows, one statement a table, `loads` first."""
        waiting = self._pending
        if self._loads:  # first, as when each was inserted at once
            waiting = {"loads": [pl.DataFrame(self._loads, schema=LOADS, orient="row")], **waiting}
        for table, frames in waiting.items():
            columns = ", ".join(COLUMNS[table])
            rows = pl.concat(frames, how="diagonal_relaxed")
            if table in self._marks:
                rows = rows.with_columns(_marked(self._marks[table]))
            if table in KEYS:
                _refuse_repeats(table, rows, KEYS[table])
            self.con.register("rows_in", rows.to_arrow())
            self.con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM rows_in")
            self.con.unregister("rows_in")
        self._loads, self._pending, self._marks = [], {}, {}


def _refuse_repeats(table: str, rows: pl.DataFrame, key: tuple[str, ...]) -> None:
    """A row whose key another row has would be counted twice: a bug in what made the
    extract (pandera checks every layout's), refused before anything is inserted."""
    twice = rows.filter(pl.struct(key).is_duplicated())
    if twice.height:
        first = ", ".join(f"{k} {v}" for k, v in twice.select(key).row(0, named=True).items())
        raise StoreError(
            f"the store could not be written ({table}: {first} twice); nothing was stored"
        )


def _marked(marks: list[tuple[str, int, int]]) -> list[pl.Series]:
    """The `dataset` and `load_id` columns of frames of these heights, stacked."""
    # (polars before 2.0 explodes an empty list to a row of nulls)
    held = [m for m in marks if m[2]]
    frame = pl.DataFrame(
        held, schema={"dataset": pl.String, "load_id": pl.Int32, "n": pl.UInt32}, orient="row"
    )
    return frame.select(pl.col("dataset", "load_id").repeat_by("n").explode()).get_columns()
