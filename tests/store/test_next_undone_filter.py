"""``queries.next_undone`` with the document list's filter, on SQLite and PostgreSQL (issue #13, item 4)."""

from __future__ import annotations

from annotator.core.formats.articles import document_from_text
from annotator.store import queries
from annotator.store import repository as repo
from annotator.store.queries import DocumentFilter

TEXTS = ["Crane operators on the night dock.", "Wages were withheld for months.", "Night shifts at the dock.",
         "Remittances sent home through brokers.", "The dock closed at night."]


def test_next_undone_respects_search_status_and_label(any_store) -> None:
    with any_store.write() as session:
        repo.ensure_default_scheme(session)
        pks = [repo.add_document(session, document_from_text(t, {"title": t[:20]}))[0].id for t in TEXTS]
        repo.set_status(session, pks[2], "ana", "done")
        repo.add_span(session, pks[4], "ana", 4, 8, "injury", actor="ana")
    dock = DocumentFilter(search="dock")  # documents 0, 2 (done) and 4
    with any_store.write() as session:  # the list brings the search index up to date when it counts
        assert queries.document_count(session, "ana", dock) == 3
    with any_store.session() as session:
        assert queries.next_undone(session, "ana", pks[0], dock) == pks[4]  # 2 is done, 1 and 3 not listed
        assert queries.next_undone(session, "ana", pks[4], dock) == pks[0]  # wraps around within the hits
        assert queries.next_undone(session, "ana", pks[0]) == pks[1]  # no filter: as before
        only = DocumentFilter(search="dock", status="in_progress")
        assert queries.next_undone(session, "ana", pks[4], only) is None  # 4 itself is left for the next one
        assert queries.next_undone(session, "ana", None, DocumentFilter(label="injury")) == pks[4]
        assert queries.next_undone(session, "ana", pks[1], DocumentFilter(search="withheld")) is None
        assert queries.next_undone(session, "bo", pks[0], dock) == pks[2]  # bo has no done layer
