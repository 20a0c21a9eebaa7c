"""Pure: plain sentences about a board's assurance matrices and risk register, for the
executive summary (HTML and Excel alike)."""

from __future__ import annotations

from collections import Counter

from scorecard.model import Rating, Scorecard
from scorecard.render.cells import counts_text
from scorecard.risks.types import Movement


def matrix_lines(card: Scorecard) -> list[str]:
    """`Provider quality assurance: 12 answers (10 Green, 2 Red).`, a line per matrix."""
    lines = []
    for m in card.matrices:
        counts = Counter(c.month.rating.rating for c in m.cells())
        listed = tuple((r, counts[r]) for r in Rating if counts[r])
        n = len(m.cells())
        lines.append(f"{m.title}: {n} answer{'' if n == 1 else 's'} ({counts_text(listed)}).")
    return lines


def risk_lines(card: Scorecard) -> list[str]:
    """The register in a sentence: risks by band, and movement since the register before."""
    reg = card.risks
    if reg is None:
        return []
    bands = Counter(r.band.name for r in reg.risks)
    by_band = ", ".join(f"{bands[b.name]} {b.name}" for b in reg.bands if bands[b.name])
    n = len(reg.risks)
    line = f"Risk register ({reg.period.label()}): {n} risk{'' if n == 1 else 's'}"
    line += f" ({by_band})" if by_band else ""
    if reg.previous_period is not None:
        moved = Counter(r.movement for r in reg.risks)
        words = [
            f"{moved[m]} {word}"
            for m, word in ((Movement.UP, "up"), (Movement.DOWN, "down"), (Movement.NEW, "new"))
            if moved[m]
        ]
        if reg.closed:
            words.append(f"{len(reg.closed)} closed")
        line += f"; since {reg.previous_period.label()}: {', '.join(words) or 'no change'}"
    return [line + "."]
