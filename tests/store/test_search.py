"""Full-text search over documents on SQLite (FTS5 indexed in batches)."""

from __future__ import annotations

from sqlalchemy import select

from annotator.core.errors import AnnotatorError
from annotator.core.model import DocumentRecord, doc_id_for
from annotator.core.text import text_sha256
from annotator.store import repository as repo
from annotator.store.models import Document
from annotator.store.search import filter_by_search, pending_documents, update_search_index

TEXTS = {
    "dock": "Crane operators at the dock worked through the night.",
    "mine": "Miners were paid in vouchers; the remittances went elsewhere.",
    "cafe": "Le café près du chantier fermait à minuit.",
}


def _add_all(store) -> None:
    with store.write() as session:
        for title, text in TEXTS.items():
            sha = text_sha256(text)
            repo.add_document(session, DocumentRecord(doc_id_for(sha), text, sha, {"title": title}))


def _titles(store, query: str) -> set[str]:
    with store.session() as session:
        return set(session.scalars(filter_by_search(select(Document.title), session, query)))


def test_new_documents_are_found_after_the_index_update(store) -> None:
    _add_all(store)
    with store.session() as session:
        assert pending_documents(session) == 3
    assert _titles(store, "crane") == set()  # not indexed yet: import does not pay for indexing
    with store.write() as session:
        assert update_search_index(session) == 3
        assert update_search_index(session) == 0
        assert pending_documents(session) == 0
    assert _titles(store, "crane") == {"dock"}
    assert _titles(store, "remit") == {"mine"}  # prefix match
    assert _titles(store, "cafe") == {"cafe"}  # diacritics folded
    assert _titles(store, "night dock") == {"dock"}  # every word must match
    assert _titles(store, "   ") == {"dock", "mine", "cafe"}


def test_search_syntax_from_users_is_never_fts_syntax(store) -> None:
    _add_all(store)
    with store.write() as session:
        update_search_index(session)
    for hostile in ['"', 'crane"', "NEAR(crane night)", "crane OR miners", "title:dock", "*", "-crane", "((",
                    "crane NOT dock", "OR", "a OR OR b", "*crane", "crane*", "^crane", "+crane", 'cr"ane']:
        try:
            _titles(store, hostile)  # never an FTS5 syntax error: a result, or one sentence about the syntax
        except AnnotatorError as exc:
            assert str(exc).startswith("search: "), (hostile, exc)


def test_deleting_documents_keeps_the_index_sound(store) -> None:
    """A document deleted before or after it was indexed leaves SQLite's FTS5 table consistent."""
    from sqlalchemy import delete, text

    _add_all(store)
    with store.write() as session:  # not indexed yet: FTS5 must not be told to delete it
        session.execute(delete(Document).where(Document.title == "cafe"))
    with store.write() as session:
        update_search_index(session)
    with store.write() as session:  # indexed: FTS5 must forget it
        session.execute(delete(Document).where(Document.title == "dock"))
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        conn.exec_driver_sql("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
    assert _titles(store, "crane") == set()
    assert _titles(store, "vouchers") == {"mine"}
    with store.session() as session:
        assert session.execute(text("SELECT count(*) FROM documents_fts")).scalar() == 1
