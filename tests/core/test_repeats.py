"""Which spans repeat one a layer already holds (annotator.core.repeats): examples and properties, no Qt.

Properties: nothing is lost or invented (kept + repeated is a rearrangement of the input), both parts keep
the input's order, no kept key repeats or was present, and every distinct new key is kept exactly once.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.repeats import span_key, split_repeats

keys = st.tuples(st.integers(0, 6), st.integers(0, 6), st.sampled_from(["injury", "wages"]))


def test_the_first_of_equal_spans_is_kept_and_present_ones_are_repeats() -> None:
    items = [(4, 16, "injury"), (4, 16, "wages"), (4, 16, "injury"), (0, 3, "injury"), (4, 15, "injury")]
    kept, repeated = split_repeats(items, lambda item: item, present=[(0, 3, "injury")])
    assert kept == [(4, 16, "injury"), (4, 16, "wages"), (4, 15, "injury")]
    assert repeated == [(4, 16, "injury"), (0, 3, "injury")]
    assert span_key(4, 16, "injury") == (4, 16, "injury")


def test_present_is_not_changed() -> None:
    present = {(1, 2, "injury")}
    split_repeats([(3, 4, "injury")], lambda item: item, present)
    assert present == {(1, 2, "injury")}


@given(st.lists(keys), st.sets(keys))
def test_repeats_split_without_loss_in_order(items: list[tuple[int, int, str]],
                                             present: set[tuple[int, int, str]]) -> None:
    indexed = list(enumerate(items))  # distinct objects with equal keys
    kept, repeated = split_repeats(indexed, lambda pair: pair[1], present)
    assert Counter(kept + repeated) == Counter(indexed)
    assert kept == sorted(kept) and repeated == sorted(repeated)
    kept_keys = [key for _, key in kept]
    assert len(set(kept_keys)) == len(kept_keys) and not set(kept_keys) & present
    assert set(kept_keys) == set(items) - present
    assert all(key in present or any(k == key for _, k in kept if _ < i) for i, key in repeated)
