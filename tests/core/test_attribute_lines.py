"""Span attributes as ``key: value`` lines keep their JSON types through an edit (the span details panel)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.attribute_lines import format_attribute_lines, parse_attribute_lines

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)


@given(st.dictionaries(st.text(min_size=1), json_values, max_size=6))
def test_format_then_parse_gives_the_attributes_back(attributes: dict) -> None:
    text = format_attribute_lines(attributes)
    back = parse_attribute_lines(text)
    assert back == attributes
    assert [type(v) for v in back.values()] == [type(v) for v in attributes.values()]
    assert len([line for line in text.splitlines() if line.strip()]) == len(attributes)


@pytest.mark.parametrize(
    ("attributes", "text"),
    [
        ({"source": "interview"}, "source: interview"),
        ({"hours": 14}, "hours: 14"),
        ({"hours": "14"}, 'hours: "14"'),
        ({"confirmed": True, "witness": "yes"}, "confirmed: true\nwitness: yes"),
        ({"crews": ["timber", "construction"]}, 'crews: ["timber", "construction"]'),
        ({"note": ""}, 'note: ""'),
        ({"time": "06:00–22:00"}, "time: 06:00–22:00"),
        ({"place: region": "Kursk"}, '"place: region": Kursk'),
        ({"город": "Иркутск"}, "город: Иркутск"),
    ],
)
def test_lines_read_as_an_analyst_would_write_them(attributes: dict, text: str) -> None:
    assert format_attribute_lines(attributes) == text
    assert parse_attribute_lines(text) == attributes


def test_typed_values_as_an_analyst_types_them() -> None:
    assert parse_attribute_lines("hours: 14\nrate: 0.5\nok: false\nwho: crew chief\n\n") == {
        "hours": 14, "rate": 0.5, "ok": False, "who": "crew chief"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no colon here", "line 1: write attributes as 'key: value'"),
        ("a: 1\n: 2", "line 2: write attributes as 'key: value'"),
        ("a: 1\nb: 2\na: 3", "line 3: 'a' is already given on line 1"),
        ('"unclosed: 1', "line 1: a quoted key needs its closing '\"'"),
        ('"key" 1', "line 1: write attributes as 'key: value'"),
    ],
)
def test_bad_lines_are_named(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_attribute_lines(text)
    assert str(info.value) == message
