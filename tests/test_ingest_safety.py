"""Atomic ingest under stress: a process killed or interrupted mid-ingest, and a second
process on the same store. Each runs the real command in a subprocess.

The ingest waits inside its transaction, after writing its first file, when
SCORECARD_PAUSE_AFTER_WRITES is set (scorecard.api), so the signal lands mid-write.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from stores import Ingested
from typer.testing import CliRunner

from scorecard.api import PAUSE_AFTER_WRITES
from scorecard.cli import app
from scorecard.parallel import WORKERS
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[1]
AE = sorted((ROOT / "data" / "ae").glob("*.csv"))
DM01 = sorted((ROOT / "data" / "dm01").glob("*.csv"))
runner = CliRunner()
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _scorecard(*args: str, pause: int | None = None) -> subprocess.Popen[str]:
    # The files are read in the command's own process: a pool of readers would start (and
    # be gone again) before the first write, and these tests are about what follows it.
    env = {**os.environ, WORKERS: "1"}
    if pause is not None:
        env[PAUSE_AFTER_WRITES] = str(pause)
    return subprocess.Popen(
        [sys.executable, "-m", "scorecard", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _wait_for(proc: subprocess.Popen[str], text: str) -> None:
    """Read stderr until `text` appears (the process is then paused mid-transaction)."""
    assert proc.stderr is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if text in line:
            return
        if not line and proc.poll() is not None:
            break
    proc.kill()
    pytest.fail(f"the ingest never said {text!r}")


@pytest.fixture
def db(ingested: Ingested, tmp_path: Path) -> Path:
    return ingested(*AE[:6], into=tmp_path / "store.duckdb")


def _snapshot(db: Path) -> tuple[object, ...]:
    with Store.open(db, read_only=True) as store:
        return store.snapshot()


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_ingest_leaves_the_store_as_it_was(db: Path, sig: signal.Signals) -> None:
    before = _snapshot(db)
    proc = _scorecard("ingest", *map(str, AE[6:] + DM01), "--db", str(db), pause=3)
    _wait_for(proc, "paused after writing")
    proc.send_signal(sig)
    proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert _snapshot(db) == before  # three files were written, none committed
    again = runner.invoke(app, ["ingest", *map(str, AE[6:]), "--db", str(db)])
    assert again.exit_code == 0 and "unchanged" not in again.output  # nothing half-stored


def test_ctrl_c_mid_ingest_is_one_line_and_stores_nothing(db: Path) -> None:
    before = _snapshot(db)
    proc = _scorecard("ingest", *map(str, AE[6:]), "--db", str(db), pause=2)
    _wait_for(proc, "paused after writing")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.strip().splitlines() == ["error: interrupted; the store is as it was before"]
    assert _snapshot(db) == before


def test_a_second_writer_is_told_the_store_is_in_use(db: Path) -> None:
    holder = _scorecard("ingest", *map(str, AE[6:]), "--db", str(db), pause=1)
    _wait_for(holder, "paused after writing")
    try:
        second = _scorecard("ingest", str(AE[-1]), "--db", str(db))
        _, err = second.communicate(timeout=120)
        reader = _scorecard("build", "--db", str(db), "--org", "ENG", "--out", str(db.parent))
        _, read_err = reader.communicate(timeout=120)
    finally:
        holder.kill()
        holder.communicate(timeout=60)
    for code, text in ((second.returncode, err), (reader.returncode, read_err)):
        assert code == 1
        lines = text.strip().splitlines()
        assert len(lines) == 1, text
        assert lines[0].startswith(f"error: {db}: the store is in use by another build or ingest")
        assert "Traceback" not in text


def test_an_unknown_organisation_code_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    """A code no earlier publication had (a new trust) is stored, with a warning naming it."""
    september = ROOT / "data" / "ae" / "Monthly-AE-September-2025.csv"
    rows = list(csv.reader(io.StringIO(september.read_text(encoding="utf-8"))))
    copy = next(r for r in rows if r[1] == "ZA1")
    total = next(r for r in rows if r[0].upper() == "TOTAL")
    new = [*copy[:1], "ZN9", copy[2], "NEWBRIDGE HOSPITALS NHS TRUST", *copy[4:]]
    for i in range(4, len(total)):
        total[i] = str(int(total[i]) + int(copy[i]))
    at = rows.index(total)
    rows.insert(at, new)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    edited = tmp_path / september.name
    edited.write_text(out.getvalue(), encoding="utf-8")
    db = tmp_path / "s.duckdb"
    earlier = [p for p in AE if p.name != september.name]
    assert runner.invoke(app, ["ingest", *map(str, earlier), "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["ingest", str(edited), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().splitlines() == [
        f"warning: {september.name}: 1 organisation code not in any earlier ae publication: "
        f"ZN9 (NEWBRIDGE HOSPITALS NHS TRUST, row {at + 1}); stored (a new or renamed "
        "organisation?)"
    ]
    with Store.open(db, read_only=True) as store:
        assert "ZN9" in store.org_names()
