"""great-tables' table (`GT`), formatting its body a column at a time, and rendering it
with its body written row by row (gt_quick_body) and its style sheet made once per set of
options (gt_quick_css).

Before it renders, great-tables formats the body cell by cell: each formatted value, and
each plain value once escaped, is written into a polars frame with one `frame[row, col] =
value` (a new Series and a scatter each): about a third of a catalogue card's HTML for
the hundreds of cells of every organisation's card. `QuickGT` works out the same values,
with the same formatters in the same order, and builds the body in one step: the same
table, and so the same bytes, at a fraction of the cost.

It overrides `GT._render_formats` and `GT._render_as_html` (great-tables 1.1's, with those
two parts swapped), private methods, so it does so only with the great-tables versions
whose bytes tests/test_gt_quick.py and tests/test_gt_quick_body.py check against `GT`'s own
(`QUICK_VERSIONS`), and only for a table of text columns (all scorecard renders); any
other table, or any other version, is formatted and rendered by great-tables itself.
"""

from __future__ import annotations

from typing import Any

import great_tables as gt
import polars as pl
from great_tables._gt_data import (
    Body,
    FormatterSkipElement,
    GTData,
    Heading,
    Locale,
    Options,
    OptionsInfo,
    Spanners,
    SummaryRows,
    _prep_gt,
)
from great_tables._helpers import GoogleFontImports, random_id
from great_tables._render_checks import _render_check
from great_tables._text import _process_text
from great_tables._utils_render_html import (
    _get_table_aria_attrs,
    _get_table_defs,
    create_columns_component_h,
    create_footer_component_h,
    create_heading_component_h,
)

from scorecard.render import gt_quick_body
from scorecard.render.gt_quick_body import text_only
from scorecard.render.gt_quick_css import style_sheet

QUICK_VERSIONS = ("1.1.",)
QUICK = str(getattr(gt, "__version__", "")).startswith(QUICK_VERSIONS)


class QuickGT(gt.GT):
    """`gt.GT`, whose body is formatted a column at a time (see the module's note)."""

    def __init__(
        self,
        data: Any,
        rowname_col: str | list[str] | None = None,
        groupname_col: str | None = None,
        auto_align: bool = True,
        id: str | None = None,
        locale: str | None = None,
    ) -> None:
        if not (QUICK and text_only(data)):
            super().__init__(data, rowname_col, groupname_col, auto_align, id, locale)
            return
        # `GTData.from_data`, with the body's empty frame (every cell null, as text) made
        # at once: great-tables' `create_empty_frame` takes some 3 ms for a card's table.
        stub, boxhead = _prep_gt(data, rowname_col, groupname_col, auto_align)
        options = (
            Options() if id is None else Options(table_id=OptionsInfo(True, "table", "value", id))
        )
        GTData.__init__(
            self,
            _tbl_data=data,
            _body=Body(_nulls(data)),
            _boxhead=boxhead,
            _stub=stub,
            _spanners=Spanners([]),
            _heading=Heading(),
            _stubhead=None,
            _summary_rows=SummaryRows(),
            _summary_rows_grand=SummaryRows(_is_grand_summary=True),
            _source_notes=[],
            _footnotes=[],
            _styles=[],
            _locale=Locale(locale),
            _formats=[],
            _substitutions=[],
            _col_merge=[],
            _transforms=[],
            _options=options,
            _google_font_imports=GoogleFontImports(),
        )

    def _render_formats(self, context: str) -> Any:
        data, body = self._tbl_data, self._body.copy()
        empty = body.body
        if QUICK and text_only(data) and text_only(empty):
            cells = _formatted(self, context, data, empty)
            if cells is not None:
                body.body = pl.DataFrame(cells, schema=empty.schema)
                result = self._replace(_body=body)
                stub = self._stub.update_group_row_labels(result._body, data, self._boxhead)
                return result._replace(_stub=stub)
        return super()._render_formats(context)

    def _render_as_html(self, make_page: bool = False, all_important: bool = False) -> str:
        """`GT._render_as_html` of great-tables 1.1, the body written by gt_quick_body."""
        _render_check(self)
        rows = gt_quick_body.body(self) if QUICK else None
        if rows is None:
            return super()._render_as_html(make_page, all_important)
        heading = create_heading_component_h(data=self)
        labels = create_columns_component_h(data=self)
        footer = create_footer_component_h(data=self)
        defs = _get_table_defs(data=self)
        quarto = str(self._options.quarto_disable_processing.value).lower()
        bootstrap = str(self._options.quarto_use_bootstrap.value).lower()
        groups = "" if defs["table_colgroups"] is None else f"\n{defs['table_colgroups']}\n"
        aria = _get_table_aria_attrs(data=self)
        style = "" if defs["table_style"] is None else f' style="{defs["table_style"]}"'
        table = (
            f'<table{style} class="gt_table"{aria} data-quarto-disable-processing="{quarto}" '
            f'data-quarto-bootstrap="{bootstrap}">{groups}\n<thead>\n{heading}\n{labels}\n'
            f"</thead>\n{rows}\n{footer}\n</table>\n"
        )
        id = self._options.table_id.value
        if id is None:
            id = random_id()
        css = style_sheet(self, id, all_important)
        o = self._options
        x, y = o.container_padding_x.value, o.container_padding_y.value
        box = (
            f"padding-left:{x};padding-right:{x};padding-top:{y};padding-bottom:{y};"
            f"overflow-x:{o.container_overflow_x.value};"
            f"overflow-y:{o.container_overflow_y.value};"
            f"width:{o.container_width.value};height:{o.container_height.value};"
        )
        out = f'<div id="{id}" style="{box}">\n<style>\n{css}\n</style>\n{table}\n</div>\n'
        if make_page:
            out = (
                '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8"/>\n'
                f"</head>\n<body>\n{out}\n</body>\n</html>\n"
            )
        return out


def _formatted(
    table: gt.GT, context: str, data: pl.DataFrame, empty: pl.DataFrame
) -> dict[str, list[Any]] | None:
    """The body's cells, column by column, as `GT._render_formats` sets them one by one:
    each cell a format gives a value (the later format, where two do), else its value as
    text, escaped for `context`; a null stays null. None if a format gives other than text
    (great-tables then formats the table itself)."""
    source = {name: data.get_column(name).to_list() for name in data.columns}
    formatted: dict[tuple[str, int], Any] = {}
    for fmt in [*table._formats, *table._substitutions]:
        func = getattr(fmt.func, context, fmt.func.default)
        for col, row in fmt.cells.resolve():
            result = func(source[col][row])
            if not isinstance(result, FormatterSkipElement):
                formatted[(col, row)] = result
    if any(v is not None and v.__class__ is not str for v in formatted.values()):
        return None
    cells = {name: empty.get_column(name).to_list() for name in empty.columns}
    for name, values in source.items():
        column = cells[name]
        for row, value in enumerate(values):
            if (name, row) in formatted:
                column[row] = formatted[(name, row)]
            elif value is not None:  # a null is left for great-tables to fill
                column[row] = _process_text(str(value), context=context)
    return cells


def _nulls(frame: pl.DataFrame) -> pl.DataFrame:
    """A frame of `frame`'s columns and height, every cell null text (`create_empty_frame`)."""
    empty = [None] * frame.height
    return pl.DataFrame(dict.fromkeys(frame.columns, empty), schema=frame.schema)
