"""Running independent work on every core: a file's parse, a card's render.

`run` maps a picklable function over items, in order, in this process and worker processes
(spawned, so no worker inherits a half-started thread pool of the parent) when there are
enough items to repay starting them, and in this process alone otherwise. A spawned
worker imports the program's main module again, so workers are used only once `allow()`
has been called, from a main guarded by `if __name__ == "__main__"` (the `scorecard`
command does; so may a script that uses the library). SCORECARD_WORKERS sets the number
of processes at work (for `run`, this one and one fewer workers; 1: this one alone); by
default, the cores the process may use, at most MAX_WORKERS.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
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
    """How many processes to work in: SCORECARD_WORKERS, else the usable cores."""
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
    items or more, and more than one worker; an exception raised by `fn` is raised here
    (the first item's, in order, as the list comprehension would).

    This process works too: it takes chunks from the end while the workers (one fewer than
    the count) start up and take chunks from the front, so no core waits on a start-up."""
    n = min(workers(), len(items)) if _allowed else 1
    if n < 2 or len(items) < minimum:
        return [fn(item) for item in items]
    size = max(1, len(items) // (n * 6))
    chunks = [list(items[i : i + size]) for i in range(0, len(items), size)]
    done: dict[int, list[R] | BaseException] = {}
    sent: dict[concurrent.futures.Future[list[R]], int] = {}
    front, back = 0, len(chunks)  # chunks front.. are unsent; ..back are unclaimed
    context = multiprocessing.get_context("spawn")
    with (
        _one_thread_each(),
        concurrent.futures.ProcessPoolExecutor(n - 1, mp_context=context) as pool,
    ):
        while front < back:
            while front < back and len(sent) - _finished(sent) < 2 * (n - 1):
                sent[pool.submit(_each, fn, chunks[front])] = front
                front += 1
            if front < back:
                back -= 1
                done[back] = _kept(_each, fn, chunks[back])
        for future, at in sent.items():
            done[at] = _kept(future.result)
    results: list[R] = []
    for at in range(len(chunks)):
        got = done[at]
        if isinstance(got, BaseException):
            raise got
        results.extend(got)
    return results


def _each(fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [fn(item) for item in chunk]


def _kept(call: Callable[..., list[R]], *args: object) -> list[R] | BaseException:
    """call(*args), or the exception it raised (raised later, in the items' order)."""
    try:
        return call(*args)
    except Exception as exc:  # re-raised by run, in the items' order
        return exc


def _finished(sent: Mapping[concurrent.futures.Future[list[R]], int]) -> int:
    return sum(f.done() for f in sent)


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
