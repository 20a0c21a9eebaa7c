"""The organisation hierarchy: provider -> ICB -> region -> England. Pure.

Built from what the files themselves say: the System-Mapping lookup (provider -> ICB and
ICB -> region) and each data file's parent column (A&E `Parent Org`, DM01 `Regional Team
Name`, AmbSYS `Region`), which names the provider's region. An organisation in the lookup
takes its region from its ICB, so an ICB's providers always add up into that ICB's region;
one that is not in the lookup takes the region its own file names. England is above all.
The hierarchy is the latest known: a provider that changed ICB is added up where it is now.

Your own organisations files (scorecard.sources.organisations) add organisations and groups
(a CCG and its area team, a place, a provider collaborative): each adds up into the parents it
declares, and their parents in turn, besides anything the lookup says; its name is shown as
written, and its kind sets its level.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from scorecard.model import ENGLAND, Level
from scorecard.org_kinds import KINDS, OWN
from scorecard.regions import REGIONS, region_code, region_name

__all__ = ["Hierarchy", "Level", "build_hierarchy", "display_name"]
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
        rows = self.ancestors.filter(pl.col("ancestor") == code)["org_code"]
        return sorted(rows.to_list())


def build_hierarchy(orgs: pl.DataFrame, links: pl.DataFrame) -> Hierarchy:
    """`orgs`: org_code, org_name, parent_name (latest); `links`: the stored lookups (NHS
    England's System-Mapping, and your own organisations files: `own:<kind>` links)."""
    icb_of: dict[str, str] = {}
    region_of_icb: dict[str, str] = {}
    own_parents: dict[str, set[str]] = {}
    own_names: dict[str, str] = {}
    kinds: dict[str, str] = {}
    names: dict[str, str] = {}
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
            names.setdefault(child, display_name(str(link["org_name"])))
        if link["parent_name"]:
            names.setdefault(parent, display_name(str(link["parent_name"])))
    published_region = {}
    for org in orgs.iter_rows(named=True):
        code = str(org["org_code"])
        if org["org_name"] != code or code not in names:  # a bare code never hides a name
            names[code] = display_name(str(org["org_name"]))
        published_region[code] = region_code(org["parent_name"])
    names.update(own_names)
    everyone = set(names) | set(icb_of) | set(region_of_icb)
    everyone |= {p for ps in own_parents.values() for p in ps}
    codes = sorted(everyone - {ENGLAND})
    parents: dict[str, set[str]] = {}
    for code in codes:
        if code in REGIONS:
            continue
        icb = icb_of.get(code)
        region = region_of_icb.get(icb or code) or published_region.get(code)
        parents[code] = {up for up in (icb, region) if up is not None and up != code}
        parents[code] |= own_parents.get(code, set())
    rows = [(code, up) for code in codes for up in _above(code, parents)]
    # A region's own published row (AmbSYS has them) is its figure, never part of England's.
    rows.extend((code, ENGLAND) for code in codes if code not in REGIONS)
    ancestors = pl.DataFrame(rows, schema=ANCESTOR_SCHEMA, orient="row").unique()
    levels = dict.fromkeys(codes, Level.ORGANISATION)
    levels.update(dict.fromkeys([*icb_of.values(), *region_of_icb], Level.ICB))
    levels.update({code: KINDS[k] for code, k in kinds.items() if k in KINDS})
    for region in {*ancestors["ancestor"].unique().to_list(), *codes}:
        if region in REGIONS:
            levels[region] = Level.REGION
            names[region] = region_name(region)
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


def display_name(name: str) -> str:
    """NHS England's CSVs publish names in upper case; show them as the workbooks do."""
    if not name.isupper():
        return name.strip()
    small = {"And", "Of", "The", "For", "In", "On"}
    keep = {"NHS", "CIC", "LLP", "UK", "ICB"}
    words = [w if w in keep else w.capitalize() for w in name.split()]
    return " ".join(w.lower() if w in small and i else w for i, w in enumerate(words))
