"""The `scorecard` command: a thin typer layer over scorecard.api.

Errors a user can cause print as one line on stderr and exit 1; a traceback means a bug.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from typer.core import TyperGroup

try:  # typer vendors click from 0.2x on; earlier versions use click itself
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover
    import click.exceptions as click_errors  # type: ignore[no-redef]

from scorecard import api, parallel
from scorecard import check as checking
from scorecard.errors import ScorecardError, UsageError
from scorecard.explain import explain_text
from scorecard.model import ENGLAND, Row, Window
from scorecard.render.csv_text import csv_text


class _Commands(TyperGroup):
    """Typer's command group, with usage errors (a missing argument, an unknown option, a
    bad option value) printed as one line and exit 1, like every other error a user can
    cause; `--help`, and no command at all, print the help and exit 0."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except click_errors.NoArgsIsHelpError as exc:
            typer.echo(exc.ctx.get_help() if exc.ctx else exc.format_message())
            code = 0
        except click_errors.ClickException as exc:
            typer.echo(f"error: {usage_line(exc)}", err=True)
            code = 1
        except typer.Abort:
            typer.echo("error: aborted", err=True)
            code = 1
        code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


def usage_line(exc: click_errors.ClickException) -> str:
    """A click usage error as one line: the command, what was wrong, where help is."""
    message = " ".join(exc.format_message().split())
    ctx = getattr(exc, "ctx", None)
    if ctx is None:
        return message
    return f"{ctx.command_path}: {message} (see `{ctx.command_path} --help`)"


app = typer.Typer(
    cls=_Commands,
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
    typer.Option(
        "--config",
        help="Folder with indicators/ and thresholds.toml (and scorecards/, the board "
        "definitions, and peers/, where the command reads them).",
    ),
]
PeriodOption = Annotated[str | None, typer.Option("--period", help="Month as YYYY-MM.")]
WindowOption = Annotated[Window, typer.Option("--window", help="month, quarter (to date) or ytd.")]
OutOption = Annotated[Path, typer.Option("--out", help="Output folder.")]
PeersOption = Annotated[
    str | None,
    typer.Option(
        "--peers",
        help="A peer group of your own: peers/NAME.csv in the config folder (default: "
        "organisations of the same level reporting the indicator).",
    ),
]
IndicatorArgument = Annotated[str, typer.Argument(help="Indicator id.")]
OrgOption = Annotated[str, typer.Option("--org", help="Organisation code.")]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Use the store as it was then (YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS, UTC): "
        "the publications ingested by that moment.",
    ),
]


def _errors_as_one_line(fn: Callable[P, R]) -> Callable[P, R]:
    @wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except ScorecardError as exc:
            for line in exc.lines():
                typer.echo(f"error: {line}", err=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            ingesting = fn.__name__ == "ingest"
            said = "the store is as it was before" if ingesting else "no file is half-written"
            typer.echo(f"error: interrupted; {said}", err=True)
            raise typer.Exit(130) from None
        except OSError as exc:  # a path the user named that cannot be read or written
            where = f"{exc.filename}: " if exc.filename else ""
            typer.echo(f"error: {where}{exc.strerror or exc}", err=True)
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
    layout: Annotated[
        str | None,
        typer.Option("--layout", help="Insist on one published layout (see `scorecard check`)."),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Recognise, validate and store published files. All are stored, or none.

    Every file is checked before anything is stored; every problem in every file is listed,
    one line each, and then nothing is stored. --config names the catalogue that
    local-measures and commentary files' indicator ids are checked against.

    Every file is kept. Where two publish the same figure, builds use the one that ranks
    first (the official statistics file over a provider-level extract, then the revision,
    then the later command), whatever the order given; disagreements are reported (see
    `scorecard history` and `build --as-of`).
    """
    skipped: list[str] = []
    warnings: list[str] = []
    results = api.ingest(paths, db, period, skipped, layout, warnings, config)
    for line in skipped:
        typer.echo(line)
    for result in results:
        typer.echo(result.describe())
    for line in warnings:
        typer.echo(f"warning: {line}", err=True)


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
    every_org: Annotated[
        bool,
        typer.Option(
            "--every-org",
            help="Build the catalogue card of every organisation, ICB, region and England.",
        ),
    ] = False,
    db: DbOption = None,
    out: OutOption = Path("out"),
    config: ConfigOption = None,
    as_of: AsOfOption = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Processes that build --every-org's cards (default: $SCORECARD_WORKERS, "
            "else the usable cores, at most 8). The files are the same for any number.",
        ),
    ] = None,
) -> None:
    """Write scorecards: HTML page and fragment, Excel, CSV, Parquet and a manifest.

    Default: every definition in scorecards/ (the same as --all). --org builds the whole
    catalogue for one organisation (ENG = England) instead.
    """
    command = _command(
        "build",
        {
            "--period": period,
            "--org": org,
            "--scorecard": scorecard,
            "--all": build_all,
            "--every-org": every_org,
            "--db": db,
            "--out": out,
            "--config": config,
            "--as-of": as_of,
        },
    )
    api.check_folder(out)
    catalogue = api.catalogue(config)
    month = api.parse_month(period)
    if sum((org is not None, scorecard is not None or build_all, every_org)) > 1:
        raise UsageError(
            "--org, --every-org and --scorecard/--all each choose what to build; give one"
        )
    if scorecard is not None:
        specs = [api.board_spec(scorecard, catalogue)]
    elif org is None and not every_org:
        specs = api.board_specs(config, catalogue)
        if not specs:
            raise UsageError(
                f"{'--all: ' if build_all else ''}no scorecard definition "
                f"({api.find_config_dir(config) / 'scorecards'}/*.toml) to build; pass "
                "--scorecard FILE, --org CODE for one organisation's card, or --every-org"
            )
    else:
        specs = []
    with api.open_store(db, api.parse_as_of(as_of)) as store:
        if every_org:
            months = api.card_months(store, catalogue, month)
            with _progress(len(months)) as step:
                built = api.build_every(
                    store, catalogue, months, out, command, workers=workers, progress=step
                )
            for done in built:
                _echo_paths(list(done.paths))
            return
        if not specs:
            card = api.scorecard_for(store, catalogue, api.org_code(org or ENGLAND), month)
            _echo_paths(api.build(card, out, info=api.build_info(store, card.period, command)))
            return
        # Every board is built before any is written: one that cannot be (no figures for
        # its rows at --period) stops the command with nothing written.
        boards = [(spec, api.board_for(store, catalogue, spec, month)) for spec in specs]
        with _progress(len(boards)) as step:
            for spec, card in boards:
                info = api.build_info(store, card.period, command, spec)
                _echo_paths(api.build(card, out, Path(spec.file).stem, info))
                step()


def _command(name: str, options: dict[str, object]) -> str:
    """The command as the manifest records it: the options given, in a fixed order."""
    words = ["scorecard", name]
    for option, value in options.items():
        if value is True:
            words.append(option)
        elif value not in (None, False):
            words += [option, str(value)]
    return " ".join(words)


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
    window: WindowOption = Window.MONTH,
    breakdown: Annotated[
        str | None,
        typer.Option(
            "--breakdown",
            help="A drill-down: a dimension (treatment_function: every part), or one part "
            "by code or name (110, 'Trauma and Orthopaedic').",
        ),
    ] = None,
    benchmark: Annotated[
        bool,
        typer.Option(
            "--benchmark",
            help="Add each value's standing among its peers: rank, quartile, the peers' "
            "median and quartiles, England's value.",
        ),
    ] = False,
    peers: PeersOption = None,
    db: DbOption = None,
    config: ConfigOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Print computed values as CSV (all stored months unless --period is given)."""
    catalogue = api.catalogue(config)
    query = api.Query(
        api.parse_month(period),
        org and api.org_code(org),
        indicator,
        breakdown,
        benchmark or peers is not None,
        api.peer_group(config, peers),
    )
    with api.open_store(db, api.parse_as_of(as_of)) as store:
        table = api.values(store, catalogue, query, window)
    sys.stdout.write(csv_text(table))


@app.command()
@_errors_as_one_line
def indicators(
    config: ConfigOption = None,
    breakdowns: Annotated[
        bool,
        typer.Option("--breakdowns", help="List the drill-downs' parts (codes and names)."),
    ] = False,
) -> None:
    """List the indicator catalogue (or, with --breakdowns, every drill-down's parts)."""
    if breakdowns:
        sys.stdout.write(csv_text(api.parts_table()))
        return
    catalogue = api.catalogue(config)
    sys.stdout.write(csv_text(api.indicator_table(catalogue)))


@app.command()
@_errors_as_one_line
def explain(
    indicator: IndicatorArgument,
    org: OrgOption = ENGLAND,
    period: PeriodOption = None,
    db: DbOption = None,
    config: ConfigOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Show the numbers, the standard in force and the rule that produced the rating."""
    typer.echo(explain_text(*_explained(indicator, org, period, db, config, as_of)))


def _explained(
    indicator: str,
    org: str,
    period: str | None,
    db: Path | None,
    config: Path | None,
    as_of: str | None,
) -> tuple[Row, dict[str, float]]:
    """One indicator's scorecard row and the measures behind it (explain, chart)."""
    catalogue = api.catalogue(config)
    with api.open_store(db, api.parse_as_of(as_of)) as store:
        return api.explain_row(
            store, catalogue, indicator, api.org_code(org), api.parse_month(period)
        )


@app.command()
@_errors_as_one_line
def chart(
    indicator: IndicatorArgument,
    org: OrgOption = ENGLAND,
    period: PeriodOption = None,
    db: DbOption = None,
    out: OutOption = Path("out"),
    config: ConfigOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Write a Making Data Count SPC chart (self-contained SVG) for one indicator and org."""
    api.check_folder(out)
    row, _ = _explained(indicator, org, period, db, config, as_of)
    typer.echo(f"wrote {api.chart(row, out)}")


@app.command()
@_errors_as_one_line
def league(
    indicator: IndicatorArgument,
    period: PeriodOption = None,
    peers: PeersOption = None,
    org: Annotated[
        str | None, typer.Option("--org", help="Organisation to highlight in the table.")
    ] = None,
    window: WindowOption = Window.MONTH,
    fragment: Annotated[
        bool, typer.Option("--fragment", help="Write an embeddable <div>, not a whole page.")
    ] = False,
    db: DbOption = None,
    out: OutOption = Path("out"),
    config: ConfigOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Write a league table of every peer (HTML and CSV): value, rank, quartile, rating,
    Making Data Count icons, funnel flag and NOF metric score where one applies."""
    api.check_folder(out)
    catalogue = api.catalogue(config)
    api.indicator_ids(catalogue, indicator, "INDICATOR")
    group = api.peer_group(config, peers)
    with api.open_store(db, api.parse_as_of(as_of)) as store:
        paths = api.write_league(
            store, catalogue, indicator, api.parse_month(period), out, window=window,
            group=group, highlight=org and api.org_code(org), fragment=fragment,
        )  # fmt: skip
    for path in paths:
        typer.echo(f"wrote {path}")


class FunnelMethod(StrEnum):
    NORMAL = "normal"
    ARCSINE = "arcsine"
    EXACT = "exact"


class Dispersion(StrEnum):
    ADDITIVE = "additive"
    MULTIPLICATIVE = "multiplicative"
    NONE = "none"


@app.command()
@_errors_as_one_line
def funnel(
    indicator: IndicatorArgument,
    period: PeriodOption = None,
    peers: PeersOption = None,
    org: Annotated[
        str | None, typer.Option("--org", help="Organisation to highlight on the plot.")
    ] = None,
    window: WindowOption = Window.MONTH,
    method: Annotated[
        FunnelMethod,
        typer.Option(
            "--method",
            help="Control limits: normal (Fingertips), arcsine "
            "(FunnelPlotR) or exact (binomial, interpolated).",
        ),
    ] = FunnelMethod.NORMAL,
    dispersion: Annotated[
        Dispersion,
        typer.Option(
            "--dispersion",
            help="Over-dispersion: additive (tau squared, when phi > "
            "1, as FunnelPlotR), multiplicative (phi) or none (as Fingertips).",
        ),
    ] = Dispersion.ADDITIVE,
    england: Annotated[
        bool,
        typer.Option(
            "--england-centre", help="Centre on England's figure, not the peers' pooled average."
        ),
    ] = False,
    db: DbOption = None,
    out: OutOption = Path("out"),
    config: ConfigOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Write a funnel plot (self-contained SVG, and CSV of each peer's point and flag) of a
    proportion: each peer's value against its denominator, with 95% and 99.8% limits."""
    api.check_folder(out)
    catalogue = api.catalogue(config)
    api.indicator_ids(catalogue, indicator, "INDICATOR")
    group = api.peer_group(config, peers)
    with api.open_store(db, api.parse_as_of(as_of)) as store:
        paths = api.write_funnel(
            store, catalogue, indicator, api.parse_month(period), out, window=window,
            group=group, highlight=org and api.org_code(org), method=method.value,
            dispersion=dispersion.value, england_centre=england,
        )  # fmt: skip
    for path in paths:
        typer.echo(f"wrote {path}")


@app.command()
@_errors_as_one_line
def history(
    indicator: IndicatorArgument,
    org: OrgOption = ENGLAND,
    period: PeriodOption = None,
    db: DbOption = None,
    config: ConfigOption = None,
    as_of: AsOfOption = None,
) -> None:
    """List every stored version of one indicator's month (CSV): file, SHA-256, status,
    when it was ingested, and the value it gave; `current` marks the one builds use."""
    catalogue = api.catalogue(config)
    with api.open_store(db, api.parse_as_of(as_of)) as store:
        table = api.history_table(
            store, catalogue, indicator, api.org_code(org), api.parse_month(period)
        )
    sys.stdout.write(csv_text(table))


@app.command()
@_errors_as_one_line
def check(
    paths: Annotated[list[Path], typer.Argument(help="Published files to validate.")],
    output: Annotated[
        str, typer.Option("--format", help="table, or json (a list of problems) for pipelines.")
    ] = "table",
    period: Annotated[
        str | None,
        typer.Option("--period", help="YYYY-MM, for layouts whose month is not in the file."),
    ] = None,
    layout: Annotated[
        str | None,
        typer.Option("--layout", help="Insist on one published layout, e.g. ae_monthly_csv."),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Validate published files without storing them and list every problem found.

    Exit 0 when every file is clean, 1 when any has a problem. With --format json the
    problems go to stdout as JSON and the per-file summary to stderr.
    """
    checking.require_format(output)
    held = checking.rules(api.catalogue(config).indicators)
    report = checking.check_files(paths, period, layout, held)
    sys.stdout.write(checking.render(report, output))
    if output == "json":
        for line in checking.summary(report):
            typer.echo(line, err=True)
    if not report.ok:
        raise typer.Exit(1)


def main() -> None:
    parallel.allow()  # the command's main is guarded: workers may import it again
    app()
