"""Every organisation's scorecard in one batch: one computation for all of them gives the
same cards, byte for byte, as building each organisation on its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard import api
from scorecard.cli import app
from scorecard.outputs import render_all

runner = CliRunner()


@pytest.mark.slow(seconds=40)
def test_the_batch_gives_each_organisations_own_card() -> None:
    catalogue = api.catalogue(None)
    with api.open_store(None) as store:
        cards = list(api.every_scorecard(store, catalogue, None))
        codes = [c.org_code for c in cards]
        assert codes == sorted(codes)
        assert {"ENG", "ZA1", "ZI1", "Y62"} <= set(codes)
        for card in cards:
            alone = api.scorecard_for(store, catalogue, card.org_code, None)
            assert render_all(card, "x") == render_all(alone, "x"), card.org_code


def test_build_every_org_writes_every_card(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--every-org", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    pages = sorted(p.name for p in tmp_path.glob("*.html") if ".fragment" not in p.name)
    assert "scorecard-ENG-2025-09.html" in pages and "scorecard-ZA1-2025-09.html" in pages
    assert len(list(tmp_path.glob("*.manifest.json"))) == len(pages) >= 10
    both = runner.invoke(app, ["build", "--every-org", "--org", "ZA1"])
    assert both.exit_code == 1 and "give one" in both.stderr
