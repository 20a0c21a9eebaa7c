"""What a published file becomes: an `Extract` of validated canonical frames (the schemas
are scorecard.sources.base's). Apart from the layouts and pandera, so that what reads the
store (a batch's worker processes) never imports them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl


@dataclass(frozen=True)
class Extract:
    """One published file, parsed and validated."""

    file: str  # the name used in messages
    format: str  # e.g. "ae_monthly_csv"
    dataset: str  # the measure family, e.g. "ae"
    sha256: str  # of the file's bytes
    observations: pl.DataFrame  # ObservationSchema
    orgs: pl.DataFrame  # OrgSchema
    # One publication is active per (dataset, scope, month). A dataset published as several
    # files for the same month (one per sheet, say) gives each file its own scope, so they
    # do not replace each other; the measures they store must not overlap.
    scope: str = ""
    # Whose patients the figures count: "provider" (treated by the organisation) or
    # "commissioner" (resident in, or paid for by, it). The two must never be added together.
    basis: str = "provider"
    # A reference file (no months, no observations) states the hierarchy instead: LinkSchema.
    links: pl.DataFrame | None = None
    # Comments that come with the figures (a local-measures file's comment column).
    comments: pl.DataFrame | None = None  # CommentSchema
    # Where a layout gives each measure its own rows (not every row of the organisation's
    # month): MeasureRowsSchema, for provenance. None: the organisation's rows serve.
    measure_rows: pl.DataFrame | None = None
    # The publication status where the file says so: "provisional", "final" or "revised".
    status: str | None = None
    # Things worth telling the user that do not stop the file being stored (one line each).
    warnings: tuple[str, ...] = ()
    # A file keyed by indicator id (local measures, commentary): one row per row of the file,
    # `_row`, `indicator_id`, `period`, `value`, `numerator`, `denominator` (null where not
    # given), for the checks against the indicator catalogue at ingest (scorecard.check).
    indicator_rows: pl.DataFrame | None = None
    # Each stored measure's published column(s), as the file names them
    # ("A&E attendances Type 1 + A&E attendances Booked Appointments Type 1"), for messages.
    columns: Mapping[str, str] = field(default_factory=dict)
    # Drill-downs: the measures by part, where the layout publishes them (BreakdownSchema).
    # The whole stays in `observations` (the published total row), never summed from parts.
    breakdowns: pl.DataFrame | None = None


# A publication of one level's own printed rows (England, regions, NHS England area teams:
# a workbook's National, Region or Area Team sheet, the RTT overview time series) has the
# scope LEVEL_SCOPE + the level ("level:england"), and a second kind of publication of that
# level its own name after it ("level:england:overview"). It competes, measure by measure,
# only with publications of the same level, so the figure NHS England prints for a level and
# the organisations' figures of the same month are both in use; such rows are never added
# into a level above.
LEVEL_SCOPE = "level:"
