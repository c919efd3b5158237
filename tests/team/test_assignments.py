"""Assignments and reviews in the store (annotator.store.assignments), on SQLite and on PostgreSQL.

The rules are the store's, so each test calls the store directly: only new documents are assigned, a
server refuses an analyst who assigns (the race of two curators is in tests/reliability), and
a review needs a curator and a done layer (returned puts the layer back in progress).
"""

from __future__ import annotations

from collections import Counter

import pytest

from annotator.core.errors import AnnotatorError, PermissionDenied
from annotator.core.model import DocumentRecord
from annotator.core.text import text_sha256
from annotator.store import repository as repo
from annotator.store.assignments import assign, list_assignments, review_of, set_review
from annotator.store.database import open_store


def _doc(i: int, word: str = "shift") -> DocumentRecord:
    body = f"Article {i}: the {word} lasted long."
    sha = text_sha256(body)
    return DocumentRecord(f"doc-{i:03d}", body, sha, {"title": f"t{i}"})


def _fill(store, count: int, start: int = 0) -> None:  # type: ignore[no-untyped-def]
    with store.write() as session:
        repo.get_or_create_annotator(session, "lead")  # the first annotator: admin
        repo.ensure_default_scheme(session)
        for i in range(start, start + count):
            repo.add_document(session, _doc(i, "wage" if i % 2 else "shift"))


def test_assign_plans_every_new_document_once_and_reruns_add_only_new_ones(any_store) -> None:
    _fill(any_store, 30)
    with any_store.write() as session:
        plan = assign(session, "lead", ["a", "b", "c"], overlap=0.2, seed=1)
    assert len(plan) == 30 and Counter(len(g) for g in plan.values()) == {1: 24, 2: 6}
    with any_store.session() as session:
        listed = list_assignments(session)
    assert listed == [(doc_id, sorted(group)) for doc_id, group in sorted(plan.items())]
    with any_store.write() as session:
        assert assign(session, "lead", ["a", "b", "c"], overlap=0.2, seed=1) == {}
    _fill(any_store, 3, start=30)
    with any_store.write() as session:
        assert sorted(assign(session, "lead", ["a", "b", "c"], seed=1)) == ["doc-030", "doc-031", "doc-032"]
    with any_store.session() as session:
        loads = Counter(name for _doc_id, group in list_assignments(session) for name in group)
        assert max(loads.values()) - min(loads.values()) <= 1
        mine = list_assignments(session, "a")
    assert mine and all("a" in group for _doc_id, group in mine)


def test_assign_with_a_search_takes_only_matching_documents(any_store) -> None:
    _fill(any_store, 10)
    with any_store.write() as session:
        plan = assign(session, "lead", ["a"], search="wage")
    assert sorted(plan) == [f"doc-{i:03d}" for i in range(1, 10, 2)]


@pytest.mark.postgres
def test_an_analyst_may_not_assign_on_a_server(pg_url: str) -> None:
    store = open_store(pg_url)
    try:
        _fill(store, 2)
        with store.write() as session:
            repo.get_or_create_annotator(session, "ben")
        with pytest.raises(PermissionDenied, match="ben may not assign documents"), store.write() as session:
            assign(session, "ben", ["a"])
        with store.write() as session:
            repo.set_role(session, "ben", "curator")
        with store.write() as session:
            assert len(assign(session, "ben", ["a"])) == 2
    finally:
        store.close()


def test_anyone_may_assign_in_a_local_file(store) -> None:  # type: ignore[no-untyped-def]
    _fill(store, 2)
    with store.write() as session:
        repo.get_or_create_annotator(session, "ben")
        assert len(assign(session, "ben", ["a"])) == 2


def test_review_needs_a_curator_and_a_done_layer_and_returned_reopens_it(any_store) -> None:
    _fill(any_store, 1)
    with any_store.write() as session:
        pk = repo.find_document(session, doc_id="doc-000").id
        repo.add_span(session, pk, "ben", 0, 7, "working_hours", actor="ben")
    with pytest.raises(AnnotatorError, match="only once it is marked done"), any_store.write() as session:
        set_review(session, "lead", pk, "ben", "approved")
    with any_store.write() as session:
        repo.set_status(session, pk, "ben", "done", actor="ben")
    with pytest.raises(PermissionDenied, match="ben may not review"), any_store.write() as session:
        set_review(session, "ben", pk, "ben", "approved")
    with pytest.raises(AnnotatorError, match="not one of"), any_store.write() as session:
        set_review(session, "lead", pk, "ben", "maybe")
    with any_store.write() as session:
        set_review(session, "lead", pk, "ben", "returned", "tag the second shift too")
    with any_store.session() as session:
        review = review_of(session, pk, "ben")
        assert review is not None and (review.state, review.by, review.comment) == (
            "returned", "lead", "tag the second shift too")
        assert repo.get_layer(session, pk, "ben").status == "in_progress"


def test_an_assignment_run_is_taken_back_and_written_again_exactly(any_store) -> None:
    """The app's undo and redo of Assign (store.assignments.unassign / write_plan), on both dialects."""
    from annotator.store.assignments import unassign, write_plan

    _fill(any_store, 6)
    with any_store.write() as session:
        plan = assign(session, "lead", ["a", "b"], overlap=0.5, seed=3)
    with any_store.write() as session:
        unassign(session, "lead", plan)
    with any_store.session() as session:
        assert list_assignments(session) == []
    with any_store.write() as session:
        write_plan(session, "lead", plan)
    with any_store.session() as session:
        assert list_assignments(session) == [(doc_id, list(group)) for doc_id, group in sorted(plan.items())]
    with any_store.write() as session:
        unassign(session, "lead", plan)
        assert sorted(assign(session, "lead", ["c"], search="t0 OR t1")) == ["doc-000", "doc-001"]  # a colleague
    taken = sorted(doc_id for doc_id in plan if doc_id in ("doc-000", "doc-001"))
    with pytest.raises(AnnotatorError, match=f"document '{taken[0]}' was assigned or removed meanwhile"), \
            any_store.write() as session:
        write_plan(session, "lead", plan)
    with any_store.session() as session:
        assert [doc_id for doc_id, _names in list_assignments(session)] == taken  # nothing else was written


def test_undoing_a_review_restores_the_layer_unless_it_changed_since(any_store) -> None:
    from annotator.store.assignments import restore_review

    _fill(any_store, 1)
    with any_store.write() as session:
        pk = repo.find_document(session, doc_id="doc-000").id
        repo.add_span(session, pk, "ben", 0, 7, "working_hours", actor="ben")
        repo.set_status(session, pk, "ben", "done", actor="ben")
    with any_store.write() as session:
        returned = set_review(session, "lead", pk, "ben", "returned", "tag the second shift too")
    with pytest.raises(PermissionDenied, match="ben may not review"), any_store.write() as session:
        restore_review(session, "ben", pk, "ben", None, "done", undoing=(returned, "in_progress"))
    with any_store.write() as session:
        restore_review(session, "lead", pk, "ben", None, "done", undoing=(returned, "in_progress"))
    with any_store.session() as session:
        assert review_of(session, pk, "ben") is None and repo.get_layer(session, pk, "ben").status == "done"
    with any_store.write() as session:
        returned = set_review(session, "lead", pk, "ben", "returned", "tag the second shift too")
    with any_store.write() as session:
        repo.set_status(session, pk, "ben", "done", actor="ben")  # ben reworked it meanwhile
    with pytest.raises(AnnotatorError, match="changed after the review"), any_store.write() as session:
        restore_review(session, "lead", pk, "ben", None, "done", undoing=(returned, "in_progress"))
    with any_store.session() as session:
        assert review_of(session, pk, "ben") == returned
