"""Scorecards from the store: one organisation's catalogue card, every organisation's from
one computation, and a board from its definition; each traced to its sources."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import polars as pl

from scorecard.assemble import LOOKBACK, assemble
from scorecard.benchmark.board import with_standings
from scorecard.board import build_board
from scorecard.boards import AMBULANCE, monitored
from scorecard.compute import compute_values, reporting_orgs
from scorecard.coverage import default_month, figures, latest_month, no_figures, require_figures
from scorecard.definitions import Catalogue
from scorecard.errors import DefinitionError, UsageError
from scorecard.frequency import LOOKBACK as LOOKBACKS
from scorecard.frequency import SPC_POINTS, span_months
from scorecard.model import ENGLAND, SELF, BoardSpec, Frequency, Indicator, Scorecard
from scorecard.notes import rollup_lines, source_lines
from scorecard.parts import drills, stand_in_values, with_parts
from scorecard.periods import Month
from scorecard.provenance import cards_provenance, cited, config_refs
from scorecard.store import Store

TITLE = "NHS performance scorecard"
TRACE_BATCH = 50  # every_scorecard's cards traced per query: fewer queries, bounded memory


def check_org(store: Store, org: str | None) -> None:
    if org is not None and org not in store.org_names():
        raise UsageError(f"--org: no organisation '{org}' in the store (England is {ENGLAND})")


def first_needed(store: Store, month: Month, frequency: Frequency = Frequency.MONTHLY) -> Month:
    """The earliest month a card at `month` reads: a row may show a month up to its look-back
    before it, with SPC_POINTS of its periods of series before that (months; a quarterly
    indicator's quarters). Older history is never read, so a build costs the same however
    long the store's history is."""
    back = LOOKBACKS[frequency] + span_months(frequency, SPC_POINTS) - 1
    months, first = store.months(), month.plus(-back)
    return max(months[0], first) if months else first


def values_for(
    store: Store,
    inds: list[Indicator],
    month: Month,
    org: str | None = None,
    *,
    lo: Month | None = None,
    windows: bool = True,
) -> pl.DataFrame:
    """What cards from `lo` (default `month`) to `month` show: monthly values over the
    whole span read (trend, SPC, the period before's rating), quarter and year-to-date
    values only for the months a row can show (each indicator's look-back to `lo`; every
    month, without `windows`). Indicators of each frequency are computed over their own
    span (a quarterly indicator's SPC reads SPC_POINTS quarters)."""
    lo = lo or month
    frames = []
    for frequency in Frequency:
        group = [i for i in inds if i.frequency is frequency]
        if not group and (frequency is not Frequency.MONTHLY or inds):
            continue
        since = lo.plus(1 - LOOKBACKS[frequency]) if windows else None
        start = first_needed(store, lo, frequency)
        frames.append(compute_values(store, group, start, month, org, since))
    return pl.concat(frames)


def card_values(store: Store, catalogue: Catalogue, month: Month, org: str | None) -> pl.DataFrame:
    """What a card at `month` shows, for one organisation or all (see values_for)."""
    return values_for(store, list(catalogue.indicators.values()), month, org)


def scorecard_for(store: Store, catalogue: Catalogue, org: str, period: Month | None) -> Scorecard:
    """Assemble the scorecard of one organisation at one month (default: the latest month
    with figures for it). A month with no figure for it is refused, naming the latest."""
    check_org(store, org)
    wanted = {org: list(catalogue.indicators)}
    month = period or default_month(store, catalogue, wanted, org)
    frame = card_values(store, catalogue, month, org)
    if period is not None:
        require_figures(store, catalogue, wanted, month, org, frame)
    card = assemble_card(store, catalogue, org, month, frame)
    return traced(store, catalogue, card)


def every_scorecard(
    store: Store, catalogue: Catalogue, period: Month | None
) -> Iterator[Scorecard]:
    """Every organisation's scorecard, from one computation for all of them: each
    indicator's SQL runs once for every organisation and roll-up level.

    At `period`, the organisations with a figure in it; without one, each organisation at
    its own latest month with figures among the LOOKBACK months to the latest month any has
    (as `scorecard_for` would choose it). Organisations with none are skipped; a period
    with no figure for anyone is refused.
    """
    months = card_months(store, catalogue, period)
    lo, hi = min(months.values()), max(months.values())
    inds = list(catalogue.indicators.values())
    frame = values_for(store, inds, hi, lo=lo)
    by_org = frame.partition_by("org_code", as_dict=True, maintain_order=True)
    batch: list[Scorecard] = []  # traced together: one provenance query per batch
    for org, month in sorted(months.items()):
        batch.append(assemble_card(store, catalogue, org, month, by_org[(org,)]))
        if len(batch) == TRACE_BATCH:
            yield from traced_all(store, catalogue, batch)
            batch = []
    yield from traced_all(store, catalogue, batch)


def card_months(store: Store, catalogue: Catalogue, period: Month | None) -> dict[str, Month]:
    """Each organisation's card month for `every_scorecard` (organisations with figures)."""
    if period is None:
        latest = latest_month(store, catalogue, None)
        if latest is None:
            raise UsageError("no figures for any organisation in the store")
        first, last = latest.plus(1 - LOOKBACK), latest
    else:
        first = last = period
    found = figures(store, catalogue, None, first, last).group_by("org_code").agg(pl.max("period"))
    names = store.org_names()
    months = {str(o): Month.from_date(p) for o, p in found.iter_rows() if str(o) in names}
    if not months:
        raise no_figures(store, catalogue, None, last, "any organisation")
    return months


def assemble_card(
    store: Store,
    catalogue: Catalogue,
    org: str,
    month: Month,
    frame: pl.DataFrame,
) -> Scorecard:
    """One organisation's card from its computed values, not yet traced (nor its sources
    cited: `traced_all` does that from the rows shown)."""
    hierarchy = store.hierarchy()
    return assemble(
        catalogue,
        frame,
        org_code=org,
        org_name=hierarchy.names[org],
        period=month,
        title=TITLE if store.note is None else f"{TITLE} (synthetic sample data)",
        sources=[
            *rollup_lines(store, hierarchy, org),
            *([store.note] if store.note else []),
        ],
        level=hierarchy.levels.get(org),
    )


def traced(store: Store, catalogue: Catalogue, card: Scorecard) -> Scorecard:
    """The card with the provenance of every value and the definitions it was built from."""
    return traced_all(store, catalogue, [card])[0]


def traced_all(store: Store, catalogue: Catalogue, cards: list[Scorecard]) -> list[Scorecard]:
    """`traced` for several cards, from one provenance query: each card's source notes
    (first among its notes) cite exactly the files of the figures it shows."""
    config = config_refs(catalogue.files)
    out = []
    for card, (found, inputs) in zip(cards, cards_provenance(store, cards), strict=True):
        card = replace(
            card,
            provenance=found,
            inputs=inputs,
            config=config,
            defined_in=dict(catalogue.defined_in),
        )
        notes = source_lines(cited(card), catalogue.files)
        out.append(replace(card, sources=(*notes, *card.sources)))
    return out


def board_rows(spec: BoardSpec) -> dict[str, set[str]]:
    """The indicators a board's rows show, by the organisation each row monitors."""
    rows: dict[str, set[str]] = {}
    for d in spec.domains:
        for r in d.rows:
            rows.setdefault(spec.org if r.org == SELF else r.org, set()).add(r.indicator_id)
    return rows


def board_for(
    store: Store, catalogue: Catalogue, spec: BoardSpec, period: Month | None
) -> Scorecard:
    """The board scorecard a definition describes, at `period` (default: the latest month
    with figures for any of its rows). A month with no figure for any row is refused."""
    hierarchy = store.hierarchy()
    spec = monitored(spec, catalogue, hierarchy, reporting_orgs(store, AMBULANCE))
    plain, plain_catalogue = spec, catalogue
    spec, catalogue = with_parts(spec, catalogue)
    codes = {spec.org: "org"} | {
        r.org: f"{r.key}.org" for d in spec.domains for r in d.rows if r.org != SELF
    }
    codes |= {c: f"{m.key}.orgs" for m in spec.matrices for c in m.orgs if c not in codes}
    for code, key in codes.items():
        if code not in hierarchy.names:
            raise DefinitionError(
                spec.file,
                key,
                f"unknown organisation '{code}': not in the store (build your own "
                "definitions with --scorecard FILE or --config DIR, or one organisation's "
                "card with --org CODE)",
            )
    rows = board_rows(spec)
    who = f"the rows of {spec.file}"
    month = period or default_month(store, catalogue, rows, who)
    wanted = sorted({i for ids in rows.values() for i in ids} | questions(spec))
    inds = [catalogue.indicator(i) for i in wanted if i in plain_catalogue.indicators]
    start = first_needed(store, month)
    values = values_for(store, inds, month, windows=False)
    stand_ins = stand_in_values(store, plain_catalogue, plain, start, month)
    if stand_ins is not None:
        values = pl.concat([values, stand_ins.select(values.columns)])
    if period is not None:
        require_figures(store, catalogue, rows, month, who, values)
    first = month.plus(-max(LOOKBACKS.values()))
    comments = {
        (str(c["indicator_id"]), str(c["org_code"]), Month.from_date(c["period"])): str(
            c["comment"]
        )
        for c in store.comments_of(list(codes), first, month).iter_rows(named=True)
    }
    card = build_board(
        spec,
        catalogue,
        values,
        org=spec.org,
        names=hierarchy.names,
        period=month,
        title=spec.title if store.note is None else f"{spec.title} (synthetic sample data)",
        sources=[
            *([store.note] if store.note else []),
        ],
        comments=comments,
        revisions=store.revisions(),
        statuses=store.statuses(),
    )
    # Imported here: a board's sections read the analyst's own files (their layouts and
    # checks), which no catalogue card does (a batch's worker processes never import them).
    from scorecard.board_sections import with_sections

    card = replace(card, drills=drills(store, catalogue, plain, month, hierarchy.names, values))
    card, files = with_sections(card, spec, catalogue, values, hierarchy.names, comments)
    if spec.benchmark:
        card = with_standings(store, plain_catalogue, spec, card, start)
    card = traced(store, catalogue, card)
    return replace(card, config=card.config + files)


def questions(spec: BoardSpec) -> set[str]:
    """The indicators a board's assurance matrices ask."""
    return {q for m in spec.matrices for q in m.questions}
