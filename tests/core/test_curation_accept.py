"""Accepting a version replaces a group's gold, and what kind of disagreement a group is (no Qt).

``accept_version`` is why a gold extent never ends up with two labels: whatever route the curator took to a
group, accepting another version takes out the gold spans that are not part of it, in one step.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.curation import (
    accept_version,
    disagreement_kind,
    gold_in_group,
    group_state,
    plan_curation,
    same_extent,
)

SURV, HOURS = (10, 20, "surveillance"), (10, 20, "working_hours")
PLAN = plan_curation({"a": [SURV], "b": [HOURS]})
(GROUP,) = PLAN.groups


def test_accepting_another_label_replaces_the_first() -> None:
    first = accept_version(GROUP, [], GROUP.versions["a"], SURV)
    assert (first.remove, first.add, first.rejected) == ((), (SURV,), False)
    second = accept_version(GROUP, [SURV], GROUP.versions["b"], HOURS)
    assert (second.remove, second.add, second.rejected) == ((SURV,), (HOURS,), False)
    again = accept_version(GROUP, [SURV], GROUP.versions["a"], SURV)
    assert (again.remove, again.add) == ((), ())  # nothing to do


def test_an_annotators_second_span_in_a_group_is_added_not_swapped() -> None:
    plan = plan_curation({"a": [(0, 5, "x"), (8, 12, "x")], "b": [(0, 12, "x")]})
    (group,) = plan.groups
    step = accept_version(group, [(0, 5, "x")], group.versions["a"], (8, 12, "x"))
    assert step.remove == () and step.add == ((8, 12, "x"),)
    # b's one long span replaces both of a's
    assert accept_version(group, [(0, 5, "x"), (8, 12, "x")], group.versions["b"], (0, 12, "x")).remove == (
        (0, 5, "x"), (8, 12, "x"))


def test_keeping_the_pre_accepted_version_is_stored_as_a_decision() -> None:
    plan = plan_curation({"a": [(0, 5, "x")], "b": [(0, 5, "x")], "c": [(0, 6, "y")]}, "majority")
    (group,) = plan.groups
    keep = accept_version(group, [(0, 5, "x")], group.versions["a"], (0, 5, "x"))
    assert (keep.remove, keep.add, keep.rejected) == ((), (), True)
    other = accept_version(group, [(0, 5, "x")], group.versions["c"], (0, 6, "y"))
    assert (other.remove, other.add, other.rejected) == (((0, 5, "x"),), ((0, 6, "y"),), False)


def test_accepting_nothing_empties_the_group() -> None:
    nothing = accept_version(GROUP, [SURV, (50, 60, "other")], (), None)
    assert (nothing.remove, nothing.add, nothing.rejected) == ((SURV,), (), True)


def test_kinds() -> None:
    assert disagreement_kind(GROUP) == "labels"
    (bounds,) = plan_curation({"a": [(0, 5, "x")], "b": [(0, 7, "x")]}).groups
    assert disagreement_kind(bounds) == "boundaries"
    (some,) = plan_curation({"a": [(0, 5, "x")], "b": []}).groups
    assert disagreement_kind(some) == "presence"
    (mixed,) = plan_curation({"a": [(0, 5, "x")], "b": [(0, 5, "y")], "c": []}).groups
    assert disagreement_kind(mixed) == "labels"


def test_same_extent_finds_a_second_label() -> None:
    assert same_extent([SURV], HOURS) == SURV
    assert same_extent([SURV], SURV) is None and same_extent([SURV], (10, 21, "x")) is None


SPANS = st.lists(st.tuples(st.integers(0, 30), st.integers(1, 8), st.sampled_from("xyz")).map(
    lambda t: (t[0], t[0] + t[1], t[2])), max_size=5)


@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), SPANS, min_size=2), st.data())
def test_after_accepting_a_version_the_group_holds_exactly_part_of_that_version(layers, data) -> None:
    plan = plan_curation(layers, "majority")
    if not plan.groups:
        return
    group = data.draw(st.sampled_from(plan.groups))
    gold = set(plan.accepted) | set(data.draw(st.lists(st.sampled_from([s for v in group.versions.values() for s in v]
                                                                        or [(0, 1, "x")]), max_size=3)))
    name = data.draw(st.sampled_from(sorted(group.versions)))
    version = group.versions[name]
    chosen = data.draw(st.sampled_from(version)) if version else None
    step = accept_version(group, sorted(gold), version, chosen)
    after = (gold - set(step.remove)) | set(step.add)
    here = set(gold_in_group(after, group))
    assert here <= set(version) and (chosen is None or chosen in here)
    state = group_state(group, after, {(group.start, group.end)} if step.rejected else set())
    assert state == ("rejected" if chosen is None else "accepted")
