"""One published truth per figure: the publication a build uses never depends on the order
files were ingested in, every stored version keeps its own figures, and every state the
store was in after an ingest can be reached with `--as-of`.

Synthetic extracts test the rules; NHS England's real A&E files (skipped when absent) test
the acceptance: the official CSVs and the provider-level sheets, in any order, in one batch
or one by one, give byte-identical `scorecard values`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.errors import StoreError
from scorecard.periods import Month
from scorecard.precedence import publication_rank, revision_rank
from scorecard.sources.base import Extract
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[1]
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "ae"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
runner = CliRunner()


def _extract(
    file: str, fmt: str, figures: dict[str, float], month: str = "2025-04", scope: str = ""
) -> Extract:
    """An A&E extract of one month: figures by "ORG measure"."""
    keys = sorted(figures)
    day = Month.parse(month).first_day()
    obs = pl.DataFrame(
        {
            "period": [day] * len(keys),
            "org_code": [k.split()[0] for k in keys],
            "measure": [k.split()[1] for k in keys],
            "value": [float(figures[k]) for k in keys],
        }
    )
    orgs = obs.select("period", "org_code").unique().sort("org_code")
    orgs = orgs.with_columns(org_name=pl.col("org_code"), parent_name=pl.lit("REGION"))
    sha = f"{file}:{sorted(figures.items())}"
    return Extract(file, fmt, "ae", sha, obs, orgs, scope=scope)


def _used(store: Store) -> list[tuple[str, str, float]]:
    rows = store.con.sql(
        "SELECT org_code, measure, value FROM current_observations ORDER BY ALL"
    ).fetchall()
    return [(str(o), str(m), float(v)) for o, m, v in rows]


SHEET = _extract("April-2025-AE.csv", "ae_provider_sheet", {"A att": 100, "A over": 30})
OFFICIAL = _extract("Monthly-AE-April-2025.csv", "ae_monthly_csv", {"A att": 100, "A over": 25})
REVISED = replace(
    _extract("Monthly-AE-April-2025-revised.csv", "ae_monthly_csv", {"A att": 100, "A over": 20}),
    status="revised",
)
V2 = _extract("Monthly-AE-April-2025-v2.csv", "ae_monthly_csv", {"A att": 100, "A over": 22})


def test_publication_and_revision_ranks() -> None:
    assert publication_rank("ae_monthly_csv") > publication_rank("ae_provider_sheet")
    assert publication_rank("rtt_full_csv") > publication_rank("rtt_incomplete_sheet")
    assert publication_rank("dm01_provider_csv") > publication_rank("dm01_provider_by_test_csv")
    assert publication_rank("dm01_provider_by_test_csv") == publication_rank("ambsys_csv")
    names = [
        ("x-provisional.csv", "provisional"),
        ("x.csv", None),
        ("x-v2.csv", None),
        ("August-2025-CSV-g5tyh-v2.0.csv", None),
        ("x-v3.1.xlsx", "final"),
        ("x-revised.csv", "revised"),
    ]
    ranks = [revision_rank(f, s) for f, s in names]
    assert ranks == sorted(ranks) and ranks[2] == ranks[3] > ranks[1]
    assert revision_rank("Monthly-AE-June-2025-1-1.csv", None) == revision_rank("x.csv", None)
    assert revision_rank("survey.csv", None) == revision_rank("preview.csv", None)
    # Of two time series, the one reaching the later month; status still comes first.
    assert revision_rank("a.csv", None, 24310) > revision_rank("b-v9.csv", None, 24309)
    assert revision_rank("a.csv", "revised", 1) > revision_rank("b.csv", None, 24309)


def test_of_two_ambsys_time_series_in_one_command_the_later_reaching_one_is_used() -> None:
    def series(file: str, months: list[str], c1: float) -> Extract:
        parts = [_extract(file, "ambsys_csv", {"R1 c1": c1}, m) for m in months]
        return replace(
            parts[0],
            observations=pl.concat([p.observations for p in parts]),
            orgs=pl.concat([p.orgs for p in parts]),
        )

    september = series("AmbSYS-to-Sep-2025.csv", ["2025-08", "2025-09"], 400)
    october = series("AmbSYS-to-Oct-2025.csv", ["2025-08", "2025-09", "2025-10"], 410)
    for batch in ([september, october], [october, september]):
        with Store.open(None) as store:
            store.ingest(batch)
            used = store.con.sql(
                "SELECT DISTINCT l.file FROM current_observations o JOIN loads l USING (load_id)"
            ).fetchall()
            assert used == [(october.file,)]


@settings(max_examples=12, deadline=None)
@given(st.permutations([SHEET, OFFICIAL, REVISED, V2]), st.lists(st.booleans(), min_size=3))
def test_any_order_in_any_batches_uses_the_same_figures(
    order: list[Extract], splits: list[bool]
) -> None:
    """The revised official file is used, however the four files are ordered and split
    into ingest commands, and every file is kept."""
    batches: list[list[Extract]] = [[order[0]]]
    for ex, new_batch in zip(order[1:], splits, strict=False):
        if new_batch:
            batches.append([ex])
        else:
            batches[-1].append(ex)
    with Store.open(None) as store:
        for batch in batches:
            store.ingest(batch)
        assert _used(store) == [("A", "att", 100.0), ("A", "over", 20.0)]
        kept = store.con.sql("SELECT count(*) FROM loads").fetchall()
        assert kept == [(4,)]
        versions = store.versions("ae", Month(2025, 4))
        assert [v.file for v in versions if v.current] == [REVISED.file]
        assert all(v.used_instead == REVISED.file for v in versions if not v.current)


def test_a_lower_ranked_file_is_kept_but_not_used_and_the_disagreement_is_said() -> None:
    with Store.open(None) as store:
        [first] = store.ingest([OFFICIAL])
        assert first.action == "stored"
        [second] = store.ingest([SHEET])
        assert (second.action, second.replaced_file) == ("kept", OFFICIAL.file)
        assert "the official monthly A&E statistics file over" in second.describe()
        summary, example = second.warnings
        assert "1 figure differs from Monthly-AE-April-2025.csv" in summary
        assert "Monthly-AE-April-2025.csv is used" in summary
        assert example.endswith("A over: 30 here, 25 in Monthly-AE-April-2025.csv")
        assert _used(store) == [("A", "att", 100.0), ("A", "over", 25.0)]


def test_the_same_file_again_changes_nothing_even_when_it_is_not_the_one_used() -> None:
    with Store.open(None) as store:
        store.ingest([SHEET, OFFICIAL])
        before = store.snapshot()
        results = store.ingest([SHEET, OFFICIAL])
        assert [r.action for r in results] == ["unchanged", "unchanged"]
        assert "not used: Monthly-AE-April-2025.csv ranks first" in results[0].describe()
        assert store.snapshot() == before


def test_two_equal_files_in_one_command_are_refused_and_nothing_is_stored() -> None:
    other = replace(
        _extract("Monthly-AE-April-2025-copy.csv", "ae_monthly_csv", {"A over": 26}),
    )
    with Store.open(None) as store:
        store.ingest([SHEET])
        before = store.snapshot()
        with pytest.raises(StoreError) as err:
            store.ingest([other, OFFICIAL])
        text = str(err.value)
        assert "\n" not in text and "nothing was stored" in text
        assert "Monthly-AE-April-2025" in text and "same publication and revision" in text
        assert store.snapshot() == before
        # One at a time, the later command's file is the revision.
        store.ingest([OFFICIAL])
        [result] = store.ingest([other])
        assert result.action == "replaced"
        assert "ingested by a later command" in result.describe()
    # A copy that agrees on every figure is no choice to make: both are stored, and the
    # figures are the same whichever is cited.
    same = replace(OFFICIAL, file="Monthly-AE-April-2025 (1).csv", sha256="copy")
    with Store.open(None) as store:
        assert len(store.ingest([same, OFFICIAL])) == 2
        assert _used(store) == [("A", "att", 100.0), ("A", "over", 25.0)]


def test_history_gives_each_version_its_own_figures_within_one_batch(tmp_path: Path) -> None:
    """Both files of a month in one ingest: each version reports the figure in its file."""
    db = tmp_path / "store.duckdb"
    store = Store.open(db)
    store.ingest([SHEET, OFFICIAL])
    versions = store.versions("ae", Month(2025, 4))
    assert [(v.file, v.current) for v in versions] == [(SHEET.file, False), (OFFICIAL.file, True)]
    own = {}
    for v in versions:
        store.set_as_of(None, pin=v.load_id)
        own[v.file] = _used(store)
    store.set_as_of(None)
    store.close()
    assert own[SHEET.file] == [("A", "att", 100.0), ("A", "over", 30.0)]
    assert own[OFFICIAL.file] == [("A", "att", 100.0), ("A", "over", 25.0)]


def test_every_ingest_is_a_moment_of_its_own_that_as_of_can_reach(tmp_path: Path) -> None:
    """Even with a clock that stands still or goes back, each ingest command gets a time
    after the last, and `as_of` that time shows exactly the store as it stood then."""
    db = tmp_path / "store.duckdb"
    clock = dt.datetime(2026, 1, 1, 12, 0, 0)
    states = []
    with Store.open(db) as store:
        for i, batch in enumerate([[SHEET], [OFFICIAL], [REVISED]]):
            store.ingest(batch, at=clock - dt.timedelta(seconds=i))  # the clock goes back
            states.append(_used(store))
        times = sorted({v.ingested_at for v in store.versions("ae", Month(2025, 4))})
    assert len(times) == 3 and times == sorted(times)
    for moment, state in zip(times, states, strict=True):
        with Store.open(db, read_only=True, as_of=moment) as store:
            assert _used(store) == state
    assert [s[1][2] for s in states] == [30.0, 25.0, 20.0]


def _values(db: Path) -> str:
    result = runner.invoke(app, ["values", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.slow(seconds=10)
@needs_real
def test_real_ae_files_in_any_order_give_identical_values(tmp_path: Path) -> None:
    """The six official CSVs and the provider-level sheets of the same months (and one
    month only the sheets have), in one batch forwards and backwards and one by one."""
    files = sorted(p for p in REAL.glob("*.csv") if not p.name.startswith("nhsr"))
    sheets = REAL / "provider_level_sheet"
    files += [sheets / f"{m}-2025-AE.csv" for m in ("April", "June", "September", "October")]
    outputs = {}
    for label, order, batched in (
        ("forwards", files, True),
        ("backwards", files[::-1], True),
        ("one by one, backwards", files[::-1], False),
    ):
        db = tmp_path / f"{label}.duckdb"
        for batch in [order] if batched else [[f] for f in order]:
            result = runner.invoke(app, ["ingest", *map(str, batch), "--db", str(db)])
            assert result.exit_code == 0, result.output
        outputs[label] = _values(db)
    assert len(set(outputs.values())) == 1
    rows = list(csv.DictReader(io.StringIO(outputs["forwards"])))
    england = {
        r["period"]: r
        for r in rows
        if r["org_code"] == "ENG" and r["indicator_id"] == "ae_4hr_all_pct"
    }
    # September 2025 is the official CSV's figure (75.0%), not the sheet's (75.1%).
    assert f"{float(england['2025-09']['value']):.1f}" == "75.0"
    assert "2025-10" in england  # a month only the sheet publishes is still there


@needs_real
def test_real_history_shows_each_publications_own_england_figure(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    official, sheet = "September-2025-Csv-7hjr2.csv", "September-2025-AE.csv"
    pair = [REAL / official, REAL / "provider_level_sheet" / sheet]
    result = runner.invoke(app, ["ingest", *map(str, pair), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "figures differ from September-2025-AE.csv" in result.stderr
    args = ["history", "ae_4hr_all_pct", "--org", "ENG", "--period", "2025-09", "--db", str(db)]
    shown = runner.invoke(app, args)
    assert shown.exit_code == 0, shown.output
    rows = {r["file"]: r for r in csv.DictReader(io.StringIO(shown.stdout))}
    # Each version's figures are those of its own file, built alone.
    for path in pair:
        alone = tmp_path / f"{path.stem}.duckdb"
        assert runner.invoke(app, ["ingest", str(path), "--db", str(alone)]).exit_code == 0
        own = runner.invoke(app, [*args[:-1], str(alone)])
        [single] = list(csv.DictReader(io.StringIO(own.stdout)))
        got = rows[path.name]
        assert (got["numerator"], got["denominator"]) == (
            single["numerator"],
            single["denominator"],
        )
    assert rows[official]["current"] == "yes"
    assert rows[sheet]["used_instead"] == official
    assert rows[sheet]["numerator"] != rows[official]["numerator"]
