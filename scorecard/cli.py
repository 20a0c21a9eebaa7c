"""The `scorecard` command: a thin typer layer over scorecard.api.

Errors a user can cause print as one line on stderr and exit 1; a traceback means a bug.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

from scorecard import api
from scorecard.errors import ScorecardError, UsageError
from scorecard.explain import explain_text
from scorecard.model import ENGLAND, Window

app = typer.Typer(
    help="NHS performance scorecards from NHS England's published statistics.",
    no_args_is_help=True,
    add_completion=False,
)

P = ParamSpec("P")
R = TypeVar("R")

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="DuckDB store. Default: ./scorecard.duckdb, or the bundled sample when absent.",
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="Folder with indicators/ and thresholds.toml."),
]
PeriodOption = Annotated[str | None, typer.Option("--period", help="Month as YYYY-MM.")]


def _errors_as_one_line(fn: Callable[P, R]) -> Callable[P, R]:
    @wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except ScorecardError as exc:
            typer.echo(f"error: {exc.one_line()}", err=True)
            raise typer.Exit(1) from None

    return run


@app.command()
@_errors_as_one_line
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Published files, in any order.")],
    db: Annotated[Path, typer.Option("--db", help="DuckDB store.")] = api.DEFAULT_DB,
    period: Annotated[
        str | None,
        typer.Option("--period", help="YYYY-MM, for layouts whose month is not in the file."),
    ] = None,
) -> None:
    """Recognise, validate and store published files. All are stored, or none."""
    skipped: list[str] = []
    results = api.ingest(paths, db, period, skipped)
    for line in skipped:
        typer.echo(line)
    for result in results:
        typer.echo(result.describe())


@app.command()
@_errors_as_one_line
def build(
    period: PeriodOption = None,
    org: Annotated[
        str | None,
        typer.Option(
            "--org", help=f"Organisation code for the catalogue card; {ENGLAND} = England."
        ),
    ] = None,
    scorecard: Annotated[
        Path | None, typer.Option("--scorecard", help="A scorecard definition (TOML) to build.")
    ] = None,
    build_all: Annotated[
        bool, typer.Option("--all", help="Build every definition in scorecards/.")
    ] = False,
    db: DbOption = None,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("out"),
    config: ConfigOption = None,
) -> None:
    """Write scorecards: HTML page and fragment, Excel, CSV and Parquet.

    Default: every definition in scorecards/ (the same as --all). --org builds the whole
    catalogue for one organisation (ENG = England) instead.
    """
    catalogue = api.catalogue(config)
    month = api.parse_month(period)
    if org is not None and (scorecard is not None or build_all):
        raise UsageError("--org builds the catalogue card; use it without --scorecard or --all")
    if scorecard is not None:
        specs = [api.board_spec(scorecard, catalogue)]
    elif org is None:
        specs = api.board_specs(config, catalogue)
        if build_all and not specs:
            raise UsageError("--all: there is no scorecards/*.toml definition to build")
    else:
        specs = []
    with api.open_store(db) as store:
        if not specs:
            card = api.scorecard_for(store, catalogue, api.org_code(org or ENGLAND), month)
            _echo_paths(api.build(card, out))
            return
        with _progress(len(specs)) as step:
            for spec in specs:
                card = api.board_for(store, catalogue, spec, month)
                _echo_paths(api.build(card, out, Path(spec.file).stem))
                step()


def _echo_paths(paths: list[Path]) -> None:
    for path in paths:
        typer.echo(f"wrote {path}")


@contextmanager
def _progress(total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on a terminal; nothing extra in CI logs (the 'wrote' lines suffice)."""
    if total < 2 or not sys.stderr.isatty():
        yield lambda: None
        return
    with typer.progressbar(length=total, label="Building", file=sys.stderr) as bar:
        yield lambda: bar.update(1)


@app.command()
@_errors_as_one_line
def values(
    period: PeriodOption = None,
    org: Annotated[str | None, typer.Option("--org", help="Organisation code.")] = None,
    indicator: Annotated[str | None, typer.Option("--indicator", help="Indicator id.")] = None,
    window: Annotated[
        Window, typer.Option("--window", help="month, quarter (to date) or ytd.")
    ] = Window.MONTH,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Print computed values as CSV (all stored months unless --period is given)."""
    catalogue = api.catalogue(config)
    query = api.Query(api.parse_month(period), org and api.org_code(org), indicator)
    with api.open_store(db) as store:
        table = api.values(store, catalogue, query, window)
    sys.stdout.write(table.write_csv())


@app.command()
@_errors_as_one_line
def indicators(config: ConfigOption = None) -> None:
    """List the indicator catalogue."""
    catalogue = api.catalogue(config)
    sys.stdout.write(api.indicator_table(catalogue).write_csv())


@app.command()
@_errors_as_one_line
def explain(
    indicator: Annotated[str, typer.Argument(help="Indicator id.")],
    org: Annotated[str, typer.Option("--org", help="Organisation code.")] = ENGLAND,
    period: PeriodOption = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Show the numbers, the standard in force and the rule that produced the rating."""
    catalogue = api.catalogue(config)
    with api.open_store(db) as store:
        row, breakdown = api.explain_row(
            store, catalogue, indicator, api.org_code(org), api.parse_month(period)
        )
    typer.echo(explain_text(row, breakdown))


@app.command()
@_errors_as_one_line
def chart(
    indicator: Annotated[str, typer.Argument(help="Indicator id.")],
    org: Annotated[str, typer.Option("--org", help="Organisation code.")] = ENGLAND,
    period: PeriodOption = None,
    db: DbOption = None,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("out"),
    config: ConfigOption = None,
) -> None:
    """Write a Making Data Count SPC chart (self-contained SVG) for one indicator and org."""
    catalogue = api.catalogue(config)
    with api.open_store(db) as store:
        row, _ = api.explain_row(
            store, catalogue, indicator, api.org_code(org), api.parse_month(period)
        )
    typer.echo(f"wrote {api.chart(row, out)}")


def main() -> None:
    app()
