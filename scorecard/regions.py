"""NHS England's seven regions: codes, names, and the spellings the publications use. Pure.

The A&E CSV writes `NHS ENGLAND NORTH WEST ` (upper case, trailing space), the A&E
workbook `NHS England North West `, DM01 and the System-Mapping file `North West
Commissioning Region`, AmbSYS the code `Y62` or the bare name `North West`. All of them
name the same region, whose ODS code is Y62.

Older RTT workbooks name NHS England's earlier geography: four commissioning regions
(FORMER_REGIONS: Y54 North of England, Y55 Midlands and East of England, Y56 London, which
kept its code, and Y57 South of England) and below them its area teams (Q44 ... Q71 in
March 2015), whose codes are Q and two digits, a form no ICB, CCG or trust code has.
"""

from __future__ import annotations

import re
from types import MappingProxyType

REGIONS: MappingProxyType[str, str] = MappingProxyType(
    {
        "Y56": "London",
        "Y58": "South West",
        "Y59": "South East",
        "Y60": "Midlands",
        "Y61": "East of England",
        "Y62": "North West",
        "Y63": "North East and Yorkshire",
    }
)
# The commissioning regions before today's seven, as the RTT workbooks of 2013-2015 name
# them (`NORTH OF ENGLAND COMMISSIONING REGION`); London (Y56) is in REGIONS.
FORMER_REGIONS: MappingProxyType[str, str] = MappingProxyType(
    {
        "Y54": "North of England",
        "Y55": "Midlands and East of England",
        "Y57": "South of England",
    }
)
_AREA_TEAM = re.compile(r"^Q[0-9]{2}$")
_BY_NAME = {name.lower(): code for code, name in REGIONS.items()}
_FORMER_BY_NAME = {name.lower(): code for code, name in FORMER_REGIONS.items()}
_NOISE = ("nhs england", "commissioning region", "region")


def region_code(text: str | None) -> str | None:
    """The region code a published code or name refers to; None if it names no region."""
    if text is None:
        return None
    words = " ".join(text.split())
    if words.upper() in REGIONS:
        return words.upper()
    name = words.lower()
    for noise in _NOISE:
        name = name.replace(noise, " ")
    return _BY_NAME.get(" ".join(name.split()))


def region_name(code: str) -> str:
    """How scorecards name a region: `NHS England North West`; a former one as the RTT
    workbooks do: `North of England Commissioning Region`."""
    if code in FORMER_REGIONS:
        return f"{FORMER_REGIONS[code]} Commissioning Region"
    return f"NHS England {REGIONS[code]}"


def is_region(code: str) -> bool:
    """A region's code: one of today's seven, or a former commissioning region."""
    return code in REGIONS or code in FORMER_REGIONS


def any_region_code(text: str | None) -> str | None:
    """The region, today's or a former one, that a published code or name refers to."""
    code = region_code(text)
    if code is not None or text is None:
        return code
    words = " ".join(text.split())
    if words.upper() in FORMER_REGIONS:
        return words.upper()
    name = words.lower()
    for noise in _NOISE:
        name = name.replace(noise, " ")
    return _FORMER_BY_NAME.get(" ".join(name.split()))


def is_area_team(code: str | None) -> bool:
    """An NHS England area team's code (Q and two digits: Q46 Greater Manchester)."""
    return code is not None and bool(_AREA_TEAM.match(code.strip()))
