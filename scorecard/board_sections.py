"""A board's sections beyond its rows: assurance matrices, domain narratives, risk register.

`with_sections` adds to a built board what its definition declares: each `[[matrix]]` from
the computed values (Red cells join the exception report), the month's narrative of each
domain from `narratives`, and the risk register at the month from `[risks]` (each risk also
under the domain it names). The narrative and register files are read here, when the board
is built (the analyst's own configuration, never stored); the manifest lists each file read
with its SHA-256 among the definitions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import polars as pl

from scorecard.board_tables import domain_names, known_domains
from scorecard.definitions import Catalogue
from scorecard.matrix import build_matrices, with_matrices
from scorecard.model import BoardSpec, Scorecard, SourceRef
from scorecard.narrative import load_narratives
from scorecard.periods import Month
from scorecard.risks.register import load_register


def with_sections(
    card: Scorecard,
    spec: BoardSpec,
    catalogue: Catalogue,
    values: pl.DataFrame,
    names: Mapping[str, str],
    comments: Mapping[tuple[str, str, Month], str],
) -> tuple[Scorecard, tuple[SourceRef, ...]]:
    """`card` (the board built from `spec`) with the sections `spec` declares, and the
    narrative and risk register files read for them (for the manifest)."""
    if spec.matrices:
        matrices = build_matrices(spec.matrices, catalogue, values, names, card.period, comments)
        card = with_matrices(card, matrices)
    if not spec.narratives and spec.risks is None:
        return card, ()
    domains, listed = domain_names(spec), known_domains(spec)
    narratives, files = load_narratives(spec.narratives, domains, listed)
    register = load_register(spec.risks, card.period, domains, listed) if spec.risks else None
    if register is not None:
        if register.previous_file and register.previous_sha256:
            files += (SourceRef(register.previous_file, register.previous_sha256),)
        files += (SourceRef(register.file, register.sha256),)
    card = replace(
        card,
        domains=tuple(
            replace(
                d,
                narrative=narratives.get((d.name, card.period)),
                risks=tuple(r for r in register.risks if r.risk.domain == d.name)
                if register
                else (),
            )
            for d in card.domains
        ),
        risks=register,
        risk_folder=spec.risks.label if spec.risks else None,
        narrated=bool(spec.narratives),
    )
    return card, files
