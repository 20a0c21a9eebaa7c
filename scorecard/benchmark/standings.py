"""Every organisation's standing among its peers, for indicators over one window.

Computed once for every organisation from one `compute_values` (vectorised in polars; the
pure rules, and the reference implementation the tests compare with, are in
`scorecard.benchmark.ranking`): rank (1 = best, ties share the best rank), how many peers,
quartile (1 = best quarter), the peers' median and quartiles, and England's value.

Peers (scorecard.benchmark.peers): by default the organisations of the same level with a
value (and, for an indicator with `peer_measure`, that measure above 0 that month); with a
group, its members that have a value. England has no peers. With fewer than 3 peers with a
value there is no rank or spread, only how many there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import polars as pl

from scorecard.benchmark.peers import MIN_PEERS, PeerGroup
from scorecard.compute import monthly
from scorecard.model import ENGLAND, Direction, Indicator, OverTime, Term
from scorecard.periods import Month
from scorecard.store import Store

BENCHMARK_COLUMNS = (
    "peer_group",
    "peers",
    "rank",
    "rank_text",
    "quartile",
    "peer_median",
    "peer_lower_quartile",
    "peer_upper_quartile",
    "england_value",
)
_KEYS = ["indicator_id", "period", "window"]


def standings_frame(
    store: Store,
    indicators: Sequence[Indicator],
    values: pl.DataFrame,
    first: Month,
    last: Month,
    group: PeerGroup | None = None,
) -> pl.DataFrame:
    """BENCHMARK_COLUMNS for every row of `values` (compute_values output, every
    organisation) with a value, keyed by indicator_id, org_code, period and window: null
    ranks where the organisation has no peers (England, or outside the peers)."""
    levels = store.hierarchy().levels
    level_of = pl.col("org_code").replace_strict(
        {c: lv.value for c, lv in levels.items()}, default="organisation"
    )
    rows = values.filter(pl.col("value").is_not_null()).with_columns(level=level_of)
    england = rows.filter(pl.col("org_code") == ENGLAND).select(
        *_KEYS, england_value=pl.col("value")
    )
    peers = rows.filter(pl.col("org_code") != ENGLAND)
    peers = _filtered(store, indicators, peers, first, last)
    if group is not None:
        peers = peers.filter(pl.col("org_code").is_in(list(group.codes)))
        name = group.name
    else:
        name = "default"
    higher = [i.id for i in indicators if i.direction is Direction.HIGHER]
    by = [*_KEYS, "level"]
    key = (
        pl.when(pl.col("indicator_id").is_in(higher))
        .then(-pl.col("value"))
        .otherwise(pl.col("value"))
    )
    ranked = peers.with_columns(
        rank=key.rank("min").over(by).cast(pl.Int64),
        peers=pl.len().over(by).cast(pl.Int64),
        ties=pl.len().over([*by, "value"]),
        peer_median=pl.col("value").quantile(0.5, "linear").over(by),
        peer_lower_quartile=pl.col("value").quantile(0.25, "linear").over(by),
        peer_upper_quartile=pl.col("value").quantile(0.75, "linear").over(by),
    ).with_columns(
        quartile=1 + (4 * (pl.col("rank") - 1)) // pl.col("peers"),
        peer_group=pl.lit(name),
    )
    # Fewer than MIN_PEERS with a value: no rank or spread, which would mean little.
    few = pl.col("peers") < MIN_PEERS
    ranked = ranked.with_columns(
        rank_text=pl.when(few)
        .then(pl.concat_str(pl.lit("not ranked: "), pl.col("peers"), pl.lit(" with a value")))
        .otherwise(_rank_text()),
        **{
            c: pl.when(few).then(None).otherwise(pl.col(c))
            for c in ("rank", "quartile", "peer_median", "peer_lower_quartile",
                      "peer_upper_quartile")
        },
    )  # fmt: skip
    keys = ["indicator_id", "org_code", "period", "window"]
    columns = [c for c in BENCHMARK_COLUMNS if c != "england_value"]
    out = (
        rows.select(keys)
        .join(ranked.select(*keys, *columns), on=keys, how="left", maintain_order="left")
        .join(england, on=_KEYS, how="left", maintain_order="left")
    )
    return out.select(*keys, *BENCHMARK_COLUMNS)


def _rank_text() -> pl.Expr:
    """`joint 45th of 121`, as ranking.rank_text words it, for every row at once."""
    r = pl.col("rank")
    suffix = (
        pl.when((r % 100 >= 10) & (r % 100 <= 20))
        .then(pl.lit("th"))
        .when(r % 10 == 1)
        .then(pl.lit("st"))
        .when(r % 10 == 2)
        .then(pl.lit("nd"))
        .when(r % 10 == 3)
        .then(pl.lit("rd"))
        .otherwise(pl.lit("th"))
    )
    joint = pl.when(pl.col("ties") > 1).then(pl.lit("joint ")).otherwise(pl.lit(""))
    return pl.concat_str(joint, r.cast(pl.String), suffix, pl.lit(" of "), pl.col("peers"))


def _filtered(
    store: Store, indicators: Sequence[Indicator], rows: pl.DataFrame, first: Month, last: Month
) -> pl.DataFrame:
    """Drop rows whose organisation fails its indicator's `peer_measure` in the month."""
    gated = [i for i in indicators if i.peer_measure is not None]
    if not gated:
        return rows
    probes = [
        replace(
            i,
            id=i.id,
            numerator=replace(i.numerator, terms=(Term(1, str(i.peer_measure)),)),
            denominator=None,
            over_time=OverTime.SUM,
        )
        for i in gated
    ]
    passing = (
        monthly(store, probes, first, last)
        .filter(pl.col("numerator") > 0)
        .select("indicator_id", "org_code", "period")
    )
    ids = [i.id for i in gated]
    return pl.concat(
        [
            rows.filter(~pl.col("indicator_id").is_in(ids)),
            rows.filter(pl.col("indicator_id").is_in(ids)).join(
                passing, on=["indicator_id", "org_code", "period"], how="semi"
            ),
        ]
    )
