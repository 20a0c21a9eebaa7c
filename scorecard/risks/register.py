"""The risk register a board shows at its month, with each risk's movement.

The register's folder (`[risks] folder`) holds one file per month, each named for the month
it is for: a name ending in `YYYY-MM` (`2025-09.csv`, `corporate-risks-2025-09.xlsx`). The
board at a month shows the latest file up to that month (a register kept quarterly shows
its quarter's file until the next), and each risk's movement since the file before it: up
(a higher score), down, the same, or new (an ID the file before does not have). Risks in
the file before and not in this one are listed as closed. Files in the folder whose names
start with `.` or `~$` (Excel's lock files), and files that are not CSV or a workbook, are
left alone; a CSV or workbook without a month in its name, or two files for one month, are
refused by name. Only the two files used are read; nothing is stored.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from scorecard.errors import SourceError
from scorecard.periods import Month
from scorecard.risks.read import parse_register
from scorecard.risks.types import SCALE, Movement, RatedRisk, Risk, RiskRegister, RiskSpec
from scorecard.sources.workbook import SUFFIXES

_MONTH = re.compile(r"(\d{4})-(\d{2})$")
READ = (".csv", *SUFFIXES)
_NUMBER = re.compile(r"(\d+)")


def register_files(spec: RiskSpec) -> dict[Month, Path]:
    """The register's files by the month each is for."""
    found: dict[Month, Path] = {}
    for path in sorted(spec.folder.iterdir()):
        if path.name.startswith((".", "~$")) or path.suffix.lower() not in READ:
            continue
        label = f"{spec.label}/{path.name}"
        m = _MONTH.search(path.stem)
        if m is None or not 1 <= int(m[2]) <= 12:
            raise SourceError(
                label,
                "expected a name ending in the month the register is for, YYYY-MM (such as "
                "2025-09.csv)",
            )
        month = Month(int(m[1]), int(m[2]))
        if month in found:
            raise SourceError(
                label,
                f"a second register for {month.label()} (and {found[month].name}): expected "
                "one file a month",
            )
        found[month] = path
    return found


def load_register(
    spec: RiskSpec, period: Month, domains: Mapping[str, str | None], listed: str
) -> RiskRegister | None:
    """The register at `period` (None: no file up to it), read and validated with the one
    before it. `domains` and `listed`: as parse_register takes them."""
    files = register_files(spec)
    months = sorted(m for m in files if m <= period)
    if not months:
        return None

    def read(month: Month) -> tuple[str, str, Month, tuple[Risk, ...]]:
        path = files[month]
        label = f"{spec.label}/{path.name}"
        data = path.read_bytes()
        risks = parse_register(label, data, domains, listed, spec.sheet)
        return label, hashlib.sha256(data).hexdigest(), month, risks

    current = read(months[-1])
    previous = read(months[-2]) if len(months) > 1 else None
    return build_register(spec, current, previous)


def natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key putting `CR2` before `CR10`."""
    return tuple((0, int(p)) if p.isdigit() else (1, p.lower()) for p in _NUMBER.split(text) if p)


def build_register(
    spec: RiskSpec,
    current: tuple[str, str, Month, Sequence[Risk]],
    previous: tuple[str, str, Month, Sequence[Risk]] | None,
) -> RiskRegister:
    """Pure: each risk banded, with its movement; by current score (highest first), then
    ID; the heat map of current scores."""
    file, sha, month, risks = current
    before = {r.id: r for r in previous[3]} if previous else {}
    rated = []
    for risk in risks:
        old = before.get(risk.id)
        movement = None if previous is None else _movement(risk, old)
        rated.append(
            RatedRisk(
                risk,
                spec.band(risk.score),
                spec.band(risk.target_score),
                movement,
                old.score if old else None,
            )
        )
    rated.sort(key=lambda r: (-r.risk.score, natural(r.risk.id)))
    ids = {r.id for r in risks}
    closed = sorted((r for r in before.values() if r.id not in ids), key=lambda r: natural(r.id))
    return RiskRegister(
        file=file,
        sha256=sha,
        period=month,
        previous_file=previous[0] if previous else None,
        previous_sha256=previous[1] if previous else None,
        previous_period=previous[2] if previous else None,
        risks=tuple(rated),
        closed=tuple(closed),
        bands=spec.bands,
        heat=heat(risks),
    )


def heat(risks: Sequence[Risk]) -> tuple[tuple[int, ...], ...]:
    """Risks counted by likelihood (rows, 5 first) and impact (columns, 1 first)."""
    return tuple(
        tuple(sum(r.likelihood == lk and r.impact == im for r in risks) for im in SCALE)
        for lk in reversed(SCALE)
    )


def _movement(risk: Risk, old: Risk | None) -> Movement:
    if old is None:
        return Movement.NEW
    if risk.score > old.score:
        return Movement.UP
    return Movement.DOWN if risk.score < old.score else Movement.SAME
