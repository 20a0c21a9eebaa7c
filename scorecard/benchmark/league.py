"""A league table: every peer's value for one indicator and window, ranked, with its rating,
Making Data Count icons, funnel-plot flag and NOF metric score (where one applies).

Reads the store (through compute); the table itself is plain data for the renderers.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from scorecard.assemble import SPC_MONTHS, lookup_for, row_at
from scorecard.benchmark.funnel import UnitCount, funnel
from scorecard.benchmark.nof import BY_INDICATOR, NofMetric, metric_scores
from scorecard.benchmark.peers import PeerGroup, check_members
from scorecard.benchmark.plot import proportion
from scorecard.benchmark.standings import standings_frame
from scorecard.compute import compute_values
from scorecard.definitions import Catalogue
from scorecard.model import ENGLAND, Direction, Indicator, Row, Window
from scorecard.periods import Month
from scorecard.store import Store


@dataclass(frozen=True)
class Entry:
    """One peer's line of the table."""

    row: Row  # the organisation's rated row at the month, with its SPC
    rank: int
    rank_text: str
    quartile: int
    numerator: float | None
    denominator: float | None
    value: float
    nof_score: float | None = None
    funnel: str | None = None  # the funnel plot's flag, for a proportion


@dataclass(frozen=True)
class League:
    indicator: Indicator
    period: Month
    window: Window
    peer_group: str  # "default" or the group's name
    entries: tuple[Entry, ...]  # by rank, then code
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None
    england: float | None
    nof: NofMetric | None
    notes: tuple[str, ...] = ()


def _funnel_flags(ind: Indicator, table: pl.DataFrame) -> dict[str, str]:
    """For a proportion, each peer's flag on the default funnel plot of the same peers
    (normal limits, additive over-dispersion when φ > 1): "High (0.001)", "Not
    significant"..., with whether high is better."""
    if not proportion(ind) or table.height == 0:
        return {}
    units = [
        UnitCount(r["org_code"], float(r["numerator"]), float(r["denominator"]))
        for r in table.iter_rows(named=True)
    ]
    good = "High" if ind.direction is Direction.HIGHER else "Low"
    out = {}
    for p in funnel(units).points:
        text = p.flag.value
        if p.flag.outlier:
            text += ": better" if text.startswith(good) else ": worse"
        out[p.code] = text
    return out


def league(
    store: Store,
    catalogue: Catalogue,
    indicator_id: str,
    period: Month,
    window: Window = Window.MONTH,
    group: PeerGroup | None = None,
    level: str = "organisation",
) -> League:
    """The league of `level` (organisations by default) for one indicator and window."""
    ind = catalogue.indicator(indicator_id)
    if group is not None:
        check_members(group, store.org_names().keys())
    first = period.plus(1 - SPC_MONTHS)
    values = compute_values(store, [ind], first, period)
    standing = standings_frame(store, [ind], values, period, period, group).filter(
        pl.col("window") == window.value,
        pl.col("period") == period.first_day(),
        pl.col("rank").is_not_null(),
    )
    levels = store.hierarchy().levels
    level_of = pl.col("org_code").replace_strict(
        {c: lv.value for c, lv in levels.items()}, default="organisation"
    )
    standing = standing.filter(level_of == level)
    own = values.filter(pl.col("window") == window.value, pl.col("period") == period.first_day())
    table = standing.join(own, on=["indicator_id", "org_code", "period", "window"], how="left")
    names = store.org_names()
    nof = BY_INDICATOR.get(ind.id)
    scores: dict[str, float] = {}
    if nof is not None and nof.window is window:
        scores = metric_scores(
            dict(zip(table["org_code"], table["value"], strict=True)), ind.direction
        )
    flags = _funnel_flags(ind, table)
    entries = []
    by_org = {str(k[0]): f for k, f in values.partition_by("org_code", as_dict=True).items()}
    for r in table.sort(["rank", "org_code"]).iter_rows(named=True):
        code = r["org_code"]
        row = row_at(
            catalogue, lookup_for(by_org[code], code), ind, code, names.get(code, code), period
        )
        entries.append(
            Entry(
                row=row,
                rank=r["rank"],
                rank_text=r["rank_text"],
                quartile=r["quartile"],
                numerator=r["numerator"],
                denominator=r["denominator"],
                value=r["value"],
                nof_score=scores.get(code),
                funnel=flags.get(code),
            )
        )
    first_row = table.row(0, named=True) if table.height else None
    england = values.filter(
        pl.col("org_code") == ENGLAND,
        pl.col("window") == window.value,
        pl.col("period") == period.first_day(),
    )["value"].to_list()
    return League(
        indicator=ind,
        period=period,
        window=window,
        peer_group="default" if group is None else group.name,
        entries=tuple(entries),
        median=None if first_row is None else first_row["peer_median"],
        lower_quartile=None if first_row is None else first_row["peer_lower_quartile"],
        upper_quartile=None if first_row is None else first_row["peer_upper_quartile"],
        england=england[0] if england else None,
        nof=nof if nof is not None and nof.window is window else None,
    )
