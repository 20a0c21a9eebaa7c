"""Running independent work on every core: a file's parse, a card's render.

`run` maps a picklable function over items, in order, in worker processes (spawned, so no
worker inherits a half-started thread pool of the parent) when there are enough items to
repay starting them, and in this process otherwise. A spawned worker imports the program's
main module again, so workers are used only once `allow()` has been called, from a main
guarded by `if __name__ == "__main__"` (the `scorecard` command does; so may a script
that uses the library). SCORECARD_WORKERS sets the number of workers (1: none); by
default, the cores the process may use, at most MAX_WORKERS.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from scorecard.errors import UsageError

WORKERS = "SCORECARD_WORKERS"
MAX_WORKERS = 8
POLARS_THREADS = "POLARS_MAX_THREADS"

_allowed = False  # set by allow(): worker processes may be started

T = TypeVar("T")
R = TypeVar("R")


def allow() -> None:
    """Let `run` start worker processes (call it from a guarded main)."""
    global _allowed
    _allowed = True


def allowed() -> bool:
    """Whether `allow()` has been called."""
    return _allowed


def workers() -> int:
    """How many worker processes to use: SCORECARD_WORKERS, else the usable cores."""
    text = os.environ.get(WORKERS, "").strip()
    if text:
        if not text.isdigit() or int(text) < 1:
            expected = "expected a whole number of processes (1 or more)"
            raise UsageError(f"{WORKERS}: {expected}, got '{text}'")
        return int(text)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def run(fn: Callable[[T], R], items: Sequence[T], minimum: int) -> list[R]:
    """[fn(item) for item in items], in worker processes when allowed, there are `minimum`
    items or more, and more than one worker; an exception raised by `fn` is raised here."""
    n = min(workers(), len(items)) if _allowed else 1
    if n < 2 or len(items) < minimum:
        return [fn(item) for item in items]
    context = multiprocessing.get_context("spawn")
    chunk = max(1, len(items) // (n * 4))
    with _one_thread_each(), concurrent.futures.ProcessPoolExecutor(n, mp_context=context) as pool:
        return list(pool.map(fn, items, chunksize=chunk))


@contextmanager
def _one_thread_each() -> Iterator[None]:
    """Workers started inside use one polars thread each (unless told otherwise): the
    processes share the cores already, and more threads than cores only take turns."""
    before = os.environ.get(POLARS_THREADS)
    os.environ.setdefault(POLARS_THREADS, "1")
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(POLARS_THREADS, None)
