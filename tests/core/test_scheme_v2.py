"""Scheme JSON version 2: typed attributes, document fields, relation types, and the values they accept."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.errors import AnnotatorError
from annotator.core.model import LayerRecord, RelationRecord, SpanRecord
from annotator.core.scheme import Scheme, default_scheme, scheme_problems
from annotator.core.scheme_parts import AttributeDef, FieldDef, RelationType
from annotator.core.typed_values import check_value, parse_text, value_text


def v2(**extra: object) -> str:
    payload = {"format": "annotator-scheme", "version": 2,
               "labels": [{"key": "injury", "name": "Injury", "color": "#56B4E9"},
                          {"key": "working_hours", "name": "Working hours", "color": "#E69F00"}]}
    payload.update(extra)
    return json.dumps(payload)


def test_default_scheme_round_trips_through_json_with_its_extras() -> None:
    scheme = default_scheme()
    assert [f.key for f in scheme.fields] == ["relevance", "source_type"]
    assert scheme.get("working_hours").attribute("hours_per_day").kind == "number"
    assert scheme.relation_type("caused").allows("surveillance", "injury")
    assert not scheme.relation_type("caused").allows("injury", "surveillance")
    assert Scheme.from_json(scheme.to_json()) == scheme
    assert json.loads(scheme.to_json())["version"] == 2
    assert scheme_problems(scheme) == []


def test_version_one_file_is_still_read() -> None:
    old = json.dumps({"format": "annotator-scheme", "version": 1,
                      "labels": [{"key": "a", "name": "A", "color": "#000000", "shortcut": "1",
                                  "guideline": "", "order": 0}]})
    scheme = Scheme.from_json(old)
    assert scheme.keys() == ["a"] and scheme.fields == [] and scheme.relations == []


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (v2(colour="#000000"), "unknown key 'colour'"),
        (v2(version=3), "scheme version 3"),
        (v2(fields=[{"key": "relevance", "kind": "choice"}]), "a choice needs a list of options"),
        (v2(fields=[{"key": "r", "kind": "number", "options": ["x"]}]), "only choice and multi have options"),
        (v2(fields=[{"key": "r", "kind": "colour"}]), "kind 'colour' is not one of"),
        (v2(fields=[{"key": "r", "kind": "bool", "shortcut": "x", "label": "y"}]), "unknown key 'label'"),
        (v2(fields=[{"key": "r", "kind": "bool"}, {"key": "R", "kind": "bool"}]), "already used by field"),
        (v2(fields=[{"key": "r", "kind": "choice", "options": ["a", "a"]}]), "appears twice"),
        (v2(relations=[{"key": "caused", "from": ["injury"], "to": ["site"]}]), "'site', which is not a label"),
        (v2(relations=[{"key": "caused", "color": "red"}]), "colour 'red'"),
        (v2(relations=[{"key": "caused", "from": "injury"}]), "'from' must be a list"),
        (v2(relations=[{"key": "c", "directed": "yes"}]), "'directed' must be true or false"),
    ],
)
def test_bad_scheme_parts_are_refused_with_the_reason(payload: str, message: str) -> None:
    with pytest.raises(AnnotatorError, match=message.replace("(", r"\(")) as caught:
        Scheme.from_json(payload, path="team.json")
    assert str(caught.value).startswith("team.json")


def test_label_attributes_parse_and_refuse_unknown_keys() -> None:
    good = json.dumps({"labels": [{"key": "injury", "attributes": [
        {"key": "severity", "kind": "choice", "options": ["minor", "fatal"], "required": True}]}]})
    label = Scheme.from_json(good).get("injury")
    assert label.attributes == [AttributeDef("severity", "choice", ["minor", "fatal"], True)]
    bad = json.dumps({"labels": [{"key": "injury", "attributes": [{"key": "severity", "type": "choice"}]}]})
    with pytest.raises(AnnotatorError, match="unknown key 'type'"):
        Scheme.from_json(bad)


def test_field_shortcut_may_not_take_a_label_shortcut() -> None:
    scheme = default_scheme()
    scheme.fields.append(FieldDef("x", "X", "bool", shortcut="1"))
    assert any("already the shortcut of working_hours" in p for p in scheme_problems(scheme))


@pytest.mark.parametrize(
    ("kind", "options", "value", "expected"),
    [
        ("choice", ["a", "b"], "b", "b"),
        ("multi", ["a", "b", "c"], ["c", "a", "c"], ["a", "c"]),
        ("bool", [], False, False),
        ("number", [], 7.5, 7.5),
        ("number", [], 12, 12),
        ("date", [], "2024-02-29", "2024-02-29"),
        ("text", [], "anything", "anything"),
    ],
)
def test_values_take_their_canonical_shape(kind: str, options: list[str], value: object, expected: object) -> None:
    assert check_value(kind, options, value) == expected


@pytest.mark.parametrize(
    ("kind", "options", "value"),
    [
        ("choice", ["a"], "z"),
        ("choice", ["a"], 1),
        ("multi", ["a"], "a"),
        ("multi", ["a"], ["a", "z"]),
        ("bool", [], "true"),
        ("bool", [], 1),
        ("number", [], True),
        ("number", [], "12"),
        ("number", [], math.inf),
        ("date", [], "2023-02-29"),
        ("date", [], "29/02/2024"),
        ("text", [], 5),
    ],
)
def test_values_of_the_wrong_kind_are_refused(kind: str, options: list[str], value: object) -> None:
    with pytest.raises(AnnotatorError, match="expected|is not one of"):
        check_value(kind, options, value)


def test_typed_text_parses_by_kind() -> None:
    assert parse_text("number", [], " 12 ") == 12
    assert parse_text("number", [], "\u22127.5") == -7.5
    assert parse_text("bool", [], "Yes") is True
    assert parse_text("multi", ["x", "y"], "y, x") == ["x", "y"]
    assert parse_text("date", [], "") is None
    for kind, typed in (("number", "ten"), ("number", "1,5"), ("bool", "maybe"), ("date", "tomorrow")):
        with pytest.raises(AnnotatorError):
            parse_text(kind, [], typed)


@given(st.one_of(st.integers(-10**9, 10**9), st.floats(allow_nan=False, allow_infinity=False)))
def test_a_number_shown_in_a_form_reads_back_as_itself(number: float) -> None:
    assert parse_text("number", [], value_text(number)) == number


@given(st.lists(st.sampled_from(["a", "b c", "d-e"]), max_size=5), st.booleans())
def test_multi_and_bool_values_survive_the_form(picked: list[str], flag: bool) -> None:
    options = ["a", "b c", "d-e"]
    canonical = check_value("multi", options, picked)
    assert canonical == sorted(set(picked))
    assert (parse_text("multi", options, value_text(canonical)) or []) == canonical
    assert parse_text("bool", [], value_text(flag)) is flag


def test_relation_type_says_why_it_refuses_a_pair() -> None:
    caused = RelationType("caused", "Caused", "#D55E00", ["working_hours"], ["injury"])
    assert caused.refusal("working_hours", "injury") is None
    assert "does not go from 'injury' to 'working_hours'" in caused.refusal("injury", "working_hours")
    assert RelationType("any", "Any", "#000000").allows("x", "y")


def test_layer_relations_must_point_inside_the_layer() -> None:
    spans = [SpanRecord(0, 1, "a", "x"), SpanRecord(2, 3, "b", "y")]
    assert LayerRecord("a", spans=spans, relations=[RelationRecord(0, 1, "r")]).relation_problem() is None
    assert "span index 2" in LayerRecord("a", spans=spans, relations=[RelationRecord(0, 2, "r")]).relation_problem()
    assert "to itself" in LayerRecord("a", spans=spans, relations=[RelationRecord(1, 1, "r")]).relation_problem()
    assert sorted([RelationRecord(1, 0, "b"), RelationRecord(0, 1, "b"), RelationRecord(0, 1, "a")])[0] == \
        RelationRecord(0, 1, "a")
