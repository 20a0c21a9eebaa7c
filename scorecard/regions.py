"""NHS England's seven regions: codes, names, and the spellings the publications use. Pure.

The A&E CSV writes `NHS ENGLAND NORTH WEST ` (upper case, trailing space), the A&E
workbook `NHS England North West `, DM01 and the System-Mapping file `North West
Commissioning Region`, AmbSYS the code `Y62` or the bare name `North West`. All of them
name the same region, whose ODS code is Y62.
"""

from __future__ import annotations

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
_BY_NAME = {name.lower(): code for code, name in REGIONS.items()}
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
    """How scorecards name a region: `NHS England North West`."""
    return f"NHS England {REGIONS[code]}"
