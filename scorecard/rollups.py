"""Which levels an indicator exists at, and how an ICB, a region or England gets its figure.

An indicator declares `rollup` and `levels` in indicators/*.toml:

- `rollup = "sum"` (the default for counts and ratios of counts): an ICB, a region or
  England adds up the numerators and denominators of the organisations below it, unless a
  figure is published for it itself.
- `rollup = "published"`: each level shows the figure NHS England publishes for it (an
  AmbSYS region or England row) or none; it is never rebuilt from the organisations below.
  A centile, median or other figure that cannot be added up (scorecard.measures.NON_ADDITIVE,
  or `over_time = "none"`) and every local return must be "published".
- `levels = ["organisation", "region", "england"]`: the levels the indicator exists at
  (default: all four, with "icb"). No figure is computed or shown for an organisation at
  any other level, and a board row that monitors one is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from scorecard.errors import DefinitionError
from scorecard.measures import LOCAL, NON_ADDITIVE
from scorecard.model import ALL_LEVELS, Formula, Indicator, Level, OverTime, Rollup

LEVEL_NAMES = {level.value.lower(): level for level in Level}
_PLURAL = {
    Level.ORGANISATION: "organisations",
    Level.ICB: "ICBs",
    Level.REGION: "regions",
    Level.ENGLAND: "England",
}


def rolls_up(ind: Indicator) -> bool:
    """Whether organisations' figures add up into ICBs, regions and England.

    Not a figure read as published for each level (a centile, an ambulance figure), and
    never a local measure: an organisation's own return belongs to it alone.
    """
    return ind.rollup is Rollup.SUM and ind.over_time is not OverTime.NONE and ind.family != LOCAL


def exists_at(ind: Indicator, level: Level) -> bool:
    return level in ind.levels


def levels_text(levels: Iterable[Level]) -> str:
    """`organisations, regions and England`, in hierarchy order."""
    words = [_PLURAL[lv] for lv in Level if lv in set(levels)]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def level_words(level: Level | None) -> str:
    """`an ICB`, `a region`, `England`, `an organisation`."""
    if level is None or level is Level.ENGLAND:
        return "England" if level else "this organisation"
    word = level.value
    return f"{'an' if word[0] in 'AEIOUaeiou' else 'a'} {word}"


def rollup_for(
    file: str, where: str, body: Mapping[str, Any], family: str, *formulas: Formula | None
) -> Rollup:
    """An indicator definition's `rollup`, checked against what its measures allow."""
    used = {m for f in formulas if f is not None for m in f.measures()}
    over_time = body.get("over_time", OverTime.SUM.value)
    non_additive = sorted(used & NON_ADDITIVE)
    if non_additive and over_time != OverTime.NONE.value:
        raise DefinitionError(
            file,
            f"{where}.over_time",
            f"{non_additive[0]} cannot be combined over months: use 'none'",
        )
    fixed = over_time == OverTime.NONE.value or family == LOCAL or bool(non_additive)
    text = body.get("rollup", (Rollup.PUBLISHED if fixed else Rollup.SUM).value)
    valid = ", ".join(r.value for r in Rollup)
    if text not in {r.value for r in Rollup}:
        raise DefinitionError(file, f"{where}.rollup", f"expected one of {valid}, got {text!r}")
    rollup = Rollup(text)
    if fixed and rollup is Rollup.SUM:
        why = (
            "a local return belongs to its organisation and"
            if family == LOCAL
            else "a centile or other figure that cannot be combined"
        )
        raise DefinitionError(file, f"{where}.rollup", f"{why} is never added up: use 'published'")
    return rollup


def levels_from(file: str, key: str, value: Any) -> frozenset[Level]:
    """An indicator definition's `levels` (default: every level)."""
    if value is None:
        return ALL_LEVELS
    valid = ", ".join(LEVEL_NAMES)
    if not isinstance(value, list) or not value:
        raise DefinitionError(file, key, f"expected a list of levels from {valid}, got {value!r}")
    levels = []
    for name in value:
        if not isinstance(name, str) or name.lower() not in LEVEL_NAMES:
            raise DefinitionError(file, key, f"expected one of {valid}, got {name!r}")
        levels.append(LEVEL_NAMES[name.lower()])
    if len(set(levels)) != len(levels):
        raise DefinitionError(file, key, "expected each level once")
    return frozenset(levels)
