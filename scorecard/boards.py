"""Reads and validates scorecards/*.toml: a board's title, domains, rows and columns.

A definition names the organisation it is for (`org`), its ordered domains, and in each the
indicators and the organisation each row monitors: a code, or "self" for the scorecard's own
organisation. Typos fail by name, like the other definitions. Whether an organisation exists
can only be known from the store, so that is checked when the scorecard is built.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from scorecard.definitions import Catalogue, check_keys, enum_value, read_toml, text_value
from scorecard.errors import DefinitionError
from scorecard.model import SELF, BoardSpec, DomainRule, DomainSpec, RowSpec, Window

BOARD_KEYS = {
    "title": True,
    "audience": True,
    "org": True,
    "windows": False,
    "rule": False,
    "domains": True,
}
DOMAIN_KEYS = {"name": True, "rule": False, "red_if_red": False, "rows": True}
ROW_KEYS = {"indicator": True, "org": False}
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
    return BoardSpec(
        file=file,
        title=text_value(file, "title", doc["title"]),
        audience=text_value(file, "audience", doc["audience"]),
        org=_org(file, "org", doc["org"], allow_self=False),
        windows=_windows(file, doc.get("windows", [w.value for w in Window])),
        domains=tuple(
            _domain(file, f"domains[{i}]", body, catalogue, default_rule)
            for i, body in enumerate(domains, start=1)
        ),
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
    )


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
    return DomainSpec(name, specs, rule, tuple(flagged))


def _row(file: str, where: str, body: Any, catalogue: Catalogue) -> RowSpec:
    if not isinstance(body, dict):
        raise DefinitionError(file, where, "expected a table")
    check_keys(file, where, body, ROW_KEYS)
    ind = text_value(file, f"{where}.indicator", body["indicator"])
    if ind not in catalogue.indicators:
        raise DefinitionError(
            file, f"{where}.indicator", f"unknown indicator '{ind}'; see `scorecard indicators`"
        )
    return RowSpec(ind, _org(file, f"{where}.org", body.get("org", SELF), allow_self=True), where)


def _org(file: str, key: str, value: Any, *, allow_self: bool) -> str:
    code = text_value(file, key, value)
    if allow_self and code == SELF:
        return SELF
    if not _CODE.match(code):
        what = "an organisation code (ODS, upper case)"
        raise DefinitionError(file, key, f"expected {what}{' or self' if allow_self else ''}")
    return code


def _windows(file: str, value: Any) -> tuple[Window, ...]:
    if not isinstance(value, list) or not value:
        raise DefinitionError(file, "windows", 'expected a list such as ["month", "ytd"]')
    chosen = {enum_value(file, "windows", v, Window) for v in value}
    return tuple(w for w in Window if w in chosen)
