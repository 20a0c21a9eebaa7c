"""A batch's tasks (scorecard.batch): the cards cut into chunks for the worker processes, and
the computed values each chunk needs, written to files for its worker to read.

The chunks shrink towards the end of the batch: a large chunk's cards are traced in one
provenance query (a query costs tens of milliseconds whatever its size), and the small last
ones keep every worker busy until the batch is done. The values go as compressed Arrow IPC,
a file a chunk, each written as its chunk is handed out: a tenth of the bytes a pickle
takes to write and read, and a worker can start on the first chunk while the rest are
written.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Sequence
from pathlib import Path

import polars as pl

from scorecard.periods import Month

CHUNK = 60  # the most cards a worker builds per task (its cards traced in one query)
CHUNK_MIN = 8  # the fewest
CHUNK_SPREAD = 3  # a task is at most 1/(3 x workers) of the cards not yet handed out

Card = tuple[str, Month]  # an organisation and its card's month
Values = dict[tuple[object, ...], pl.DataFrame]  # one organisation's computed values


def tasks(items: list[Card], workers: int) -> list[list[Card]]:
    """The cards in code order, cut into tasks that shrink towards the end (no worker waits
    long on another's last task)."""
    chunks, i = [], 0
    while i < len(items):
        left = len(items) - i
        size = max(CHUNK_MIN, min(CHUNK, -(-left // (CHUNK_SPREAD * workers))))
        if left - size < CHUNK_MIN:
            size = left  # no task of a card or two at the end
        chunks.append(items[i : i + size])
        i += size
    return chunks


def by_org(values: pl.DataFrame) -> Values:
    """Each organisation's computed values (in the order computed)."""
    return values.partition_by("org_code", as_dict=True, maintain_order=True)


def share(
    private: Path, job: object, values: Values, chunks: Sequence[list[Card]]
) -> Iterator[tuple[Path, Path]]:
    """The job (what every chunk needs besides its cards), then each chunk's computed
    values, in files of a private folder for the workers to read, yielded as each is
    written (its task can start): what is sent to a worker stays small (it reads what is
    sent before it can start, and a big task can hold the pool's queue at Ctrl-C), and a
    worker holds only the values of the chunk it is building."""
    path = private / "job.pickle"
    path.write_bytes(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
    for n, chunk in enumerate(chunks):
        part = private / f"values-{n}.arrow"
        pl.concat([values[(org,)] for org, _ in chunk]).write_ipc(part, compression="zstd")
        yield path, part


def read_values(part: Path) -> Values:
    """A chunk's values, as `share` wrote them (read whole: the file is not kept open)."""
    return by_org(pl.read_ipc(part.read_bytes()))
