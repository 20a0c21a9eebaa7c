"""`pretty_json.dumps` writes the text `json.dumps(value, indent=2)` writes, for any
nesting of plain data, and leaves anything else to json itself."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.pretty_json import dumps

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
_PLAIN = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_PLAIN)
def test_plain_data_is_written_as_json_writes_it(value: Any) -> None:
    assert dumps(value) == json.dumps(value, indent=2)


def test_keys_and_values_json_converts_or_refuses_are_left_to_json() -> None:
    converted = {1: "a", None: [True, {"x": 0.5}], 2.5: {}}  # keys json turns into text
    assert dumps(converted) == json.dumps(converted, indent=2)
    try:
        dumps({"when": Decimal("1.5")})
    except TypeError as exc:  # json's own refusal, not a value written some other way
        assert "Decimal" in str(exc)
    else:
        raise AssertionError("a value json refuses was written")


def test_text_is_escaped_to_ascii_as_json_escapes_it() -> None:
    value = {'q"uote': "<tag> & \u2013 \u00e9 \n\t\\ \x00 \U0001f600"}
    assert dumps(value) == json.dumps(value, indent=2)
    assert dumps(value).isascii()
