"""great-tables' style sheet for a table (`compile_scss`), made once for each set of options.

A card's table carries its own id, and great-tables' style sheet names it in each rule; the
rest of the sheet depends only on the table's options. Making it reads great-tables' SCSS
file and runs it through a dozen regular expressions: half a millisecond a card. `style_sheet`
makes a set of options' sheet once with a stand-in id and writes each table's id into it.

That gives `compile_scss`'s own text when the id is plain (letters, digits, `-` and `_`, as
every scorecard id is): great-tables puts the id in as written, and no later rule of its can
match in or across it (they look for `thead`, `p {` at a line's start and `;`). The table's
`table_id` option, which QuickGT sets to the id itself and so differs from card to card, is
set to the stand-in too, and is not part of what the sheet is held by. Each set of options
is checked once more, against `compile_scss` with the first id it is used with; any other id
(or a `table_id` that is not the id), or a sheet that fails the check, is made by
`compile_scss` itself.
"""

from __future__ import annotations

import re
from dataclasses import fields

from great_tables._gt_data import GTData
from great_tables._scss import compile_scss

_SLOT = "qgtsheetid"  # the stand-in id
_PLAIN = re.compile(r"[A-Za-z0-9_-]+")
_MAX_HELD = 64
# Each set of options' sheet with the stand-in id; None when it failed the check.
_HELD: dict[tuple[object, ...], str | None] = {}


def style_sheet(data: GTData, id: str, all_important: bool = False) -> str:
    """`compile_scss(data, id, all_important=all_important)` (see the module's note)."""
    key = _key(data, all_important)
    plain = _PLAIN.fullmatch(id) and "thead" not in id and _SLOT not in id
    named = data._options.table_id.value  # None, or the id itself (as QuickGT sets it)
    if key is None or not plain or named not in (None, id):
        return compile_scss(data=data, id=id, all_important=all_important)
    key = (*key, named is None)
    if key not in _HELD:
        own = compile_scss(data=data, id=id, all_important=all_important)
        stand_in = data
        if named is not None:
            options = data._options._set_option_value("table_id", _SLOT)
            stand_in = data._replace(_options=options)
        slotted = compile_scss(data=stand_in, id=_SLOT, all_important=all_important)
        if len(_HELD) >= _MAX_HELD:
            _HELD.clear()
        _HELD[key] = slotted if slotted.replace(_SLOT, id) == own else None
        return own
    held = _HELD[key]
    if held is None:
        return compile_scss(data=data, id=id, all_important=all_important)
    return held.replace(_SLOT, id)


_PLAIN_VALUES = (str, bool, int, type(None))


def _key(data: GTData, all_important: bool) -> tuple[object, ...] | None:
    """Everything of `data` that `compile_scss` reads besides the id: every option's value
    but `table_id`'s, with its type (`1` and `True` are equal, but are written differently),
    and the Google Fonts imported; None if a value is not text, a whole number, a flag,
    nothing or a list of those (a float's -0.0 equals 0.0, too)."""
    options = data._options
    key: list[object] = [all_important, data._google_font_imports.to_css()]
    for field in fields(options):
        if field.name == "table_id":  # the id itself (style_sheet)
            continue
        value = getattr(options, field.name).value
        if isinstance(value, list):
            if not all(isinstance(v, _PLAIN_VALUES) for v in value):
                return None
            key.append(tuple((v.__class__, v) for v in value))
        elif isinstance(value, _PLAIN_VALUES):
            key.append((value.__class__, value))
        else:
            return None
    return tuple(key)
