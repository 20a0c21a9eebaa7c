"""great-tables' style sheet made once per set of options (render/gt_quick_css.py) is
`compile_scss`'s own text for every table id and option it is used with."""

from __future__ import annotations

from dataclasses import replace

import great_tables as gt
import polars as pl
import pytest
from great_tables._gt_data import GTData
from great_tables._scss import compile_scss

from scorecard.render import gt_quick_css

IDS = [
    "t",
    "scorecard-ZA1-2025-09",
    "board-ENG-2026-03",
    "a b&c",  # not plain: made by compile_scss
    "my-thead-table",  # names what a later rule of great-tables looks for
    "x;y",
    "qgtsheetid-2",  # holds the stand-in id
]


def _tables() -> list[gt.GT]:
    frame = pl.DataFrame({"a": ["x"], "b": ["y"]})
    base = gt.GT(frame)
    return [
        base,
        base.opt_table_font(font="Arial"),
        base.opt_table_font(font=gt.google_font("Roboto")),
        base.tab_options(table_width="100%", table_font_size="12px"),
        base.opt_css(".extra { color: red; }").opt_row_striping(),
    ]


@pytest.fixture(autouse=True)
def _fresh() -> None:
    gt_quick_css._HELD.clear()


@pytest.mark.parametrize("important", [False, True])
def test_every_id_and_option_gets_compile_scss_own_text(important: bool) -> None:
    for table in _tables():
        data = table._build_data("html")
        for _ in range(2):  # made, then held
            for id in IDS:
                got = gt_quick_css.style_sheet(data, id, important)
                assert got == compile_scss(data=data, id=id, all_important=important)


def test_a_plain_id_is_written_into_the_held_sheet(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _tables()[1]._build_data("html")
    first = gt_quick_css.style_sheet(data, "t")
    monkeypatch.setattr(gt_quick_css, "compile_scss", _not_called)
    assert gt_quick_css.style_sheet(data, "t") == first
    assert "#scorecard-ZZ9-2025-09 .gt_table" in gt_quick_css.style_sheet(
        data, "scorecard-ZZ9-2025-09"
    )


def test_a_sheet_whose_text_holds_the_stand_in_is_never_held(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Should great-tables' own text contain the stand-in id, the first check fails and
    every sheet of those options is made by compile_scss."""
    monkeypatch.setattr(gt_quick_css, "_SLOT", "gt_table")
    data = _tables()[0]._build_data("html")
    for id in ("t", "u", "t"):
        assert gt_quick_css.style_sheet(data, id) == compile_scss(data=data, id=id)
    assert list(gt_quick_css._HELD.values()) == [None]


def _not_called(*args: object, **kwargs: object) -> str:
    raise AssertionError("the held style sheet was not used")


def test_options_equal_but_written_differently_are_never_one_key() -> None:
    """`1` and `True` are equal in Python but not in a style sheet; a float (whose -0.0
    equals 0.0) is not held at all."""
    data = _tables()[0]._build_data("html")
    info = data._options.table_font_size

    def with_size(value: object) -> GTData:
        options = replace(data._options, table_font_size=replace(info, value=value))
        return data._replace(_options=options)

    assert gt_quick_css._key(with_size(1), False) != gt_quick_css._key(with_size(True), False)
    assert gt_quick_css._key(with_size(1.0), False) is None
    assert gt_quick_css._key(with_size(["12px", 1]), False) is not None
    for value in (1, True, "1px"):
        assert gt_quick_css.style_sheet(with_size(value), "t") == compile_scss(
            data=with_size(value), id="t"
        )


def _named(data: GTData, id: str) -> GTData:
    """`data` with its table_id option set to `id`, as QuickGT makes each card's table."""
    return data._replace(_options=data._options._set_option_value("table_id", id))


@pytest.mark.parametrize("important", [False, True])
def test_tables_named_by_their_own_ids_share_one_held_sheet(
    monkeypatch: pytest.MonkeyPatch, important: bool
) -> None:
    """Every card's table carries its own id in its table_id option (as QuickGT sets it):
    the sheet is still made once for the options, and each card's is compile_scss's own."""
    ids = [f"scorecard-Z{n:02d}-2025-09" for n in range(5)]
    for table in _tables():
        gt_quick_css._HELD.clear()
        data = table._build_data("html")
        expected = [
            compile_scss(data=_named(data, id), id=id, all_important=important) for id in ids
        ]
        assert gt_quick_css.style_sheet(_named(data, ids[0]), ids[0], important) == expected[0]
        with monkeypatch.context() as patch:
            patch.setattr(gt_quick_css, "compile_scss", _not_called)
            got = [gt_quick_css.style_sheet(_named(data, id), id, important) for id in ids]
        assert got == expected


def test_a_table_id_that_is_not_the_id_is_made_by_compile_scss() -> None:
    data = _named(_tables()[0]._build_data("html"), "other")
    for id in ("t", "t"):
        assert gt_quick_css.style_sheet(data, id) == compile_scss(data=data, id=id)
    assert gt_quick_css._HELD == {}
