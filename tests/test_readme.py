"""The README's commands: the CLI examples run, and .ci/run runs the README's test command."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from scorecard.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def _block(marker: str) -> list[str]:
    match = re.search(rf"<!-- {marker} -->\n```sh\n(.*?)```", README, re.S)
    assert match, f"no ```sh block after <!-- {marker} --> in README.md"
    return [line for line in match.group(1).splitlines() if line.strip()]


@pytest.mark.slow(seconds=60)
def test_cli_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "data").symlink_to(ROOT / "data")
    (tmp_path / "scorecards").symlink_to(ROOT / "scorecards")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    lines = _block("cli-examples")
    assert len(lines) >= 5
    for line in lines:
        words = shlex.split(line)
        assert words[0] == "scorecard"
        args: list[str] = []
        for word in words[1:]:
            args += sorted(str(p) for p in Path().glob(word)) if "*" in word else [word]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, f"{line}\n{result.output}"
        assert result.stdout.strip(), line
    assert (tmp_path / "out" / "scorecard-ZA1-2025-09.html").is_file()


def test_quickstart_is_two_commands_and_ci_runs_the_test_one() -> None:
    build, test = _block("build-command"), _block("test-command")
    assert len(build) == 1 and len(test) == 1
    assert build[0].endswith("scorecard build")
    assert "pytest" in test[0] and "mypy" in test[0] and "ruff check" in test[0]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "<!-- test-command -->" in ci  # .ci/run reads and runs that exact line


def _reference_rows() -> dict[str, str]:
    """Each command's row of the README's CLI reference: its usage cell, by command."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    reference = text[text.index("## CLI reference") : text.index("### The month shown")]
    rows = re.findall(r"^\| `scorecard (\w+)([^`]*)` \|", reference, re.M)
    return dict(rows)


def test_the_cli_reference_lists_every_option_of_every_command() -> None:
    """`--config` (and every other option) is listed on each command that takes it."""
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    rows = _reference_rows()
    assert set(rows) == set(commands)
    for name, command in commands.items():
        options = {o for p in command.params for o in p.opts if o.startswith("--")}
        missing = sorted(o for o in options if f"{o}" not in rows[name])
        assert not missing, (name, missing)
