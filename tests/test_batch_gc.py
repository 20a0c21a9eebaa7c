"""A batch worker freezes each chunk's traced cards out of the garbage collector's passes
(scorecard.batch._settled). That is safe only because assembling and tracing a card make
no reference cycles: a frozen card is still freed, by its reference count alone, when its
chunk lets it go, and no cycle of it is kept for good."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from scorecard import api
from scorecard.cards import assemble_card, card_months, traced_all, values_for
from scorecard.outputs import render_set


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_cards_make_no_reference_cycles_and_are_freed_when_let_go(collector_off: None) -> None:
    catalogue = api.catalogue()
    with api.open_store(None) as store:
        months = card_months(store, catalogue, None)
        inds = list(catalogue.indicators.values())
        values = values_for(store, inds, max(months.values()), lo=min(months.values()))
        by_org = values.partition_by("org_code", as_dict=True, maintain_order=True)
        gc.collect()  # whatever opening the store and computing left behind
        raw = [assemble_card(store, catalogue, o, m, by_org[(o,)]) for o, m in months.items()]
        cards = traced_all(store, catalogue, raw)
        del raw
        assert gc.collect() == 0  # nothing of assembling or tracing is held in a cycle
        files = [render_set(card, "x") for card in cards[:3]]
        assert len(cards) == len(months) > 10 and all(files)
        alive = [weakref.ref(card) for card in cards]
        del cards
        assert not any(ref() for ref in alive)  # freed with the collector off
