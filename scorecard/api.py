"""The library API the CLI is a thin layer over: ingest, values, build, explain, catalogue."""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from scorecard import check as checking
from scorecard import (
    parallel,
    sources,  # its layouts are imported when a file is first read
)
from scorecard.benchmark.peers import PeerGroup, load_group
from scorecard.boards import board_files, load_board
from scorecard.build_info import BuildInfo
from scorecard.cards import TITLE as TITLE
from scorecard.cards import board_for as board_for
from scorecard.cards import card_months as card_months
from scorecard.cards import check_org
from scorecard.cards import every_scorecard as every_scorecard
from scorecard.cards import scorecard_for as scorecard_for
from scorecard.check import PARALLEL_FILES
from scorecard.compute import measure_values, rolls_up
from scorecard.coverage import (
    default_month,
    no_figures,
    no_row,
)
from scorecard.definitions import Catalogue, load_catalogue
from scorecard.drilldown import parts_table as parts_table
from scorecard.errors import ScorecardError, StoreError, UsageError
from scorecard.history import history
from scorecard.model import BoardSpec, Row, Scorecard, SourceRef
from scorecard.periods import Month
from scorecard.sample_cache import sample_store
from scorecard.sources.extract import Extract
from scorecard.store import Store
from scorecard.store.early import opened_beside
from scorecard.store.write import IngestResult
from scorecard.tables import VALUES_HEADER as VALUES_HEADER
from scorecard.tables import Query as Query
from scorecard.tables import indicator_ids as indicator_ids
from scorecard.tables import indicator_table as indicator_table
from scorecard.tables import values as values
from scorecard.writing import check_folder as check_folder

if TYPE_CHECKING:
    from scorecard.batch import Built

# The renderers (great-tables, xlsxwriter) are imported by the functions that write files,
# so that a command that only reads the store starts without them.

DEFAULT_DB = Path("scorecard.duckdb")
SAMPLE_NOTE = (
    "Built from the bundled synthetic sample (data/): fictional organisations in NHS "
    "England's published layout, not NHS data. Pass --db to use your own store."
)
_PACKAGE = Path(__file__).resolve().parent


def find_config_dir(explicit: Path | None = None) -> Path:
    """The folder holding indicators/ and thresholds.toml.

    An explicit folder wins; otherwise the current folder, then the project the package was
    installed from, then the copy bundled inside the package.
    """
    candidates = [explicit] if explicit else [Path.cwd(), _PACKAGE.parent, _PACKAGE / "_bundled"]
    for cand in candidates:
        if (cand / "thresholds.toml").is_file() and (cand / "indicators").is_dir():
            return cand
    where = explicit or Path.cwd()
    raise UsageError(f"{where}: no thresholds.toml and indicators/ folder here; pass --config DIR")


def catalogue(config: Path | None = None) -> Catalogue:
    """The validated indicator catalogue and standards from the config folder."""
    return load_catalogue(find_config_dir(config))


def sample_files() -> list[Path]:
    """The bundled synthetic sample extracts (data/<family>/*.csv)."""
    for root in (_PACKAGE.parent / "data", _PACKAGE / "_bundled" / "data"):
        files = sorted(root.glob("*/*.csv"))
        if files:
            return files
    raise UsageError("the bundled sample data (data/*/*.csv) is not installed with this copy")


FIRST_YEAR, LAST_YEAR = 1900, 2999  # months a --period may name (dates work years around it)


def peer_group(config: Path | None, name: str | None) -> PeerGroup | None:
    """The peer group `peers/<name>.csv` of the config folder (None: the default peers)."""
    return None if name is None else load_group(find_config_dir(config), name.strip())


def parse_month(text: str | None, option: str = "--period") -> Month | None:
    if text is None:
        return None
    try:
        month = Month.parse(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None
    if not FIRST_YEAR <= month.year <= LAST_YEAR:
        raise UsageError(
            f"{option}: expected a month from {FIRST_YEAR}-01 to {LAST_YEAR}-12, got '{text}'"
        )
    return month


# Testing hook: after this many files are written, inside the transaction, say so on stderr
# and wait, so that a test can stop the process mid-ingest (tests/test_ingest_safety.py).
PAUSE_AFTER_WRITES = "SCORECARD_PAUSE_AFTER_WRITES"


def ingest(
    paths: Sequence[Path],
    db: Path,
    period_hint: str | None = None,
    skipped: list[str] | None = None,
    layout: str | None = None,
    warnings: list[str] | None = None,
    config: Path | None = None,
    today: dt.date | None = None,
) -> list[IngestResult]:
    """Parse and validate every file first, then store them all in one transaction.

    Every file is read and checked (its layout, the plausibility bounds, and indicator ids
    against the catalogue in `config`) before anything is stored; problems in any file raise
    one SourceError holding every problem of every file, and nothing is stored. `today`
    (default: the date now) is the latest month a file may hold; it reaches nothing stored.
    Workbook sheets not read are listed in `skipped`, and things worth saying that did not
    stop a file being stored (suppressed cells, new organisation codes) in `warnings`,
    when given. `layout` insists on one published layout (a FORMATS name).
    """
    parse_month(period_hint)
    held = checking.rules(catalogue(config).indicators, today)
    with opened_beside(db) as opened:  # a new store is made while the files are read
        extracts = checking.read_all(paths, period_hint, skipped, layout, held)
        store = opened()
    with store:
        results = store.ingest(extracts, written=_pause_hook())
    if warnings is not None:
        warnings.extend(w for e in extracts for w in e.warnings)
        warnings.extend(w for r in results for w in r.warnings)
    return results


def _pause_hook() -> Callable[[Extract], None] | None:
    after = os.environ.get(PAUSE_AFTER_WRITES, "")
    if not after.isdigit():
        return None
    written: list[Extract] = []

    def pause(extract: Extract) -> None:
        written.append(extract)
        if len(written) == int(after):
            print(f"paused after writing {extract.file}", file=sys.stderr, flush=True)
            time.sleep(60)

    return pause


def parse_as_of(text: str | None) -> dt.datetime | None:
    """`--as-of`: a date (the end of that day) or a date and time, as UTC."""
    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--as-of: expected a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM:SS), got '{text}'"
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    if len(text.strip()) == len("YYYY-MM-DD"):
        moment += dt.timedelta(days=1, microseconds=-1)
    return moment


@contextmanager
def open_store(db: Path | None, as_of: dt.datetime | None = None) -> Iterator[Store]:
    """The store at `db`; with None, ./scorecard.duckdb if present, else the bundled sample.

    With `as_of`, the store as it was then: the publications current at that moment.
    """
    if db is None and DEFAULT_DB.exists():
        db = DEFAULT_DB
    if db is not None:
        with Store.open(db, read_only=True, as_of=as_of) as store:
            if as_of is not None and not store.months():
                raise StoreError(f"{db}: nothing had been ingested by {as_of.isoformat()}")
            yield store
        return
    if as_of is not None:
        raise UsageError("--as-of needs a store (--db) that keeps its ingest history")
    files = tuple(sample_files())

    def fill(store: Store) -> None:
        store.ingest(list(_sample_extracts(files)))

    cached = sample_store(files, fill)
    with Store.open(cached, read_only=cached is not None) as store:
        if cached is None:  # no cache folder to keep it in: built in memory
            fill(store)
        store.note = SAMPLE_NOTE
        yield store


@cache
def _sample_extracts(files: tuple[Path, ...]) -> tuple[Extract, ...]:
    """The bundled sample, parsed once per process (extracts are immutable), on every core."""
    parsed = parallel.run(_read_sample_file, list(files), minimum=PARALLEL_FILES)
    return tuple(e for extracts in parsed for e in extracts)


def _read_sample_file(path: Path) -> list[Extract]:
    """`sources.read_extracts`, the layouts (and pandera) imported at the first call: in this
    process, once the workers have been started, so that both import at the same time."""
    return sources.read_extracts(path)


def org_code(text: str) -> str:
    """ODS codes are upper case; accept `rj1` for `RJ1`."""
    return text.strip().upper()


def board_specs(config: Path | None, catalogue: Catalogue) -> list[BoardSpec]:
    """Every scorecard definition in the config folder's scorecards/, validated."""
    return [load_board(p, catalogue) for p in board_files(find_config_dir(config))]


def board_spec(path: Path, catalogue: Catalogue) -> BoardSpec:
    """One scorecard definition file, validated."""
    return load_board(path, catalogue)


def build(
    card: Scorecard, out: Path, name: str = "scorecard", info: BuildInfo | None = None
) -> list[Path]:
    """Write every output of one scorecard; return their paths.

    Files are named `<name>-<ORG>-<YYYY-MM>`; a definition's name is its file's stem:
    `.html` (the full page, with print CSS for A4 landscape), `.fragment.html` (the
    self-contained fragment to paste into a board paper), `.csv` and `.parquet` (the tidy
    rows, with each value's provenance), `.xlsx` (the Excel workbook) and, given `info`,
    `.manifest.json` (inputs, definitions, software versions, command, output hashes).
    Each is rendered first, then written atomically.
    """
    from scorecard.outputs import write_outputs

    return write_outputs(card, out, f"{name}-{card.org_code}-{card.period.iso()}", info)


def build_every(
    store: Store,
    catalogue: Catalogue,
    months: dict[str, Month],
    out: Path,
    command: str | None = None,
    *,
    workers: int | None = None,
    progress: Callable[[], None] = lambda: None,
) -> list[Built]:
    """Write every organisation's catalogue card at its month (`card_months`) into `out`, in
    one batch: computed once, built by `workers` processes (default $SCORECARD_WORKERS,
    else 2, at most the machine's cores), the files written all or none, byte for byte as
    `build` writes each card; with `command`, each card's manifest records it."""
    infos = None
    if command is not None:
        infos = {p: build_info(store, p, command) for p in sorted(set(months.values()))}
    from scorecard import batch

    return batch.build_every(
        store, catalogue, months, out, infos=infos, workers=workers, progress=progress
    )


def build_info(
    store: Store,
    period: Month,
    command: str,
    spec: BoardSpec | None = None,
) -> BuildInfo:
    """What a build for `period` used, for its manifest (the same for every card of it)."""
    return BuildInfo(
        command=command,
        as_of=store.as_of,
        definition=SourceRef(spec.file, spec.sha256) if spec else None,
        inputs=tuple(ld for ld in store.active_loads() if ld.period <= period),
        references=tuple(SourceRef(f, h) for f, h in store.reference_loads()),
    )


def history_table(
    store: Store, catalogue: Catalogue, indicator: str, org: str, period: Month | None
) -> pl.DataFrame:
    """Every stored version of one indicator's month for one organisation (`history`);
    by default the latest month with a figure for it. A month in which no stored version
    gave the organisation a figure is refused, naming the latest month with one."""
    ind_id = indicator_ids(catalogue, indicator, "ID")[0]
    check_org(store, org)
    wanted, who = {org: [ind_id]}, f"{ind_id} for {org}"
    month = period or default_month(store, catalogue, wanted, who)
    table = history(store, catalogue, ind_id, org, month)
    if table.filter((pl.col("numerator") != "") | (pl.col("value") != "")).height == 0:
        raise no_figures(store, catalogue, wanted, month, who)
    return table


def explain_row(
    store: Store, catalogue: Catalogue, indicator: str, org: str, period: Month | None
) -> tuple[Row, dict[str, float]]:
    """The scorecard row for one indicator, and the stored measures behind its month.

    By default the row at the latest month with a figure for the indicator and
    organisation; at `period`, the row the organisation's card for that month shows (its
    latest month with a figure up to `period`, within the card's look-back). A month whose
    card would have no such row is refused, naming the latest month with a figure.
    """
    ind_id = indicator_ids(catalogue, indicator, "ID")[0]
    check_org(store, org)
    wanted, who = {org: [ind_id]}, f"{ind_id} for {org}"
    # Its card for the one indicator: a catalogue card's row depends on its indicator alone.
    alone = replace(catalogue, indicators={ind_id: catalogue.indicators[ind_id]})
    month = period or default_month(store, catalogue, wanted, who)
    try:
        card = scorecard_for(store, alone, org, month)
    except ScorecardError:  # the whole card says why, as it always has (or has the row)
        card = scorecard_for(store, catalogue, org, month)
    row = next((r for r in card.rows if r.indicator.id == ind_id), None)
    if row is None:
        raise no_row(store, catalogue, wanted, card.period, who)
    ind = row.indicator
    measures = ind.numerator.measures() + (ind.denominator.measures() if ind.denominator else ())
    adds_up = rolls_up(ind)
    return row, measure_values(store, ind.family, measures, org, row.period, adds_up=adds_up)


def chart(row: Row, out: Path) -> Path:
    """Write a row's Making Data Count SPC chart as a self-contained SVG; return its path."""
    path = out / f"chart-{row.indicator.id}-{row.org_code}-{row.period.iso()}.svg"
    from scorecard.render.chart import chart_svg
    from scorecard.writing import write_atomic

    write_atomic(path, chart_svg(row).encode("utf-8"))
    return path


def write_league(*args: Any, **kwargs: Any) -> list[Path]:
    """`scorecard.benchmark.outputs.write_league`: a league table's HTML and CSV."""
    from scorecard.benchmark.outputs import write_league as write

    return write(*args, **kwargs)


def write_funnel(*args: Any, **kwargs: Any) -> list[Path]:
    """`scorecard.benchmark.plot.write_funnel`: a funnel plot's SVG and CSV."""
    from scorecard.benchmark.plot import write_funnel as write

    return write(*args, **kwargs)
