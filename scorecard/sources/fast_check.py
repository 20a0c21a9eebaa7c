"""Every rule of a pandera schema in one vectorised polars pass: the quick yes.

pandera validates a frame column by column, collecting each check on its own (a national
RTT month is 110 columns and some 300 collects). Most frames pass. `passes` asks the same
questions of the same schema in one query: each column's presence and dtype, nulls, unique
values, and every check, evaluated by pandera's own check backend, then the frame's
strictness, order and unique key. True means pandera would find nothing; anything else
(a failure, or a schema feature this does not evaluate) is answered by pandera itself,
which then words every failure. The schema stays the single source of truth.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData
from pandera.backends.polars.checks import PolarsCheckBackend
from pandera.constants import CHECK_OUTPUT_KEY

_Questions = tuple[list[pl.Expr], list[tuple[pa.Check, str]]]


def passes(frame: pl.DataFrame, schema: pa.DataFrameSchema) -> bool:
    """Whether `frame` meets every rule of `schema` (False may also mean: ask pandera)."""
    if not _plain(schema) or not _shape_ok(frame, schema):
        return False
    lazy, dtypes = frame.lazy(), frame.schema
    schema.get_backend(frame)  # registers pandera's polars backends, as validate() would
    if pa.Check.get_backend(lazy) is not PolarsCheckBackend:
        return False  # another backend configured (narwhals): pandera answers
    questions = _questions(schema, dtypes)
    if questions is None:
        return False
    tests, applied = questions
    if not applied:  # (an eager select: planned in a fraction of a lazy query's time)
        return all(v is True for v in frame.select(tests).row(0)) if tests else True
    results: list[pl.LazyFrame] = []
    for check, name in applied:
        out = PolarsCheckBackend(check).apply(PolarsData(lazy, name))
        if isinstance(out, bool):
            if not out:
                return False
            continue
        ok = pl.col(CHECK_OUTPUT_KEY).fill_null(check.ignore_na).all()
        results.append(out.select(ok.alias(f"_check{len(results)}")))
    if tests:
        results.append(lazy.select(tests))
    if not results:
        return True
    row = pl.concat(results, how="horizontal").collect().row(0)
    return all(v is True for v in row)


# The questions asked of a schema's frames, by the schema (held, so its id is not reused)
# and the frame's columns and dtypes: building them costs more than asking, for small frames.
_Key = tuple[int, tuple[tuple[str, pl.DataType], ...]]
_ASKED: dict[_Key, tuple[object, _Questions | None]] = {}
_MAX_ASKED = 512


def _questions(schema: pa.DataFrameSchema, dtypes: pl.Schema) -> _Questions | None:
    """One boolean expression per rule of `schema` for a frame with `dtypes`, and the checks
    that must be applied to the frame itself; None when a column's dtype is not the
    schema's, or a check is one `passes` leaves to pandera. (pandera's polars dtypes are
    checked on the dtype alone, so the answer holds for every frame of these dtypes.)"""
    key = (id(schema), tuple(dtypes.items()))
    held = _ASKED.get(key)
    if held is not None and held[0] is schema:
        return held[1]
    found = _ask(schema, dtypes)
    if len(_ASKED) >= _MAX_ASKED:
        _ASKED.clear()
    _ASKED[key] = (schema, found)
    return found


def _ask(schema: pa.DataFrameSchema, dtypes: pl.Schema) -> _Questions | None:
    tests: list[pl.Expr] = []
    applied: list[tuple[pa.Check, str]] = []
    for name, column in schema.columns.items():
        if name not in dtypes:
            continue  # optional (a required column missing fails _shape_ok)
        if column.dtype is not None and not column.dtype.check(dtypes[name]):
            return None  # the wrong dtype: pandera words it
        if not column.nullable:
            tests.append(pl.col(name).is_not_null().all())
            if dtypes[name].is_float():
                tests.append(pl.col(name).is_not_nan().all())
        if column.unique:
            tests.append(pl.col(name).is_unique().all())
        for check in column.checks:
            if check.raise_warning or check.element_wise:
                return None
            _load_builtin(check)
            expr = _expression(check, name)
            if expr is None:
                applied.append((check, name))
            else:
                tests.append(expr.fill_null(check.ignore_na).all())
    key = schema.unique
    if key:
        subset = [key] if isinstance(key, str) else list(key)
        tests.append(pl.struct(subset).is_unique().all())
    return [t.alias(f"_test{i}") for i, t in enumerate(tests)], applied


class _Selected:
    """What a check function selected: the expression it asks of the frame."""

    def __init__(self, exprs: tuple[object, ...], named: dict[str, object]) -> None:
        self.exprs = (*exprs, *named.values())


class _Recorder:
    """Stands in for the frame a check function is given, to keep the expression it selects
    (every built-in polars check, and this project's, is `lazyframe.select(expr)`)."""

    def select(self, *exprs: object, **named: object) -> _Selected:
        return _Selected(exprs, named)


def _expression(check: pa.Check, column: str) -> pl.Expr | None:
    """The one boolean expression `check` evaluates on `column`; None when it does anything
    else (it is then run on the frame itself)."""
    try:
        got = PolarsCheckBackend(check).check_fn(PolarsData(_Recorder(), column))  # type: ignore[arg-type]
    except AttributeError:
        return None
    if isinstance(got, _Selected) and len(got.exprs) == 1 and isinstance(got.exprs[0], pl.Expr):
        return got.exprs[0]
    return None


def _load_builtin(check: pa.Check) -> None:
    """A built-in check's polars function, loaded as pandera's Check.__call__ loads it."""
    name = getattr(check._check_fn, "__name__", None)
    if name is not None and check.is_builtin_check(name):
        check._check_fn = check.get_builtin_check_fn(name)


def _plain(schema: pa.DataFrameSchema) -> bool:
    """A schema using only what `passes` evaluates: nothing that changes the frame."""
    if schema.coerce or schema.checks or schema.add_missing_columns or schema.parsers:
        return False
    if schema.strict == "filter" or schema.drop_invalid_rows:
        return False
    return not any(
        c.regex or c.coerce or c.parsers or c.default is not None or c.drop_invalid_rows
        for c in schema.columns.values()
    )


def _shape_ok(frame: pl.DataFrame, schema: pa.DataFrameSchema) -> bool:
    """Required columns present; with `strict`, no others; with `ordered`, in order."""
    names = list(schema.columns)
    if any(schema.columns[n].required and n not in frame.columns for n in names):
        return False
    if schema.strict and any(c not in schema.columns for c in frame.columns):
        return False
    if schema.ordered:
        present = [c for c in frame.columns if c in schema.columns]
        return present == [n for n in names if n in frame.columns]
    return True
