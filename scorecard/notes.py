"""The notes a card carries under its table: the sources used (with the start of each
file's SHA-256), the provenance of its figures, and what a roll-up adds up."""

from __future__ import annotations

from scorecard.definitions import Catalogue
from scorecard.hierarchy import Hierarchy, Level
from scorecard.measures import DATASET_TITLES
from scorecard.periods import Month
from scorecard.store import Store

SHORT_HASH = 8  # characters of a SHA-256 shown on the page (the CSV has it whole)
ROLLUP_LISTED = 12  # a roll-up note lists the codes it adds up to this many, else counts


def rollup_lines(store: Store, hierarchy: Hierarchy, org: str) -> list[str]:
    """What an ICB, region or England figure adds up, and the lookup that says so."""
    level = hierarchy.levels.get(org, Level.ORGANISATION)
    below = [c for c in hierarchy.descendants(org) if hierarchy.levels[c] is Level.ORGANISATION]
    if level is Level.ORGANISATION or not below:
        return []
    lookup = ", ".join(f for f, _ in store.reference_loads()) or "the regions named in the files"
    who = ", ".join(below) if len(below) <= ROLLUP_LISTED else f"{len(below)} organisations"
    what = level.value[:1].upper() + level.value[1:]
    return [
        f"{what} figures add up the numerators and denominators of the organisations "
        f"below it ({who}; hierarchy from {lookup}), except where a figure is published for "
        f"{org} itself."
    ]


def source_lines(store: Store, catalogue: Catalogue, period: Month) -> list[str]:
    """One line per dataset: title, months used in the financial year, and the files."""
    families = {i.family for i in catalogue.indicators.values()}
    used = [ld for ld in store.active_loads() if period.fy_start() <= ld.period <= period]
    lines = []
    for ds in sorted(families):
        loads = [ld for ld in used if ld.dataset == ds]
        if not loads:
            continue
        span = f"{loads[0].period.label()} to {loads[-1].period.label()}"
        files = ", ".join(f"{ld.file} [{ld.sha256[:SHORT_HASH]}]" for ld in loads)
        lines.append(f"Source: {DATASET_TITLES.get(ds, ds)}, {span} ({files}).")
    if lines:
        config = ", ".join(f"{f} [{h[:SHORT_HASH]}]" for f, h in sorted(catalogue.files.items()))
        lines.append(
            f"Provenance: files are named with the start of their SHA-256; each value's "
            f"files, hashes and rows, its definition and the standard in force are in the "
            f"CSV and Parquet outputs, and the build's inputs in its manifest. "
            f"Definitions: {config}."
        )
    return lines
