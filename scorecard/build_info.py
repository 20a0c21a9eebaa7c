"""What a build used, recorded in its manifest (kept apart from the renderers, so that a
command that only reads the store never imports them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from scorecard.model import SourceRef
from scorecard.periods import Month
from scorecard.store import Load


@dataclass(frozen=True)
class BuildInfo:
    """What a build used, for its manifest: the command, the store's moment and inputs."""

    command: str
    as_of: dt.datetime | None = None
    definition: SourceRef | None = None  # the scorecards/*.toml file, for a board
    inputs: tuple[Load, ...] = ()  # the publications current at the build's moment
    # (the manifest lists those the card's rows read: provenance.manifest_inputs)
    references: tuple[SourceRef, ...] = ()  # the hierarchy lookup

    @cached_property
    def inputs_by_month(self) -> dict[tuple[str, str, Month], Load]:
        """Each input by (file, SHA-256, month): worked out once for every card of a build."""
        return {(ld.file, ld.sha256, ld.period): ld for ld in self.inputs}
