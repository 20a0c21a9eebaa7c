"""`scorecard explain` computes the card of its one indicator; the row, and what explain
says of it, are those of the organisation's whole card at the same month."""

from __future__ import annotations

import pytest

from scorecard import api
from scorecard.errors import ScorecardError
from scorecard.explain import explain_text


@pytest.mark.slow(seconds=8)
def test_the_row_is_the_whole_cards_row() -> None:
    """Each indicator once, for a trust or for England (a roll-up) in turn within its family
    (its id's first word): every family is compared at both, where it has two indicators
    or more, at half the cost of comparing each at both (an explain takes ~0.1 s)."""
    catalogue = api.catalogue()
    families: dict[str, list[str]] = {}
    for ind in catalogue.indicators:
        families.setdefault(ind.split("_")[0], []).append(ind)
    trust = [i for members in families.values() for i in members[::2]]
    england = [i for members in families.values() for i in members[1::2]]
    compared = 0
    with api.open_store(None) as store:
        for org, indicators in (("ZA1", trust), ("ENG", england)):
            cards = {}
            for ind in indicators:
                try:
                    row, measures = api.explain_row(store, catalogue, ind, org, None)
                except ScorecardError:
                    continue  # no figure for it: refused as before
                if row.period not in cards:
                    cards[row.period] = api.scorecard_for(store, catalogue, org, row.period)
                whole = next(r for r in cards[row.period].rows if r.indicator.id == ind)
                assert row == whole
                assert explain_text(row, measures) == explain_text(whole, measures)
                compared += 1
    assert compared > 30
