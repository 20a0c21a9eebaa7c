"""Comparing a new publication with the stored ones it competes with, inside an ingest.

Which file ranks first for a month (`rival`), in plain words why (`why`), and the figures on
which two publications disagree (`disagreements`): a count and the first examples, one line
each, said at ingest and kept in the store (both versions stay; `scorecard history`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from scorecard.formatting import plain_number
from scorecard.periods import Month
from scorecard.precedence import why_first
from scorecard.store.schema import RANKED, level_of

EXAMPLES = 3  # disagreeing figures named, one line each


@dataclass(frozen=True)
class Rival:
    """A stored publication competing with a new one for the same figures."""

    load_id: int
    file: str
    format: str
    precedence: int
    revision: int

    @property
    def key(self) -> tuple[int, int, int]:
        """Its rank among the publications of its month: the higher is used."""
        return (self.precedence, self.revision, self.load_id)


def rival(
    con: duckdb.DuckDBPyConnection,
    dataset: str,
    month: Month | None,
    exclude: int,
    scope: str | None = None,
    measures: Sequence[str] = (),
) -> Rival | None:
    """The first-ranked publication in use for a dataset's month (None: a reference file)
    other than `exclude`, of the same scope or holding any of `measures` for the same level."""
    rows = con.execute(
        "SELECT c.load_id, c.file, c.format, c.precedence, c.revision FROM current_loads c "
        "WHERE c.dataset = $ds AND c.period IS NOT DISTINCT FROM $day AND c.load_id <> $ex "
        "AND ($scope IS NULL OR c.scope = $scope OR "
        f"({level_of('c.scope')} = {level_of('$scope')} AND EXISTS (SELECT 1 "
        "FROM load_measures m WHERE m.load_id = c.load_id "
        "AND list_contains($measures, m.measure)))) "
        f"ORDER BY {RANKED} LIMIT 1",
        {
            "ds": dataset,
            "day": month.first_day() if month else None,
            "ex": exclude,
            "scope": scope,
            "measures": list(measures),
        },
    ).fetchall()
    return _rival(rows[0]) if rows else None


def _rival(row: tuple[Any, ...]) -> Rival:
    """A load's (load_id, file, format, precedence, revision) row."""
    load_id, file, fmt, precedence, revision = row
    return Rival(int(load_id), str(file), str(fmt), int(precedence), int(revision))


def stored(con: duckdb.DuckDBPyConnection, load_id: int) -> Rival:
    """A stored publication, as it ranks."""
    row = con.execute(
        "SELECT load_id, file, format, precedence, revision FROM loads WHERE load_id = ?",
        [load_id],
    ).fetchall()[0]
    return _rival(row)


def why(winner: Rival, loser: Rival) -> str:
    """Why one publication's figures are used over another's."""
    return why_first(winner.format, winner.revision, loser.format, loser.revision)


# One publication's figures that differ from another's: (other load, org, measure, its
# value, the other's value).
Differing = tuple[int, str, str, float, float]


def differing(
    con: duckdb.DuckDBPyConnection, load_ids: Sequence[int]
) -> dict[int, list[Differing]]:
    """For each of `load_ids`, the figures on which it differs from the publication ranking
    first, for each organisation and measure, among the other publications of its dataset,
    month and level; by other load, organisation and measure. One query for them all."""
    if not load_ids:
        return {}
    rows = con.execute(
        f"""
        WITH mine AS (
            SELECT load_id AS id, dataset AS ds, period AS day, {level_of("scope")} AS lvl
            FROM loads WHERE list_contains($ids, load_id)),
        others AS (
            SELECT m.id, l.* FROM mine m JOIN loads l ON l.dataset = m.ds
            AND l.period = m.day AND l.load_id <> m.id AND {level_of("l.scope")} = m.lvl
            QUALIFY row_number() OVER (PARTITION BY m.id, l.scope ORDER BY {RANKED}) = 1),
        best AS (
            SELECT o.id, m.measure, o.load_id FROM load_measures m JOIN others o
            USING (load_id) WHERE EXISTS (SELECT 1 FROM load_measures own
            WHERE own.load_id = o.id AND own.measure = m.measure)
            QUALIFY row_number() OVER (PARTITION BY o.id, m.measure ORDER BY {RANKED}) = 1)
        SELECT b.id, b.load_id, x.org_code, x.measure, i.value, x.value
        FROM best b JOIN observations x ON x.load_id = b.load_id AND x.measure = b.measure
        JOIN observations i ON i.load_id = b.id AND i.org_code = x.org_code
            AND i.measure = x.measure
        WHERE abs(i.value - x.value) > 1e-9 * greatest(abs(i.value), abs(x.value), 1)
        ORDER BY 1, 2, 3, 4
        """,
        {"ids": list(load_ids)},
    ).fetchall()
    found: dict[int, list[Differing]] = {}
    for mine, other, org, measure, ours, theirs in rows:
        found.setdefault(int(mine), []).append(
            (int(other), str(org), str(measure), float(ours), float(theirs))
        )
    return found


def disagreements(
    con: duckdb.DuckDBPyConnection,
    dataset: str,
    month: Month,
    load_id: int,
    skip: set[int],
    rows: Sequence[Differing],
) -> tuple[str, ...]:
    """Lines saying where a publication's figures differ from those of the publication
    ranking first among the others for the same organisation and measure (`rows`, from
    `differing`; unless that one is in `skip`): a count, which one is used and why, then the
    first examples."""
    lines: list[str] = []
    for other in sorted({int(r[0]) for r in rows} - skip):
        differ = [r for r in rows if r[0] == other]
        mine, theirs = stored(con, load_id), stored(con, other)
        used, unused = (mine, theirs) if mine.key > theirs.key else (theirs, mine)
        reason = why(used, unused)
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
