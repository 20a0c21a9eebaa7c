"""The contract every source adapter meets: published file in, validated canonical frames out."""

from __future__ import annotations

from typing import Protocol

import pandera.polars as pa
import polars as pl

from scorecard.dimensions import DIMENSIONS
from scorecard.sources.extract import LEVEL_SCOPE as LEVEL_SCOPE
from scorecard.sources.extract import Extract as Extract


class ObservationSchema(pa.DataFrameModel):
    """Canonical long frame: one row per organisation, month and measure."""

    period: pl.Date = pa.Field(nullable=False)
    org_code: str = pa.Field(nullable=False, str_length={"min_value": 1})
    measure: str = pa.Field(nullable=False)
    value: pl.Float64 = pa.Field(nullable=False, ge=0)

    class Config:
        strict = True
        ordered = True
        unique = ["period", "org_code", "measure"]  # noqa: RUF012


class OrgSchema(pa.DataFrameModel):
    """Organisations as a file names them, for each month it covers."""

    period: pl.Date = pa.Field(nullable=False)
    org_code: str = pa.Field(nullable=False, str_length={"min_value": 1})
    org_name: str = pa.Field(nullable=False)
    parent_name: str = pa.Field(nullable=True)  # region (or other parent) as published
    # The file's rows (line numbers, header = 1; sheet rows for a workbook) that carry this
    # organisation's figures for the month, as ranges: "2-4,9". For provenance.
    rows: str = pa.Field(nullable=True)

    class Config:
        strict = True
        ordered = True
        unique = ["period", "org_code"]  # noqa: RUF012


class MeasureRowsSchema(pa.DataFrameModel):
    """The file's rows (as OrgSchema.rows) behind one measure of an organisation's month."""

    period: pl.Date = pa.Field(nullable=False)
    org_code: str = pa.Field(nullable=False, str_length={"min_value": 1})
    measure: str = pa.Field(nullable=False)
    rows: str = pa.Field(nullable=False, str_length={"min_value": 1})

    class Config:
        strict = True
        ordered = True
        unique = ["period", "org_code", "measure"]  # noqa: RUF012


class BreakdownSchema(pa.DataFrameModel):
    """A measure for one part of an organisation's month (scorecard.dimensions): a specialty,
    a diagnostic test, a cancer type, route or modality, as published beside the whole."""

    period: pl.Date = pa.Field(nullable=False)
    org_code: str = pa.Field(nullable=False, str_length={"min_value": 1})
    measure: str = pa.Field(nullable=False)
    dimension: str = pa.Field(nullable=False, isin=list(DIMENSIONS))
    breakdown: str = pa.Field(nullable=False, str_length={"min_value": 1})  # the part's key
    value: pl.Float64 = pa.Field(nullable=False, ge=0)

    class Config:
        strict = True
        ordered = True
        unique = ["period", "org_code", "measure", "dimension", "breakdown"]  # noqa: RUF012


class LinkSchema(pa.DataFrameModel):
    """The organisation hierarchy as a reference file states it: one parent per level."""

    org_code: str = pa.Field(nullable=False, str_length={"min_value": 1})
    org_name: str = pa.Field(nullable=True)
    parent_code: str = pa.Field(nullable=False, str_length={"min_value": 1})
    parent_name: str = pa.Field(nullable=True)
    # "icb" or "region" (NHS England's lookup), or "own:<kind>" (your own organisations file:
    # the child's kind, scorecard.sources.organisations)
    parent_level: str = pa.Field(nullable=False, str_matches=r"^(icb|region|own:[a-z_]+)$")

    class Config:
        strict = True
        ordered = True
        unique = ["org_code", "parent_level"]  # noqa: RUF012


class CommentSchema(pa.DataFrameModel):
    """An analyst's comment on one indicator, organisation and month, as plain text."""

    period: pl.Date = pa.Field(nullable=False)
    org_code: str = pa.Field(nullable=False, str_length={"min_value": 1})
    indicator_id: str = pa.Field(nullable=False, str_length={"min_value": 1})
    comment: str = pa.Field(nullable=False)

    class Config:
        strict = True
        ordered = True
        unique = ["period", "org_code", "indicator_id"]  # noqa: RUF012


class SourceFormat(Protocol):
    """A published layout that can recognise and parse its files."""

    name: str
    dataset: str
    description: str

    def match(self, header: list[str]) -> float:
        """0.0 (not this layout) to 1.0 (every expected column present) for a header row."""
        ...

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        """Parse and validate; raise SourceError naming file, column, row and problem."""
        ...


def empty_frame(model: type[pa.DataFrameModel]) -> pl.DataFrame:
    """A frame with a model's columns and no rows (a reference file's observations, say)."""
    schema = model.to_schema()
    return pl.DataFrame(schema={name: col.dtype.type for name, col in schema.columns.items()})
