"""NHS England's monthly cancer waiting times provider data extract, saved as CSV.

The "CWT CRS Provider Extract" sheet of `CWT-CRS-<Mon>-<Year>-Data-Extract-Provider.xlsx`, one
long table: `PERIOD, YEAR, MONTH, STANDARD, ORG CODE, STAGE/ROUTE, TREATMENT MODALITY, CANCER
TYPE, TOTAL TREATED, WITHIN STANDARD, BREACHES`, found by name (the 2022-23 extract says `TOTAL`
for TOTAL TREATED; other columns are ignored). PERIOD is the month's first day (`2023-10-01`,
or `01/10/2023` as Excel may save it); MONTH (`OCT`) and YEAR (`2023/24`, financial) must agree
with it. A file may hold several months: each row's month is its PERIOD, never the file name
or --period. Organisations are not named in the sheet: each is named by its code, no parent.

Summing (standards.md 2.3; it reproduces the national series for October 2023): every `28-day
FDS` row is added. For `31-day Combined` and `62-day Combined` the cancer-type rows (`ALL
MODALITIES`) are added; the `ALL CANCERS` rows repeat the same patients by modality and are
never added to them, but for each organisation, month, standard and stage/route they must add
up to the cancer-type rows: that shows the extract is complete. Cancer-type rows without ALL
CANCERS rows are accepted unchecked; the reverse is refused (the rows added would be missing).
Counts may be halves (a treatment shared by two providers counts 0.5 to each): decimals.
WITHIN STANDARD may not exceed TOTAL TREATED, and TOTAL TREATED = WITHIN STANDARD + BREACHES.

Stored, as the commissioner sheets store them: the three combined standards, the 31-day stages
and the 62-day routes; where an organisation has rows for a standard in a month, a stage or
route without rows counts zero. From the ALL CANCERS rows, 31-day subsequent treatments by
surgery, drug regimen and radiotherapy (the retired standards), where the organisation's
subsequent treatments have them or number zero. The drill-downs (provider_frames.py): FDS by
route and suspected cancer type, 31 and 62 days (and each stage or route) by cancer type and
by modality, and 62 days by route.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pandera.polars as pa
import polars as pl

from scorecard.errors import SourceError
from scorecard.periods import MONTH_NAMES
from scorecard.sources.base import BreakdownSchema, Extract
from scorecard.sources.checks import not_above
from scorecard.sources.cwt.provider_frames import (
    MEASURES,
    MODALITIES,
    STANDARDS,
    breakdowns,
    part_key,
    wide,
)
from scorecard.sources.cwt.sheet import ALL_CANCERS, NUMBER, NUMBER_EXPECTED, header_name
from scorecard.sources.text import ROW, only_once, read_table
from scorecard.sources.tidy import to_extract
from scorecard.sources.validation import check_result, validate

DATASET = "cwt"
PUBLISHED = {
    "period": "PERIOD", "year": "YEAR", "month": "MONTH", "standard": "STANDARD",
    "org_code": "ORG CODE", "route": "STAGE/ROUTE", "modality": "TREATMENT MODALITY",
    "cancer": "CANCER TYPE", "total": "TOTAL TREATED", "within": "WITHIN STANDARD",
    "breaches": "BREACHES",
}  # fmt: skip
ALIASES = {"total": ("TOTAL",)}
COUNTS = ("total", "within", "breaches")
ALL_MODALITIES = "ALL MODALITIES"
_MODALITIES = {**MODALITIES, "Other": "other"}
_MONTHS = {n.lower()[:k]: i for i, n in enumerate(MONTH_NAMES, 1) for k in (3, len(n))}
_DATE = (
    r"^([0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?"
    r"|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4})$"
)
_DATE_EXPECTED = "expected a date such as 2023-10-01"
_YEAR, _YEAR_EXPECTED = r"^[0-9]{4}[/-][0-9]{2}$", "expected a financial year such as 2023/24"
SCHEMA = pa.DataFrameSchema(
    {
        ROW: pa.Column(pl.Int64),
        "period": pa.Column(str, pa.Check.str_matches(_DATE, error=_DATE_EXPECTED)),
        "year": pa.Column(str, pa.Check.str_matches(_YEAR, error=_YEAR_EXPECTED)),
        **{k: pa.Column(str) for k in ("month", "standard", "org_code", "route", "cancer")},
        "modality": pa.Column(str),  # "" when blank
        **{k: pa.Column(str, pa.Check.str_matches(NUMBER, error=NUMBER_EXPECTED)) for k in COUNTS},
    },
    unique=["period", "standard", "org_code", "route", "modality", "cancer"],
)
EXPECTED = {
    "multiple_fields_uniqueness": "duplicate row (the same PERIOD, STANDARD, ORG CODE, "
    "STAGE/ROUTE, TREATMENT MODALITY and CANCER TYPE as a row above)"
}
Problem = Callable[[dict[str, Any]], str]


class CwtProviderExtract:
    """NHS England's monthly CWT provider data extract (one long table, saved as CSV)."""

    name = "cwt_provider_extract"
    dataset = DATASET
    description = "CWT CRS Provider Extract sheet (monthly provider data extract) saved as CSV"

    def match(self, header: list[str]) -> float:
        names = {header_name(h) for h in header}
        found = [any(n in names for n in _names(k, p)) for k, p in PUBLISHED.items()]
        return sum(found) / len(found)

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        rows = _typed(_read(file, data))
        not_above(file, rows, [("within", "total")], PUBLISHED)
        _check(file, rows)
        sums = {m: (f"{w}_{part}",) for part, pair in MEASURES.items()
                for m, w in zip(pair, ("total", "within"), strict=True)}  # fmt: skip
        frame = wide(rows).with_columns(name=pl.col("org_code"), parent=pl.lit(None, pl.String))
        ex = to_extract(
            file, data, self.name, DATASET, frame, sums, scope="provider", basis="provider"
        )
        parts = check_result(file, breakdowns(rows), BreakdownSchema)
        return replace(ex, breakdowns=parts)


def _names(key: str, published: str) -> list[str]:
    """A column's accepted header names, as header_name compares them, preferred first."""
    return [header_name(n) for n in (published, *ALIASES.get(key, ()))]


def _read(file: str, data: bytes) -> pl.DataFrame:
    header, body = read_table(file, data)
    where: dict[str, list[int]] = {}
    for i, h in enumerate(header):
        where.setdefault(header_name(h), []).append(i)
    picks = {}
    for key, published in PUBLISHED.items():
        found = [(n, where[n]) for n in _names(key, published) if n in where]
        if not found:
            names = ", ".join(PUBLISHED.values())
            problem = f"missing column; expected the provider extract's columns {names}"
            raise SourceError(file, problem, column=published, row=1)
        name, at = found[0]
        column = next(h for h in header if header_name(h) == name)
        picks[f"c{only_once(file, column, at)}"] = key
    raw = body.select(ROW, *picks).rename(picks).with_columns(pl.col("modality").fill_null(""))
    if not raw.height:
        raise SourceError(file, "no data rows below the header", row=2)
    return validate(file, raw, SCHEMA, PUBLISHED, EXPECTED)


def _norm(column: str) -> pl.Expr:
    return pl.col(column).str.replace_all(r"\s+", " ").str.to_lowercase()


def _typed(raw: pl.DataFrame) -> pl.DataFrame:
    """Keys for standard, route, modality and cancer; counts as floats; PERIOD as a date."""
    stds = {name.lower(): k for k, (name, _) in STANDARDS.items()}
    routes = {f"{s}|{r.lower()}": k for s, (_, rs) in STANDARDS.items() for r, k in rs.items()}
    rows = raw.with_columns(
        std=_norm("standard").replace_strict(stds, default=None),
        mod=_norm("modality").replace_strict({m.lower(): k for m, k in _MODALITIES.items()},
                                             default=None),
        ctype=part_key("cancer_type", "cancer"),
        mkey=part_key("modality", "modality"),
        whole=_norm("cancer") == ALL_CANCERS.lower(),
        all_mod=_norm("modality") == ALL_MODALITIES.lower(),
        month_no=_norm("month").replace_strict(_MONTHS, default=None, return_dtype=pl.Int32),
        day=pl.coalesce(pl.col("period").str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False),
                        pl.col("period").str.to_date("%d/%m/%Y", strict=False)),
        **{k: pl.col(k).str.replace_all(",", "").cast(pl.Float64) for k in COUNTS},
    )  # fmt: skip
    fy = pl.col("day").dt.year() - (pl.col("day").dt.month() < 4).cast(pl.Int32)
    rows = rows.with_columns(
        key=(pl.col("std") + "|" + _norm("route")).replace_strict(routes, default=None),
        fy=pl.format("{}/{}", fy, (fy + 1).mod(100).cast(pl.String).str.zfill(2)),
    )
    group = ["day", "org_code", "std", "key"]  # sums of the ALL CANCERS and cancer-type rows
    return rows.with_columns(
        pl.col(k).filter(pl.col("whole") == whole).sum().over(group).alias(f"{k}_{name}")
        for k in ("total", "within")
        for whole, name in ((True, "whole"), (False, "types"))
    )


def _num(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _incomplete(key: str) -> Problem:
    return lambda r: (
        f"the {ALL_CANCERS} rows of {r['org_code']}, {r['standard']}, {r['route']}, "
        f"{r['day']:%Y-%m} add up to {_num(r[f'{key}_whole'])} but the cancer-type rows add up "
        f"to {_num(r[f'{key}_types'])}; the file may be truncated or edited"
    )


def _check(file: str, rows: pl.DataFrame) -> None:
    """The first failing row of the first failing rule, in this order, is reported."""
    fds, whole, mod = pl.col("std") == "fds", pl.col("whole"), pl.col("modality")
    names = ", ".join(name for name, _ in STANDARDS.values())
    rules: list[tuple[pl.Expr, str, Problem]] = [
        (pl.col("std").is_null(), "standard", lambda r: (
            f"expected one of {names}, got '{r['standard']}'")),
        (pl.col("key").is_null(), "route", lambda r: (
            f"expected a {STANDARDS[r['std']][0]} stage/route "
            f"({'; '.join(STANDARDS[r['std']][1])}), got '{r['route']}'")),
        (fds & (mod != ""), "modality", lambda r: (
            f"expected a blank modality in a 28-day FDS row, got '{r['modality']}'")),
        (fds & whole, "cancer", lambda _: (
            f"expected a suspected cancer type, not {ALL_CANCERS}, in a 28-day FDS row "
            "(every FDS row is added)")),
        (~fds & ~whole & ~pl.col("all_mod"), "modality", lambda r: (
            f"expected {ALL_MODALITIES} in a cancer-type row (modalities are published for "
            f"{ALL_CANCERS} only), got '{r['modality']}'")),
        (~fds & whole & pl.col("mod").is_null(), "modality", lambda r: (
            f"expected one of {', '.join(_MODALITIES)} in an {ALL_CANCERS} row, "
            f"got '{r['modality']}'")),
        (pl.col("day").is_null(), "period", lambda r: f"not a date: '{r['period']}'"),
        (pl.col("month_no") != pl.col("day").dt.month(), "month", lambda r: (
            f"expected the month of PERIOD {r['day']:%Y-%m-%d}, got '{r['month']}'")),
        (pl.col("fy") != pl.col("year").str.replace("-", "/"), "year", lambda r: (
            f"expected {r['fy']}, the financial year of PERIOD {r['day']:%Y-%m-%d}, "
            f"got '{r['year']}'")),
        (pl.col("total") != pl.col("within") + pl.col("breaches"), "total", lambda r: (
            f"{_num(r['total'])} is not WITHIN STANDARD + BREACHES "
            f"({_num(r['within'] + r['breaches'])})")),
        *((~fds & whole & (pl.col(f"{k}_whole") != pl.col(f"{k}_types")), k, _incomplete(k))
          for k in ("total", "within")),
    ]  # fmt: skip
    for mask, column, problem in rules:
        bad = rows.filter(mask.fill_null(value=True)).sort(ROW)
        if bad.height:
            first = bad.row(0, named=True)
            raise SourceError(file, problem(first), column=PUBLISHED[column], row=first[ROW])
