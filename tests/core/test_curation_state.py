"""Whether the curator has settled a disagreement group (annotator.core.curation.group_state), no Qt.

The curation view shows these states and counts the open groups before "Mark gold done"; the rule is
pure, over gold spans as tuples and the rejected groups' keys as a set.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.curation import (
    GROUP_STATES,
    gold_in_group,
    group_key,
    group_state,
    overlaps,
    plan_curation,
    unresolved,
)

MAJORITY = plan_curation({
    "a": [(0, 5, "injury"), (20, 30, "sanctions")],
    "b": [(0, 5, "injury")],
    "c": [(0, 6, "injury"), (22, 30, "sanctions")],
}, "majority")
PRE_GROUP, OPEN_GROUP = MAJORITY.groups  # (0, 6) holds the pre-accepted (0, 5); (20, 30) holds nothing agreed


def test_overlap_means_sharing_a_character() -> None:
    assert overlaps((0, 5), 4, 10) and overlaps((0, 5, "x"), 0, 1)
    assert not overlaps((0, 5), 5, 10) and not overlaps((5, 6), 0, 5)  # touching is not overlapping


def test_groups_are_keyed_by_their_extent() -> None:
    assert group_key(PRE_GROUP) == (0, 6) and group_key(OPEN_GROUP) == (20, 30)


def test_a_pre_accepted_span_alone_leaves_the_group_open() -> None:
    gold = list(MAJORITY.accepted)
    assert group_state(PRE_GROUP, gold, set()) == "open"
    assert group_state(OPEN_GROUP, gold, set()) == "open"
    assert unresolved(MAJORITY.groups, gold, set()) == 2


def test_a_curator_span_settles_the_group_it_overlaps() -> None:
    gold = [*MAJORITY.accepted, (22, 30, "sanctions")]
    assert group_state(OPEN_GROUP, gold, set()) == "accepted"
    assert group_state(PRE_GROUP, gold, set()) == "open"
    assert gold_in_group(gold, OPEN_GROUP) == [(22, 30, "sanctions")]
    assert unresolved(MAJORITY.groups, gold, set()) == 1


def test_rejecting_keeps_gold_empty_or_keeps_the_pre_accepted_version() -> None:
    assert group_state(OPEN_GROUP, [], {(20, 30)}) == "rejected"
    # Keeping the majority's version is stored as a rejection of the others: the group shows as accepted.
    assert group_state(PRE_GROUP, list(MAJORITY.accepted), {(0, 6)}) == "accepted"
    # ... unless the pre-accepted span was removed from gold since.
    assert group_state(PRE_GROUP, [], {(0, 6)}) == "rejected"
    assert unresolved(MAJORITY.groups, list(MAJORITY.accepted), {(0, 6), (20, 30)}) == 0


spans = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 8), st.sampled_from(["x", "y"]))
                 .map(lambda t: (t[0], t[0] + t[1], t[2])), max_size=6)


@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), spans, min_size=1),
       st.sampled_from(["unanimous", "majority"]), spans, st.data())
def test_group_state_properties(layers, policy, extra_gold, data) -> None:
    plan = plan_curation(layers, policy)
    gold = list(plan.accepted) + extra_gold
    rejected = set(data.draw(st.lists(st.sampled_from([group_key(g) for g in plan.groups] or [(0, 0)]))))
    for group in plan.groups:
        state = group_state(group, gold, rejected)
        assert state in GROUP_STATES
        here = gold_in_group(gold, group)
        assert all(overlaps(span, group.start, group.end) for span in here)
        assert [s for s in gold if s not in here] == [s for s in gold if not overlaps(s, group.start, group.end)]
        if group_key(group) in rejected:
            assert state != "open"  # a rejection always settles the group
        elif not [s for s in here if s not in group.accepted]:
            assert state == "open"  # only the policy's spans: nothing the curator chose
        else:
            assert state == "accepted"
        assert group_state(group, [], rejected) == ("rejected" if group_key(group) in rejected else "open")
    assert unresolved(plan.groups, gold, rejected) == sum(group_state(g, gold, rejected) == "open" for g in plan.groups)
    assert unresolved(plan.groups, [], set()) == len(plan.groups)
