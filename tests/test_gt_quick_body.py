"""The quick body (render/gt_quick_body.py) writes great-tables' own `<tbody>`, byte for byte.

`QuickGT` writes the body of a table of text columns row by row, rather than through
great-tables' per-cell `_create_row_component_h`. Tables made at random from the features
that reach the body (row names, row groups, striping, styles on cells, names and groups,
indents, hidden and moved columns, spanners, formats, nulls, SVG with ids, hostile text) must
render to the bytes `GT` renders, by the quick path; tables with what it does not write
(footnotes, summary rows, groups as a column, two stub columns) by great-tables' own.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import great_tables as gt
import great_tables.gt as gt_module
import polars as pl
import pytest
from great_tables import loc, style

from scorecard.render import gt_quick, gt_quick_body

pytestmark = pytest.mark.skipif(
    not gt_quick.QUICK, reason="this great-tables is not one the quick table is used with"
)

TEXTS = [
    "plain",
    "",
    "x & y <b>bold</b>",
    "<script>alert(1)</script>",
    "\"quoted\" 'single'",
    "95.1%",
    '<svg width="4" height="4"><clipPath id="c"><rect/></clipPath>'
    '<rect clip-path="url(#c)" fill="#0f0"/></svg>',
    "line<br>break",
]
GROUPS = ["Operational", "Quality & safety", "", "<i>Group</i>", "Finance"]


def _frame(rng: random.Random) -> pl.DataFrame:
    rows = rng.randint(1, 9)
    data: dict[str, list[str | None]] = {
        "name": [f"row {i} {rng.choice(TEXTS)}" for i in range(rows)],
        "group": [*sorted(rng.choice(GROUPS) for _ in range(rows))],
    }
    for c in range(rng.randint(1, 5)):
        data[f"v{c}"] = [rng.choice([*TEXTS, None]) for _ in range(rows)]
    return pl.DataFrame(data, schema=dict.fromkeys(data, pl.String))


def _table(kind: type[gt.GT], frame: pl.DataFrame, seed: int) -> gt.GT:
    """A table of `frame` with features drawn from `seed` (the same for both kinds)."""
    rng = random.Random(seed)
    values = [c for c in frame.columns if c.startswith("v")]
    table = kind(
        frame,
        id=rng.choice(["t", "scorecard-ZA1-2025-09", "a b&c"]),
        rowname_col=rng.choice([None, "name"]),
        groupname_col=rng.choice([None, "group"]),
    )
    if rng.random() < 0.5:
        table = table.tab_header(title=rng.choice(TEXTS), subtitle=rng.choice([None, "sub"]))
    if rng.random() < 0.5:
        table = table.fmt(lambda v: f"<em>{v}</em>", columns=rng.sample(values, 1))
    if rng.random() < 0.5:
        table = table.opt_row_striping()
    if rng.random() < 0.3:
        table = table.tab_options(row_striping_include_stub=True)
    if rng.random() < 0.5:
        table = table.cols_align(align="right", columns=values)
    if rng.random() < 0.3 and len(values) > 1:
        table = table.cols_hide(columns=values[-1])
    elif rng.random() < 0.15:  # (with no row names, a group heading of one column)
        table = table.cols_hide(columns=values)
    if rng.random() < 0.3 and len(values) > 1:
        table = table.cols_move_to_start(columns=values[-1])
    if rng.random() < 0.3:
        table = table.tab_spanner(label="Spanner", columns=values[:1])
    for _ in range(rng.randint(0, 4)):
        rows = rng.sample(range(frame.height), rng.randint(1, frame.height))
        where = rng.choice(
            [
                loc.body(columns=rng.sample(values, 1), rows=rows),
                loc.body(rows=rows),
                loc.stub(rows=rows),
                loc.row_groups(),
            ]
        )
        colour = rng.choice(["#ffcccc", "LightCyan", "#000"])
        table = table.tab_style(
            style=[style.fill(color=colour), style.text(weight="bold")], locations=where
        )
    if rng.random() < 0.3:
        table = table.tab_stub_indent(rows=[0], indent=rng.randint(1, 7))
    if rng.random() < 0.2:
        table = table.sub_missing(missing_text="-")
    return table


def _not_called(*args: object, **kwargs: object) -> str:
    raise AssertionError("great-tables wrote the body cell by cell")


@pytest.mark.parametrize("seed", range(120))
def test_a_random_text_table_renders_great_tables_own_bytes(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = _frame(random.Random(seed))
    own = _table(gt.GT, frame, seed).as_raw_html()
    with monkeypatch.context() as patch:
        patch.setattr(gt_module, "create_body_component_h", _not_called)
        quick = _table(gt_quick.QuickGT, frame, seed).as_raw_html()
    assert quick == own


@pytest.mark.parametrize(
    "feature",
    [
        lambda t: t.tab_footnote("a note", locations=loc.body(columns="v0", rows=[0])),
        lambda t: t.grand_summary_rows(fns={"n": pl.col("v0").count()}),
        lambda t: t.tab_options(row_group_as_column=True),
    ],
    ids=["footnote", "summary rows", "groups as a column"],
)
def test_what_the_quick_body_does_not_write_great_tables_does(
    feature: Callable[[gt.GT], gt.GT],
) -> None:
    frame = pl.DataFrame({"name": ["a", "b <c>"], "group": ["g", "h"], "v0": ["1", None]})

    def build(kind: type[gt.GT]) -> gt.GT:
        return feature(kind(frame, id="t", rowname_col="name", groupname_col="group"))

    quick = build(gt_quick.QuickGT)
    assert not gt_quick_body.supported(quick._build_data("html"))
    assert quick.as_raw_html() == build(gt.GT).as_raw_html()


def test_two_stub_columns_are_written_by_great_tables() -> None:
    frame = pl.DataFrame({"a": ["x", "x", "y"], "b": ["1", "2", "3"], "v": ["p", "q", "r"]})
    quick = gt_quick.QuickGT(frame, id="t", rowname_col=["a", "b"])
    assert not gt_quick_body.supported(quick._build_data("html"))
    assert quick.as_raw_html() == gt.GT(frame, id="t", rowname_col=["a", "b"]).as_raw_html()


def test_a_page_and_important_css_match_great_tables() -> None:
    frame = pl.DataFrame({"name": ["a"], "v0": ["<b>"]})
    for page, important in ((True, False), (False, True), (True, True)):
        quick = gt_quick.QuickGT(frame, id="t").as_raw_html(make_page=page, all_important=important)
        own = gt.GT(frame, id="t").as_raw_html(make_page=page, all_important=important)
        assert quick == own
