"""The analyst's commentary file: a comment per indicator, organisation and month.

A CSV file (or a workbook sheet) with the header `Indicator,Org Code,Period,Commentary`, one
row per comment. The exception report shows a row's commentary under it, as escaped text with
limited Markdown (**bold**, *italic*, `- ` bullets, line breaks). A commentary file usually
covers one month; it is its own publication, named by its file name, so a corrected
`commentary-2025-09.csv` replaces the one before, and comments that come with local figures
are kept alongside. Two comments for the same row and month in one file are refused.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from scorecard.errors import SourceError
from scorecard.sources.base import (
    CommentSchema,
    Extract,
    ObservationSchema,
    OrgSchema,
    empty_frame,
)
from scorecard.sources.catalogued import rows_frame
from scorecard.sources.checks import Found
from scorecard.sources.encoding import sha256
from scorecard.sources.local_measures import read_monthly_rows
from scorecard.sources.local_periods import PERIOD_EXPECTED
from scorecard.sources.text import ROW, header_score
from scorecard.sources.validation import check_result

DATASET = "commentary"
PUBLISHED = {
    "indicator": "Indicator",
    "org_code": "Org Code",
    "period": "Period",
    "comment": "Commentary",
}
NAMES = {**PUBLISHED, "month": "Period"}
RAW_SCHEMA = pa.DataFrameSchema(
    {
        ROW: pa.Column(pl.Int64),
        "indicator": pa.Column(
            str, pa.Check.str_matches(r"^[a-z][a-z0-9_]*$", error="expected an indicator id")
        ),
        "org_code": pa.Column(
            str, pa.Check.str_matches(r"^[A-Z0-9]{2,8}$", error="expected an ODS code")
        ),
        "period": pa.Column(str),
        "month": pa.Column(pl.Date, nullable=False),
        "comment": pa.Column(str),
    },
    unique=["indicator", "org_code", "month"],
)
EXPECTED = {
    "multiple_fields_uniqueness": "a second comment for the Indicator, Org Code and Period "
    "of a row above",
    "not_nullable": PERIOD_EXPECTED,
}


class CommentaryCsv:
    """The analyst's commentary, keyed by indicator, organisation and month."""

    name = "commentary"
    dataset = DATASET
    description = "commentary file (Indicator, Org Code, Period, Commentary)"

    def match(self, header: list[str]) -> float:
        return header_score(header, PUBLISHED)

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        raw = read_monthly_rows(file, data, PUBLISHED, self.description)
        found = Found()  # every problem of the file in one pass
        raw = found.valid_rows(file, raw, RAW_SCHEMA, NAMES, EXPECTED)
        try:
            found.raise_any()
        except SourceError as exc:  # the rows without problems, for the catalogue's checks
            exc.partial = (self._extract(file, data, raw),)
            raise
        return self._extract(file, data, raw)

    def _extract(self, file: str, data: bytes, raw: pl.DataFrame) -> Extract:
        comments = raw.select(
            period="month", org_code="org_code", indicator_id="indicator", comment="comment"
        ).sort("period", "org_code", "indicator_id")
        return Extract(
            file=file,
            format=self.name,
            dataset=self.dataset,
            sha256=sha256(data),
            observations=empty_frame(ObservationSchema),
            orgs=empty_frame(OrgSchema),
            scope=file.partition(" [")[0].rsplit(".", 1)[0],
            comments=check_result(file, comments, CommentSchema),
            indicator_rows=rows_frame(raw),
        )
