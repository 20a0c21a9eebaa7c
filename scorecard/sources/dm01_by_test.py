"""NHS England's monthly diagnostics (DM01) "Provider by Test" sheet, saved as CSV.

The Provider sheet's columns with `Diagnostic ID` and `Diagnostic Test Name` after the
provider: the England `Total` row first (empty codes), then for each provider one row per
diagnostic test it reports (IDs 1-15) and its `Total` row (ID 16). A provider with nothing to
report has no rows here (the Provider sheet lists it, with zeros).

Stored: each provider's `Total` row is the whole (the same measures as the Provider sheet,
`dm01_waiting_list` ... `dm01_activity_unscheduled`); each test row is a part of it, under
the `diagnostic_test` dimension (scorecard.dimensions.diagnostics keys the names). The whole
is never added up from the tests; instead every count column of each `Total` row must equal
the sum of the provider's test rows, and the England row the sum of the providers' `Total`
rows, or the file is refused (as the DM01 Provider sheet's checks do). England by test is not
printed in this sheet: it is the sum of the providers' rows for the test. A test name that is
not one of the 15 is refused, naming the row. Each row is held to the Provider sheet's checks
(bands add up to the waiting list, 6+ weeks within it); the month comes from --period or the
file name (`DM01-ProviderByTest-2020-03.csv`), or a workbook's title block.
"""

from __future__ import annotations

from dataclasses import replace

import pandera.polars as pa
import polars as pl

from scorecard.dimensions import diagnostics
from scorecard.errors import Problem, SourceError
from scorecard.sources.base import BreakdownSchema, Extract
from scorecard.sources.checks import Found, fraction_column, not_above, suppressed
from scorecard.sources.dm01_provider import (
    COUNT_COLUMNS,
    ID_COLUMNS,
    MEASURE_SUMS,
    PCT,
    ROW_SUMS,
    WITHIN,
    england_row,
)
from scorecard.sources.naming import period_from
from scorecard.sources.text import ROW, count_expr, normalise, published_columns, read_table
from scorecard.sources.tidy import check_national_row, check_row_sums, to_extract
from scorecard.sources.validation import check_result, count_column, validate

DIMENSION = "diagnostic_test"
TOTAL = "total"  # the test key of a provider's Total row
TEST_COLUMNS = {"test_id": "Diagnostic ID", "test": "Diagnostic Test Name"}
PUBLISHED = {**ID_COLUMNS, **TEST_COLUMNS, **COUNT_COLUMNS, **PCT}
NAMES = {**PUBLISHED, "key": TEST_COLUMNS["test"]}  # the test's key, named as its column
SCOPE = "by_test"  # stored beside the Provider sheet of the same month, not in its place
TESTS_EXPECTED = (
    f"expected one of the {len(diagnostics.LABELS)} DM01 diagnostic tests "
    f"({', '.join(diagnostics.LABELS.values())}) or {diagnostics.TOTAL_NAME}"
)
RAW_SCHEMA = pa.DataFrameSchema(
    {
        ROW: pa.Column(pl.Int64),
        "parent_code": pa.Column(str, nullable=True),
        "parent": pa.Column(str, nullable=True),
        "org_code": pa.Column(str),
        "name": pa.Column(str),
        "test_id": pa.Column(str, nullable=True),
        "key": pa.Column(str),
        **{key: count_column() for key in COUNT_COLUMNS},
        "pct6": fraction_column(),
    },
    unique=["org_code", "key"],
)
EXPECTED = {
    "field_uniqueness": "the same Provider Code and diagnostic test appear twice",
    "multiple_fields_uniqueness": "the same Provider Code and diagnostic test appear twice",
}
_TOTAL_SCHEMA = pa.DataFrameSchema(
    {ROW: pa.Column(pl.Int64), **{key: count_column() for key in COUNT_COLUMNS}}
)


class Dm01ProviderByTestCsv:
    """The Provider by Test sheet of NHS England's monthly diagnostics web file."""

    name = "dm01_provider_by_test_csv"
    dataset = "dm01"
    description = (
        "DM01 monthly diagnostics Provider by Test sheet saved as CSV "
        "(Provider Code, Diagnostic ID, Diagnostic Test Name, ...)"
    )

    def match(self, header: list[str]) -> float:
        have = {normalise(h) for h in header}
        if not {normalise(c) for c in TEST_COLUMNS.values()} & have:
            return 0.0  # the Provider sheet: one row per provider, another layout
        return sum(normalise(c) in have for c in PUBLISHED.values()) / len(PUBLISHED)

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        header, body = read_table(file, data)
        renames = published_columns(file, header, PUBLISHED, self.description)
        period = period_from(file, period_hint)
        raw = body.select(ROW, *renames).rename(renames)
        england, rows = england_row(file, raw, "Provider by Test")
        found = Found()  # every problem of the file in one pass
        raw = _keyed(file, rows, found)
        raw = found.valid_rows(file, raw, RAW_SCHEMA, NAMES, EXPECTED)
        wide = raw.with_columns(
            pl.lit(period.first_day()).alias("period"),
            *(count_expr(k) for k in COUNT_COLUMNS),
        )
        with found.gather():
            not_above(file, wide, WITHIN, PUBLISHED)
        with found.gather():
            check_row_sums(file, wide, ROW_SUMS, PUBLISHED)
        # A provider with a row refused above is not checked against its Total row: the
        # difference would only repeat that row's problem.
        refused = rows.filter(pl.col(ROW).is_in([p.row for p in found.problems]))["org_code"]
        with found.gather():
            _check_parts(file, wide.filter(~pl.col("org_code").is_in(refused.to_list())))
        found.raise_any()  # the England row adds up every provider: all must be good
        totals = wide.filter(pl.col("key") == TOTAL)
        if england is not None:
            england = validate(file, england, _TOTAL_SCHEMA, PUBLISHED)
            england = england.with_columns(count_expr(k) for k in COUNT_COLUMNS)
            check_national_row(file, totals, england, COUNT_COLUMNS)
        extract = to_extract(
            file, data, self.name, self.dataset, totals, MEASURE_SUMS, SCOPE,
            published=PUBLISHED,
        )  # fmt: skip
        parts = _breakdowns(file, wide.filter(pl.col("key") != TOTAL))
        return replace(
            extract, breakdowns=parts, warnings=suppressed(file, raw, list(COUNT_COLUMNS))
        )


def _keyed(file: str, raw: pl.DataFrame, found: Found) -> pl.DataFrame:
    """Each row's test as its key (`total` for a provider's Total row); a name that is not
    one of the 15 tests is a problem of its row, and the row is set aside."""
    names = raw["test"].to_list()
    keys = [TOTAL if diagnostics.is_total(n or "") else diagnostics.key(n or "") for n in names]
    keyed = raw.with_columns(pl.Series("key", keys, dtype=pl.String))
    unknown = keyed.filter(pl.col("key").is_null() & pl.col("test").is_not_null())
    found.problems.extend(
        Problem(file, int(r[ROW]), PUBLISHED["test"], r["test"], TESTS_EXPECTED)
        for r in unknown.iter_rows(named=True)
    )
    return keyed.filter(~pl.col(ROW).is_in(unknown[ROW].to_list()))


def _check_parts(file: str, wide: pl.DataFrame) -> None:
    """Each provider's Total row equals the sum of its test rows, column by column, and a
    provider with test rows has a Total row (the whole is read from it, never added up)."""
    found: list[Problem] = []
    totals = wide.filter(pl.col("key") == TOTAL)
    tests = wide.filter(pl.col("key") != TOTAL)
    orphans = (
        tests.join(totals, on="org_code", how="anti").group_by("org_code").agg(pl.col(ROW).max())
    )
    for code, row in orphans.sort(ROW).iter_rows():
        found.append(
            Problem(
                file, int(row), PUBLISHED["test"], None,
                f"provider {code} has test rows but no {diagnostics.TOTAL_NAME} row "
                f"(Diagnostic ID {diagnostics.TOTAL_ID}) after them; the provider's figures "
                "are read from it",
            )
        )  # fmt: skip
    sums = tests.group_by("org_code").agg(
        pl.len().alias("_tests"),
        *(pl.col(k).sum().alias(f"_sum_{k}") for k in COUNT_COLUMNS),
        *(pl.col(k).is_null().any().alias(f"_gap_{k}") for k in COUNT_COLUMNS),
    )
    joined = totals.join(sums, on="org_code", how="inner")
    for key, column in COUNT_COLUMNS.items():
        known = pl.col(key).is_not_null() & ~pl.col(f"_gap_{key}")
        bad = joined.filter(known & (pl.col(key) != pl.col(f"_sum_{key}")))
        for r in bad.iter_rows(named=True):
            found.append(
                Problem(
                    file, int(r[ROW]), column, f"{r[key]:.0f}",
                    f"expected the sum of provider {r['org_code']}'s {r['_tests']} test rows "
                    f"({r[f'_sum_{key}']:,.0f})",
                )
            )  # fmt: skip
    if found:
        raise SourceError.of(sorted(found, key=lambda p: p.row or 0))


def _breakdowns(file: str, tests: pl.DataFrame) -> pl.DataFrame:
    """The test rows as parts: one row per provider, measure and test (BreakdownSchema)."""
    measures = tests.select(
        "period",
        "org_code",
        pl.col("key").alias("breakdown"),
        *(
            pl.when(pl.any_horizontal(pl.col(c).is_null() for c in cols))
            .then(None)
            .otherwise(pl.sum_horizontal(cols))
            .alias(m)
            for m, cols in MEASURE_SUMS.items()
        ),
    )
    parts = (
        measures.unpivot(
            index=["period", "org_code", "breakdown"], variable_name="measure", value_name="value"
        )
        .drop_nulls("value")
        .select(
            "period",
            "org_code",
            "measure",
            pl.lit(DIMENSION).alias("dimension"),
            "breakdown",
            pl.col("value").cast(pl.Float64),
        )
        .sort("period", "org_code", "measure", "breakdown")
    )
    return check_result(file, parts, BreakdownSchema)
