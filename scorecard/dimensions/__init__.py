"""Drill-down dimensions: the parts NHS England publishes a measure by.

A measure stored for an organisation's month is the whole (the published total row). Some
layouts also publish it by part: the RTT workbooks by treatment function (specialty), DM01 by
diagnostic test, cancer waiting times by cancer type, referral route and treatment modality.
Those parts are stored beside the whole (the store's `breakdowns` table), each under its
dimension and a stable key (a code where NHS England has one, so that parts named
differently over the years stay one series), and shown with the name NHS England uses today.

Pure data and look-ups: each dimension's vocabulary lives in its own module.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from scorecard.dimensions import cancer, diagnostics, treatment_functions


@dataclass(frozen=True)
class Dimension:
    """One way of dividing a measure, with the names of its parts by key."""

    name: str  # e.g. "treatment_function"
    title: str  # e.g. "Treatment function (specialty)"
    labels: MappingProxyType[str, str]  # key -> the name shown


DIMENSIONS: MappingProxyType[str, Dimension] = MappingProxyType(
    {
        d.name: d
        for d in (
            Dimension(
                "treatment_function",
                "Treatment function (specialty)",
                MappingProxyType(treatment_functions.LABELS),
            ),
            Dimension("diagnostic_test", "Diagnostic test", MappingProxyType(diagnostics.LABELS)),
            Dimension("cancer_type", "Cancer type", MappingProxyType(cancer.TYPES)),
            Dimension("route", "Referral route", MappingProxyType(cancer.ROUTES)),
            Dimension("modality", "Treatment modality", MappingProxyType(cancer.MODALITIES)),
        )
    }
)


def label(dimension: str, key: str) -> str:
    """The name shown for a part: the vocabulary's, else the key itself."""
    known = DIMENSIONS.get(dimension)
    return known.labels.get(key, key) if known is not None else key


def find(dimensions: tuple[str, ...], text: str) -> list[tuple[str, str]]:
    """The (dimension, key) pairs among `dimensions` that `text` names: a key, or a name
    (case and surrounding spaces ignored; "dimension:key" narrows to one dimension)."""
    wanted = text.strip().casefold()
    if ":" in wanted:
        dim, _, rest = wanted.partition(":")
        dimensions = tuple(d for d in dimensions if d == dim.strip())
        wanted = rest.strip()
    found: list[tuple[str, str]] = []
    for name in dimensions:
        for key, shown in DIMENSIONS[name].labels.items():
            if wanted in (key.casefold(), shown.casefold()):
                found.append((name, key))
    return found
