"""Your own organisations file: organisations and groupings NHS England's lookup does not have.

NHS England's System-Mapping file places today's providers in today's ICBs and seven regions.
A board also reports on structures of its own: a clinical commissioning group and its area
team in 2013, a provider collaborative, a place. This file declares them, one row each, under
the header

    Code,Name,Parent,Kind

(columns in any order, names compared without case, other columns ignored, empty lines skipped;
a CSV file or an .xlsx sheet, recognised by its header like every other file):

* `Code`: 3 to 6 letters and digits (upper-cased), once in the file; not `ENG` (England).
* `Name`: as the board should read it; shown exactly as written.
* `Parent`: the code it adds up into: another row's Code, one of NHS England's seven region
  codes (`Y56` ... `Y63`), `ENG`, or empty (directly under England). A parent must be at its
  child's level or above (`KINDS`), and following parents must never come back to a row.
* `Kind`: one of `scorecard.org_kinds.KINDS` (case, spaces and hyphens aside: `Area team` is
  `area_team`), which sets the level it sits at: an organisation (provider, trust,
  commissioner, ccg, sub_icb, practice, organisation: its figures its own), a group (icb,
  area_team, place, collaborative, provider_collaborative, system, group: figures added up
  from the organisations below it, as an ICB's are) or a region (region).

Declared parents add to, never replace, what the System-Mapping lookup says: a trust in a place
of yours still adds up into its ICB and region too. Each file is its own reference
publication, named by its file name (a corrected file of the same name replaces it; files of
other names are kept beside it). It is stored as links (scorecard.hierarchy), the child's kind
kept as the link's level (`own:place`).
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from scorecard.errors import Problem, SourceError
from scorecard.model import ENGLAND, Level
from scorecard.org_kinds import KINDS, OWN, kind_of
from scorecard.regions import REGIONS
from scorecard.sources.base import Extract, LinkSchema, ObservationSchema, OrgSchema, empty_frame
from scorecard.sources.encoding import sha256
from scorecard.sources.text import ROW, header_score, published_columns, read_table
from scorecard.sources.validation import check_result

PUBLISHED = {"code": "Code", "name": "Name", "parent": "Parent", "kind": "Kind"}
_RANK = {Level.ORGANISATION: 0, Level.ICB: 1, Level.REGION: 2, Level.ENGLAND: 3}
_CODE = re.compile(r"^[A-Z0-9]{3,6}$")


def _level_of(code: str, kinds: dict[str, str]) -> Level:
    if code == ENGLAND:
        return Level.ENGLAND
    if code in kinds:
        return KINDS[kinds[code]]
    return Level.REGION  # one of NHS England's seven


class OrganisationsCsv:
    """Your own organisations: code, name, parent and kind."""

    name = "organisations_csv"
    dataset = "organisations"
    description = "your own organisations file (Code, Name, Parent, Kind)"

    def match(self, header: list[str]) -> float:
        """Three of the four columns at least: `Code,Name` alone is no one's layout."""
        score = header_score(header, PUBLISHED)
        return score if score > 0.5 else 0.0

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        header, body = read_table(file, data)
        renames = published_columns(file, header, PUBLISHED, self.description)
        if not body.height:
            raise SourceError(file, "no rows below the header", row=2)
        raw = body.select(ROW, *renames).rename(renames)
        rows = [
            {k: (v.strip() if isinstance(v, str) else v) for k, v in r.items()}
            for r in raw.iter_rows(named=True)
        ]
        links = _links(file, rows)
        return Extract(
            file=file,
            format=self.name,
            dataset=self.dataset,
            sha256=sha256(data),
            observations=empty_frame(ObservationSchema),
            orgs=empty_frame(OrgSchema),
            scope=_scope(file),
            links=check_result(file, links, LinkSchema),
        )


def _scope(file: str) -> str:
    """The file's own name without its extension, keeping a workbook sheet: `orgs [2013]`."""
    name, bracket, sheet = file.partition(" [")
    return Path(name).stem + (bracket + sheet if bracket else "")


def _links(file: str, rows: list[dict[str, object]]) -> pl.DataFrame:
    """The rows as links, after every check; every problem of the file at once."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    kinds: dict[str, str] = {}
    good: list[dict[str, object]] = []
    for r in rows:
        at, code = int(str(r[ROW])), str(r["code"] or "").upper()
        found = len(problems)
        if not _CODE.match(code) or code == ENGLAND:
            why = "expected a code of 3 to 6 letters and digits (not ENG, which is England)"
            problems.append(Problem(file, at, "Code", str(r["code"] or ""), why))
        elif code in seen:
            why = f"duplicate Code: {code} is declared on row {seen[code]} too; expected once"
            problems.append(Problem(file, at, "Code", code, why))
        if not r["name"]:
            problems.append(Problem(file, at, "Name", None, "expected a name, got an empty cell"))
        kind = kind_of(str(r["kind"] or ""))
        if kind not in KINDS:
            why = f"expected a kind: one of {', '.join(KINDS)}"
            problems.append(Problem(file, at, "Kind", str(r["kind"] or ""), why))
        seen.setdefault(code, at)
        if len(problems) == found:
            kinds[code] = kind
            parent = str(r["parent"] or "").upper() or ENGLAND
            good.append({"row": at, "code": code, "name": r["name"], "parent": parent})
    for r in good:  # a parent on a row with a problem of its own is not reported again
        problems += [] if str(r["parent"]) in set(seen) - set(kinds) else _parent(file, r, kinds)
    problems += _cycles(file, good)
    if problems:
        raise SourceError.of(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    names = {str(r["code"]): str(r["name"]) for r in good}
    return pl.DataFrame(
        [
            {
                "org_code": r["code"],
                "org_name": r["name"],
                "parent_code": r["parent"],
                "parent_name": names.get(str(r["parent"])),
                "parent_level": OWN + kinds[str(r["code"])],
            }
            for r in sorted(good, key=lambda r: str(r["code"]))
        ],
        schema={
            "org_code": pl.String,
            "org_name": pl.String,
            "parent_code": pl.String,
            "parent_name": pl.String,
            "parent_level": pl.String,
        },
    )


def _parent(file: str, row: dict[str, object], kinds: dict[str, str]) -> list[Problem]:
    """A parent declared in the file (or a region, or England), at the child's level or above."""
    at, code, parent = int(str(row["row"])), str(row["code"]), str(row["parent"])
    if parent not in kinds and parent not in REGIONS and parent != ENGLAND:
        why = (
            f"unknown parent {parent}: expected a Code of this file, one of NHS England's "
            f"region codes ({', '.join(REGIONS)}), ENG, or an empty cell"
        )
        return [Problem(file, at, "Parent", parent, why)]
    child, above = _level_of(code, kinds), _level_of(parent, kinds)
    if parent == code:
        return [Problem(file, at, "Parent", parent, "expected another organisation: it is its own")]
    if _RANK[above] < _RANK[child] or above is Level.ORGANISATION:
        why = (
            f"expected a parent at the level of {code} ({child.value}) or above: {parent} is "
            f"{'an organisation' if above is Level.ORGANISATION else 'a ' + above.value}, and "
            "only a group, region or England adds organisations up"
        )
        return [Problem(file, at, "Parent", parent, why)]
    return []


def _cycles(file: str, rows: list[dict[str, object]]) -> list[Problem]:
    """Following parents from any row must reach the top, never come back round."""
    parent = {str(r["code"]): str(r["parent"]) for r in rows}
    line = {str(r["code"]): int(str(r["row"])) for r in rows}
    reported: set[str] = set()
    problems = []
    for start in sorted(parent, key=line.__getitem__):
        path, code = [start], parent[start]
        while code in parent and code not in path:
            path.append(code)
            code = parent[code]
        if code in path and code == start and start not in reported and start != parent[start]:
            reported.update(path)
            circle = " -> ".join([*path, start])
            why = f"expected the parents to reach the top; they go round in a circle: {circle}"
            problems.append(Problem(file, line[start], "Parent", parent[start], why))
    return problems
