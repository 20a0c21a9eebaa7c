"""Revisions without loss: every publication is kept, builds use the newest, `--as-of`
rebuilds an earlier scorecard byte for byte, and `scorecard history` lists the versions.

The revised file is the project's own sample month with one trust's over-4-hours count
raised (and the national total row with it, as a real revision would be).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
from stores import Ingested
from typer.testing import CliRunner

from scorecard import api
from scorecard.board import caveats
from scorecard.cli import app
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[1]
AE = sorted((ROOT / "data" / "ae").glob("*.csv"))
SEPTEMBER = ROOT / "data" / "ae" / "Monthly-AE-September-2025.csv"
MAPPING = ROOT / "data" / "orgs" / "System-Mapping.csv"
runner = CliRunner()


def _revise(source: Path, target: Path, org: str, extra: int) -> Path:
    """The file with `extra` more over-4-hour type 1 attendances for `org` and the total."""
    rows = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8"))))
    over4 = rows[0].index("Attendances over 4hrs Type 1")
    for row in rows[1:]:
        if row[1] == org or row[0].upper() == "TOTAL":
            row[over4] = str(int(row[over4]) + extra)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    target.write_text(out.getvalue(), encoding="utf-8")
    return target


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _build(db: Path, out: Path, *extra: str) -> dict[str, bytes]:
    _run("build", "--db", str(db), "--out", str(out), "--period", "2025-09", *extra)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _revised(ingested: Ingested, folder: Path) -> tuple[Path, dt.datetime, Path]:
    """A store of the A&E sample, the moment before a revision, and the revised file."""
    db = ingested(*AE, MAPPING, into=folder / "store.duckdb")
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    new = _revise(SEPTEMBER, folder / "Monthly-AE-September-2025-revised.csv", "ZA1", 500)
    out = _run("ingest", str(new), "--db", str(db))
    assert "replacing Monthly-AE-September-2025.csv (kept as an earlier version)" in out
    return db, before, new


@pytest.fixture(scope="module")
def revised(
    ingested: Ingested, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dt.datetime, Path]:
    """`_revised`, made once for the tests that only read the store."""
    return _revised(ingested, tmp_path_factory.mktemp("revised"))


@pytest.fixture
def own_revised(ingested: Ingested, tmp_path: Path) -> tuple[Path, dt.datetime, Path]:
    """`_revised`, for a test that writes to the store."""
    return _revised(ingested, tmp_path)


def test_both_versions_are_kept_and_builds_use_the_newest(
    revised: tuple[Path, dt.datetime, Path],
) -> None:
    db, _, new = revised
    with Store.open(db, read_only=True) as store:
        versions = store.versions("ae", store.latest_month())
        assert [v.file for v in versions] == [SEPTEMBER.name, new.name]
        assert [v.current for v in versions] == [False, True]
        assert versions[0].sha256 == hashlib.sha256(SEPTEMBER.read_bytes()).hexdigest()
        assert versions[1].sha256 == hashlib.sha256(new.read_bytes()).hexdigest()
        assert versions[0].ingested_at < versions[1].ingested_at
    rows = list(
        csv.DictReader(
            io.StringIO(
                _run("values", "--db", str(db), "--org", "ZA1", "--indicator", "ae_4hr_type1_pct")
            )
        )
    )
    latest = next(r for r in rows if r["period"] == "2025-09")
    original = list(csv.DictReader(io.StringIO(SEPTEMBER.read_text(encoding="utf-8"))))
    za1 = next(r for r in original if r["Org Code"] == "ZA1")
    attendances = int(za1["A&E attendances Type 1"]) + int(
        za1["A&E attendances Booked Appointments Type 1"]
    )
    over = int(za1["Attendances over 4hrs Type 1"]) + int(
        za1["Attendances over 4hrs Booked Appointments Type 1"]
    )
    assert float(latest["denominator"]) == attendances
    assert float(latest["numerator"]) == attendances - over - 500  # the revised figure


@pytest.mark.slow(seconds=10)
def test_as_of_rebuilds_the_earlier_scorecard_byte_for_byte(
    revised: tuple[Path, dt.datetime, Path], tmp_path: Path, ingested: Ingested
) -> None:
    db, before, new = revised
    # The scorecard as it was built before the revision arrived, from the store as it was
    # then: the shared store `revised` copied before ingesting the revision (`build` only
    # reads it).
    early_db = ingested(*AE, MAPPING)
    kinds = (".csv", ".fragment.html", ".html", ".parquet", ".xlsx")
    for args in (("--org", "ENG"), ("--org", "ZA1"), ()):
        label = "-".join(args) or "boards"
        early = _build(early_db, tmp_path / f"early{label}", *args)
        now = _build(db, tmp_path / f"now{label}", *args)
        as_of = _build(db, tmp_path / f"asof{label}", *args, "--as-of", before.isoformat())
        compared = [n for n in early if n.endswith(kinds)]
        assert compared and len(compared) == len(early) - len(early) // 6
        for name in compared:
            assert as_of[name] == early[name], name
        assert any(now[n] != early[n] for n in compared)  # the revision shows today
    board = (tmp_path / "nowboards" / "trust-board-ZA1-2025-09.csv").read_text()
    assert f"replace {SEPTEMBER.name}" in board and new.name in board
    old_board = (tmp_path / "asofboards" / "trust-board-ZA1-2025-09.csv").read_text()
    assert new.name not in old_board and "Revised:" not in old_board


def test_as_of_a_date_is_the_end_of_that_day(revised: tuple[Path, dt.datetime, Path]) -> None:
    db, _, _ = revised
    result = runner.invoke(app, ["values", "--db", str(db), "--as-of", "2000-01-01"])
    assert result.exit_code == 1
    assert "nothing had been ingested by 2000-01-01T23:59:59.999999" in result.stderr
    bad = runner.invoke(app, ["values", "--db", str(db), "--as-of", "last week"])
    assert bad.exit_code == 1 and "--as-of: expected a date (YYYY-MM-DD)" in bad.stderr
    sample = runner.invoke(app, ["build", "--as-of", "2026-01-01"])
    assert sample.exit_code == 1 and "--as-of needs a store (--db)" in sample.stderr


def test_history_lists_every_version_with_its_value(
    revised: tuple[Path, dt.datetime, Path],
) -> None:
    db, before, new = revised
    text = _run(
        "history", "ae_4hr_type1_pct", "--db", str(db), "--org", "ZA1", "--period", "2025-09"
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["file"] for r in rows] == [SEPTEMBER.name, new.name]
    assert [r["current"] for r in rows] == ["", "yes"]
    assert rows[0]["sha256"] == hashlib.sha256(SEPTEMBER.read_bytes()).hexdigest()
    assert rows[0]["denominator"] == rows[1]["denominator"]
    assert int(rows[0]["numerator"]) - int(rows[1]["numerator"]) == 500
    assert dt.datetime.fromisoformat(rows[0]["ingested_at"]) <= before
    # As of before the revision, history has one version, and it was the current one then.
    early = _run(
        "history", "ae_4hr_type1_pct", "--db", str(db), "--org", "ZA1", "--period", "2025-09",
        "--as-of", before.isoformat(),
    )  # fmt: skip
    assert [(r["file"], r["current"]) for r in csv.DictReader(io.StringIO(early))] == [
        (SEPTEMBER.name, "yes")
    ]


def test_reingesting_the_first_version_leaves_the_revision_in_use(
    own_revised: tuple[Path, dt.datetime, Path],
) -> None:
    db, _, new = own_revised
    out = _run("ingest", str(SEPTEMBER), "--db", str(db))
    assert f"already stored, unchanged; not used: {new.name} ranks first" in out
    with Store.open(db, read_only=True) as store:
        files = [(v.file, v.current) for v in store.versions("ae", store.latest_month())]
    assert files == [(SEPTEMBER.name, False), (new.name, True)]


def test_provisional_and_revised_statuses_are_footnoted() -> None:
    catalogue = api.catalogue(None)
    with api.open_store(None) as store:
        card = api.board_for(store, catalogue, api.board_specs(None, catalogue)[0], None)
    row = card.rows[0]
    key = (row.indicator.family, row.period)
    notes = caveats(row, card.windows, {}, {key: "provisional"})
    assert f"Provisional: the {row.period.label()} figures may be revised." in notes
    notes = caveats(row, card.windows, {}, {key: "revised"})
    assert f"Revised: the {row.period.label()} figures are a revised publication." in notes
    assert not any(n.startswith(("Provisional", "Revised")) for n in caveats(row, (), {}, {}))
