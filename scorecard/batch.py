"""Every organisation's catalogue card, built in one batch by several processes and written
all or none.

The parent computes every indicator once for every organisation and roll-up level
(`cards.values_for`), then hands the cards out in chunks to worker processes (spawned, so
that no thread pool of polars or DuckDB is copied half-held into them), each chunk's values
in a file of its own (scorecard.batch_tasks). Each worker opens
the store itself, read-only and as of the same moment, assembles and traces its chunk's
cards exactly as `every_scorecard` does, renders their files and writes each to a hidden
temporary file in the output folder. When every card is done, the parent syncs all the
temporary files to disk together and renames them into place (scorecard.writing.commit):
should any card fail, none of the batch's files replaces an earlier one, and its temporary
files are removed. The worker processes end meanwhile. The bytes are those the one-card
build writes (tests/test_batch.py).

With one worker, a store held only in memory (the bundled sample without a cache folder)
or one open for writing (which no other process may open), the chunks are built in this
process, through the same steps.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import pickle
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from scorecard import parallel
from scorecard.batch_tasks import Card, Values, by_org, read_values, share, tasks
from scorecard.cards import assemble_card, traced_all, values_for
from scorecard.definitions import Catalogue
from scorecard.errors import OutputError
from scorecard.outputs import BuildInfo, render_set
from scorecard.periods import Month
from scorecard.store import Store
from scorecard.writing import commit, discard, output_folder, stage_set

ALONE_BELOW = 50  # fewer cards than this are built in this process unless told
POLARS_THREADS = "POLARS_MAX_THREADS"
# A worker's garbage collector runs after 10,000 new objects rather than 700: a card's
# render makes hundreds of thousands that its own end frees, and each pass costs time.
GC_THRESHOLDS = (10_000, 10, 10)


@dataclass(frozen=True)
class Built:
    """One card of a batch: its files (in the order written) and what it took, in seconds
    of wall-clock time in its worker (assembling and tracing; rendering and writing)."""

    org_code: str
    period: Month
    paths: tuple[Path, ...]
    compute: float
    render: float
    cpu: float


@dataclass(frozen=True)
class _Job:
    """What every chunk of a batch needs besides its cards and the store."""

    catalogue: Catalogue
    out: Path
    name: str
    infos: Mapping[Month, BuildInfo] | None
    files: int  # in the whole batch, for the one line should one not be written


@dataclass(frozen=True)
class _Opening:
    """How a worker opens the store: as the parent has it (read-only, at the same moment)."""

    db: Path
    as_of: dt.datetime | None
    note: str | None


Staged = list[tuple[Path, Path]]  # (temporary file, final path)


def workers_wanted(requested: int | None = None) -> int:
    """Worker processes for a batch: `requested`, else `parallel.workers()` ($SCORECARD_WORKERS,
    else the usable cores) once a guarded main has allowed them, else one; never more than
    the machine's cores, never fewer than one."""
    if requested is None:
        requested = parallel.workers() if parallel.allowed() else 1
    return max(1, min(requested, os.cpu_count() or 1))


def build_every(
    store: Store,
    catalogue: Catalogue,
    months: Mapping[str, Month],
    out: Path,
    *,
    name: str = "scorecard",
    infos: Mapping[Month, BuildInfo] | None = None,
    workers: int | None = None,
    progress: Callable[[], None] = lambda: None,
) -> list[Built]:
    """Build the catalogue card of each organisation in `months` at its month (see
    `cards.card_months`) into `out`, all or none; the cards in code order.

    Files are named `<name>-<ORG>-<YYYY-MM>.*` as `api.build` names them, with a manifest
    where `infos` gives the build's information for the card's month. `progress` is called
    once a card is rendered.
    """
    output_folder(out)
    items = sorted(months.items())
    if not items:
        return []
    files = len(items) * (6 if infos is not None else 5)
    job = _Job(catalogue, out, name, infos, files)
    count = workers_wanted(workers)
    if workers is None and len(items) < ALONE_BELOW:
        count = 1  # starting a process costs more than a few cards
    chunks = tasks(items, count)
    lo, hi = min(months.values()), max(months.values())
    inds = list(catalogue.indicators.values())
    if count == 1 or store.path is None or not store.read_only:
        values = by_org(values_for(store, inds, hi, lo=lo))
        return _committed(out, _in_process(store, job, values, chunks, progress))
    opening = _Opening(store.path, store.as_of, store.note)
    with (
        _pool(opening, min(count, len(chunks))) as pool,  # starting while we compute
        tempfile.TemporaryDirectory(prefix="scorecard-batch-") as private,
    ):
        values = by_org(values_for(store, inds, hi, lo=lo))
        results = _in_workers(
            pool, out, share(Path(private), job, values, chunks), chunks, progress
        )
        ending = threading.Thread(target=pool.shutdown)  # the workers end meanwhile
        ending.start()
        try:
            return _committed(out, results)
        finally:
            ending.join()


def _committed(out: Path, results: list[list[tuple[Built, Staged]]]) -> list[Built]:
    """The batch's files put in place, all or none (`commit`); its cards."""
    commit(out, [pair for chunk in results for _, files in chunk for pair in files])
    return [b for chunk in results for b, _ in chunk]


def _in_process(
    store: Store,
    job: _Job,
    values: Values,
    chunks: Sequence[list[Card]],
    progress: Callable[[], None],
) -> list[list[tuple[Built, Staged]]]:
    results: list[list[tuple[Built, Staged]]] = []
    try:
        for chunk in chunks:
            results.append(_build_chunk(store, job, chunk, values))
            for _ in chunk:
                progress()
    except BaseException:
        discard([pair for done in results for _, files in done for pair in files])
        raise
    return results


@contextmanager
def _pool(opening: _Opening, count: int) -> Iterator[ProcessPoolExecutor]:
    """`count` worker processes, started now (each opens the store as it starts)."""
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(count, mp_context=context, initializer=_start, initargs=(opening,))
    try:
        with _as_workers():
            for _ in range(count):
                pool.submit(_ready)
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _ready() -> None:
    """A task that only makes a worker process start."""


def _in_workers(
    pool: ProcessPoolExecutor,
    out: Path,
    shared: Iterable[tuple[Path, Path]],
    chunks: Sequence[list[Card]],
    progress: Callable[[], None],
) -> list[list[tuple[Built, Staged]]]:
    futures: list[Future[list[tuple[Built, Staged]]]] = []
    try:
        futures = [pool.submit(_work, c, *files) for c, files in zip(chunks, shared, strict=True)]
        results = []
        for future, chunk in zip(futures, chunks, strict=True):
            results.append(future.result())
            for _ in chunk:
                progress()
    except BaseException as exc:
        pool.shutdown(wait=True, cancel_futures=True)
        for future in futures:
            if future.done() and not future.cancelled() and future.exception() is None:
                discard([pair for _, files in future.result() for pair in files])
        if isinstance(exc, BrokenProcessPool):
            raise OutputError(
                f"{out}: a worker process stopped before its cards were written; "
                "none of this build's files was written"
            ) from None
        raise
    return results


@contextmanager
def _as_workers() -> Iterator[None]:
    """Processes started meanwhile run polars on one thread (it reads the setting once, on
    import: the batch runs a process a core) and ignore Ctrl-C from the start (the parent
    handles it: it lets the running chunks finish, then removes their files)."""
    before = os.environ.get(POLARS_THREADS)
    os.environ[POLARS_THREADS] = "1"
    handler = None
    if threading.current_thread() is threading.main_thread():
        handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        if handler is not None:
            signal.signal(signal.SIGINT, handler)
        if before is None:
            del os.environ[POLARS_THREADS]
        else:
            os.environ[POLARS_THREADS] = before


_STORE: list[Store] = []  # a worker process's store
_JOBS: dict[Path, _Job] = {}  # the job a worker has read, by file


def _start(opening: _Opening) -> None:
    """A worker's start: the store opened as the parent has it, its queries on one thread
    (the batch runs a process a core); Ctrl-C left to the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    store = Store.open(opening.db, read_only=True, as_of=opening.as_of)
    store.threads(1)
    store.note = opening.note
    _STORE.append(store)
    gc.set_threshold(*GC_THRESHOLDS)
    _settled()


def _settled() -> None:
    """What the worker holds for good (its modules, store and job), or for the rest of a
    chunk (its cards, once traced), left out of the garbage collector's passes: each would
    otherwise look through every object imported, and every card of the chunk, over and
    over as each card's files are rendered (about 2 ms a card for the modules, and as much
    again for the chunk's cards and the collector's default thresholds). Assembling and
    tracing make no reference cycles (tests/test_batch_gc.py), so a frozen card is still
    freed when the chunk lets it go; the cycles rendering makes are collected as usual."""
    gc.collect()
    gc.freeze()


def _work(chunk: list[Card], job: Path, values: Path) -> list[tuple[Built, Staged]]:
    if job not in _JOBS:
        _JOBS.clear()
        _JOBS[job] = pickle.loads(job.read_bytes())
        _settled()
    mine = read_values(values)
    return _build_chunk(_STORE[0], _JOBS[job], chunk, mine, settle=True)


def _build_chunk(
    store: Store,
    job: _Job,
    chunk: Sequence[tuple[str, Month]],
    values: Values,
    *,
    settle: bool = False,
) -> list[tuple[Built, Staged]]:
    """A chunk's cards, assembled and traced together (one provenance query), each
    rendered and written to temporary files; those are removed again on any failure.
    With `settle` (a worker process), the traced cards are `_settled` before rendering."""
    cpu, start = time.process_time(), time.perf_counter()
    raw = [assemble_card(store, job.catalogue, o, m, values[(o,)]) for o, m in chunk]
    cards = traced_all(store, job.catalogue, raw)
    del raw
    if settle:
        _settled()
    compute = (time.perf_counter() - start) / len(chunk)
    shared_cpu = (time.process_time() - cpu) / len(chunk)
    done: list[tuple[Built, Staged]] = []
    try:
        for card in cards:
            cpu, start = time.process_time(), time.perf_counter()
            stem = f"{job.name}-{card.org_code}-{card.period.iso()}"
            info = job.infos.get(card.period) if job.infos is not None else None
            staged = stage_set(job.out, render_set(card, stem, info), job.files)
            render = time.perf_counter() - start
            paths = tuple(final for _, final in staged)
            used = shared_cpu + time.process_time() - cpu
            done.append((Built(card.org_code, card.period, paths, compute, render, used), staged))
    except BaseException:
        discard([pair for _, files in done for pair in files])
        raise
    return done
