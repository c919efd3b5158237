"""Curation planning: pre-accepted gold spans and the disagreement groups left for the curator."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.curation import plan_curation, required_votes


def test_unanimous_accepts_only_spans_everyone_made() -> None:
    plan = plan_curation({
        "a": [(0, 5, "injury"), (10, 20, "sanctions")],
        "b": [(0, 5, "injury"), (10, 18, "sanctions")],
        "c": [(0, 5, "injury")],
    }, "unanimous")
    assert plan.accepted == ((0, 5, "injury"),)
    assert len(plan.groups) == 1
    g = plan.groups[0]
    assert (g.start, g.end) == (10, 20)
    assert g.versions == {"a": ((10, 20, "sanctions"),), "b": ((10, 18, "sanctions"),), "c": ()}
    assert g.pending == ((10, 18, "sanctions"), (10, 20, "sanctions"))
    assert g.accepted == ()


def test_majority_accepts_two_of_three_and_keeps_the_minority_version() -> None:
    plan = plan_curation({
        "a": [(0, 5, "injury")],
        "b": [(0, 5, "injury")],
        "c": [(0, 6, "injury"), (30, 35, "remittance")],
    }, "majority")
    assert plan.accepted == ((0, 5, "injury"),)
    starts = [(g.start, g.end) for g in plan.groups]
    assert starts == [(0, 6), (30, 35)]
    first = plan.groups[0]
    assert first.accepted == ((0, 5, "injury"),)
    assert first.pending == ((0, 6, "injury"),)
    assert first.versions["a"] == ((0, 5, "injury"),)


def test_majority_silence_of_the_minority_is_settled() -> None:
    plan = plan_curation({"a": [(0, 5, "injury")], "b": [(0, 5, "injury")], "c": []}, "majority")
    assert plan.accepted == ((0, 5, "injury"),) and plan.groups == ()


def test_chained_overlaps_form_one_group_and_touching_spans_do_not() -> None:
    plan = plan_curation({"a": [(0, 4, "x"), (8, 12, "x")], "b": [(3, 9, "y"), (12, 15, "x")]}, "unanimous")
    assert [(g.start, g.end) for g in plan.groups] == [(0, 12), (12, 15)]


def test_votes_and_bad_policy() -> None:
    assert [required_votes("majority", n) for n in (1, 2, 3, 4, 5)] == [1, 2, 2, 3, 3]
    assert required_votes("unanimous", 4) == 4
    with pytest.raises(ValueError, match="unknown curation policy"):
        plan_curation({"a": []}, "plurality")


def test_no_annotators_or_no_spans() -> None:
    assert plan_curation({}, "majority").accepted == ()
    plan = plan_curation({"a": [], "b": []}, "unanimous")
    assert plan.accepted == () and plan.groups == ()


def test_duplicate_span_in_one_layer_is_one_vote() -> None:
    plan = plan_curation({"a": [(0, 5, "x"), (0, 5, "x")], "b": [], "c": []}, "majority")
    assert plan.accepted == () and plan.groups[0].pending == ((0, 5, "x"),)


span = st.tuples(st.integers(0, 30), st.integers(1, 8), st.sampled_from("xy")).map(
    lambda t: (t[0], t[0] + t[1], t[2]))
layers = st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), st.lists(span, max_size=5), max_size=4)


@settings(max_examples=200, deadline=None)
@given(layers, st.sampled_from(["unanimous", "majority"]))
def test_every_span_is_settled_or_pending_exactly_once(spans, policy) -> None:
    plan = plan_curation(spans, policy)
    need = required_votes(policy, len(spans))
    all_spans = {sp for lst in spans.values() for sp in lst}
    for sp in plan.accepted:
        assert sum(sp in lst for lst in spans.values()) >= need
    pending = [sp for g in plan.groups for sp in g.pending]
    assert len(pending) == len(set(pending))
    assert set(pending) | set(plan.accepted) == all_spans
    assert not set(pending) & set(plan.accepted)
    for g in plan.groups:
        assert set(g.versions) == set(spans)
        for sp in g.pending + g.accepted:
            assert g.start <= sp[0] and sp[1] <= g.end
    # groups never overlap each other
    extents = sorted((g.start, g.end) for g in plan.groups)
    for (_, e1), (s2, _) in zip(extents, extents[1:], strict=False):
        assert e1 <= s2
