"""The quick table (render/gt_quick.py's `QuickGT`) renders great-tables' own bytes.

`QuickGT` formats a table's body a column at a time, overriding a private method of
great-tables' `GT`. It is used only with the great-tables versions in `QUICK_VERSIONS`,
and this is the check that holds it there: a trust's, a roll-up's and England's catalogue
cards, every bundled board, and cards whose every text is hostile must render to the bytes
`GT` itself renders, and the quick paths (formats and body) must be the ones taken.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from html import escape
from typing import Any

import great_tables as gt
import great_tables.gt
import polars as pl
import pytest
from great_tables._gt_data import Body

from scorecard import api
from scorecard.cards import board_for, scorecard_for
from scorecard.model import Scorecard
from scorecard.periods import Month
from scorecard.render import gt_quick, html

SEPTEMBER = Month(2025, 9)
EVIL = "<script>alert(1)</script> \"quoted\" 'single' & &amp; </td></table>"

pytestmark = pytest.mark.skipif(
    not gt_quick.QUICK, reason="this great-tables is not one the quick table is used with"
)


def _hostile(card: Scorecard) -> Scorecard:
    """The card with hostile text wherever text reaches the table."""
    rows = tuple(
        replace(row, indicator=replace(row.indicator, name=EVIL + row.indicator.name))
        for row in card.rows
    )
    domains = tuple(
        replace(
            d,
            name=EVIL + d.name,
            rows=tuple(
                replace(r, indicator=replace(r.indicator, name=EVIL), org_name=EVIL) for r in d.rows
            ),
        )
        for d in card.domains
    )
    return replace(card, title=EVIL, org_name=EVIL, rows=rows, domains=domains)


@pytest.fixture(scope="module")
def cards() -> Iterator[list[Scorecard]]:
    catalogue = api.catalogue(None)
    with api.open_store(None) as store:
        orgs = ("ZA1", "ZI1", "Y56", "ENG")  # a trust, an ICB, a region, England
        built = [scorecard_for(store, catalogue, org, SEPTEMBER) for org in orgs]
        specs = api.board_specs(None, catalogue)
        built += [board_for(store, catalogue, spec, None) for spec in specs]
    yield [*built, *(_hostile(card) for card in built)]


def test_every_card_renders_great_tables_own_bytes(
    cards: list[Scorecard], monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:  # the quick path, never great-tables' own
        patch.setattr(Body, "render_formats", _not_called)
        patch.setattr(great_tables.gt, "create_body_component_h", _not_called)  # nor its body
        quick = [html.render_html(card) for card in cards]
    monkeypatch.setattr(html, "QuickGT", gt.GT)
    assert quick == [html.render_html(card) for card in cards]
    assert sum(escape(EVIL) in page for page in quick) == len(cards) // 2  # each hostile one


def test_a_table_not_all_text_is_formatted_by_great_tables() -> None:
    frame = pl.DataFrame({"name": ["a <b>", None, "c"], "n": [1, None, 3]})
    table = gt_quick.QuickGT(frame, id="t").fmt(lambda v: f"<i>{v}</i>", columns="name")
    own = gt.GT(frame, id="t").fmt(lambda v: f"<i>{v}</i>", columns="name")
    assert table.as_raw_html() == own.as_raw_html()


def test_text_with_nulls_and_a_substitution_matches_great_tables() -> None:
    """Nulls left for great-tables to fill, a formatter that skips, a later format over
    an earlier one, and a substitution last."""
    frame = pl.DataFrame({"a": ["x & y", None, "<z>"], "b": ["1", "2", None]})

    def build(kind: type[gt.GT]) -> str:
        table = (
            kind(frame, id="t")
            .fmt(lambda v: f"<b>{v}</b>", columns="a")
            .fmt(lambda v: f"<i>{v}</i>", columns="a", rows=[2])
            .sub_missing(missing_text="none")
        )
        return str(table.as_raw_html())

    assert build(gt_quick.QuickGT) == build(gt.GT)


def _not_called(*args: object, **kwargs: object) -> set[tuple[str, int]]:
    raise AssertionError("great-tables formatted the body cell by cell")


def test_a_new_table_is_great_tables_own() -> None:
    """Built at once, a text table is what `GT` builds: the same body (every cell null
    text), the same fields, and the same table rendered, with or without an id, groups
    and row names."""
    frame = pl.DataFrame({"group": ["g", "g", "h"], "a": ["1", None, "x <y>"]})
    cases: list[dict[str, Any]] = [{}, {"id": "t", "groupname_col": "group"}, {"rowname_col": "a"}]
    for kwargs in cases:
        quick, own = gt_quick.QuickGT(frame, **kwargs), gt.GT(frame, **kwargs)
        assert quick._body.body.equals(own._body.body)
        assert quick._body.body.schema == own._body.body.schema
        assert list(vars(quick)) == list(vars(own))
        if "id" in kwargs:  # without one, great-tables makes a random id
            assert quick.as_raw_html() == own.as_raw_html()
