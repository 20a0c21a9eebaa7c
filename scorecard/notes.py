"""The notes a card carries under its table: the sources of the figures it shows (with the
start of each file's SHA-256), the provenance of its figures, and what a roll-up adds up."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scorecard.hierarchy import Hierarchy, Level
from scorecard.measures import DATASET_TITLES
from scorecard.model import SourceRef
from scorecard.org_kinds import kind_words
from scorecard.regions import is_area_team
from scorecard.store import Store

SHORT_HASH = 8  # characters of a SHA-256 shown on the page (the CSV has it whole)
ROLLUP_LISTED = 12  # a roll-up note lists the codes it adds up to this many, else counts


def rollup_lines(store: Store, hierarchy: Hierarchy, org: str) -> list[str]:
    """What an ICB, region or England figure adds up, and the lookup that says so."""
    level = hierarchy.levels.get(org, Level.ORGANISATION)
    if level is Level.ORGANISATION:
        return []
    below = [c for c in hierarchy.descendants(org) if hierarchy.levels[c] is Level.ORGANISATION]
    if not below:
        return []
    lookup = ", ".join(f for f, _ in store.reference_loads()) or "the regions named in the files"
    who = ", ".join(below) if len(below) <= ROLLUP_LISTED else f"{len(below)} organisations"
    what = level.value[:1].upper() + level.value[1:]
    if org in hierarchy.kinds:  # one of your own organisations: its kind (`Place`)
        what = kind_words(hierarchy.kinds[org])
    elif is_area_team(org):  # an NHS England area team (2013-2016), at the ICB level
        what, lookup = "Area team", "the Area Team Code of its CCGs' rows"
    return [
        f"{what} figures add up the numerators and denominators of the organisations "
        f"below it ({who}; hierarchy from {lookup}), except where a figure is published for "
        f"{org} itself."
    ]


def source_lines(refs: Sequence[SourceRef], config: Mapping[str, str]) -> list[str]:
    """One line per dataset the card's figures come from: its title, the months used and
    each file once (a workbook once, with its sheets), from `provenance.cited` (pure)."""
    by_dataset: dict[str, list[SourceRef]] = {}
    for ref in refs:
        by_dataset.setdefault(ref.dataset, []).append(ref)
    lines = []
    for ds, files in sorted(by_dataset.items()):
        months = sorted(m for f in files for m in f.months)
        span = ""
        if months:
            last = "" if months[0] == months[-1] else f" to {months[-1].label()}"
            span = f", {months[0].label()}{last}"
        named = ", ".join(f"{name} [{sha[:SHORT_HASH]}]" for name, sha in _files(files))
        lines.append(f"Source: {DATASET_TITLES.get(ds, ds)}{span} ({named}).")
    if lines:
        defs = ", ".join(f"{f} [{h[:SHORT_HASH]}]" for f, h in sorted(config.items()))
        lines.append(
            f"Provenance: files are named with the start of their SHA-256; each value's "
            f"files, hashes and rows, its definition and the standard in force are in the "
            f"CSV and Parquet outputs, and the build's inputs in its manifest. "
            f"Definitions: {defs}."
        )
    return lines


def _files(refs: Sequence[SourceRef]) -> list[tuple[str, str]]:
    """Each file once, by its SHA-256: the sheets of one workbook (stored as `FILE [SHEET]`)
    as `FILE (sheets A; B)`, in the order first used."""
    names: dict[str, list[str]] = {}
    for ref in refs:
        if ref.file not in names.setdefault(ref.sha256, []):
            names[ref.sha256].append(ref.file)
    out = []
    for sha, files in names.items():
        books = {f.partition(" [")[0] for f in files}
        sheets = [f.partition(" [")[2].removesuffix("]") for f in files]
        if len(files) > 1 and len(books) == 1 and all(sheets):
            out.append((f"{books.pop()} (sheets {'; '.join(sheets)})", sha))
        else:
            out.extend((f, sha) for f in files)
    return out
