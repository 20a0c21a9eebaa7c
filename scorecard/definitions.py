"""Reads and validates indicators/*.toml and thresholds.toml: the only TOML reader.

Typos fail by name: an unknown key is an error that lists the valid keys.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from scorecard.dimensions import DIMENSIONS
from scorecard.errors import DefinitionError
from scorecard.frequency import frequency_from, over_time_from, percent_value_from
from scorecard.measures import LOCAL, LOCAL_MEASURE, MEASURES
from scorecard.model import (
    Direction,
    Formula,
    Indicator,
    OverTime,
    Scheme,
    Standard,
    Term,
    Unit,
)
from scorecard.periods import Month
from scorecard.rollups import levels_from, rollup_for

INDICATOR_KEYS = {
    "name": True,
    "unit": True,
    "direction": True,
    "numerator": True,
    "denominator": False,
    "basis": True,
    "description": False,
    "over_time": False,
    "rating": False,
    "plan": False,
    "tolerance_pct": False,
    "expected": False,
    "spc_rebase": False,
    "spc_ghost": False,
    "rollup": False,
    "levels": False,
    "breakdowns": False,
    "peer_measure": False,
    "frequency": False,
}
# Which extra keys each rating scheme takes in an indicator definition.
SCHEME_KEYS = {
    Scheme.STANDARD: set(),
    Scheme.PLAN: {"plan", "tolerance_pct"},
    Scheme.FOUR_BAND: set(),
    Scheme.YES_NO: {"expected"},
    Scheme.NONE: set(),
}
STANDARD_KEYS = {
    "from": True,
    "to": False,
    "standard": False,
    "lower_threshold": False,
    "cuts": False,
    "basis": True,
    "source": True,
}
E = TypeVar("E", bound=StrEnum)
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TERM = re.compile(r"([+-]?)\s*([a-z][a-z0-9_]*)")


@dataclass(frozen=True)
class Catalogue:
    """Every indicator (in definition order) and its effective-dated standards."""

    indicators: Mapping[str, Indicator]
    standards: Mapping[str, tuple[Standard, ...]]
    files: Mapping[str, str] = field(default_factory=dict)  # file label -> SHA-256
    defined_in: Mapping[str, str] = field(default_factory=dict)  # indicator id -> file label

    def indicator(self, indicator_id: str) -> Indicator:
        return self.indicators[indicator_id]

    def standard_for(self, indicator_id: str, period: Month) -> Standard | None:
        """The standard in force for `period`, or None when there is none."""
        for s in self.standards.get(indicator_id, ()):
            if s.in_force(period):
                return s
        return None

    def retired(self, indicator_id: str, period: Month) -> bool:
        """True when the indicator had standards and every one ended before `period`."""
        spans = self.standards.get(indicator_id, ())
        return bool(spans) and all(s.end is not None and s.end < period for s in spans)


def load_catalogue(config_dir: Path) -> Catalogue:
    """Load indicators/*.toml and thresholds.toml from `config_dir`, validating both.

    Files read before with the same bytes give the catalogue built from them then (a
    process loads the same definitions for every command it runs; a catalogue is never
    changed once built). A file that cannot be read is left to the reading that reports it.
    """
    indicator_dir = config_dir / "indicators"
    files = sorted(indicator_dir.glob("*.toml"))
    if not files:
        raise DefinitionError(str(indicator_dir), "indicators", "no *.toml indicator files found")
    thresholds = config_dir / "thresholds.toml"
    hashes = _hashes([*files, thresholds])
    if hashes is None:
        return _loaded(files, thresholds)
    key = tuple(zip([str(p.resolve()) for p in (*files, thresholds)], hashes, strict=True))
    if (known := _LOADED.get(key)) is None:
        known = _loaded(files, thresholds)
        if list(known.files.values()) == hashes:  # not changed while it was read
            _LOADED[key] = known
            while len(_LOADED) > _KEEP:
                del _LOADED[next(iter(_LOADED))]
    return known


_LOADED: dict[tuple[tuple[str, str], ...], Catalogue] = {}  # by each file and its SHA-256
_KEEP = 8  # the catalogues kept, the oldest forgotten first


def _hashes(paths: list[Path]) -> list[str] | None:
    """Each file's SHA-256; None when one cannot be read."""
    try:
        return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]
    except OSError:
        return None


def _loaded(files: list[Path], thresholds: Path) -> Catalogue:
    indicators: dict[str, Indicator] = {}
    defined_in: dict[str, str] = {}
    for path in files:
        for ind in _indicators_from(path):
            if ind.id in indicators:
                raise DefinitionError(file_label(path), ind.id, "indicator defined twice")
            indicators[ind.id] = ind
            defined_in[ind.id] = file_label(path)
    standards = _standards_from(thresholds, indicators)
    hashes = {file_label(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    hashes[file_label(thresholds)] = hashlib.sha256(thresholds.read_bytes()).hexdigest()
    return Catalogue(indicators, standards, hashes, defined_in)


def file_label(path: Path) -> str:
    return f"{path.parent.name}/{path.name}" if path.parent.name == "indicators" else path.name


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise DefinitionError(file_label(path), "(file)", "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(file_label(path), "(syntax)", f"not valid TOML: {exc}") from None


def check_keys(file: str, where: str, table: Mapping[str, Any], spec: Mapping[str, bool]) -> None:
    for key in table:
        if key not in spec:
            valid = ", ".join(spec)
            raise DefinitionError(file, f"{where}.{key}", f"unknown key; valid keys are {valid}")
    for key, required in spec.items():
        if required and key not in table:
            raise DefinitionError(file, f"{where}.{key}", "missing required field")


def text_value(file: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DefinitionError(file, key, f"expected non-empty text, got {value!r}")
    return value.strip()


def _indicators_from(path: Path) -> Iterator[Indicator]:
    file = file_label(path)
    doc = read_toml(path)
    check_keys(file, "(top level)", doc, {"family": True, "indicators": True})
    family = text_value(file, "family", doc["family"])
    if family not in MEASURES:
        raise DefinitionError(file, "family", f"unknown family '{family}'; known: {_known()}")
    table = doc["indicators"]
    if not isinstance(table, dict) or not table:
        raise DefinitionError(file, "indicators", "expected one [indicators.<id>] table or more")
    for ind_id, body in table.items():
        where = f"indicators.{ind_id}"
        if not _ID.match(ind_id):
            raise DefinitionError(file, where, "id must be lower_snake_case")
        if not isinstance(body, dict):
            raise DefinitionError(file, where, "expected a table")
        check_keys(file, where, body, INDICATOR_KEYS)
        unit = enum_value(file, f"{where}.unit", body["unit"], Unit)
        numerator = _formula(file, f"{where}.numerator", body["numerator"], family)
        denominator = None
        if "denominator" in body:
            denominator = _formula(file, f"{where}.denominator", body["denominator"], family)
        percent_value = percent_value_from(
            file, where, ind_id, family, unit, numerator, denominator
        )
        if unit is Unit.COUNT and denominator is not None:
            raise DefinitionError(file, f"{where}.denominator", "a count takes no denominator")
        scheme = enum_value(file, f"{where}.rating", body.get("rating", "standard"), Scheme)
        extra = {"plan", "tolerance_pct", "expected"} & set(body)
        for key in sorted(extra - SCHEME_KEYS[scheme]):
            raise DefinitionError(file, f"{where}.{key}", f"not used by rating = '{scheme}'")
        for key in sorted(SCHEME_KEYS[scheme] - extra):
            raise DefinitionError(file, f"{where}.{key}", f"rating = '{scheme}' needs it")
        plan = tolerance = expected = None
        if scheme is Scheme.PLAN:
            plan = _formula(file, f"{where}.plan", body["plan"], family)
            tolerance = _number(file, f"{where}.tolerance_pct", body["tolerance_pct"])
            if tolerance < 0:
                raise DefinitionError(file, f"{where}.tolerance_pct", "expected 0 or more")
        if scheme is Scheme.YES_NO:
            answer = body["expected"]
            if answer not in ("yes", "no"):
                raise DefinitionError(
                    file, f"{where}.expected", f"expected 'yes' or 'no', got {answer!r}"
                )
            expected = answer == "yes"
            if unit is not Unit.COUNT:
                raise DefinitionError(file, f"{where}.unit", "a yes/no answer has unit 'count'")
            if body.get("over_time") != OverTime.LATEST.value:
                raise DefinitionError(
                    file, f"{where}.over_time", "a yes/no answer is a position: use 'latest'"
                )
        rollup = rollup_for(file, where, body, family, numerator, denominator)
        yield Indicator(
            id=ind_id,
            name=text_value(file, f"{where}.name", body["name"]),
            family=family,
            unit=unit,
            direction=enum_value(file, f"{where}.direction", body["direction"], Direction),
            numerator=numerator,
            denominator=denominator,
            basis=text_value(file, f"{where}.basis", body["basis"]),
            description=str(body.get("description", "")).strip(),
            over_time=over_time_from(
                file, where, body, family, percent_value, denominator is not None
            ),
            scheme=scheme,
            plan=plan,
            tolerance_pct=tolerance,
            expected=expected,
            spc_rebase=_months(file, f"{where}.spc_rebase", body.get("spc_rebase", [])),
            spc_ghost=_months(file, f"{where}.spc_ghost", body.get("spc_ghost", [])),
            rollup=rollup,
            levels=levels_from(file, f"{where}.levels", body.get("levels")),
            breakdowns=_breakdowns(file, f"{where}.breakdowns", body.get("breakdowns", [])),
            peer_measure=_peer_measure(file, f"{where}.peer_measure", body, family),
            frequency=frequency_from(file, where, body, family),
        )


def _peer_measure(file: str, key: str, body: Mapping[str, Any], family: str) -> str | None:
    """A measure of the indicator's family, or None when not declared."""
    if "peer_measure" not in body:
        return None
    name = text_value(file, key, body["peer_measure"])
    if name not in MEASURES.get(family, {}):
        raise DefinitionError(file, key, f"'{name}' is not a measure of the {family} family")
    return name


def _breakdowns(file: str, key: str, value: Any) -> tuple[str, ...]:
    """The dimensions an indicator can be drilled down by: names from scorecard.dimensions."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DefinitionError(file, key, "expected a list of dimension names")
    for name in value:
        if name not in DIMENSIONS:
            valid = ", ".join(DIMENSIONS)
            raise DefinitionError(file, key, f"unknown dimension '{name}'; expected one of {valid}")
    if len(set(value)) != len(value):
        raise DefinitionError(file, key, "a dimension is named twice")
    return tuple(value)


def _known() -> str:
    return ", ".join(sorted(MEASURES))


def enum_value(file: str, key: str, value: Any, enum: type[E]) -> E:
    try:
        return enum(value)
    except ValueError:
        valid = ", ".join(m.value for m in enum)
        raise DefinitionError(file, key, f"expected one of {valid}, got {value!r}") from None


def _formula(file: str, key: str, text: Any, family: str) -> Formula:
    """Parse `a + b - c` over the family's canonical measures."""
    expr = text_value(file, key, text)
    compact = "".join(expr.split())
    terms: list[Term] = []
    pos = 0
    for m in _TERM.finditer(compact):
        if m.start() != pos or (terms and not m.group(1)):
            break
        terms.append(Term(-1 if m.group(1) == "-" else 1, m.group(2)))
        pos = m.end()
    if pos != len(compact) or not terms:
        raise DefinitionError(file, key, f"expected measures joined by + or -, got '{expr}'")
    known = MEASURES[family]
    for t in terms:
        if family == LOCAL and LOCAL_MEASURE.match(t.measure):
            continue  # a local indicator's own figures, named after it
        if t.measure not in known:
            raise DefinitionError(
                file, key, f"unknown measure '{t.measure}'; {family} measures: {', '.join(known)}"
            )
    return Formula(tuple(terms))


def _month(file: str, key: str, value: Any) -> Month:
    try:
        return Month.parse(value if isinstance(value, str) else repr(value))
    except ValueError as exc:
        raise DefinitionError(file, key, str(exc)) from None


def _number(file: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DefinitionError(file, key, f"expected a number, got {value!r}")
    return float(value)


def _standards_from(
    path: Path, indicators: Mapping[str, Indicator]
) -> dict[str, tuple[Standard, ...]]:
    file = file_label(path)
    doc = read_toml(path)
    out: dict[str, tuple[Standard, ...]] = {}
    for ind_id, entries in doc.items():
        if ind_id not in indicators:
            raise DefinitionError(
                file, ind_id, f"unknown indicator; defined indicators: {', '.join(indicators)}"
            )
        if not isinstance(entries, list) or not entries:
            raise DefinitionError(file, ind_id, "expected one [[<indicator id>]] entry or more")
        direction = indicators[ind_id].direction
        scheme = indicators[ind_id].scheme
        if scheme not in (Scheme.STANDARD, Scheme.FOUR_BAND):
            raise DefinitionError(
                file, ind_id, f"the indicator is rated by '{scheme}', which takes no thresholds"
            )
        parsed: list[Standard] = []
        for i, body in enumerate(entries, start=1):
            where = f"{ind_id}[{i}]"
            if not isinstance(body, dict):
                raise DefinitionError(file, where, "expected a table")
            check_keys(file, where, body, STANDARD_KEYS)
            start = _month(file, f"{where}.from", body["from"])
            end = _month(file, f"{where}.to", body["to"]) if "to" in body else None
            if end is not None and end < start:
                raise DefinitionError(
                    file, f"{where}.to", f"{end.iso()} is before from {start.iso()}"
                )
            cuts = _cuts(file, where, body, direction, scheme)
            if cuts is not None:
                standard, lower = cuts[0], cuts[2]
            else:
                standard = _number(file, f"{where}.standard", body["standard"])
                lower = None
            if cuts is None and "lower_threshold" in body:
                lower = _number(file, f"{where}.lower_threshold", body["lower_threshold"])
                worse = lower > standard if direction is Direction.HIGHER else lower < standard
                if worse:
                    side = "above" if direction is Direction.HIGHER else "below"
                    raise DefinitionError(
                        file,
                        f"{where}.lower_threshold",
                        f"{lower:g} is {side} the standard {standard:g}; for a "
                        f"{direction.value}-is-better indicator it must be the worse cut",
                    )
            if parsed:
                prev = parsed[-1]
                if prev.end is None or start <= prev.end:
                    raise DefinitionError(
                        file,
                        f"{where}.from",
                        f"{start.iso()} overlaps the entry before it (in force "
                        f"{prev.start.iso()} to {prev.end.iso() if prev.end else 'open-ended'}); "
                        "entries must be in date order without overlaps",
                    )
            parsed.append(
                Standard(
                    indicator_id=ind_id,
                    start=start,
                    end=end,
                    standard=standard,
                    lower_threshold=lower,
                    basis=text_value(file, f"{where}.basis", body["basis"]),
                    source=text_value(file, f"{where}.source", body["source"]),
                    cuts=cuts,
                )
            )
        out[ind_id] = tuple(parsed)
    return out


def _cuts(
    file: str, where: str, body: Mapping[str, Any], direction: Direction, scheme: Scheme
) -> tuple[float, float, float] | None:
    """A four-band entry's three cut points, best first; a standard entry has none."""
    if scheme is Scheme.STANDARD:
        if "cuts" in body:
            raise DefinitionError(file, f"{where}.cuts", "only a four_band indicator takes cuts")
        if "standard" not in body:
            raise DefinitionError(file, f"{where}.standard", "missing required field")
        return None
    for key in ("standard", "lower_threshold"):
        if key in body:
            raise DefinitionError(
                file, f"{where}.{key}", "a four_band indicator takes cuts = [green, amber_green, "
                "amber_red] instead",
            )  # fmt: skip
    raw = body.get("cuts")
    if not isinstance(raw, list) or len(raw) != 3:
        raise DefinitionError(
            file, f"{where}.cuts", f"expected three numbers [green, amber_green, amber_red], "
            f"got {raw!r}",
        )  # fmt: skip
    cuts = tuple(_number(file, f"{where}.cuts", v) for v in raw)
    ordered = sorted(cuts, reverse=direction is Direction.HIGHER)
    if list(cuts) != ordered or len(set(cuts)) != 3:
        way = "falling" if direction is Direction.HIGHER else "rising"
        raise DefinitionError(
            file, f"{where}.cuts", f"expected three different cuts, best first ({way} for a "
            f"{direction.value}-is-better indicator), got {list(cuts)}",
        )  # fmt: skip
    return (cuts[0], cuts[1], cuts[2])


def _months(file: str, key: str, value: Any) -> tuple[Month, ...]:
    """A list of months (YYYY-MM), in order without repeats."""
    if not isinstance(value, list):
        raise DefinitionError(
            file, key, f'expected a list of months like ["2024-04"], got {value!r}'
        )
    months = tuple(_month(file, key, v) for v in value)
    if list(months) != sorted(set(months)):
        raise DefinitionError(file, key, "expected months in order, each once")
    return months
