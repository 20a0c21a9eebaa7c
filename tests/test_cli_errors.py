"""Every command, given bad arguments, prints one line on stderr and exits 1: usage errors
(a missing argument, an unknown option, a bad option value) as much as errors in what was
asked for (an unknown organisation, a month with no figures). Never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
AE = ROOT / "data" / "ae" / "Monthly-AE-September-2025.csv"
SAMPLE = [
    "ae/Monthly-AE-August-2025.csv",
    "ae/Monthly-AE-September-2025.csv",
    "ambsys/AmbSYS-to-Sep-2025.csv",
    "orgs/System-Mapping.csv",
]
COMMANDS = (
    "ingest", "build", "values", "indicators", "explain", "chart", "history", "check",
    "league", "funnel",
)  # fmt: skip


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of part of the bundled sample, a folder, and an empty file, side by side."""
    where = tmp_path_factory.mktemp("cli-errors")
    files = [str(ROOT / "data" / f) for f in SAMPLE]
    result = runner.invoke(app, ["ingest", *files, "--db", str(where / "store.duckdb")])
    assert result.exit_code == 0, result.output
    (where / "folder").mkdir()
    (where / "empty.csv").write_text("", encoding="utf-8")
    return where


# {db}, {dir} and {empty} are filled in from the fixture; {ae} is a good published file.
BATTERY: dict[str, list[list[str]]] = {
    "ingest": [
        [],
        ["{dir}/missing.csv"],
        ["{dir}"],
        ["{empty}"],
        ["{ae}", "--period", "2025"],
        ["{ae}", "--layout", "nope"],
        ["{ae}", "--bogus"],
        ["{ae}", "--db"],
    ],
    "build": [
        ["--period", "2030-01", "--org", "ZA1"],
        ["--period", "Sept", "--org", "ZA1"],
        ["--period", "0000-01", "--org", "ZA1"],
        ["--org", "NOPE"],
        ["--org", "ZA1", "--all"],
        ["--scorecard", "{dir}/missing.toml"],
        ["--config", "{dir}"],
        ["--as-of", "yesterday"],
        ["--window", "month"],
        ["--period"],
        ["--every-org", "--period", "2019-01"],
        ["extra"],
    ],
    "values": [
        ["--window", "weekly"],
        ["--period", "2030-01"],
        ["--period", "2025-13"],
        ["--period", "0001-01"],
        ["--indicator", "nope"],
        ["--org", "NOPE"],
        ["--org", "ZA1", "--indicator", "amb_c2_mean"],
        ["--indicator", "amb_c1_p90", "--window", "ytd"],
        ["--as-of", "2025-02-30"],
        ["--db", "{dir}/missing.duckdb"],
        ["--db", "{dir}"],
        ["--peers", "nope"],
        ["--benchmark", "--breakdown", "treatment_function"],
        ["--breakdown", "colour"],
        ["--indicator", "ae_4hr_all_pct", "--breakdown", "110"],
    ],
    "indicators": [["--config", "{dir}"], ["extra"], ["--bogus"]],
    "explain": [
        [],
        ["nope"],
        ["amb_c2_mean", "--org", "ZA1", "--period", "2025-09"],
        ["amb_c2_mean", "--org", "ZA1"],
        ["ae_4hr_all_pct", "--org"],
        ["ae_4hr_all_pct", "--org", "NOPE"],
        ["ae_4hr_all_pct", "--period", "2019-01"],
        ["ae_4hr_all_pct", "--period", "2030-01"],
        ["ae_4hr_all_pct", "extra"],
    ],
    "chart": [
        [],
        ["nope"],
        ["ae_4hr_all_pct", "--org", "ZA1", "--period", "2019-01"],
        ["amb_c2_mean", "--org", "ZA1", "--period", "2025-09"],
        ["ae_4hr_all_pct", "--org", "NOPE"],
        ["ae_4hr_all_pct", "--period", "2025-9-1"],
    ],
    "history": [
        [],
        ["nope"],
        ["ae_4hr_all_pct", "--org", "ZA1", "--period", "2030-01"],
        ["amb_c2_mean", "--org", "ZA1"],
        ["ae_4hr_all_pct", "--as-of", "soon"],
    ],
    "check": [[], ["{ae}", "--format", "xml"], ["{ae}", "--layout", "nope"], ["--bogus"]],
    "league": [
        [],
        ["nope"],
        ["ae_4hr_all_pct", "--period", "2030-01"],
        ["ae_4hr_all_pct", "--peers", "nope"],
        ["ae_4hr_all_pct", "--org", "NOPE"],
        ["ae_4hr_all_pct", "--window", "weekly"],
        ["mrsa_cases"],
        ["ae_4hr_all_pct", "--config", "{dir}"],
    ],
    "funnel": [
        [],
        ["nope"],
        ["ae_attendances"],
        ["ae_4hr_all_pct", "--period", "2030-01"],
        ["ae_4hr_all_pct", "--method", "wilson"],
        ["ae_4hr_all_pct", "--dispersion", "beta"],
        ["ae_4hr_all_pct", "--org", "NOPE"],
        ["ae_4hr_all_pct", "--config", "{dir}"],
    ],
}
NEEDS_STORE = {"build", "values", "explain", "chart", "history", "league", "funnel"}


def _cases() -> list[object]:
    return [
        pytest.param(command, args, id=" ".join([command, *args]))
        for command in COMMANDS
        for args in BATTERY[command]
    ]


def test_the_battery_covers_every_command() -> None:
    names = {c.name or c.callback.__name__ for c in app.registered_commands if c.callback}
    assert names == set(COMMANDS) == set(BATTERY)


@pytest.mark.parametrize(("command", "args"), _cases())
def test_bad_arguments_give_one_line_and_exit_1(
    folder: Path, command: str, args: list[str]
) -> None:
    fill = {"db": folder / "store.duckdb", "dir": folder / "folder", "empty": folder / "empty.csv"}
    words = [a.format(ae=AE, **fill) for a in args]
    if command in NEEDS_STORE and "--db" not in words:
        words += ["--db", str(fill["db"])]
    if command in {"build", "chart", "league", "funnel"}:
        words += ["--out", str(folder / "out")]
    result = runner.invoke(app, [command, *words])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("error: ")
    assert not (folder / "out").exists()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["values", "--window", "weekly"], "'--window': Value error, 'weekly' is not one of"),
        (["ingest"], "scorecard ingest: Missing argument"),
        (["values", "--bogus"], "scorecard values: No such option: --bogus"),
        (["indicators", "extra"], "scorecard indicators: Got unexpected extra argument"),
    ],
)
def test_a_usage_error_names_the_command_and_the_option(args: list[str], needle: str) -> None:
    result = runner.invoke(app, args, prog_name="scorecard")
    assert result.exit_code == 1
    assert needle in result.stderr


@pytest.mark.parametrize("args", [["--help"], *[[c, "--help"] for c in COMMANDS], []])
def test_help_still_works(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.stdout and result.stderr == ""
