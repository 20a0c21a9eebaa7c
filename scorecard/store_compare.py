"""Comparing a new publication with the stored ones it competes with, inside an ingest.

Which file ranks first for a month (`rival`), in plain words why (`why`), and the figures on
which two publications disagree (`disagreements`): a count and the first examples, one line
each, said at ingest and kept in the store (both versions stay; `scorecard history`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from scorecard.formatting import plain_number
from scorecard.periods import Month
from scorecard.precedence import why_first
from scorecard.store_schema import RANKED

EXAMPLES = 3  # disagreeing figures named, one line each


@dataclass(frozen=True)
class Rival:
    """A stored publication competing with a new one for the same figures."""

    load_id: int
    file: str
    format: str
    revision: int


def rival(
    con: duckdb.DuckDBPyConnection,
    dataset: str,
    month: Month | None,
    exclude: int,
    scope: str | None = None,
    measures: Sequence[str] = (),
) -> Rival | None:
    """The first-ranked publication in use for a dataset's month (None: a reference file)
    other than `exclude`, of the same scope or holding any of `measures`."""
    rows = con.execute(
        "SELECT c.load_id, c.file, c.format, c.revision FROM current_loads c "
        "WHERE c.dataset = $ds AND c.period IS NOT DISTINCT FROM $day AND c.load_id <> $ex "
        "AND ($scope IS NULL OR c.scope = $scope OR EXISTS (SELECT 1 FROM load_measures m "
        "WHERE m.load_id = c.load_id AND list_contains($measures, m.measure))) "
        f"ORDER BY {RANKED} LIMIT 1",
        {
            "ds": dataset,
            "day": month.first_day() if month else None,
            "ex": exclude,
            "scope": scope,
            "measures": list(measures),
        },
    ).fetchall()
    if not rows:
        return None
    load_id, file, fmt, revision = rows[0]
    return Rival(int(load_id), str(file), str(fmt), int(revision))


def why(winner_format: str, winner_revision: int, loser: Rival) -> str:
    """Why one publication's figures are used over another's."""
    return why_first(winner_format, winner_revision, loser.format, loser.revision)


def disagreements(
    con: duckdb.DuckDBPyConnection, dataset: str, month: Month, load_id: int, skip: set[int]
) -> tuple[str, ...]:
    """Lines saying where a publication's figures differ from those of the publication
    ranking first among the others for the same organisation and measure (unless that one
    is in `skip`): a count, which one is used and why, then the first examples."""
    rows = con.execute(
        f"""
        WITH others AS (
            SELECT * FROM loads WHERE dataset = $ds AND period = $day AND load_id <> $id
            QUALIFY row_number() OVER (PARTITION BY scope ORDER BY {RANKED}) = 1),
        best AS (
            SELECT m.measure, o.load_id FROM load_measures m JOIN others o
            USING (load_id) WHERE m.measure IN
            (SELECT measure FROM load_measures WHERE load_id = $id)
            QUALIFY row_number() OVER (PARTITION BY m.measure ORDER BY {RANKED}) = 1)
        SELECT b.load_id, x.org_code, x.measure, i.value, x.value
        FROM best b JOIN observations x ON x.load_id = b.load_id AND x.measure = b.measure
        JOIN observations i ON i.load_id = $id AND i.org_code = x.org_code
            AND i.measure = x.measure
        WHERE abs(i.value - x.value) > 1e-9 * greatest(abs(i.value), abs(x.value), 1)
        ORDER BY 1, 2, 3
        """,
        {"ds": dataset, "day": month.first_day(), "id": load_id},
    ).fetchall()
    lines: list[str] = []
    for other in sorted({int(r[0]) for r in rows} - skip):
        differ = [r for r in rows if r[0] == other]
        mine, theirs = _loads(con, (load_id, other))
        used, unused = (mine, theirs) if mine.key > theirs.key else (theirs, mine)
        reason = why_first(used.format, used.revision, unused.format, unused.revision)
        where = f"{mine.file}: {dataset} {month.iso()}"
        lines.append(
            f"{where}: {len(differ)} figure{'s differ' if len(differ) > 1 else ' differs'} "
            f"from {theirs.file}; {used.file} is used ({reason}), and both are kept "
            "(`scorecard history`)"
        )
        lines.extend(
            f"{where} {org} {measure}: {plain_number(ours)} here, "
            f"{plain_number(other_value)} in {theirs.file}"
            for _, org, measure, ours, other_value in differ[:EXAMPLES]
        )
    return tuple(lines)


@dataclass(frozen=True)
class _Load:
    file: str
    format: str
    revision: int
    key: tuple[int, int, int]  # its rank: higher is used


def _loads(con: duckdb.DuckDBPyConnection, ids: tuple[int, int]) -> tuple[_Load, _Load]:
    got = {
        int(i): _Load(str(f), str(fmt), int(r), (int(p), int(r), int(i)))
        for i, f, fmt, p, r in con.execute(
            "SELECT load_id, file, format, precedence, revision FROM loads "
            "WHERE list_contains(?, load_id)",
            [list(ids)],
        ).fetchall()
    }
    return got[ids[0]], got[ids[1]]
