"""The type of the `ingested` fixture (tests/conftest.py), for the tests that take it."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


class Ingested(Protocol):
    """`ingested(*paths)`: a shared store of `paths`, ingested once per test process (open
    it read-only); `ingested(*paths, into=file)`: the test's own copy of it at `file`."""

    def __call__(self, *paths: Path, into: Path | None = None) -> Path: ...
