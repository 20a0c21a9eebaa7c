"""The sample trust board, built once per test process, and a copy of the configuration
folder to change: shared by the tests of a board's own sections."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

from scorecard import api
from scorecard.model import Scorecard
from scorecard.periods import Month

ROOT = Path(__file__).resolve().parents[1]


@cache
def trust_board() -> Scorecard:
    """scorecards/trust-board.toml on the bundled sample, at September 2025."""
    catalogue = api.catalogue(ROOT)
    spec = api.board_spec(ROOT / "scorecards" / "trust-board.toml", catalogue)
    with api.open_store(None) as store:
        return api.board_for(store, catalogue, spec, Month(2025, 9))


def copy_config(tmp_path: Path) -> Path:
    """indicators/, scorecards/ (with the sample board's own files) and thresholds.toml,
    copied into `tmp_path`/config."""
    config = tmp_path / "config"
    for part in ("indicators", "scorecards"):
        shutil.copytree(ROOT / part, config / part)
    shutil.copy(ROOT / "thresholds.toml", config)
    return config
