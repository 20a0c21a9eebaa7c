"""The organisation hierarchy: provider -> ICB -> region -> England. Pure.

Built from what the files themselves say: the System-Mapping lookup (provider -> ICB and
ICB -> region) and each data file's parent column (A&E `Parent Org`, DM01 `Regional Team
Name`, AmbSYS `Region`), which names the provider's region. An organisation in the lookup
takes its region from its ICB, so an ICB's providers always add up into that ICB's region;
one that is not in the lookup takes the region its own file names. England is above all.
The hierarchy is the latest known: a provider that changed ICB is added up where it is now.

Older files name NHS England's earlier geography (scorecard.regions): a former commissioning
region is a region, and an area team sits at the ICB level, above the CCGs whose file names
it as their parent. A region's or an area team's own printed row is its figure: neither is
ever added into England (nor an area team into a region, which publishes its own row).

Your own organisations files (scorecard.sources.organisations) add organisations and groups
(a CCG and its area team, a place, a provider collaborative): each adds up into the parents it
declares, and their parents in turn, besides anything the lookup says; its name is shown as
written, and its kind sets its level.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import polars as pl

from scorecard.model import ENGLAND, Level
from scorecard.org_kinds import KINDS, OWN
from scorecard.regions import any_region_code, is_area_team, is_region, region_name

__all__ = ["Hierarchy", "Level", "build_hierarchy", "display_name", "spellings"]
ANCESTOR_SCHEMA = {"org_code": pl.String, "ancestor": pl.String}


@dataclass(frozen=True)
class Hierarchy:
    """Who adds up into whom, and what everyone is called."""

    ancestors: pl.DataFrame  # org_code, ancestor: one row per organisation and level above
    names: Mapping[str, str]
    levels: Mapping[str, Level]
    # The kind each organisation of your own organisations file is (`place`, `ccg`...).
    kinds: Mapping[str, str] = field(default_factory=dict)

    def descendants(self, code: str) -> list[str]:
        """Every organisation that adds up into `code`, sorted."""
        return list(self._below.get(code, ()))

    @cached_property
    def _below(self) -> dict[str, list[str]]:
        """Each ancestor's descendants, sorted (worked out once: every card asks)."""
        below: dict[str, list[str]] = {}
        for org, ancestor in self.ancestors.select("org_code", "ancestor").iter_rows():
            below.setdefault(ancestor, []).append(org)
        return {code: sorted(orgs) for code, orgs in below.items()}


def build_hierarchy(orgs: pl.DataFrame, links: pl.DataFrame) -> Hierarchy:
    """`orgs`: org_code, org_name, parent_name (latest); `links`: the stored lookups (NHS
    England's System-Mapping, and your own organisations files: `own:<kind>` links)."""
    icb_of: dict[str, str] = {}
    region_of_icb: dict[str, str] = {}
    own_parents: dict[str, set[str]] = {}
    own_names: dict[str, str] = {}
    kinds: dict[str, str] = {}
    names: dict[str, str] = {}
    known = spellings(
        str(v)
        for frame, columns in ((links, ("org_name", "parent_name")), (orgs, ("org_name",)))
        for column in columns
        for v in frame[column].to_list()
        if v is not None
    )
    for link in links.iter_rows(named=True):
        child, parent = str(link["org_code"]), str(link["parent_code"])
        level = str(link["parent_level"])
        if level.startswith(OWN):  # your own file: names as written, parents as declared
            kinds[child] = level.removeprefix(OWN)
            own_names[child] = str(link["org_name"])
            if parent != ENGLAND:
                own_parents.setdefault(child, set()).add(parent)
            continue
        if level == "icb":
            icb_of[child] = parent
        else:
            region_of_icb[child] = parent
        if link["org_name"]:
            names.setdefault(child, display_name(str(link["org_name"]), known))
        if link["parent_name"]:
            names.setdefault(parent, display_name(str(link["parent_name"]), known))
    published_region, area_team = {}, {}
    for org in orgs.iter_rows(named=True):
        code, parent = str(org["org_code"]), org["parent_name"]
        if org["org_name"] != code or code not in names:  # a bare code never hides a name
            names[code] = display_name(str(org["org_name"]), known)
        published_region[code] = any_region_code(parent)
        if is_area_team(parent):  # a CCG of 2013-2016 names its area team
            area_team[code] = str(parent).strip()
    names.update(own_names)
    everyone = set(names) | set(icb_of) | set(region_of_icb)
    everyone |= {p for ps in own_parents.values() for p in ps}
    codes = sorted(everyone - {ENGLAND})
    parents: dict[str, set[str]] = {}
    for code in codes:
        if is_region(code):
            continue
        if is_area_team(code):  # its own printed row; above anything only if you say so
            parents[code] = set(own_parents.get(code, set()))
            continue
        icb = icb_of.get(code) or area_team.get(code)
        region = region_of_icb.get(icb or code) or published_region.get(code)
        parents[code] = {up for up in (icb, region) if up is not None and up != code}
        parents[code] |= own_parents.get(code, set())
    rows = [(code, up) for code in codes for up in _above(code, parents)]
    # A region's own published row (AmbSYS has them) is its figure, never part of England's;
    # so is an area team's.
    rows.extend((code, ENGLAND) for code in codes if not (is_region(code) or is_area_team(code)))
    ancestors = pl.DataFrame(rows, schema=ANCESTOR_SCHEMA, orient="row").unique()
    levels = dict.fromkeys(codes, Level.ORGANISATION)
    levels.update(dict.fromkeys([*icb_of.values(), *region_of_icb], Level.ICB))
    levels.update({code: KINDS[k] for code, k in kinds.items() if k in KINDS})
    for code in {*ancestors["ancestor"].unique().to_list(), *codes}:
        if is_region(code):
            levels[code] = Level.REGION
            if code not in own_names:
                names[code] = region_name(code)
        elif is_area_team(code):
            if code not in kinds:  # your own file's kind for it wins
                levels[code] = Level.ICB
            names.setdefault(code, code)
    levels[ENGLAND] = Level.ENGLAND
    names[ENGLAND] = "England"
    return Hierarchy(ancestors.sort("org_code", "ancestor"), names, levels, kinds)


def _above(code: str, parents: Mapping[str, set[str]]) -> list[str]:
    """Every organisation `code` adds up into, following parents to the top (a parent met
    twice, or a circle across files, is followed once)."""
    seen: list[str] = []
    todo = sorted(parents.get(code, set()))
    while todo:
        up = todo.pop(0)
        if up == code or up in seen:
            continue
        seen.append(up)
        todo += sorted(parents.get(up, set()))
    return seen


ACRONYMS = frozenset(
    {"NHS", "NHSFT", "CCG", "ICB", "ICS", "CSU", "PCT", "UTC", "WIC", "MIU", "UCC", "OOH",
     "CIC", "LLP", "GP", "UK", "A&E"}
)  # fmt: skip
SMALL_WORDS = frozenset({"and", "of", "the", "for", "in", "on", "at", "to", "by", "with"})
_EDGE = re.compile(r"^([^\w&]*)(.*?)([^\w&]*)$")


def _word(word: str, first: bool, upper: bool) -> str:
    """One word of a name: an acronym in capitals; from an upper-case name, a small word
    in lower case and any other capitalised (`WALK-IN` -> `Walk-in`, `GUY'S` -> `Guy's`)."""
    m = _EDGE.match(word)
    assert m is not None  # the pattern matches any string
    lead, core, tail = m.groups()
    if core.upper() in ACRONYMS:
        return lead + core.upper() + tail
    if not upper:
        return word
    if core.lower() in SMALL_WORDS and not first:
        return lead + core.lower() + tail
    return lead + core.capitalize() + tail


def display_name(name: str, known: Mapping[str, str] | None = None) -> str:
    """An organisation's name as NHS England spells it.

    NHS England's CSVs publish names in capitals (`NHS WIGAN BOROUGH CCG`) and its workbooks
    and lookup in mixed case (`Wrightington, Wigan And Leigh NHS Foundation Trust`). The
    mixed-case spelling wins: it is kept as published, except that an acronym a workbook
    title-cased (`Utc`, `Cic`, `Wic`) goes back into capitals. A name published only in
    capitals takes the mixed-case spelling of the same name from `known` (case-insensitive
    keys, see `spellings`) if there is one, else is cased by rule: acronyms (NHS, CCG, ICB,
    UTC, ...) in capitals, small words (and, of, the) in lower case, the rest capitalised:
    `NHS Wigan Borough CCG`.
    """
    words = name.split()
    upper = name.isupper()
    if upper and known and (spelt := known.get(" ".join(words).casefold())) is not None:
        words, upper = spelt.split(), False
    return " ".join(_word(w, i == 0, upper) for i, w in enumerate(words))


def spellings(names: Iterable[str]) -> dict[str, str]:
    """The mixed-case spellings among `names`, keyed case-insensitively (one per key:
    the first in sorted order, so the same names give the same spellings)."""
    known: dict[str, str] = {}
    for name in sorted({" ".join(n.split()) for n in names if n and not n.isupper()}):
        known.setdefault(name.casefold(), name)
    return known
