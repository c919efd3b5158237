"""The document list reads its rows a page at a time (keyset, or by position after a jump) and keeps a few
pages: whatever order the rows are asked in, they are the rows of the full query, and a document's row is
found whether or not its page is kept."""

from __future__ import annotations

import random

import pytest

from annotator.core.formats.articles import document_from_text
from annotator.store import queries
from annotator.store import repository as repo
from annotator.store.queries import DocumentFilter
from annotator.ui.annotate import document_list
from annotator.ui.annotate.document_list import DocumentList, DocumentListModel

ANA = "ana"
FILTERS = [DocumentFilter(), DocumentFilter(status="done"), DocumentFilter(status="todo"),
           DocumentFilter(label="injury"), DocumentFilter(search="crane"), DocumentFilter(search="nothing-like-it")]


@pytest.fixture
def corpus(store):  # type: ignore[no-untyped-def]
    with store.write() as session:
        repo.ensure_default_scheme(session)
        pks = []
        for i in range(64):
            body = f"Article {i}: " + ("crane operators worked all night." if i % 5 == 0 else "wages were withheld.")
            pks.append(repo.add_document(session, document_from_text(body, {"title": f"Story {i}"}))[0].id)
        for pk in pks[::3]:
            repo.set_status(session, pk, ANA, "done", actor=ANA)
        for pk in pks[1::7]:
            repo.add_span(session, pk, ANA, 0, 7, "injury", actor=ANA)
    return store


@pytest.fixture
def small_pages(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(document_list, "PAGE", 5)
    monkeypatch.setattr(document_list, "KEPT_PAGES", 3)


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: f"{f.search}|{f.status}|{f.label}")
def test_rows_in_any_order_are_the_rows_of_the_full_query(qtbot, corpus, small_pages, flt) -> None:  # type: ignore[no-untyped-def]
    with corpus.session() as session:
        expected = queries.document_ids(session, ANA, flt)
        everything = queries.document_ids(session, ANA)
        rows = queries.document_rows(session, expected, ANA)
    model = DocumentListModel(corpus, ANA)
    model.reload(flt)
    assert model.rowCount() == len(expected) == len(model.pks)
    order = list(range(len(expected)))
    random.Random(4).shuffle(order)
    for row in order + list(range(len(expected))) + list(reversed(range(len(expected)))):
        assert model.document_row(row) == rows[expected[row]]
        assert len(model._pages) <= document_list.KEPT_PAGES
    for pk in everything:  # kept or not, listed or not
        assert model.row_of(pk) == (expected.index(pk) if pk in expected else None)
        assert (pk in model.pks) == (pk in expected)
    assert list(model.pks) == expected == model.pks[:]
    assert model.document_row(len(expected)) is None and model.document_row(-1) is None


def test_queries_page_by_keyset_and_by_position(corpus) -> None:  # type: ignore[no-untyped-def]
    flt = DocumentFilter(status="todo")
    with corpus.session() as session:
        ids = queries.document_ids(session, ANA, flt)
        assert queries.document_count(session, ANA, flt) == len(ids)
        page = queries.document_page(session, ANA, flt, offset=7, limit=6)
        assert [r.pk for r in page] == ids[7:13]
        assert [r.pk for r in queries.document_page(session, ANA, flt, after=ids[12], limit=6)] == ids[13:19]
        assert [r.pk for r in queries.document_page(session, ANA, flt, before=ids[7], limit=6)] == ids[1:7]
        assert queries.document_page(session, ANA, flt, offset=len(ids), limit=6) == []
        assert [queries.document_position(session, ANA, flt, pk) for pk in ids] == list(range(len(ids)))
        plan = " ".join(str(r[-1]) for r in session.connection().exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM documents"))
        assert "ix_documents_id" in plan  # the narrow index, not the articles' pages


def test_next_and_previous_cross_pages_and_a_changed_row_is_reread(qtbot, corpus, small_pages) -> None:  # type: ignore[no-untyped-def]
    docs = DocumentList(corpus, ANA, [])
    qtbot.addWidget(docs)
    docs.apply_filter()
    with corpus.session() as session:
        ids = queries.document_ids(session, ANA)
    walked = [docs.neighbour(None, 1)]
    while (following := docs.neighbour(walked[-1], 1)) is not None:
        walked.append(following)
    assert walked == ids
    assert docs.neighbour(ids[-1], -1) == ids[-2] and docs.neighbour(ids[0], -1) is None
    docs.model.document_row(0)
    assert docs.model.document_row(0).status == "done"
    with corpus.write() as session:
        repo.set_status(session, ids[0], ANA, "in_progress", actor=ANA)
        repo.set_status(session, ids[-1], ANA, "in_progress", actor=ANA)
    with qtbot.waitSignal(docs.model.dataChanged):
        docs.model.refresh_row(ids[0])
    docs.model.refresh_row(ids[-1])  # its page may not be kept: read fresh when shown
    assert docs.model.document_row(0).status == "in_progress"
    assert docs.model.document_row(len(ids) - 1).status == "in_progress"
    docs.show_current(ids[40])
    assert docs.table.currentIndex().row() == 40
