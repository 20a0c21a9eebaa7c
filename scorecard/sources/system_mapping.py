"""The provider -> ICB -> region lookup ("System-Mapping"), saved as CSV.

Columns `Code, Name, ICB Code, ICB Name, Region Name`: one row per provider, naming its
integrated care board and the board's NHS England region (`North West Commissioning
Region`). Exact repeats of a row (the published file has some) are
read once. It carries no month and no figures: it is a reference file, stored as the
hierarchy that roll-ups add providers up by. Ingesting a newer mapping replaces the older.
An ICB named in two regions, or a region that is not one of NHS England's seven, is an error.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from scorecard.errors import SourceError
from scorecard.model import ENGLAND
from scorecard.regions import REGIONS, region_code, region_name
from scorecard.sources.base import (
    Extract,
    LinkSchema,
    ObservationSchema,
    OrgSchema,
    empty_frame,
)
from scorecard.sources.encoding import sha256
from scorecard.sources.text import ROW, header_score, published_columns, read_table
from scorecard.sources.validation import check_result, validate

PUBLISHED = {
    "org_code": "Code",
    "name": "Name",
    "icb_code": "ICB Code",
    "icb_name": "ICB Name",
    "region": "Region Name",
}
_CODE = r"^[A-Z0-9]{3,6}$"
_REGION_NAMES = ", ".join(f"{n} Commissioning Region" for n in REGIONS.values())
RAW_SCHEMA = pa.DataFrameSchema(
    {
        ROW: pa.Column(pl.Int64),
        "org_code": pa.Column(str, pa.Check.str_matches(_CODE, error="expected an ODS code")),
        "name": pa.Column(str, nullable=True),
        "icb_code": pa.Column(str, pa.Check.str_matches(_CODE, error="expected an ICB code")),
        "icb_name": pa.Column(str, nullable=True),
        "region": pa.Column(
            str,
            pa.Check(
                lambda d: d.lazyframe.select(
                    pl.col(d.key).map_elements(
                        lambda v: region_code(v) is not None, return_dtype=pl.Boolean
                    )
                ),
                error=f"expected an NHS England region ({_REGION_NAMES})",
            ),
        ),
    },
    unique=["org_code"],
)
_TWICE = "the same Code appears twice with a different ICB or name"
EXPECTED = {"field_uniqueness": _TWICE, "multiple_fields_uniqueness": _TWICE}


class SystemMappingCsv:
    """Provider to ICB to region lookup."""

    name = "system_mapping_csv"
    dataset = "hierarchy"
    description = "provider to ICB to region lookup (Code, Name, ICB Code, ICB Name, Region Name)"

    def match(self, header: list[str]) -> float:
        return header_score(header, PUBLISHED)

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        header, body = read_table(file, data)
        renames = published_columns(file, header, PUBLISHED, self.description)
        raw = body.select(ROW, *renames).rename(renames)
        raw = raw.with_columns(pl.col("org_code", "icb_code").str.to_uppercase())
        # The published lookup repeats some rows exactly (NNFA7); a repeat that agrees is
        # harmless, one that disagrees is reported as a duplicate Code.
        raw = raw.unique(subset=list(PUBLISHED), keep="first", maintain_order=True)
        raw = validate(file, raw, RAW_SCHEMA, PUBLISHED, EXPECTED)
        raw = raw.with_columns(
            region_code=pl.col("region").map_elements(region_code, return_dtype=pl.String)
        )
        _check_one_region(file, raw)
        to_icb = raw.select(
            "org_code",
            org_name="name",
            parent_code="icb_code",
            parent_name="icb_name",
            parent_level=pl.lit("icb"),
        )
        icbs = raw.unique(subset=["icb_code"], keep="first", maintain_order=True)
        to_region = icbs.select(
            org_code="icb_code",
            org_name="icb_name",
            parent_code="region_code",
            parent_name=pl.col("region_code").map_elements(region_name, return_dtype=pl.String),
            parent_level=pl.lit("region"),
        )
        links = pl.concat([to_icb, to_region]).filter(pl.col("org_code") != ENGLAND)
        return Extract(
            file=file,
            format=self.name,
            dataset=self.dataset,
            sha256=sha256(data),
            observations=empty_frame(ObservationSchema),
            orgs=empty_frame(OrgSchema),
            links=check_result(file, links.sort("parent_level", "org_code"), LinkSchema),
        )


def _check_one_region(file: str, raw: pl.DataFrame) -> None:
    """Each ICB sits in one region; a board named in two is a broken lookup."""
    first = raw.unique(subset=["icb_code"], keep="first", maintain_order=True)
    joined = raw.join(first.select("icb_code", seen="region_code"), on="icb_code")
    bad = joined.filter(pl.col("region_code") != pl.col("seen"))
    if bad.height:
        row = bad.row(0, named=True)
        raise SourceError(
            file,
            f"ICB {row['icb_code']} is in region {row['seen']} on an earlier row but "
            f"'{row['region']}' here; expected one region per ICB",
            column=PUBLISHED["region"],
            row=int(row[ROW]),
        )
