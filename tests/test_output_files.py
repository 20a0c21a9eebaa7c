"""Output files safe to hand on: the umask's permissions, all or none of a build's set, one
line for every failure (a disk that fills, `--out` naming a file), no temporary file left
behind, and rules that show values as the tables do.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard import api
from scorecard.cli import app
from scorecard.errors import OutputError
from scorecard.model import Scorecard, Standard, Unit, Value, Window
from scorecard.outputs import BuildInfo
from scorecard.periods import Month
from scorecard.rate import compared, rate
from scorecard.render.sections import exceptions_html
from scorecard.writing import HOST, TEMP_PREFIX, clear_stale, write_set

ROOT = Path(__file__).resolve().parents[1]
SEP = Month(2025, 9)
runner = CliRunner()
posix = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes and umask")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small store: the sample's A&E months, the organisations, local measures, commentary."""
    path = tmp_path_factory.mktemp("store") / "store.duckdb"
    files = [
        p for f in ("ae", "orgs", "local", "commentary") for p in (ROOT / "data" / f).glob("*")
    ]
    result = runner.invoke(app, ["ingest", *map(str, sorted(files)), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def card(db: Path) -> Scorecard:
    catalogue = api.catalogue()
    spec = api.board_spec(ROOT / "scorecards" / "trust-board.toml", catalogue)
    with api.open_store(db) as store:
        return api.board_for(store, catalogue, spec, SEP)


@pytest.fixture
def umask() -> Iterator[None]:
    before = os.umask(0o022)
    yield
    os.umask(before)


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@posix
@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002, 0o077])
def test_every_output_has_the_mode_the_umask_gives(
    card: Scorecard, tmp_path: Path, umask: None, mask: int
) -> None:
    os.umask(mask)
    out = tmp_path / "new" / "board-papers"
    (out.parent / "old").mkdir(parents=True)
    paths = api.build(card, out, "trust-board", BuildInfo(command="scorecard build"))
    paths.append(api.chart(card.rows[0], out))
    assert len(paths) == 7 and {p.parent for p in paths} == {out}
    assert {_mode(p) for p in paths} == {0o666 & ~mask}
    assert _mode(out) == _mode(out.parent) == 0o777 & ~mask  # folders it made
    # A file replaced by a later build gets the same mode as a new one.
    os.umask(0o022)
    paths[0].chmod(0o600)
    api.build(card, out, "trust-board")
    assert _mode(paths[0]) == 0o644


def _full_after(monkeypatch: pytest.MonkeyPatch, writes: int) -> None:
    """The disk fills after `writes` files have reached it."""
    done = [0]
    real = os.fsync

    def fsync(fd: int) -> None:
        if done[0] >= writes:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        done[0] += 1
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


@pytest.mark.parametrize("writes", [0, 1, 3, 5])
def test_a_disk_that_fills_leaves_no_part_of_the_set(
    card: Scorecard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writes: int
) -> None:
    out = tmp_path / "out"
    info = BuildInfo(command="scorecard build")
    _full_after(monkeypatch, writes)
    with pytest.raises(OutputError) as raised:
        api.build(card, out, "trust-board", info)
    message = raised.value.one_line()
    assert "No space left on device" in message and str(out / "trust-board-ZA1-2025-09") in message
    assert "none of the 6 files" in message
    assert list(out.iterdir()) == []  # no lone page, no hidden temporary file


def test_a_failed_build_leaves_the_previous_set_as_it_was(
    card: Scorecard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {p.name: p.read_bytes() for p in api.build(card, tmp_path, "trust-board")}
    changed = card.__class__(**{**card.__dict__, "title": "A later title"})
    _full_after(monkeypatch, 2)
    with pytest.raises(OutputError):
        api.build(changed, tmp_path, "trust-board")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_rename_that_fails_part_way_puts_the_previous_files_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_set(tmp_path, [("a.html", b"old a"), ("b.csv", b"old b"), ("c.json", b"old c")])
    real = Path.replace
    calls = [0]

    def replace(self: Path, target: Path | str) -> Path:
        calls[0] += 1
        if calls[0] == 3:  # the third rename of the new set
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    with pytest.raises(OutputError, match=r"c\.json: cannot write"):
        write_set(tmp_path, [("a.html", b"new a"), ("b.csv", b"new b"), ("c.json", b"new c")])
    monkeypatch.undo()
    got = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert got == {"a.html": b"old a", "b.csv": b"old b", "c.json": b"old c"}


def test_the_cli_says_in_one_line_what_failed(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _full_after(monkeypatch, 2)
    out = tmp_path / "out"
    args = ["build", "--org", "ENG", "--period", "2025-09", "--db", str(db), "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot write: No space left on device" in lines[0]
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("command", ["build", "chart"])
def test_out_naming_a_file_is_one_line(db: Path, tmp_path: Path, command: str) -> None:
    taken = tmp_path / "report.pdf"
    taken.write_bytes(b"someone's file")
    args = ["build", "--org", "ENG"] if command == "build" else ["chart", "ae_4hr_all_pct"]
    for out in (taken, taken / "sub"):
        result = runner.invoke(
            app, [*args, "--period", "2025-09", "--db", str(db), "--out", str(out)]
        )
        assert result.exit_code == 1, result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and f"{taken}: is a file, not a folder" in lines[0], lines
    assert taken.read_bytes() == b"someone's file"


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_crashed_builds_temporary_files_are_cleared_by_the_next(
    card: Scorecard, tmp_path: Path
) -> None:
    """A build killed outright leaves its temporary files; the next write into the folder
    removes those of processes no longer running, never those of one still writing."""
    dead, alive = _dead_pid(), os.getppid()
    stale = tmp_path / f"{TEMP_PREFIX}{HOST}-{dead}-abc123"
    stale.write_bytes(b"half a page")
    stale_dir = tmp_path / f"{TEMP_PREFIX}{HOST}-{dead}-def456"
    (stale_dir / "inner").mkdir(parents=True)
    running = tmp_path / f"{TEMP_PREFIX}{HOST}-{alive}-ghi789"
    running.write_bytes(b"another build, still writing")
    elsewhere = tmp_path / f"{TEMP_PREFIX}otherhost-{dead}-jkl012"
    elsewhere.write_bytes(b"a build on another machine sharing the drive")
    api.build(card, tmp_path, "trust-board")
    hidden = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("."))
    assert hidden == sorted([running.name, elsewhere.name])


def test_a_killed_build_leaves_nothing_for_the_next(db: Path, tmp_path: Path) -> None:
    """The real command, killed while it writes: the next build finds no temporary file."""
    code = (
        "import os, signal, sys\n"
        "real = os.fsync\n"
        "def fsync(fd):\n"
        "    real(fd)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "os.fsync = fsync\n"
        "from scorecard.cli import app\n"
        "sys.argv = ['scorecard', 'build', '--org', 'ENG', '--period', '2025-09',\n"
        "            '--db', sys.argv[2], '--out', sys.argv[1]]\n"
        "app()\n"
    )
    out = tmp_path / "out"
    killed = subprocess.run([sys.executable, "-c", code, str(out), str(db)], check=False, cwd=ROOT)
    assert killed.returncode == -9
    # Killed at the first flush to disk: the set's files are all written, none renamed.
    left = [p.name[: len(TEMP_PREFIX)] for p in out.iterdir()]
    assert left == [TEMP_PREFIX] * 6
    args = ["chart", "ae_4hr_all_pct", "--period", "2025-09", "--db", str(db), "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["chart-ae_4hr_all_pct-ENG-2025-09.svg"]


def test_clear_stale_ignores_other_hidden_files(tmp_path: Path) -> None:
    (tmp_path / ".keep").write_text("")
    (tmp_path / f"{TEMP_PREFIX}not-a-name").write_text("")
    assert clear_stale(tmp_path) == []
    assert len(list(tmp_path.iterdir())) == 2


# Rules: values as the tables show them, never a float's raw digits.

LONG_FLOAT = re.compile(r"\d\.\d{3,}")


def test_no_rule_on_the_board_shows_raw_digits(card: Scorecard) -> None:
    rules = [c.rating.rule for row in card.rows for c in map(row.cell, Window)]
    assert len(rules) > 20
    assert not [r for r in rules if LONG_FLOAT.search(r)]


def test_the_exception_report_shows_values_as_the_table_does(card: Scorecard) -> None:
    html = exceptions_html(card, "b")
    assert "compared unrounded" in html  # a row with commentary, when none is an exception
    assert not LONG_FLOAT.search(html)


def _rule(value: float, standard: float, lower: float | None) -> str:
    ind = api.catalogue().indicator("ae_4hr_all_pct")
    std = Standard(ind.id, Month(2025, 4), None, standard, lower, "basis", "source")
    return rate(Value(ind.id, "ENG", SEP, Window.MONTH, value, 100.0, value, 1), ind, std).rule


def test_a_rule_shows_the_value_rounded_as_the_table_does() -> None:
    rule = _rule(74.03628117913833, 95.0, 78.0)
    assert "74.0%" in rule and "74.036" not in rule


@pytest.mark.parametrize(("value", "side"), [(94.96, "below"), (95.04, "above"), (77.96, "below")])
def test_a_value_rounded_onto_a_standard_says_which_side_it_is(value: float, side: str) -> None:
    rule = _rule(value, 95.0, 78.0)
    assert f"just {side} it" in rule and not LONG_FLOAT.search(rule)
    assert compared(value, Unit.PERCENT, 96.0, None) == "compared unrounded"
