"""`scorecard history`: every stored version of one indicator's month for one organisation.

Each publication of the month that holds the indicator's measures is listed in the order
ingested, with the value the organisation has in that publication's own figures. `current`
marks the one builds use (at `--as-of`, the one used then); every other names the file used
in its place (`scorecard.precedence` says why).
"""

from __future__ import annotations

import polars as pl

from scorecard.compute import compute_values
from scorecard.definitions import Catalogue
from scorecard.formatting import plain_number
from scorecard.model import Window
from scorecard.periods import Month
from scorecard.store import Store

HISTORY_COLUMNS = (
    "version",
    "ingested_at",
    "file",
    "format",
    "sha256",
    "status",
    "current",
    "used_instead",
    "numerator",
    "denominator",
    "value",
)


def history(
    store: Store, catalogue: Catalogue, indicator_id: str, org: str, month: Month
) -> pl.DataFrame:
    """One row per stored version, in the order ingested (HISTORY_COLUMNS, as text)."""
    ind = catalogue.indicator(indicator_id)
    measures = ind.numerator.measures() + (ind.denominator.measures() if ind.denominator else ())
    versions = store.versions(ind.family, month, measures)
    records = []
    moment = store.as_of
    try:
        for n, v in enumerate(versions, start=1):
            store.set_as_of(moment, pin=v.load_id)  # this version's own figures
            frame = compute_values(store, [ind], month, month, org).filter(
                (pl.col("window") == Window.MONTH.value) & (pl.col("org_code") == org)
            )
            got = frame.row(0, named=True) if frame.height else {}
            records.append(
                {
                    "version": str(n),
                    "ingested_at": v.ingested_at.isoformat(timespec="microseconds"),
                    "file": v.file,
                    "format": v.format,
                    "sha256": v.sha256,
                    "status": v.status or "",
                    "current": "yes" if v.current else "",
                    "used_instead": v.used_instead,
                    "numerator": plain_number(got.get("numerator")),
                    "denominator": plain_number(got.get("denominator")),
                    "value": plain_number(got.get("value")),
                }
            )
    finally:
        store.set_as_of(moment)
    return pl.DataFrame(records, schema=dict.fromkeys(HISTORY_COLUMNS, pl.String))
