"""The tables `scorecard values` and `scorecard indicators` print: computed, rated values
(with drill-downs and peer standings when asked), and the catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from scorecard import drilldown
from scorecard.assemble import to_value
from scorecard.benchmark.peers import PeerGroup, check_members
from scorecard.benchmark.standings import BENCHMARK_COLUMNS, standings_frame
from scorecard.cards import check_org
from scorecard.compute import compute_values
from scorecard.coverage import ANY, latest_month, no_figures, nothing_stored
from scorecard.definitions import Catalogue
from scorecard.dimensions import label
from scorecard.errors import UsageError
from scorecard.formatting import plain_number
from scorecard.model import Indicator, Scheme, Window
from scorecard.parts import part_values
from scorecard.periods import Month
from scorecard.store import Store
from scorecard.windows import rate_window

VALUES_HEADER = (
    "indicator_id",
    "org_code",
    "period",
    "numerator",
    "denominator",
    "value",
    "standard",
    "lower_threshold",
    "rating",
    "dimension",
    "breakdown",
    "breakdown_name",
)


@dataclass(frozen=True)
class Query:
    """What to compute: the month, organisation and indicator (None = all)."""

    period: Month | None = None
    org: str | None = None
    indicator: str | None = None
    breakdown: str | None = None  # a drill-down: a dimension, or one part of one
    benchmark: bool = False  # add each value's standing among its peers
    peers: PeerGroup | None = None  # the peers to rank among (None: the default peers)


def indicator_ids(
    catalogue: Catalogue, indicator: str | None, option: str = "--indicator"
) -> list[str]:
    if indicator is None:
        return list(catalogue.indicators)
    if indicator not in catalogue.indicators:
        known = ", ".join(catalogue.indicators)
        raise UsageError(f"{option}: unknown indicator '{indicator}'; known: {known}")
    return [indicator]


def values(store: Store, catalogue: Catalogue, query: Query, window: Window) -> pl.DataFrame:
    """Computed, rated values as a table with the columns `scorecard values` prints (and,
    with `query.benchmark`, BENCHMARK_COLUMNS after them)."""
    ids = indicator_ids(catalogue, query.indicator)
    check_org(store, query.org)
    if query.benchmark and query.breakdown is not None:
        raise UsageError("--benchmark: ranks are of the whole, not of a --breakdown's parts")
    if query.peers is not None:
        check_members(query.peers, store.org_names().keys())
    months = store.months()
    if not months:
        raise UsageError("the store is empty; run `scorecard ingest FILE...` first")
    first, last = (query.period, query.period) if query.period else (months[0], months[-1])
    inds = [catalogue.indicator(i) for i in ids]
    part = None
    standing = None
    if query.breakdown is None and query.benchmark:
        frame = compute_values(store, inds, first, last)
        standing = standings_frame(store, inds, frame, first, last, query.peers)
        if query.org is not None:
            frame = frame.filter(pl.col("org_code") == query.org)
    elif query.breakdown is None:
        frame = compute_values(store, inds, first, last, query.org)
    else:
        try:
            part = drilldown.resolve(query.breakdown, inds)
        except ValueError as exc:
            raise UsageError(f"--breakdown: {exc}") from None
        frame = part_values(store, inds, first, last, part, query.org)
        ids = [i.id for i in inds if part.dimension in i.breakdowns]
    frame = frame.filter(pl.col("window") == window.value)
    if standing is not None:
        on = ["indicator_id", "org_code", "period", "window"]
        frame = frame.join(standing, on=on, how="left", maintain_order="left")
    records = []
    for rec in frame.iter_rows(named=True):
        period = Month.from_date(rec["period"])
        ind = catalogue.indicator(rec["indicator_id"])
        value = to_value(rec, ind.id, rec["org_code"], period, window, ind.frequency)
        result = rate_window(catalogue, ind, value, explain=False)  # (the rating alone)
        standard = catalogue.standard_for(ind.id, period)
        records.append(
            {
                "indicator_id": ind.id,
                "org_code": rec["org_code"],
                "period": period.iso(),
                "numerator": plain_number(value.numerator),
                "denominator": plain_number(value.denominator),
                "value": plain_number(value.value),
                "standard": plain_number(standard.standard if standard else None),
                "lower_threshold": plain_number(standard.lower_threshold if standard else None),
                "rating": result.rating.value,
                "dimension": "" if part is None else part.dimension,
                "breakdown": rec.get("breakdown", ""),
                "breakdown_name": "" if part is None else label(part.dimension, rec["breakdown"]),
                **({} if standing is None else _benchmark(rec)),
            }
        )
    if not records and part is not None:
        who = " for ".join(filter(None, [query.indicator, query.org]))
        raise UsageError(
            f"--breakdown: no figures by {part.describe()}{' for ' + who if who else ''}"
            f"{' in ' + query.period.iso() if query.period else ''}; the store holds none "
            "(ingest a file that publishes them)"
        )
    if not records:
        raise _nothing(store, catalogue, query, window, ids)
    order = {i: n for n, i in enumerate(ids)}
    records.sort(
        key=lambda r: (
            order[str(r["indicator_id"])],
            str(r["org_code"]),
            str(r["breakdown"]),
            r["period"],
        )
    )
    header = VALUES_HEADER + (BENCHMARK_COLUMNS if standing is not None else ())
    return pl.DataFrame(records, schema=dict.fromkeys(header, pl.String))


def _benchmark(rec: dict[str, Any]) -> dict[str, str]:
    """A row's standing as printed: empty where it has no peers (England, no value)."""
    if rec.get("rank") is None:
        return dict.fromkeys(BENCHMARK_COLUMNS, "") | {
            "england_value": plain_number(rec.get("england_value"))
        }
    return {  # the peer statistics unrounded, as every value of the table
        name: plain_number(rec[name]) if isinstance(rec[name], float) else str(rec[name])
        for name in BENCHMARK_COLUMNS
    } | {"england_value": plain_number(rec["england_value"])}


def _nothing(
    store: Store, catalogue: Catalogue, query: Query, window: Window, ids: list[str]
) -> UsageError:
    """Why `values` found nothing to print: no figure at all, none for the month asked, or
    none for the window (a 90th centile is monthly only)."""
    wanted = {query.org or ANY: ids}
    who = " for ".join(filter(None, [query.indicator, query.org])) or "any organisation"
    latest = latest_month(store, catalogue, wanted, query.period)
    if window is not Window.MONTH and latest is not None and query.period in (None, latest):
        return UsageError(
            f"--window {window.value}: no {window.value} figures for {who} (a 90th centile "
            "cannot be added up over months); try --window month"
        )
    if query.period is not None:
        return no_figures(store, catalogue, wanted, query.period, who)
    return UsageError(nothing_stored(store, catalogue, wanted, who))


def indicator_table(catalogue: Catalogue) -> pl.DataFrame:
    """The catalogue: each indicator's unit, direction, latest standard and drill-downs."""
    rows = [
        {
            "indicator_id": i.id,
            "name": i.name,
            "family": i.family,
            "unit": i.unit.value,
            "direction": f"{i.direction.value} is better",
            "standards": str(len(catalogue.standards.get(i.id, ()))),
            "latest_standard": _latest_standard(catalogue, i),
            "breakdowns": " ".join(i.breakdowns),
        }
        for i in catalogue.indicators.values()
    ]
    return pl.DataFrame(rows)


def _latest_standard(catalogue: Catalogue, ind: Indicator) -> str:
    """The last standard declared (`78 from 2025-04, lower 70`), or why there is none."""
    if ind.scheme is Scheme.NONE:
        return "none: monitored, not rated"
    spans = catalogue.standards.get(ind.id, ())
    if not spans:
        return "none declared"
    last = max(spans, key=lambda s: s.start)
    text = f"{plain_number(last.standard)} from {last.start.iso()}"
    if last.end is not None:
        text += f" to {last.end.iso()}"
    if last.lower_threshold is not None:
        text += f", lower {plain_number(last.lower_threshold)}"
    return text
