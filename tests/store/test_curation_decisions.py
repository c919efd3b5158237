"""Stored curation decisions (migration 0003): rejected groups survive, with the gold layer's role check."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from annotator.core.errors import AnnotatorError, PermissionDenied
from annotator.core.model import DocumentRecord, doc_id_for
from annotator.core.text import text_sha256
from annotator.store import decisions
from annotator.store import repository as repo
from annotator.store.database import open_store
from annotator.store.search import update_search_index

TEXT = "Minders read every letter, and wages were sent home late."


def _doc_pk(store) -> int:  # type: ignore[no-untyped-def]
    sha = text_sha256(TEXT)
    with store.write() as session:
        repo.ensure_default_scheme(session)
        repo.get_or_create_annotator(session, "lead")  # first: admin
        repo.get_or_create_annotator(session, "ana")
        row, _ = repo.add_document(session, DocumentRecord(doc_id_for(sha), TEXT, sha, {}))
        return row.id


def test_a_rejection_is_stored_and_survives_reopening(db_path: Path) -> None:
    store = open_store(db_path)
    pk = _doc_pk(store)
    with store.write() as session:
        assert decisions.reject_group(session, pk, 0, 7, actor="lead") is True
        assert decisions.reject_group(session, pk, 0, 7, actor="lead") is False  # already recorded
        decisions.reject_group(session, pk, 30, 40, actor="lead")
    store.close()
    again = open_store(db_path)
    try:
        with again.session() as session:
            assert decisions.rejected_groups(session, pk) == {(0, 7), (30, 40)}
            curator = session.execute(text("SELECT curator, decision FROM curation_decisions WHERE start = 0")).one()
            assert tuple(curator) == ("lead", "rejected")
        with again.write() as session:
            decisions.unreject_group(session, pk, 0, 7, actor="lead")
        with again.session() as session:
            assert decisions.rejected_groups(session, pk) == {(30, 40)}
    finally:
        again.close()


def test_rejecting_needs_the_curator_role_and_a_real_group(store) -> None:
    pk = _doc_pk(store)
    with store.write() as session, pytest.raises(PermissionDenied, match="curator role"):
        decisions.reject_group(session, pk, 0, 7, actor="ana")
    with store.write() as session, pytest.raises(PermissionDenied, match="curator role"):
        decisions.unreject_group(session, pk, 0, 7, actor="ana")
    with store.write() as session, pytest.raises(AnnotatorError, match="not inside the document"):
        decisions.reject_group(session, pk, 5, 999, actor="lead")
    with store.write() as session, pytest.raises(AnnotatorError, match="does not exist"):
        decisions.reject_group(session, pk + 100, 0, 7, actor="lead")
    with store.write() as session:
        repo.set_role(session, "ana", "curator")
        decisions.reject_group(session, pk, 0, 7, actor="ana")
    with store.session() as session:
        assert decisions.rejected_groups(session, pk) == {(0, 7)}


def test_deleting_a_document_deletes_its_decisions(store) -> None:
    pk = _doc_pk(store)
    with store.write() as session:
        decisions.reject_group(session, pk, 0, 7, actor="lead")
        update_search_index(session)  # the FTS delete trigger expects indexed rows
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM documents WHERE id = ?", (pk,))
        assert conn.exec_driver_sql("SELECT count(*) FROM curation_decisions").scalar() == 0
