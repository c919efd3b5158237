"""Corroboration grouping: the properties the report relies on, and the measure on invented examples."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.evidence.corroboration import (
    DEFAULT_THRESHOLD,
    claims,
    group_texts,
    normalise,
    similarity,
)
from annotator.core.evidence.model import Passage

WORDS = st.sampled_from(["guards", "watched", "the", "dormitory", "18", "22", "hours", "a", "day", "wages",
                         "were", "taken", "Kraków", "e\u0301te\u0301", "😊", "—", "<b>", "night", "shift"])
quotes = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)
thresholds = st.sampled_from([0.3, 0.45, DEFAULT_THRESHOLD, 0.7, 1.0])


def partition(texts: list[str], threshold: float) -> set[frozenset[str]]:
    """The grouping as a set of groups of (position-free) text multisets, for order comparisons."""
    return {frozenset(f"{texts[i]}#{texts[:i].count(texts[i])}" for i in group)
            for group in group_texts(texts, threshold)}


@settings(max_examples=150, deadline=None)
@given(st.lists(quotes, min_size=1, max_size=25), thresholds, st.randoms(use_true_random=False))
def test_grouping_does_not_depend_on_input_order(texts: list[str], threshold: float, rnd: random.Random) -> None:
    shuffled = texts[:]
    rnd.shuffle(shuffled)
    assert partition(texts, threshold) == partition(shuffled, threshold)


@settings(max_examples=150, deadline=None)
@given(st.lists(quotes, min_size=2, max_size=25), thresholds)
def test_grouping_is_symmetric_and_linked_pairs_are_similar(texts: list[str], threshold: float) -> None:
    groups = group_texts(texts, threshold)
    assert sorted(i for g in groups for i in g) == list(range(len(texts)))  # a partition
    group_of = {i: n for n, g in enumerate(groups) for i in g}
    for i, a in enumerate(texts):
        for j, b in enumerate(texts):
            assert similarity(a, b) == similarity(b, a)
            if similarity(a, b) >= threshold:  # similar pairs always end in one group, whichever is first
                assert group_of[i] == group_of[j]
    for group in groups:  # every member is linked to the group by at least one similar member
        for i in group:
            assert len(group) == 1 or any(similarity(texts[i], texts[j]) >= threshold for j in group if j != i)


@settings(max_examples=150, deadline=None)
@given(quotes, st.lists(quotes, max_size=10), thresholds)
def test_a_quote_always_groups_with_an_identical_quote_in_another_document(quote: str, others: list[str],
                                                                           threshold: float) -> None:
    passages = [_passage(1, quote), *(_passage(10 + i, q) for i, q in enumerate(others)), _passage(2, quote)]
    found = claims(passages, threshold)
    holding = [c for c in found if any(p.doc_pk == 1 for p in c.passages)]
    assert len(holding) == 1 and any(p.doc_pk == 2 for p in holding[0].passages)


def _passage(doc: int, quote: str, label: str = "surveillance", source: str = "", published: str = "") -> Passage:
    return Passage(doc, f"d{doc}", f"Title {doc}", source, "", published, "0" * 64, label, 0, len(quote), quote,
                   ("ana",))


def test_retold_quotes_group_and_different_figures_do_not() -> None:
    texts = ["guards worked the crews more than 18 hours a day", "crews laboring for over 18 hours a day",
             "a night shift of 22 hours", "Wages were taken by the company"]
    assert group_texts(texts) == [[0, 1], [2], [3]]
    assert similarity("18 hours a day", "22 hours a day") == 0.0  # different figures, different claims
    assert similarity("Kraków!", "krakow") < 1.0 and normalise("KRAKÓW!") == normalise("kraków")


def test_claims_count_documents_sources_and_the_earliest_date() -> None:
    passages = [_passage(1, "guards watched the dormitory", source="Daily A", published="2024-05-02"),
                _passage(2, "guards watched the dormitory.", source="daily a ", published="2024-04-30T10:00"),
                _passage(3, "Guards watched the dormitories", source="Herald", published=""),
                _passage(4, "guards watched the dormitory", source="", published="2024-06-01"),
                _passage(5, "wages were taken", label="remittance")]
    found = claims(passages)
    first = found[1] if found[0].label == "remittance" else found[0]
    assert (first.documents, first.sources, first.earliest, first.corroborated) == (4, 3, "2024-04-30", True)
    assert [p.doc_pk for p in first.passages] == [2, 1, 4, 3]  # by date, undated last


def test_threshold_bounds() -> None:
    with pytest.raises(ValueError):
        group_texts(["a"], 0.0)
    assert group_texts(["the guards", "The guards!", "the guards watched"], 1.0) == [[0, 1], [2]]


def test_grouping_many_quotes_is_fast_enough() -> None:
    rng = random.Random(3)
    vocab = [f"word{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676)}" for i in range(5000)]
    texts = [" ".join(rng.choice(vocab) for _ in range(rng.randint(2, 12))) for _ in range(5000)]
    texts += texts[:500]  # identical quotes in other documents
    import time

    started = time.perf_counter()
    groups = group_texts(texts)
    assert time.perf_counter() - started < 5
    assert sum(len(g) for g in groups) == len(texts)
    assert all(any(j == i + 5000 for j in g) for g in groups for i in g if i < 500)
