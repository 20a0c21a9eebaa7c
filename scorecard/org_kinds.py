"""The kinds of organisation your own organisations file can declare, and their levels. Pure.

A kind sets the level an organisation sits at: an organisation (its figures its own), a group
(its figures added up from the organisations below it, as an ICB's are) or a region. Kinds are
compared without case, spaces and hyphens (`Area team` is `area_team`). A stored link of your
own file carries the child's kind as its level: `own:<kind>` (scorecard.hierarchy).
"""

from __future__ import annotations

import re
from types import MappingProxyType

from scorecard.model import Level

OWN = "own:"
KINDS: MappingProxyType[str, Level] = MappingProxyType(
    {
        "provider": Level.ORGANISATION,
        "trust": Level.ORGANISATION,
        "commissioner": Level.ORGANISATION,
        "ccg": Level.ORGANISATION,
        "sub_icb": Level.ORGANISATION,
        "practice": Level.ORGANISATION,
        "organisation": Level.ORGANISATION,
        "icb": Level.ICB,
        "area_team": Level.ICB,
        "place": Level.ICB,
        "collaborative": Level.ICB,
        "provider_collaborative": Level.ICB,
        "system": Level.ICB,
        "group": Level.ICB,
        "region": Level.REGION,
    }
)


def kind_of(text: str) -> str:
    """`area_team` for `Area team`, `Area-Team` or `AREA TEAM`."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def kind_words(kind: str) -> str:
    """`Area team` for `area_team`: a kind as a heading reads it."""
    text = kind.replace("_", " ")
    return "CCG" if kind == "ccg" else ("ICB" if kind == "icb" else text[:1].upper() + text[1:])
