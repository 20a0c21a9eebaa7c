"""Funnel plots from the store: an indicator's peers for one window, as funnel units, and
the plot written as SVG (with a CSV of each peer's point).

Only a proportion can be drawn: an indicator with a numerator and denominator shown as a
percentage. Counts and means are refused in one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from scorecard.benchmark.dispersion import Method
from scorecard.benchmark.funnel import FunnelResult, UnitCount, funnel
from scorecard.benchmark.funnel_limits import Kind
from scorecard.benchmark.peers import PeerGroup, check_members
from scorecard.benchmark.standings import standings_frame
from scorecard.compute import compute_values
from scorecard.coverage import ANY, default_month
from scorecard.definitions import Catalogue
from scorecard.errors import UsageError
from scorecard.formatting import plain_number
from scorecard.model import ENGLAND, Indicator, Unit, Window
from scorecard.periods import Month
from scorecard.render.csv_text import csv_text
from scorecard.render.funnel_svg import FunnelLabels, funnel_svg
from scorecard.store import Store
from scorecard.writing import write_set


@dataclass(frozen=True)
class Plot:
    indicator: Indicator
    period: Month
    window: Window
    result: FunnelResult
    names: dict[str, str]
    peer_group: str


def proportion(ind: Indicator) -> bool:
    return ind.is_ratio() and ind.unit is Unit.PERCENT


def funnel_plot(
    store: Store,
    catalogue: Catalogue,
    indicator_id: str,
    period: Month,
    window: Window = Window.MONTH,
    group: PeerGroup | None = None,
    *,
    method: Method = "normal",
    dispersion: Kind = "additive",
    england_centre: bool = False,
) -> Plot:
    """The funnel of the indicator's peers (organisations, default peers or the group)."""
    ind = catalogue.indicator(indicator_id)
    if not proportion(ind):
        raise UsageError(
            f"funnel: {indicator_id} is a {ind.unit.value}"
            f"{'' if ind.is_ratio() else ' without a denominator'}; a funnel plot needs a "
            "proportion (a percentage of a denominator)"
        )
    if group is not None:
        check_members(group, store.org_names().keys())
    values = compute_values(store, [ind], period, period)
    frame = standings_frame(store, [ind], values, period, period, group)
    levels = store.hierarchy().levels
    organisations = [c for c, lv in levels.items() if lv.value == "organisation"]
    peers = frame.filter(
        pl.col("window") == window.value,
        pl.col("period") == period.first_day(),
        pl.col("peers").is_not_null(),
        pl.col("org_code").is_in(organisations) | ~pl.col("org_code").is_in(list(levels)),
    ).join(values, on=["indicator_id", "org_code", "period", "window"], how="left")
    units = [
        UnitCount(r["org_code"], float(r["numerator"]), float(r["denominator"]))
        for r in peers.sort("org_code").iter_rows(named=True)
    ]
    if not units:
        raise UsageError(
            f"funnel: no organisation has a {window.value} value for {indicator_id} in "
            f"{period.label()}"
        )
    target = None
    if england_centre:
        england = values.filter(
            pl.col("org_code") == ENGLAND,
            pl.col("window") == window.value,
            pl.col("period") == period.first_day(),
        )
        if england.height and england["denominator"][0]:
            target = float(england["numerator"][0]) / float(england["denominator"][0])
    result = funnel(units, method=method, dispersion=dispersion, target=target)
    names = dict(store.org_names())
    return Plot(ind, period, window, result, names, "default" if group is None else group.name)


def write_funnel(
    store: Store,
    catalogue: Catalogue,
    indicator_id: str,
    period: Month | None,
    out: Path,
    *,
    window: Window = Window.MONTH,
    group: PeerGroup | None = None,
    highlight: str | None = None,
    method: Method = "normal",
    dispersion: Kind = "additive",
    england_centre: bool = False,
) -> list[Path]:
    """funnel-<id>-<YYYY-MM>.svg and .csv (each peer's point, limits and flag), together."""
    month = period or default_month(store, catalogue, {ANY: [indicator_id]}, indicator_id)
    plot = funnel_plot(
        store, catalogue, indicator_id, month, window, group, method=method,
        dispersion=dispersion, england_centre=england_centre,
    )  # fmt: skip
    codes = {p.code for p in plot.result.points}
    if highlight is not None and highlight not in codes:
        raise UsageError(f"--org: {highlight} is not among the peers plotted for {month.label()}")
    window_text = "" if window is Window.MONTH else f", {window.value}"
    labels = FunnelLabels(
        title=f"{plot.indicator.name}: funnel plot, {month.label()}{window_text}",
        indicator=plot.indicator.name,
        period=month.label(),
        unit="Denominator",
        highlight=highlight,
        names=plot.names,
        subtitle=f"Peers: {_peers_text(plot.peer_group)}; {len(codes)} organisations",
    )
    stem = f"funnel-{indicator_id}-{month.iso()}" + (
        "" if window is Window.MONTH else f"-{window.value}"
    )
    files = [
        (f"{stem}.svg", funnel_svg(plot.result, labels).encode("utf-8")),
        (f"{stem}.csv", points_csv(plot).encode("utf-8")),
    ]
    return write_set(out, files)


def _peers_text(group: str) -> str:
    if group == "default":
        return "organisations of the same level with a value"
    return f"peer group '{group}'"


def points_csv(plot: Plot) -> str:
    """One line per peer: its counts, value, z-score, limits at its denominator and flag."""
    records = []
    for p in plot.result.points:
        at = p.limits
        records.append(
            {
                "org_code": p.code,
                "org_name": plot.names.get(p.code, p.code),
                "numerator": plain_number(p.numerator),
                "denominator": plain_number(p.denominator),
                "value": plain_number(None if p.value is None else 100 * p.value),
                "z": plain_number(p.z),
                "lower_998": plain_number(None if at is None else 100 * at.lower_998),
                "lower_95": plain_number(None if at is None else 100 * at.lower_95),
                "upper_95": plain_number(None if at is None else 100 * at.upper_95),
                "upper_998": plain_number(None if at is None else 100 * at.upper_998),
                "flag": p.flag.value,
                "centre": plain_number(100 * plot.result.centre),
                "method": plot.result.describe(),
            }
        )
    columns = list(records[0]) if records else ["org_code"]
    return csv_text(pl.DataFrame(records, schema=dict.fromkeys(columns, pl.String)))
