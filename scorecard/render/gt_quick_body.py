"""great-tables' table body (`<tbody>`), written row by row with what a column shares worked
out once (scorecard.render.gt_quick).

great-tables 1.1 writes each body cell on its own: the cell read from a polars frame, its
column's flags and alignment looked up, and every footnote and style of the table filtered
for it. For a card's few hundred cells that is a third of its HTML. `body` writes the same
text for the tables it knows, those of `supported`: text columns, no footnotes, no summary
rows, at most one stub column and no group column (row groups are headed by rows of their
own). Each cell's styles, ids and `headers` come from the same great-tables functions, in
the same order, so the ids a table makes are the same too. Any other table gets None, and
great-tables writes it.
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Sequence
from typing import Any, TypeGuard

import polars as pl
from great_tables import _locations as loc
from great_tables._gt_data import ColInfo, ColInfoTypeEnum, GTData, StyleInfo
from great_tables._text import _process_text
from great_tables._utils_render_html import (
    _flatten_styles,
    _get_header_ids,
    _HeaderIds,
    _is_loc,
    _make_svg_ids_unique,
)


def supported(data: GTData) -> bool:
    """Whether `body` writes this table's body (see the module's note)."""
    frame: object = data._tbl_data
    cells: object = data._body.body
    if not (text_only(frame) and text_only(cells)) or frame.columns != cells.columns:
        return False
    if data._footnotes or data._summary_rows or data._summary_rows_grand:
        return False
    layout = data._stub._get_stub_layout(
        has_summary_rows=False, options=data._options, boxhead=data._boxhead
    )
    stubs = data._boxhead._get_stub_columns()
    if "group_label" in layout or len(stubs) > 1:
        return False
    return "rowname" not in layout or bool(stubs)


def body(data: GTData) -> str | None:
    """`create_body_component_h(data)`, for a table `supported`; None for any other."""
    if not supported(data):
        return None
    frame: pl.DataFrame = data._tbl_data
    cells = data._body.body
    # (cast_frame_to_string, then replace_null_frame: a cell not formatted is its text)
    text = {
        name: [
            v if v is not None else o
            for v, o in zip(cells[name].to_list(), frame[name].to_list(), strict=True)
        ]
        for name in cells.columns
    }
    styles = data._styles
    group_styles = [x for x in styles if _is_loc(x.locname, loc.LocRowGroups)]
    label_styles = [x for x in styles if _is_loc(x.locname, loc.LocStub)]
    by_cell: dict[tuple[Any, Any], list[StyleInfo]] = {}
    for x in styles:
        if _is_loc(x.locname, loc.LocBody):
            by_cell.setdefault((x.rownum, x.colname), []).append(x)
    stub_var = data._boxhead._get_stub_column()
    columns = data._boxhead._get_default_columns()
    layout = data._stub._get_stub_layout(
        has_summary_rows=False, options=data._options, boxhead=data._boxhead
    )
    if "rowname" in layout:
        columns = data._boxhead._get_stub_columns() + columns
    ids = _get_header_ids(data)
    stub_striped = data._options.row_striping_include_stub.value
    body_striped = data._options.row_striping_include_table_body.value
    has_groups = data._stub.group_ids is not None and len(data._stub.group_ids) > 0
    rows: list[str] = []
    previous = None
    for j, (i, group) in enumerate(data._stub.group_indices_map()):
        if has_groups and group is not previous:
            rows.append(_group_row(data, ids, group, group_styles))
        odd = j % 2 == 1
        striped = (stub_striped and odd, body_striped and odd)
        rows.append(_row(data, ids, columns, stub_var, text, i, striped, by_cell, label_styles))
        previous = group
    return f'<tbody class="gt_table_body">\n{chr(10).join(rows)}\n</tbody>'


def _group_row(data: GTData, ids: _HeaderIds, group: Any, styles: Sequence[StyleInfo]) -> str:
    """The row heading a row group (great-tables' own, when the group is not a column)."""
    ids.group = ids.registry.make(group.group_id, fallback="group")
    id_attr = f' id="{html_lib.escape(ids.group)}"'
    label = group.group_label if group.group_label is not None else _process_text(group.group_id)
    # (a row-group style always names its groups: great-tables tests `in` unguarded too)
    named = [s for s in styles if group.group_id in s.grpname]  # type: ignore[operator]
    style = _flatten_styles(named, wrap=True)
    span = data._boxhead._get_effective_number_of_columns(
        stub=data._stub, has_summary_rows=False, options=data._options
    )
    kind = "gt_empty_group_heading" if label == "" else "gt_group_heading_row"
    scope = "colgroup" if span > 1 else "col"
    return (
        f'  <tr class="{kind}">\n'
        f'    <th class="gt_group_heading" colspan="{span}" scope="{scope}"{id_attr}{style}>'
        f"{label}</th>\n  </tr>"
    )


def _row(
    data: GTData,
    ids: _HeaderIds,
    columns: Sequence[ColInfo],
    stub_var: ColInfo | None,
    text: dict[str, list[Any]],
    i: int,
    striped: tuple[bool, bool],
    by_cell: dict[tuple[Any, Any], list[StyleInfo]],
    label_styles: Sequence[StyleInfo],
) -> str:
    """One data row, as great-tables' `_create_row_component_h` writes it."""
    cells: list[str] = []
    level = 0
    for col in columns:
        var = col.var
        content = str(text[var][i])
        is_stub = col.is_stub
        labels = (
            [x for x in label_styles if (x.colname is None or x.colname == var) and x.rownum == i]
            if is_stub
            else []
        )
        if is_stub:
            name, classes = "th", ["gt_row", "gt_left", "gt_stub"]
            if striped[0]:
                classes.append("gt_striped")
            if stub_var is None or col == stub_var:
                indent = data._stub.rows[i].indent
                if 1 <= indent <= 5:
                    classes.append(f"gt_indent_{indent}")
        else:
            name, classes = "td", ["gt_row", f"gt_{col.defaulted_align}"]
            if striped[1]:
                classes.append("gt_striped")
        style = _flatten_styles([*by_cell.get((i, var), ()), *labels], wrap=True)
        if "<svg" in content and " id=" in content:
            content = _make_svg_ids_unique(content, prefix=f"{ids.registry.prefix}{var}-{i}")
        scope, id_attr = "", ""
        if is_stub:
            level += 1
            scope = ' scope="row"'
            if col.type != ColInfoTypeEnum.summary_placeholder:
                cell_id = ids.registry.make(f"stub-{i + 1}", fallback="stub")
                ids.stub[level - 1] = cell_id
                id_attr = f' id="{html_lib.escape(cell_id)}"'
        else:
            row_headers: list[Any] = [ids.group, *ids.stub.values()]  # (a None is left out)
            headers = ids.cell_headers(var, row_headers)
            if headers:
                id_attr = f' headers="{html_lib.escape(headers)}"'
        cells.append(
            f'    <{name}{style}{scope}{id_attr} class="{" ".join(classes)}">{content}</{name}>'
        )
    return "  <tr>\n" + "\n".join(cells) + "\n  </tr>"


def text_only(frame: object) -> TypeGuard[pl.DataFrame]:
    """A polars frame whose every column holds text."""
    return isinstance(frame, pl.DataFrame) and all(
        dtype == pl.String for dtype in frame.schema.values()
    )
