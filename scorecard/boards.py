"""Reads and validates scorecards/*.toml: a board's title, domains, rows and columns.

A definition names the organisation it is for (`org`), its ordered domains, and in each the
indicators and the organisation each row monitors: a code, or "self" for the scorecard's own
organisation. Every window shown (`windows`) is rated; `rate_by` (`"month"`, `"quarter"` or
`"ytd"`: one of the windows shown; default the month, or the first window shown without it)
names the one whose ratings rate each domain and fill the exception report. Typos fail by
name, like the other definitions. Whether an organisation exists can only be known from the
store, so that is checked when the scorecard is built.

NHS England publishes ambulance figures for ambulance trusts, regions and England, never for
an ICB. An ICB board declares the ambulance trust it monitors once, `ambulance_service =
"RX7"`; its ambulance rows that name no `org` monitor that trust. A row monitoring an
organisation at a level its indicator does not exist at (`levels` in indicators/*.toml) is
refused when the board is built (see `monitored`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from scorecard.benchmark.peers import load_group
from scorecard.definitions import Catalogue, check_keys, enum_value, read_toml, text_value
from scorecard.drilldown import resolve
from scorecard.errors import DefinitionError, UsageError
from scorecard.hierarchy import Hierarchy
from scorecard.matrix import matrix_specs
from scorecard.model import (
    SELF,
    BoardSpec,
    DomainRule,
    DomainSpec,
    Indicator,
    Level,
    PeerGroup,
    RowSpec,
    Window,
)
from scorecard.risks.bands import risk_spec
from scorecard.rollups import levels_text

BOARD_KEYS = {
    "title": True,
    "audience": True,
    "org": True,
    "windows": False,
    "rate_by": False,
    "rule": False,
    "ambulance_service": False,
    "benchmark": False,
    "peers": False,
    "domains": True,
    "matrix": False,
    "risks": False,
    "narratives": False,
}
AMBULANCE = "ambsys"  # the family whose rows `ambulance_service` applies to
DOMAIN_KEYS = {"name": True, "id": False, "rule": False, "red_if_red": False, "rows": True}
ROW_KEYS = {"indicator": True, "org": False, "breakdown": False, "drill": False, "drill_top": False}
DRILL_TOP_MAX = 20
_CODE = re.compile(r"^[A-Z0-9]{2,8}$")


def board_files(config_dir: Path) -> list[Path]:
    """The scorecard definitions in `config_dir`/scorecards, by name."""
    return sorted((config_dir / "scorecards").glob("*.toml"))


def load_board(path: Path, catalogue: Catalogue) -> BoardSpec:
    """One validated scorecard definition."""
    file = f"scorecards/{path.name}" if path.parent.name == "scorecards" else path.name
    doc = read_toml(path)
    check_keys(file, "(top level)", doc, BOARD_KEYS)
    default_rule = enum_value(file, "rule", doc.get("rule", "worst"), DomainRule)
    domains = doc["domains"]
    if not isinstance(domains, list) or not domains:
        raise DefinitionError(file, "domains", "expected one [[domains]] table or more")
    config_dir = _config_dir(path)
    windows = _windows(file, doc.get("windows", [w.value for w in Window]))
    spec = BoardSpec(
        file=file,
        title=text_value(file, "title", doc["title"]),
        audience=text_value(file, "audience", doc["audience"]),
        org=_org(file, "org", doc["org"], allow_self=False),
        windows=windows,
        domains=tuple(
            _domain(file, f"domains[{i}]", body, catalogue, default_rule)
            for i, body in enumerate(domains, start=1)
        ),
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        ambulance_service=(
            _org(file, "ambulance_service", doc["ambulance_service"], allow_self=False)
            if "ambulance_service" in doc
            else None
        ),
        benchmark=_benchmark(file, doc),
        peers=_peers(file, path, doc),
        matrices=matrix_specs(file, doc["matrix"], catalogue) if "matrix" in doc else (),
        risks=risk_spec(file, doc["risks"], config_dir) if "risks" in doc else None,
        narratives=_narratives(file, doc.get("narratives", []), config_dir),
        rate_by=_rate_by(file, doc.get("rate_by", windows[0].value), windows),
    )
    _check_ids(spec)
    return spec


def _config_dir(path: Path) -> Path:
    """The configuration folder of a definition: the one holding its scorecards/ folder,
    or (a definition elsewhere) its own folder. The files a definition names are in it."""
    return path.parent.parent if path.parent.name == "scorecards" else path.parent


def _narratives(file: str, value: Any, config_dir: Path) -> tuple[tuple[str, Path], ...]:
    """`narratives`: a file or a list of files, each of which must exist."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        raise DefinitionError(file, "narratives", "expected a file, or a list of files")
    found = []
    for name in names:
        path = config_dir / name.strip()
        if not path.is_file():
            raise DefinitionError(
                file,
                "narratives",
                f"no file '{name.strip()}' (a path relative to the configuration folder, the "
                "one holding scorecards/)",
            )
        found.append((name.strip(), path))
    return tuple(found)


def _check_ids(spec: BoardSpec) -> None:
    """A domain's `id` names it alone: no other domain has it as its id or its name."""
    seen: dict[str, int] = {}
    for i, d in enumerate(spec.domains, start=1):
        seen.setdefault(" ".join(d.name.split()).lower(), i)
    for i, d in enumerate(spec.domains, start=1):
        if d.id is None:
            continue
        first = seen.setdefault(" ".join(d.id.split()).lower(), i)
        if first != i:
            raise DefinitionError(
                spec.file, f"domains[{i}].id", f"'{d.id}' also names domains[{first}]"
            )


def _benchmark(file: str, doc: dict[str, Any]) -> bool:
    value = doc.get("benchmark", False)
    if not isinstance(value, bool):
        raise DefinitionError(file, "benchmark", "expected true or false")
    return value or "peers" in doc


def _peers(file: str, path: Path, doc: dict[str, Any]) -> PeerGroup | None:
    """The peer group the board names, from the configuration folder it sits in."""
    if "peers" not in doc:
        return None
    name = text_value(file, "peers", doc["peers"])
    try:
        return load_group(_config_dir(path), name)
    except UsageError as exc:
        raise DefinitionError(file, "peers", str(exc).removeprefix("--peers: ")) from None


def monitored(
    spec: BoardSpec, catalogue: Catalogue, hierarchy: Hierarchy, ambulance: frozenset[str]
) -> BoardSpec:
    """The definition with each row's organisation settled and checked against the store.

    An ambulance row that names no `org` monitors the board's `ambulance_service`, when it
    declares one. A row whose indicator does not exist at its organisation's level (an
    ambulance figure for an ICB) is refused, naming the row. `ambulance` is the codes with
    ambulance figures in the store (empty: none stored, nothing to check against).
    """
    service = spec.ambulance_service
    if service is not None:
        _check_service(spec.file, service, hierarchy, ambulance)
    domains = []
    for d in spec.domains:
        rows = []
        for r in d.rows:
            ind = catalogue.indicator(r.indicator_id)
            if r.org == SELF and ind.family == AMBULANCE and service is not None:
                r = replace(r, org=service)
            code = spec.org if r.org == SELF else r.org
            level = hierarchy.levels.get(code)
            if level is not None and level not in ind.levels:
                key = r.key if r.org == SELF else f"{r.key}.org"
                raise DefinitionError(spec.file, key, _not_at_level(ind, code, level))
            rows.append(r)
        domains.append(replace(d, rows=tuple(rows)))
    return replace(spec, domains=tuple(domains))


def _check_service(file: str, code: str, hierarchy: Hierarchy, ambulance: frozenset[str]) -> None:
    if code not in hierarchy.names:
        raise DefinitionError(
            file, "ambulance_service", f"unknown organisation '{code}': not in the store"
        )
    level = hierarchy.levels.get(code, Level.ORGANISATION)
    if level is not Level.ORGANISATION or (ambulance and code not in ambulance):
        known = ", ".join(
            sorted(c for c in ambulance if hierarchy.levels.get(c) is Level.ORGANISATION)
        )
        raise DefinitionError(
            file,
            "ambulance_service",
            f"{code} ({hierarchy.names[code]}) has no ambulance figures in the store: expected "
            f"an ambulance trust{f' ({known})' if known else ''}",
        )


def _not_at_level(ind: Indicator, code: str, level: Level) -> str:
    what = f"{ind.id} is published for {levels_text(ind.levels)} only, not for {code}"
    if level is Level.ICB and ind.family == AMBULANCE:
        return (
            f"{what}, an ICB (an ambulance service covers several ICBs): set "
            'ambulance_service = "CODE" to the ICB\'s ambulance trust, or name the trust in '
            "this row's org"
        )
    return f"{what} ({level.value}): name an organisation at one of those levels in org"


def _domain(
    file: str, where: str, body: Any, catalogue: Catalogue, default_rule: DomainRule
) -> DomainSpec:
    if not isinstance(body, dict):
        raise DefinitionError(file, where, "expected a table")
    check_keys(file, where, body, DOMAIN_KEYS)
    rows = body["rows"]
    if not isinstance(rows, list) or not rows:
        raise DefinitionError(file, f"{where}.rows", "expected one [[domains.rows]] table or more")
    specs = tuple(
        _row(file, f"{where}.rows[{i}]", row, catalogue) for i, row in enumerate(rows, start=1)
    )
    flagged = body.get("red_if_red", [])
    if not isinstance(flagged, list) or not all(isinstance(f, str) for f in flagged):
        raise DefinitionError(file, f"{where}.red_if_red", "expected a list of indicator ids")
    for ind in flagged:
        if ind not in {r.indicator_id for r in specs}:
            raise DefinitionError(
                file, f"{where}.red_if_red", f"'{ind}' is not an indicator of this domain"
            )
    rule = enum_value(file, f"{where}.rule", body.get("rule", default_rule.value), DomainRule)
    name = text_value(file, f"{where}.name", body["name"])
    short = text_value(file, f"{where}.id", body["id"]) if "id" in body else None
    return DomainSpec(name, specs, rule, tuple(flagged), short)


def _row(file: str, where: str, body: Any, catalogue: Catalogue) -> RowSpec:
    if not isinstance(body, dict):
        raise DefinitionError(file, where, "expected a table")
    check_keys(file, where, body, ROW_KEYS)
    ind = text_value(file, f"{where}.indicator", body["indicator"])
    if ind not in catalogue.indicators:
        raise DefinitionError(
            file, f"{where}.indicator", f"unknown indicator '{ind}'; see `scorecard indicators`"
        )
    org = _org(file, f"{where}.org", body.get("org", SELF), allow_self=True)
    indicator = catalogue.indicator(ind)
    part = drill = None
    if "breakdown" in body:
        text = text_value(file, f"{where}.breakdown", body["breakdown"])
        try:
            named = resolve(text, [indicator])
        except ValueError as exc:
            raise DefinitionError(file, f"{where}.breakdown", str(exc)) from None
        if named.key is None:
            raise DefinitionError(
                file, f"{where}.breakdown", f"'{text}' is a dimension; name one part (or use drill)"
            )
        part = (named.dimension, named.key)
    if "drill" in body:
        drill = text_value(file, f"{where}.drill", body["drill"])
        if drill not in indicator.breakdowns:
            offered = " or ".join(indicator.breakdowns) or "none"
            raise DefinitionError(
                file, f"{where}.drill", f"'{drill}': {ind} drills down by {offered}"
            )
    top = body.get("drill_top", 5)
    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= DRILL_TOP_MAX:
        raise DefinitionError(file, f"{where}.drill_top", f"expected 1 to {DRILL_TOP_MAX}")
    return RowSpec(ind, org, where, part, drill, top)


def _org(file: str, key: str, value: Any, *, allow_self: bool) -> str:
    code = text_value(file, key, value)
    if allow_self and code == SELF:
        return SELF
    if not _CODE.match(code):
        what = "an organisation code (ODS, upper case)"
        raise DefinitionError(file, key, f"expected {what}{' or self' if allow_self else ''}")
    return code


def _rate_by(file: str, value: Any, windows: tuple[Window, ...]) -> Window:
    """The window whose ratings rate rows, domains and the exception report: one shown."""
    window = enum_value(file, "rate_by", value, Window)
    if window not in windows:
        shown = ", ".join(w.value for w in windows)
        raise DefinitionError(
            file, "rate_by", f"'{window.value}' is not a window this board shows ({shown})"
        )
    return window


def _windows(file: str, value: Any) -> tuple[Window, ...]:
    if not isinstance(value, list) or not value:
        raise DefinitionError(file, "windows", 'expected a list such as ["month", "ytd"]')
    chosen = {enum_value(file, "windows", v, Window) for v in value}
    return tuple(w for w in Window if w in chosen)
