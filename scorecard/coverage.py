"""Which months have figures: a card's, a board's or a row's default month, and the refusal
of a month with none.

A card, board or row is about some organisations and, for each, some indicators (`Wanted`).
It has figures in a month when at least one of those indicators has a monthly value there
for its organisation (a value a card would show: its formula complete, not a ratio of 0 to 0,
its standards not all retired). The default month is the latest such month; a month asked
for with none is refused in one line that names the latest month there is.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping

import polars as pl

from scorecard.assemble import LOOKBACK
from scorecard.compute import monthly
from scorecard.definitions import Catalogue
from scorecard.errors import UsageError
from scorecard.model import ENGLAND, Window
from scorecard.periods import Month
from scorecard.rollups import level_words, levels_text
from scorecard.store import Store

Wanted = Mapping[str, Collection[str]]  # organisation code (or ANY) -> indicator ids
ANY = "*"  # a Wanted key: any organisation
FIRST_STEP = 1  # months checked first when searching back; each step is four times longer


def figures(
    store: Store,
    catalogue: Catalogue,
    wanted: Wanted | None,
    first: Month,
    last: Month,
    *,
    zero: bool = False,
) -> pl.DataFrame:
    """Distinct (org_code, period) with a figure a card would show, `first` to `last`.

    `wanted=None` means every organisation and indicator. A ratio of 0 to 0 is no figure,
    unless `zero`.
    """
    ids = _ids(catalogue, wanted)
    inds = [catalogue.indicator(i) for i in ids]
    frame = monthly(store, inds, first, last)
    if not zero:
        ratios = [i.id for i in inds if i.is_ratio()]
        frame = frame.filter(~pl.col("indicator_id").is_in(ratios) | (pl.col("denominator") > 0))
    frame = frame.select("org_code", "indicator_id", "period")
    if wanted is not None:
        pairs = pl.DataFrame(
            [(org, i) for org, ids in wanted.items() if org != ANY for i in ids],
            schema={"org_code": pl.String, "indicator_id": pl.String},
            orient="row",
        )
        anyone = frame.filter(pl.col("indicator_id").is_in(list(wanted.get(ANY, ()))))
        frame = pl.concat([frame.join(pairs, on=["org_code", "indicator_id"], how="semi"), anyone])
    shown = [
        (i, p)
        for i, p in frame.select("indicator_id", "period").unique().iter_rows()
        if not catalogue.retired(i, Month.from_date(p))
    ]
    kept = pl.DataFrame(shown, schema={"indicator_id": pl.String, "period": pl.Date}, orient="row")
    frame = frame.join(kept, on=["indicator_id", "period"], how="semi")
    return frame.select("org_code", "period").unique().sort("org_code", "period")


def _ids(catalogue: Catalogue, wanted: Wanted | None) -> list[str]:
    if wanted is None:
        return list(catalogue.indicators)
    return sorted({i for ids in wanted.values() for i in ids})


def _candidates(store: Store, catalogue: Catalogue, wanted: Wanted | None) -> list[Month]:
    """Months, latest first, in which the wanted organisations (or those that add up into
    them) have any observation of the wanted indicators' families: a superset of the months
    with figures, found without computing any. For anyone, or England, every month of
    those families' publications."""
    families = sorted({catalogue.indicator(i).family for i in _ids(catalogue, wanted)})
    params: dict[str, object] = {"families": families}
    sql = (
        "SELECT DISTINCT period FROM current_loads WHERE period IS NOT NULL "
        "AND dataset IN (SELECT unnest($families))"
    )
    if wanted is not None and not {ANY, ENGLAND} & set(wanted):
        hierarchy = store.hierarchy()
        params["codes"] = sorted({c for o in wanted for c in (o, *hierarchy.descendants(o))})
        sql = (
            "SELECT DISTINCT period FROM current_observations WHERE period IS NOT NULL "
            "AND dataset IN (SELECT unnest($families)) AND org_code IN (SELECT unnest($codes))"
        )
    rows = store.con.execute(f"{sql} ORDER BY 1 DESC", params).fetchall()
    return [Month.from_date(r[0]) for r in rows]


def _chunks(months: list[Month]) -> Iterator[list[Month]]:
    """`months` (latest first) in runs of growing length: the latest alone, then 4, 16..."""
    start, size = 0, FIRST_STEP
    while start < len(months):
        yield months[start : start + size]
        start, size = start + size, size * 4


def latest_month(
    store: Store, catalogue: Catalogue, wanted: Wanted | None, upto: Month | None = None
) -> Month | None:
    """The latest month (up to `upto`, when given) with figures for `wanted`, or None.

    Only the latest candidate months are computed, so a store's long history costs nothing
    when its latest months have figures.
    """
    months = [m for m in _candidates(store, catalogue, wanted) if upto is None or m <= upto]
    for chunk in _chunks(months):
        found = figures(store, catalogue, wanted, chunk[-1], chunk[0])
        if found.height:
            return Month.from_date(found["period"].max())  # type: ignore[arg-type]
    return None


def not_published(store: Store, catalogue: Catalogue, wanted: Wanted | None) -> str | None:
    """Why `wanted` can have no figure, when every indicator asked for does not exist at its
    organisation's level (an ambulance measure for an ICB), else None."""
    if not wanted or ANY in wanted:
        return None
    levels = store.hierarchy().levels
    said = []
    for org, ids in wanted.items():
        level = levels.get(org)
        for ind in (catalogue.indicator(i) for i in ids):
            if level is None or level in ind.levels:
                return None
            said.append(
                f"{ind.id} is published for {levels_text(ind.levels)} only, "
                f"not for {level_words(level)} ({org})"
            )
    return "; ".join(sorted(set(said))) or None


def nothing_stored(store: Store, catalogue: Catalogue, wanted: Wanted | None, who: str) -> str:
    """Why there is no figure for `wanted` in any month."""
    why = not_published(store, catalogue, wanted)
    if why:
        return f"no figures for {who}: {why}"
    months = store.months()
    if months and figures(store, catalogue, wanted, months[0], months[-1], zero=True).height:
        return (
            f"no figures for {who}: nothing to measure, 0 of 0 in every month stored (such "
            "as attendances at a type of department it does not have)"
        )
    return f"no figures for {who} in the store; {_stored(store)}"


def default_month(store: Store, catalogue: Catalogue, wanted: Wanted, who: str) -> Month:
    """The latest month with figures for `wanted`; refused when there is none."""
    month = latest_month(store, catalogue, wanted)
    if month is None:
        raise UsageError(nothing_stored(store, catalogue, wanted, who))
    return month


def require_figures(
    store: Store,
    catalogue: Catalogue,
    wanted: Wanted,
    month: Month,
    who: str,
    values: pl.DataFrame,
) -> None:
    """Refuse `month` when `values` (compute_values' table for it) hold no figure for
    `wanted` in that month, naming the latest month that has one."""
    at = values.filter(
        (pl.col("window") == Window.MONTH.value)
        & (pl.col("period") == month.first_day())
        & pl.col("value").is_not_null()
    )
    for org, ind in at.select("org_code", "indicator_id").unique().iter_rows():
        if ind in wanted.get(org, ()) and not catalogue.retired(ind, month):
            return
    raise no_figures(store, catalogue, wanted, month, who)


def no_figures(
    store: Store, catalogue: Catalogue, wanted: Wanted | None, month: Month, who: str
) -> UsageError:
    """The one-line refusal of `month` for `wanted`: what there is instead."""
    why = not_published(store, catalogue, wanted)
    if why:
        return UsageError(f"no figures for {who}: {why}")
    instead = _instead(store, catalogue, wanted, who)
    return UsageError(f"--period {month.iso()}: no figures for {who} in {month.label()}; {instead}")


def no_row(
    store: Store, catalogue: Catalogue, wanted: Wanted | None, month: Month, who: str
) -> UsageError:
    """The refusal of a row that a card at `month` does not show (no figure in its
    look-back, or no standard still in force)."""
    if latest_month(store, catalogue, wanted) is None:
        return UsageError(nothing_stored(store, catalogue, wanted, who))
    instead = _instead(store, catalogue, wanted, who)
    return UsageError(
        f"--period {month.iso()}: the card for {month.label()} has no row for {who} (no "
        f"figure in the {LOOKBACK} months to it, or no standard in force); {instead}"
    )


def _instead(store: Store, catalogue: Catalogue, wanted: Wanted | None, who: str) -> str:
    latest = latest_month(store, catalogue, wanted)
    if latest is None:
        return f"the store has no figures for {who} in any month; {_stored(store)}"
    return f"the latest month with figures for {who} is {latest.label()} (--period {latest.iso()})"


def _stored(store: Store) -> str:
    months = store.months()
    if not months:
        return "it is empty (run `scorecard ingest FILE...` first)"
    return f"it holds {months[0].label()} to {months[-1].label()}"
