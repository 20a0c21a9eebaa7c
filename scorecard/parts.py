"""Drill-downs on a board: rows for one part of an indicator, and tables of a row's parts.

A board row naming a part (`breakdown = "Trauma and Orthopaedic"`) becomes a row of its
own, rated and charted like any other: it reads a stand-in indicator (`<id>__<dimension>_
<key>`) that has the indicator's formulas, standards and name plus the part's name, whose
values are the part's. A row with `drill = "<dimension>"` gets a small table of its worst
parts for the month under the board's table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

import polars as pl

from scorecard.compute import compute_values
from scorecard.definitions import Catalogue
from scorecard.dimensions import DIMENSIONS, label
from scorecard.drilldown import Part
from scorecard.model import SELF, BoardSpec, Direction, Drill, Indicator, RowSpec, Window
from scorecard.periods import Month
from scorecard.store import Store

_UNSAFE = re.compile(r"[^a-z0-9_]+")


def part_values(
    store: Store,
    indicators: Sequence[Indicator],
    first: Month,
    last: Month,
    part: Part,
    org: str | None = None,
    windows_from: Month | None = None,
) -> pl.DataFrame:
    """compute_values for the parts (`breakdown` column), of the indicators that have the
    dimension, limited to the part named."""
    having = [i for i in indicators if part.dimension in i.breakdowns]
    frame = compute_values(store, having, first, last, org, windows_from, part=part.dimension)
    if part.key is not None:
        frame = frame.filter(pl.col("breakdown") == part.key)
    return frame


def stand_in_id(indicator_id: str, dimension: str, key: str) -> str:
    """The id of the stand-in indicator for one part: `rtt_52wk_count__treatment_function_110`."""
    return f"{indicator_id}__{dimension}_{_UNSAFE.sub('_', key.lower())}"


def with_parts(spec: BoardSpec, catalogue: Catalogue) -> tuple[BoardSpec, Catalogue]:
    """The board with each part row reading its stand-in indicator, and the catalogue with
    those stand-ins (same formulas and standards, the part's name added)."""
    extra: dict[str, Indicator] = {}
    defined = dict(catalogue.defined_in)
    standards = dict(catalogue.standards)
    domains = []
    for d in spec.domains:
        rows = []
        for r in d.rows:
            if r.part is not None:
                dimension, key = r.part
                base = catalogue.indicator(r.indicator_id)
                sid = stand_in_id(base.id, dimension, key)
                extra[sid] = replace(
                    base, id=sid, name=f"{base.name}: {label(dimension, key)}", breakdowns=()
                )
                standards[sid] = catalogue.standards.get(base.id, ())
                defined[sid] = catalogue.defined_in.get(base.id, "")
                r = replace(r, indicator_id=sid)
            rows.append(r)
        domains.append(replace(d, rows=tuple(rows)))
    if not extra:
        return spec, catalogue
    indicators = {**catalogue.indicators, **extra}
    expanded = replace(catalogue, indicators=indicators, standards=standards, defined_in=defined)
    return replace(spec, domains=tuple(domains)), expanded


def stand_in_values(
    store: Store, catalogue: Catalogue, spec: BoardSpec, first: Month, last: Month
) -> pl.DataFrame | None:
    """compute_values rows for the board's part rows, under their stand-in ids (None: the
    board has no part rows). `catalogue` is the one without stand-ins."""
    frames = []
    for r in _rows(spec):
        if r.part is None:
            continue
        base = catalogue.indicator(r.indicator_id)
        dimension, key = r.part
        frame = part_values(store, [base], first, last, Part(dimension, key))
        frames.append(
            frame.drop("breakdown").with_columns(
                indicator_id=pl.lit(stand_in_id(base.id, dimension, key))
            )
        )
    return pl.concat(frames).unique(maintain_order=True) if frames else None


def drills(
    store: Store,
    catalogue: Catalogue,
    spec: BoardSpec,
    month: Month,
    names: Mapping[str, str],
    values: pl.DataFrame,
) -> tuple[Drill, ...]:
    """The tables of the board's `drill` rows, for `month`."""
    out = []
    for r in _rows(spec):
        if r.drill is None:
            continue
        ind = catalogue.indicator(r.indicator_id)
        code = spec.org if r.org == SELF else r.org
        frame = part_values(store, [ind], month, month, Part(r.drill), code).filter(
            pl.col("window") == Window.MONTH.value, pl.col("value").is_not_null()
        )
        worst_first = ind.direction is Direction.LOWER
        ranked = frame.sort(["value", "breakdown"], descending=[worst_first, False])
        parts = tuple(
            (label(r.drill, str(p["breakdown"])), p["value"])
            for p in ranked.head(r.drill_top).iter_rows(named=True)
        )
        whole = values.filter(
            pl.col("indicator_id") == ind.id,
            pl.col("org_code") == code,
            pl.col("window") == Window.MONTH.value,
            pl.col("period") == month.first_day(),
        )["value"].to_list()
        out.append(
            Drill(
                row_name=ind.name,
                org_code=code,
                org_name=names.get(code, code),
                period=month,
                dimension=DIMENSIONS[r.drill].title,
                unit=ind.unit,
                direction=ind.direction,
                parts=parts,
                of=frame.height,
                whole=whole[0] if whole else None,
            )
        )
    return tuple(out)


def _rows(spec: BoardSpec) -> list[RowSpec]:
    return [r for d in spec.domains for r in d.rows]
