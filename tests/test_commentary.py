"""The commentary file: read, validated, stored, and attached to the board rows it names."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard import api
from scorecard.cli import app
from scorecard.errors import SourceError
from scorecard.periods import Month
from scorecard.sources import read_extract
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "commentary" / "commentary-2025-09.csv"
HEADER = "Indicator,Org Code,Period,Commentary\n"
runner = CliRunner()


def _file(tmp_path: Path, body: str, name: str = "commentary-2025-09.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_comments_are_read_as_written(tmp_path: Path) -> None:
    text = 'ae_4hr_all_pct,za1,Sep-25,"Two lines:\n- <b>not bold</b> & more"\n'
    extract = read_extract(_file(tmp_path, text))
    assert extract.comments is not None
    assert extract.comments.rows() == [
        (
            Month(2025, 9).first_day(),
            "ZA1",
            "ae_4hr_all_pct",
            "Two lines:\n- <b>not bold</b> & more",
        )
    ]
    assert extract.observations.is_empty()


@pytest.mark.parametrize(
    ("body", "column", "problem"),
    [
        ("ae_4hr_all_pct,ZA1,2025-09,a\nae_4hr_all_pct,ZA1,Sep-25,b\n", "Period",
         "a second comment"),
        ("ae_4hr_all_pct,ZA1,09/2025,a\n", "Period", "expected a month as YYYY-MM"),
        ("AE 4hr,ZA1,2025-09,a\n", "Indicator", "expected an indicator id"),
    ],
)  # fmt: skip
def test_bad_commentary_is_one_line_naming_column_and_row(
    tmp_path: Path, body: str, column: str, problem: str
) -> None:
    with pytest.raises(SourceError) as err:
        read_extract(_file(tmp_path, body))
    message = err.value.one_line()
    assert f"column '{column}'" in message and problem in message
    assert "row 2" in message or "row 3" in message


def test_a_commentary_file_wins_over_a_local_comment_and_reingest_is_unchanged(
    tmp_path: Path,
) -> None:
    store = Store.open(None)
    local = tmp_path / "local.csv"
    local.write_text(
        "Indicator,Org Code,Period,Value,Numerator,Denominator,Plan,Comment\n"
        "mrsa_cases,ZA1,2025-09,1,,,,from the local file\n",
        encoding="utf-8",
    )
    notes = _file(tmp_path, "mrsa_cases,ZA1,2025-09,from the commentary file\n")
    store.ingest([read_extract(local), read_extract(notes)])
    got = store.comments("ZA1", Month(2025, 9), Month(2025, 9))
    assert got["comment"].to_list() == ["from the local file", "from the commentary file"]
    assert [r.action for r in store.ingest([read_extract(notes)])] == ["unchanged"]


def test_sample_commentary_reaches_the_trust_board(tmp_path: Path) -> None:
    catalogue = api.catalogue()
    spec = api.board_spec(ROOT / "scorecards" / "trust-board.toml", catalogue)
    with api.open_store(None) as store:
        card = api.board_for(store, catalogue, spec, Month(2025, 9))
    commented = {(r.indicator.id, r.org_code): r.comment for r in card.rows if r.comment}
    assert commented[("cwt_62d_combined_pct", "ZI1")].startswith("62-day performance")
    assert "<script>alert(1)</script>" in commented[("fft_ae_recommend", "ZA1")]
    result = runner.invoke(app, ["ingest", str(SAMPLE), "--db", str(tmp_path / "s.duckdb")])
    assert "commentary 2025-09: 3 comments stored" in result.output


def test_generator_rewrites_the_sample_byte_for_byte(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "generate_commentary", ROOT / "data" / "generate_commentary.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    assert module.main(["--out", str(tmp_path)]) == 0
    assert (tmp_path / SAMPLE.name).read_bytes() == SAMPLE.read_bytes()
