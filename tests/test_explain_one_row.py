"""`scorecard explain` computes the card of its one indicator; the row, and what explain
says of it, are those of the organisation's whole card at the same month."""

from __future__ import annotations

from scorecard import api
from scorecard.errors import ScorecardError
from scorecard.explain import explain_text


def test_the_row_is_the_whole_cards_row() -> None:
    catalogue = api.catalogue()
    compared = 0
    with api.open_store(None) as store:
        for org in ("ZA1", "ENG"):
            cards = {}
            for ind in catalogue.indicators:
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
    assert compared > 40
