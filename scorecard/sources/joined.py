"""Sheets of one workbook that split one layout's organisations between them, as one extract.

NHS England's RTT provider workbooks publish NHS trusts on the `Provider` sheet and
independent-sector providers on the `IS Provider` sheet, in the same layout, for the same
month. Stored as two extracts they would replace each other (one publication per dataset,
scope and month), so they are joined into one, named after both sheets
(`book.xlsx [Provider, IS Provider]`); each organisation keeps its own sheet's provenance
rows. Sheets that name the same organisation are left apart, for the workbook reader to
refuse. Pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import polars as pl

from scorecard.sources.base import Extract
from scorecard.sources.encoding import sha256


def join_split_sheets(file: str, extracts: list[Extract]) -> list[Extract]:
    """Sheets of one layout, scope and month whose organisations differ, as one extract."""
    groups: dict[tuple[str, str, str, str, tuple[dt.date, ...]], list[Extract]] = {}
    for ex in extracts:
        months = tuple(sorted(set(ex.observations["period"].to_list())))
        groups.setdefault((ex.format, ex.dataset, ex.scope, ex.basis, months), []).append(ex)
    joined: list[Extract] = []
    for group in groups.values():
        codes = [set(ex.orgs["org_code"].to_list()) for ex in group]
        own = any(ex.links is not None or ex.comments is not None for ex in group)
        if len(group) == 1 or own or sum(map(len, codes)) != len(set().union(*codes)):
            joined.extend(group)  # one sheet, or sheets naming the same organisation
            continue
        joined.append(_joined(file, group))
    return joined


def _joined(file: str, group: list[Extract]) -> Extract:
    """One extract holding every sheet's rows."""

    def stacked(frames: list[pl.DataFrame | None]) -> pl.DataFrame | None:
        present = [f for f in frames if f is not None]
        return pl.concat(present) if present else None

    first = group[0]
    sheets = ", ".join(ex.file.removeprefix(file).strip().strip("[]") for ex in group)
    obs = pl.concat([ex.observations for ex in group]).sort("period", "org_code", "measure")
    return replace(
        first,
        file=f"{file} [{sheets}]",
        sha256=sha256("".join(ex.sha256 for ex in group).encode("ascii")),
        observations=obs,
        orgs=pl.concat([ex.orgs for ex in group]).sort("period", "org_code"),
        measure_rows=stacked([ex.measure_rows for ex in group]),
        breakdowns=stacked([ex.breakdowns for ex in group]),
        warnings=tuple(w for ex in group for w in ex.warnings),
        columns={k: v for ex in group for k, v in ex.columns.items()},
    )
