"""Planning assignments (annotator.core.assignment): examples and properties, no database.

Properties: every document is planned exactly once, the planned number of documents has K distinct
analysts and the rest one, loads from zero differ by at most one, and the plan depends only on the inputs
and the seed (not on the order the documents were listed in).
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.assignment import overlap_count, plan_assignments
from annotator.core.errors import AnnotatorError

NAMES = ["a", "b", "c", "d", "e"]


def _loads(plan: dict[str, tuple[str, ...]]) -> Counter[str]:
    return Counter(name for names in plan.values() for name in names)


def test_the_issue_example_100_documents_three_analysts_20_percent() -> None:
    docs = [f"doc-{i:03d}" for i in range(100)]
    plan = plan_assignments(docs, ["a", "b", "c"], overlap=0.2, seed=1)
    assert sorted(plan) == docs
    assert Counter(len(names) for names in plan.values()) == {1: 80, 2: 20}
    loads = _loads(plan)
    assert set(loads) == {"a", "b", "c"} and max(loads.values()) - min(loads.values()) <= 1
    assert plan == plan_assignments(list(reversed(docs)), ["a", "b", "c"], overlap=0.2, seed=1)
    assert plan != plan_assignments(docs, ["a", "b", "c"], overlap=0.2, seed=2)


def test_overlap_rounds_half_up() -> None:
    assert overlap_count(0.25, 10) == 3 and overlap_count(0.2, 100) == 20 and overlap_count(0.0, 7) == 0


def test_existing_load_is_topped_up_first() -> None:
    plan = plan_assignments(["x", "y"], ["a", "b", "c"], load={"a": 5, "b": 5, "c": 3})
    assert _loads(plan) == {"c": 2}


@pytest.mark.parametrize(("names", "overlap", "k", "needle"), [
    ([], 0.0, 2, "at least one analyst"),
    (["a", "a"], 0.0, 2, "only once"),
    (["a", "b"], 1.5, 2, "between 0 and 1"),
    (["a", "b"], 0.5, 3, "needs at least 3"),
    (["a", "b"], 0.5, 0, "at least 1"),
])
def test_impossible_options_get_one_sentence(names: list[str], overlap: float, k: int, needle: str) -> None:
    with pytest.raises(AnnotatorError, match=needle):
        plan_assignments(["x"], names, overlap=overlap, per_document=k)


@given(docs=st.sets(st.text(min_size=1, max_size=4), max_size=60),
       count=st.integers(1, 5), overlap=st.floats(0, 1), extra=st.integers(0, 3), seed=st.integers(0, 2**32))
def test_plan_properties(docs: set[str], count: int, overlap: float, extra: int, seed: int) -> None:
    names = NAMES[:count]
    k = min(count, 1 + extra)
    plan = plan_assignments(sorted(docs), names, overlap=overlap, per_document=k, seed=seed)
    assert set(plan) == docs
    sizes = Counter(len(set(group)) for group in plan.values())
    shared = overlap_count(overlap, len(docs))
    if k > 1:
        assert sizes[k] == shared and sizes[1] == len(docs) - shared
    loads = _loads(plan)
    values = [loads.get(name, 0) for name in names]
    assert max(values) - min(values) <= 1
    assert plan == plan_assignments(sorted(docs, reverse=True), names, overlap=overlap, per_document=k, seed=seed)
