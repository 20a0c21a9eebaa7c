"""Where each value on a scorecard came from: the source files, their SHA-256 and the rows.

A value is traced the way compute.py adds it up, formula by formula (the indicator's
numerator and denominator, and its plan): the organisation's own figures where the file
holds every measure of the formula for the month, else those of the organisations below it
(an ICB's providers, England's everything) that hold every measure; an organisation with
part of a formula goes into no figure, so none of its rows is named. The rows are the file's
own line numbers (sheet rows for a workbook): the measure's own rows where the layout
records them (a local-measures file's row for that indicator, organisation and month), else
the organisation's rows for the month.

A card cites what its rows show: `cited` names each file behind a figure on it once, and
`cards_provenance` also finds every file its trends and Making Data Count series read, for
the build manifest (`manifest_inputs`). A file the card does not use is never named.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from scorecard.formatting import window_start
from scorecard.frequency import SPC_POINTS, span_months
from scorecard.model import Scorecard, SourceRef, Window
from scorecard.own_windows import stand_in
from scorecard.periods import Month
from scorecard.provenance_query import Span, traced
from scorecard.sources.rows import row_numbers, row_ranges
from scorecard.store import Load, Store


def trace(
    store: Store, spans: Iterable[Span], *, rows: bool = True
) -> dict[Span, tuple[SourceRef, ...]]:
    """The files (and, with `rows`, the rows) behind each span's value, in one query."""
    spans_list = list(spans)
    out: dict[int, list[SourceRef]] = {}
    # A value's files in the order of the months they hold, then by name.
    for key, file, sha, dataset, _, months, ranges in traced(store, spans_list, rows=rows):
        ref = SourceRef(
            str(file),
            str(sha),
            _merged(ranges),
            str(dataset),
            _months(months),
        )
        out.setdefault(int(key), []).append(ref)
    return {s: tuple(out.get(n, ())) for n, s in enumerate(spans_list)}


def read_by(store: Store, groups: Sequence[Sequence[Span]]) -> list[tuple[SourceRef, ...]]:
    """For each group of spans (a card's series), `unique_files` of every file they read,
    from one query that gathers each group's files itself."""
    found: dict[int, list[SourceRef]] = {}
    spans = [s for group in groups for s in group]
    numbers = [n for n, group in enumerate(groups) for _ in group]
    for n, file, sha, dataset, _, months, _ in traced(store, spans, numbers, rows=False):
        ref = SourceRef(str(file), str(sha), "", str(dataset), _months(months))
        found.setdefault(int(n), []).append(ref)
    return [
        tuple(sorted(found.get(n, ()), key=lambda r: (r.dataset, r.months[:1], r.file, r.sha256)))
        for n in range(len(groups))
    ]


@lru_cache(maxsize=4096)
def _months(days: str) -> tuple[Month, ...]:
    """The months of the query's list of days: "[2024-01-01, 2024-02-01]" (the same lists
    recur across spans and cards, so each is read once)."""
    return tuple(Month(int(d[:4]), int(d[5:7])) for d in days[1:-1].split(", ") if d)


@lru_cache(maxsize=4096)
def _merged(ranges: str) -> str:
    """Several organisations' row ranges, joined by commas, as one: "2-4,3,9" -> "2-4,9"
    (the same sets recur across a card's windows and cards, so each is worked out once)."""
    return row_ranges(row_numbers(ranges))


Provenance = dict[tuple[str, str, Window], tuple[SourceRef, ...]]


def cards_provenance(
    store: Store, cards: Sequence[Scorecard]
) -> list[tuple[Provenance, tuple[SourceRef, ...]]]:
    """For each card: the sources of every value on it, by (indicator id, organisation,
    window), and every publication its rows read (figures, trends and SPC series); one
    query for each of the two."""
    keyed = [_spans(card) for card in cards]
    traced = trace(store, {s for spans in keyed for s in spans.values()})
    read = read_by(store, [_series(card) for card in cards])
    return [
        ({k: traced[s] for k, s in spans.items()}, files)
        for spans, files in zip(keyed, read, strict=True)
    ]


def _spans(card: Scorecard) -> dict[tuple[str, str, Window], Span]:
    """The figures shown: each row's windows with a value, over the months each covers."""
    keyed: dict[tuple[str, str, Window], Span] = {}
    for row in card.all_rows():
        for window in card.windows:
            cell = row.cell(window)
            if cell.value.value is None:
                continue
            first = window_start(cell.value)
            ind = row.indicator
            if cell.value.how == "own":  # the file's own figure for the window: its row
                ind, first = stand_in(ind, window), cell.value.period
            keyed[(row.indicator.id, row.org_code, window)] = Span(
                ind, row.org_code, first, cell.value.period
            )
    return keyed


def _series(card: Scorecard) -> list[Span]:
    """What each row read besides: the months of its trend and Making Data Count series
    (which hold every window's months too)."""
    return [
        Span(
            row.indicator,
            row.org_code,
            row.period.plus(1 - span_months(row.indicator.frequency, SPC_POINTS)),
            row.period,
        )
        for row in card.all_rows()
    ]


def unique_files(refs: Iterable[SourceRef]) -> tuple[SourceRef, ...]:
    """Each file once (by name and SHA-256), with every month used of it and no rows;
    ordered by dataset, then the first month used, then name."""
    months: dict[tuple[str, str, str], set[Month]] = {}
    for ref in refs:
        months.setdefault((ref.dataset, ref.file, ref.sha256), set()).update(ref.months)
    files = [
        SourceRef(file, sha, "", dataset, tuple(sorted(ms)))
        for (dataset, file, sha), ms in months.items()
    ]
    return tuple(sorted(files, key=lambda r: (r.dataset, r.months[:1], r.file, r.sha256)))


def cited(card: Scorecard) -> tuple[SourceRef, ...]:
    """The files behind the figures on the card (its rows' windows shown), each once."""
    shown = {
        (row.indicator.id, row.org_code, w)
        for row in card.all_rows()
        for w in card.windows
        if row.cell(w).value.value is not None
    }
    return unique_files(r for k, refs in card.provenance.items() if k in shown for r in refs)


def manifest_inputs(
    card: Scorecard, known: Mapping[tuple[str, str, Month], Load]
) -> list[dict[str, object]]:
    """The publications the card's rows read (`card.inputs`), for its build manifest: each
    file once, with the months read, its format and status (from `known`, the publications
    current at the build's moment by file, SHA-256 and month: `BuildInfo.inputs_by_month`),
    and whether the page's source notes cite it (a figure shown comes from it) or only a
    trend or Making Data Count series read it."""
    shown = {(r.file, r.sha256) for r in cited(card)}
    entries: list[dict[str, object]] = []
    for ref in card.inputs:
        found = [known[k] for m in ref.months if (k := (ref.file, ref.sha256, m)) in known]
        entries.append(
            {
                "file": ref.file,
                "sha256": ref.sha256,
                "dataset": ref.dataset,
                "format": found[-1].format if found else None,
                "periods": [m.iso() for m in ref.months],
                "status": found[-1].status if found else None,
                "cited": (ref.file, ref.sha256) in shown,
            }
        )
    return entries


def config_refs(files: Mapping[str, str]) -> tuple[SourceRef, ...]:
    """The definition files a card was built from (indicators/*.toml, thresholds.toml)."""
    return tuple(SourceRef(f, h) for f, h in sorted(files.items()))
