"""The tag scheme's JSON round trip (the file a lead hands to every analyst), and its refusals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.errors import AnnotatorError
from annotator.core.scheme import Label, Scheme, default_scheme, fold_key

keys = st.from_regex(r"[A-Za-z][A-Za-z0-9_.-]{0,20}", fullmatch=True)
labels = st.builds(
    Label,
    key=keys,
    name=st.text(min_size=1, max_size=30).filter(str.strip),  # a blank name is refused, as in the editor
    color=st.from_regex(r"#[0-9A-F]{6}", fullmatch=True),
    shortcut=st.sampled_from(["", "1", "q", "Ctrl+7"]),
    guideline=st.text(max_size=80),
    order=st.integers(0, 100),
)


# keys differ without case too: a scheme holding both "injury" and "Injury" is refused (fold_key)
# shortcuts are unique too (an empty one may repeat), as the scheme editor requires
@given(st.lists(labels, min_size=1, max_size=8, unique_by=(lambda lb: fold_key(lb.key), lambda lb: lb.shortcut.lower() or id(lb))))
def test_scheme_json_round_trip(items: list[Label]) -> None:
    scheme = Scheme(items)
    data = scheme.to_json()
    assert Scheme.from_json(data) == scheme
    assert Scheme.from_json(data).to_json() == data


def test_default_scheme_round_trips() -> None:
    assert Scheme.from_json(default_scheme().to_json()) == default_scheme()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "scheme.json, line 1: not valid JSON"),
        ('{"labels": [{"key": "a b"}]}', "label 'a b' is not a valid key"),
        ('{"labels": [{"key": "a"}, {"key": "a"}]}', "scheme.json: label 'a' appears twice"),
        ('{"labels": [{"key": "a", "color": "red"}]}', "scheme.json: label 'a' has colour 'red'; expected #RRGGBB"),
        ('{"labels": 5}', "scheme.json: a scheme needs a list of labels"),
    ],
)
def test_bad_scheme_files_are_refused_with_the_reason(data: str, message: str) -> None:
    with pytest.raises(AnnotatorError) as info:
        Scheme.from_json(data, path="scheme.json")
    assert str(info.value).startswith(message) or message in str(info.value)
