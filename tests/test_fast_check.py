"""The one-pass check (sources.fast_check) says yes only when pandera itself would.

Every frame the adapters validate while reading the bundled sample is recorded with its
schema; each must pass both ways. Then each is spoiled one cell or one row at a time (text in a
count, an empty cell, a negative, a repeated row, a missing or extra column): wherever pandera
finds a failure, the one-pass check must not say yes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pandera.polars as pa
import polars as pl
import pytest
from pandera.errors import SchemaError, SchemaErrors

from scorecard import api
from scorecard.sources import fast_check, read_extracts, validation

Case = tuple[pl.DataFrame, pa.DataFrameSchema]
COLUMNS_SPOILED = 4


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    """(frame, schema) of every validation made reading one file of each sample layout."""
    seen: list[Case] = []
    original = fast_check.passes

    def record(frame: pl.DataFrame, schema: pa.DataFrameSchema) -> bool:
        seen.append((frame, schema))
        return original(frame, schema)

    files = {p.parent.name + p.name.split("_")[-1].split("-")[0]: p for p in api.sample_files()}
    mp = pytest.MonkeyPatch()
    mp.setattr(validation, "passes", record)
    try:
        for path in files.values():
            read_extracts(path)
    finally:
        mp.undo()
    assert len(seen) > 20
    return seen


def pandera_passes(frame: pl.DataFrame, schema: pa.DataFrameSchema) -> bool:
    try:
        schema.validate(frame, lazy=True)
    except (SchemaErrors, SchemaError):
        return False
    except pl.exceptions.PolarsError:  # pandera's own trip on a frame it cannot check
        return False
    return True


def test_every_sample_frame_passes_both_ways(cases: list[Case]) -> None:
    for frame, schema in cases:
        assert pandera_passes(frame, schema)
        assert fast_check.passes(frame, schema)


def spoiled(frame: pl.DataFrame, rng: random.Random) -> Iterator[pl.DataFrame]:
    """The frame with one thing wrong in it, in each of several ways (cells of up to
    COLUMNS_SPOILED of its columns, picked at random)."""
    if not frame.height:
        return
    row = rng.randrange(frame.height)
    names = rng.sample(frame.columns, min(COLUMNS_SPOILED, frame.width))
    for name in names:
        dtype = frame.schema[name]
        col = frame[name].to_list()
        if dtype == pl.String:
            junk: list[object] = ["abc", "", "-1", "1.5", None]
        elif dtype.is_numeric():
            junk = [-1 if dtype.is_integer() else float("nan"), None]
        else:
            junk = [None]
        for value in junk:
            col[row] = value
            yield frame.with_columns(pl.Series(name, col, dtype=dtype, strict=False))
    yield pl.concat([frame, frame[row]])  # a repeated row
    yield frame.drop(rng.choice(frame.columns))  # a column missing
    yield frame.with_columns(pl.lit("x").alias("extra"))  # a column too many
    yield frame.select(reversed(frame.columns))  # the columns out of order
    yield frame.with_columns(pl.col(frame.columns[0]).cast(pl.String))  # another type


REFUSALS_MET = 50  # spoiled frames pandera must be seen to refuse


def test_one_pass_never_passes_what_pandera_refuses(cases: list[Case]) -> None:
    """For every spoiled frame: where pandera refuses, the one-pass check refuses. Put the
    other way round, wherever the one-pass check says yes pandera is asked and must say
    yes too; where it says no, the pair cannot break the rule, and pandera (the costly
    side) is asked only until both kinds of frame have been met."""
    rng = random.Random(17)
    passed = refused = 0
    one_each = {id(schema): (frame, schema) for frame, schema in cases}  # one frame a schema
    for frame, schema in one_each.values():
        for bad in spoiled(frame, rng):
            if fast_check.passes(bad, schema):
                assert pandera_passes(bad, schema), (schema, bad.head(3))
                passed += 1
            elif refused <= REFUSALS_MET or not passed:
                if pandera_passes(bad, schema):
                    passed += 1
                else:
                    refused += 1
    assert refused > REFUSALS_MET and passed > 0  # both kinds were met


def test_a_schema_that_changes_the_frame_is_left_to_pandera() -> None:
    frame = pl.DataFrame({"a": ["1", "2"]})
    coercing = pa.DataFrameSchema({"a": pa.Column(pl.Int64, coerce=True)})
    assert not fast_check.passes(frame, coercing)
    plain = pa.DataFrameSchema({"a": pa.Column(str, pa.Check.str_matches(r"^[0-9]+$"))})
    assert fast_check.passes(frame, plain)
    assert not fast_check.passes(pl.DataFrame({"a": ["1", "b"]}), plain)
