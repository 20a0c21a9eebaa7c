"""A board's rows with their standing among peers (`benchmark = true` or `peers = "NAME"`
in the board definition): "87th of 121, quartile 4"."""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from scorecard.benchmark.standings import standings_frame
from scorecard.compute import compute_values
from scorecard.definitions import Catalogue
from scorecard.model import BoardSpec, Row, Scorecard, Window
from scorecard.periods import Month
from scorecard.store import Store


def with_standings(
    store: Store, catalogue: Catalogue, spec: BoardSpec, card: Scorecard, first: Month
) -> Scorecard:
    """The card with each row's month ranked among its peers (a row for one part of a
    drill-down is not ranked: peers publish the whole)."""
    ids = sorted({r.indicator.id for r in card.rows if r.indicator.id in catalogue.indicators})
    inds = [catalogue.indicator(i) for i in ids]
    if not inds:
        return card
    everyone = compute_values(store, inds, first, card.period)
    frame = standings_frame(store, inds, everyone, first, card.period, spec.peers).filter(
        pl.col("window") == Window.MONTH.value, pl.col("rank_text").is_not_null()
    )
    found = {}
    for r in frame.iter_rows(named=True):
        text = r["rank_text"]
        if r["rank"] is not None:
            text += f", quartile {r['quartile']}"
        found[(r["indicator_id"], r["org_code"], r["period"])] = text

    def ranked(row: Row) -> Row:
        key = (row.indicator.id, row.org_code, row.period.first_day())
        return replace(row, standing=found.get(key, "no peers"))

    new = {id(r): ranked(r) for r in card.rows}
    return replace(
        card,
        rows=tuple(new[id(r)] for r in card.rows),
        domains=tuple(
            replace(d, rows=tuple(new.get(id(r), r) for r in d.rows)) for d in card.domains
        ),
        exceptions=tuple(new.get(id(r), r) for r in card.exceptions),
    )
