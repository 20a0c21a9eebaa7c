"""One risk register file -> its risks, validated, every problem reported at once. Pure.

A CSV file, or a sheet of an .xlsx workbook (`sheet` in `[risks]`, default the first), with
the header

    ID,Title,Domain,Owner,Likelihood,Impact,Target Likelihood,Target Impact,Controls,Actions,
    Review Date

(columns in any order, names compared without case, other columns ignored; read like every
table a board names, scorecard.board_tables). A row per risk:

* `ID`: the risk's reference (`CR01`), once per file; movement is tracked by it.
* `Title`, `Owner`: text, required.
* `Domain`: empty, or the board domain the risk bears on (its name or `id`); the risk is then
  listed under that domain too.
* `Likelihood`, `Impact`, `Target Likelihood`, `Target Impact`: whole numbers 1 to 5.
* `Controls`, `Actions`: text, may be empty.
* `Review Date`: empty, or a date as `2025-10-31` (or `31/10/2025`, or a date cell).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandera.polars as pa
import polars as pl

from scorecard.board_tables import read_board_table
from scorecard.risks.types import Risk
from scorecard.sources.checks import Found
from scorecard.sources.text import ROW

PUBLISHED = {
    "id": "ID",
    "title": "Title",
    "domain": "Domain",
    "owner": "Owner",
    "likelihood": "Likelihood",
    "impact": "Impact",
    "target_likelihood": "Target Likelihood",
    "target_impact": "Target Impact",
    "controls": "Controls",
    "actions": "Actions",
    "review": "Review Date",
}
WHAT = "risk register (" + ", ".join(PUBLISHED.values()) + ")"
SCORES = ("likelihood", "impact", "target_likelihood", "target_impact")
_SCORE = r"^[1-5](\.0+)?$"
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
DATE_EXPECTED = "expected a date as YYYY-MM-DD (or DD/MM/YYYY)"
EXPECTED = {"multiple_fields_uniqueness": "a second risk with the ID of a row above"}


def _date(column: pl.Expr) -> pl.Expr:
    """A date cell (`2025-10-31`, `31/10/2025`, a date-time cell at midnight) or null."""
    day = column.str.replace(r"[T ]00:00(:00)?$", "")
    return pl.coalesce(*(day.str.to_date(f, strict=False) for f in _DATE_FORMATS))


def _schema(domains: Mapping[str, str | None], listed: str) -> pa.DataFrameSchema:
    known = sorted(k for k, name in domains.items() if name is not None)
    named = pl.col("domain").str.replace_all(r"\s+", " ").str.strip_chars().str.to_lowercase()
    score = pa.Check.str_matches(_SCORE, error="expected a whole number from 1 to 5")
    return pa.DataFrameSchema(
        {
            ROW: pa.Column(pl.Int64),
            "id": pa.Column(str),
            "title": pa.Column(str),
            "domain": pa.Column(
                str,
                pa.Check(
                    lambda d: d.lazyframe.select(pl.col("domain").is_null() | named.is_in(known)),
                    error=f"expected a domain of the board ({listed}), or an empty cell",
                ),
                nullable=True,
            ),
            "owner": pa.Column(str),
            **{s: pa.Column(str, score) for s in SCORES},
            "controls": pa.Column(str, nullable=True),
            "actions": pa.Column(str, nullable=True),
            "review": pa.Column(
                str,
                pa.Check(
                    lambda d: d.lazyframe.select(
                        pl.col("review").is_null() | _date(pl.col("review")).is_not_null()
                    ),
                    error=DATE_EXPECTED,
                ),
                nullable=True,
            ),
        },
        unique=["id"],
    )


def parse_register(
    file: str,
    data: bytes,
    domains: Mapping[str, str | None],
    listed: str,
    sheet: str | None = None,
) -> tuple[Risk, ...]:
    """The file's risks in file order. `domains` is board_tables.domain_names of the board
    (a key -> the domain's name) and `listed` the domains as an error lists them."""
    file, raw = read_board_table(file, data, PUBLISHED, WHAT, sheet)
    found = Found()
    good = found.valid_rows(file, raw, _schema(domains, listed), PUBLISHED, EXPECTED)
    found.raise_any()
    named = pl.col("domain").str.replace_all(r"\s+", " ").str.strip_chars().str.to_lowercase()
    good = good.with_columns(
        named.replace_strict(domains, default=None, return_dtype=pl.String).alias("domain"),
        _date(pl.col("review")).alias("review"),
        *(pl.col(s).cast(pl.Float64).cast(pl.Int64) for s in SCORES),
    )
    return tuple(_risk(r) for r in good.iter_rows(named=True))


def _risk(r: Mapping[str, object]) -> Risk:
    def score(key: str) -> int:
        value = r[key]
        assert isinstance(value, int)
        return value

    review = r["review"]
    return Risk(
        id=str(r["id"]),
        title=str(r["title"]),
        domain=str(r["domain"]) if r["domain"] is not None else None,
        owner=str(r["owner"]),
        likelihood=score("likelihood"),
        impact=score("impact"),
        target_likelihood=score("target_likelihood"),
        target_impact=score("target_impact"),
        controls=str(r["controls"] or ""),
        actions=str(r["actions"] or ""),
        review=review if isinstance(review, dt.date) else None,
        row=score(ROW),
    )
