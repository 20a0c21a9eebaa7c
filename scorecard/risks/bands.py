"""Reads and validates a scorecard definition's `[risks]` table: the register's folder and
its bands.

    [risks]
    folder = "scorecards/trust-board/risks"   # one file per month: 2025-09.csv, or .xlsx
    sheet = "Register"                        # optional: the .xlsx sheet (default: the first)

    [[risks.bands]]
    name = "Extreme"
    from = 15
    to = 25
    colour = "Red"

The folder is relative to the configuration folder (the one holding scorecards/; for a
definition elsewhere, its own folder). A risk's score is its likelihood times its impact,
each 1 to 5, so a score is one of SCORES: the bands must hold each of those exactly once
(no two bands share a score, none is left without a band). Unknown keys fail by name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scorecard.definitions import check_keys, text_value
from scorecard.errors import DefinitionError
from scorecard.risks.types import SCORES, RiskBand, RiskSpec

RISK_KEYS = {"folder": True, "sheet": False, "bands": True}
BAND_KEYS = {"name": True, "from": True, "to": True, "colour": True}
COLOURS = ("Green", "Amber/Green", "Amber", "Amber/Red", "Red")  # the ratings' own colours


def risk_spec(file: str, body: Any, config_dir: Path) -> RiskSpec:
    """The `[risks]` table of `file`, validated; its folder must exist."""
    if not isinstance(body, dict):
        raise DefinitionError(file, "risks", "expected a [risks] table")
    check_keys(file, "risks", body, RISK_KEYS)
    label = text_value(file, "risks.folder", body["folder"])
    folder = config_dir / label
    if not folder.is_dir():
        raise DefinitionError(
            file,
            "risks.folder",
            f"no folder '{label}' (a path relative to the configuration folder, the one "
            "holding scorecards/)",
        )
    sheet = text_value(file, "risks.sheet", body["sheet"]) if "sheet" in body else None
    return RiskSpec(folder, label, sheet, bands(file, body["bands"]))


def bands(file: str, value: Any) -> tuple[RiskBand, ...]:
    """The bands, highest first; each possible score in exactly one."""
    if not isinstance(value, list) or not value:
        raise DefinitionError(file, "risks.bands", "expected one [[risks.bands]] table or more")
    found = [_band(file, f"risks.bands[{i}]", b) for i, b in enumerate(value, start=1)]
    names: dict[str, int] = {}
    for i, band in enumerate(found, start=1):
        before = names.setdefault(band.name.casefold(), i)
        if before != i:
            raise DefinitionError(
                file, f"risks.bands[{i}].name", f"'{band.name}' names risks.bands[{before}] too"
            )
        for j, other in enumerate(found[: i - 1], start=1):
            if band.low <= other.high and other.low <= band.high:
                raise DefinitionError(
                    file,
                    f"risks.bands[{i}]",
                    f"scores {_span(band)} overlap band '{other.name}' (risks.bands[{j}], "
                    f"{_span(other)}): expected each score in one band",
                )
    for score in SCORES:
        if not any(b.holds(score) for b in found):
            pairs = ", ".join(f"{a} x {score // a}" for a in range(1, 6) if score % a == 0 and
                              score // a <= 5)  # fmt: skip
            raise DefinitionError(
                file,
                "risks.bands",
                f"no band holds score {score} (likelihood x impact {pairs}): expected bands "
                f"that hold every score from 1 to 25 ({', '.join(map(str, SCORES))})",
            )
    return tuple(sorted(found, key=lambda b: b.high, reverse=True))


def _band(file: str, where: str, body: Any) -> RiskBand:
    if not isinstance(body, dict):
        raise DefinitionError(file, where, "expected a table")
    check_keys(file, where, body, BAND_KEYS)
    low, high = (_score(file, f"{where}.{k}", body[k]) for k in ("from", "to"))
    if low > high:
        raise DefinitionError(file, f"{where}.to", f"expected {high} to be {low} or more (from)")
    colour = body["colour"]
    chosen = next(
        (c for c in COLOURS if isinstance(colour, str) and c.lower() == colour.lower()), None
    )
    if chosen is None:
        raise DefinitionError(
            file, f"{where}.colour", f"expected one of {', '.join(COLOURS)}, got {colour!r}"
        )
    return RiskBand(text_value(file, f"{where}.name", body["name"]), low, high, chosen)


def _score(file: str, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 25:
        raise DefinitionError(file, key, f"expected a whole number from 1 to 25, got {value!r}")
    return value


def _span(band: RiskBand) -> str:
    return f"{band.low}-{band.high}" if band.low != band.high else str(band.low)
