"""The store on real SQLite files: migrations, pragmas, repository operations and roles."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from annotator.core.errors import AnnotatorError, PermissionDenied, SchemaTooNew
from annotator.core.model import GOLD_ANNOTATOR, DocumentRecord, doc_id_for
from annotator.core.text import text_sha256
from annotator.store import repository as repo
from annotator.store.database import open_store
from annotator.store.migrating import head_revision


def _doc(text: str, **meta: str) -> DocumentRecord:
    sha = text_sha256(text)
    return DocumentRecord(doc_id_for(sha), text, sha, dict(meta))


def test_database_built_by_migrations_equals_the_models(store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from annotator.store.models import Base

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # FTS5 shadow tables are created by migration 0002 on purpose and have no model; so is SQLite's
    # narrow index of document ids (0006: PostgreSQL's primary key index does its job there).
    diff = [d for d in diff if not (d[0] == "remove_table" and d[1].name.startswith("documents_fts"))
            and not (d[0] == "remove_index" and d[1].name == "ix_documents_id")]
    assert diff == []


def test_sqlite_is_configured_for_durability_and_concurrency(store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_reopening_does_not_migrate_again_and_keeps_data(db_path: Path) -> None:
    first = open_store(db_path)
    with first.write() as session:
        repo.add_document(session, _doc("Shifts lasted fourteen hours."))
    first.close()
    second = open_store(db_path)
    with second.session() as session:
        assert session.execute(text("SELECT count(*) FROM documents")).scalar() == 1
    assert not list(db_path.parent.glob("*.bak"))  # no migration ran, so no backup was needed
    second.close()


def test_newer_schema_is_refused(db_path: Path) -> None:
    store = open_store(db_path)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    store.close()
    with pytest.raises(SchemaTooNew, match="newer version of annotator"):
        open_store(db_path)


def test_unwritable_location_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(AnnotatorError, match="cannot create the database folder"):
        open_store(blocker / "db.sqlite3")


def test_head_revision_is_the_last_migration() -> None:
    assert head_revision() == "0013"


def test_span_lifecycle_and_counts(store) -> None:
    text_ = "Workers sent 😊 home; wages were withheld."
    with store.write() as session:
        repo.ensure_default_scheme(session)
        doc, created = repo.add_document(session, _doc(text_, title="t"))
        assert created
        start = text_.index("wages")
        span = repo.add_span(session, doc.id, "ana", start, start + 5, "remittance", actor="ana")
        assert span.quote == "wages"
    with store.write() as session:
        layer = repo.get_layer(session, doc.id, "ana")
        assert layer is not None and layer.span_count == 1 and layer.status == "in_progress"
        repo.update_span(session, span.id, actor="ana", label="sanctions", note="check source")
        assert repo.list_spans(session, doc.id, "ana")[0].label == "sanctions"
        repo.delete_span(session, span.id, actor="ana")
    with store.session() as session:
        assert repo.list_spans(session, doc.id, "ana") == []
        assert repo.get_layer(session, doc.id, "ana").span_count == 0


def test_span_offsets_and_labels_are_checked(store) -> None:
    with store.write() as session:
        repo.ensure_default_scheme(session)
        doc, _ = repo.add_document(session, _doc("short text"))
        with pytest.raises(AnnotatorError, match="beyond the end"):
            repo.add_span(session, doc.id, "ana", 2, 99, "injury")
        with pytest.raises(AnnotatorError, match="unknown label"):
            repo.add_span(session, doc.id, "ana", 0, 5, "no_such_label")


def test_duplicate_text_is_one_document(store) -> None:
    with store.write() as session:
        first, new1 = repo.add_document(session, _doc("Same text.", title="a"))
        second, new2 = repo.add_document(session, _doc("Same text.", title="b"))
    assert new1 and not new2 and first.id == second.id


def test_roles_are_enforced_in_the_store(store) -> None:
    with store.write() as session:
        repo.ensure_default_scheme(session)
        doc, _ = repo.add_document(session, _doc("Minders watched every worker."))
        repo.get_or_create_annotator(session, "lead")  # first annotator: admin
        repo.get_or_create_annotator(session, "bo")
        repo.get_or_create_annotator(session, "cy")
        span = repo.add_span(session, doc.id, "bo", 0, 7, "surveillance", actor="bo")
    with store.write() as session, pytest.raises(PermissionDenied, match="only their own"):
        repo.add_span(session, doc.id, "bo", 8, 15, "surveillance", actor="cy")
    with store.write() as session, pytest.raises(PermissionDenied, match="only their own"):
        repo.delete_span(session, span.id, actor="cy")
    with store.write() as session, pytest.raises(PermissionDenied, match="curator role"):
        repo.add_span(session, doc.id, GOLD_ANNOTATOR, 0, 7, "surveillance", actor="cy")
    with store.write() as session:
        repo.set_role(session, "cy", "curator")
        repo.add_span(session, doc.id, GOLD_ANNOTATOR, 0, 7, "surveillance", actor="cy")
        assert repo.role_of(session, "lead") == "admin"


def test_quotes_are_cut_in_code_points_on_every_dialect(any_store) -> None:
    text_ = "Pak (박) 👩‍👩‍👧 said e\u0301tait — שלום 😊 end"
    with any_store.write() as session:
        repo.ensure_default_scheme(session)
        doc, _ = repo.add_document(session, _doc(text_))
        cases = [(text_.index("박"), text_.index("박") + 1), (text_.index("👩"), text_.index("said") - 1),
                 (text_.index("e\u0301"), text_.index(" —")), (text_.index("שלום"), len(text_))]
        for start, end in cases:
            span = repo.add_span(session, doc.id, "ana", start, end, "injury")
            assert span.quote == text_[start:end]
    with any_store.session() as session:
        assert [s.quote for s in repo.list_spans(session, doc.id, "ana")] == [text_[a:b] for a, b in sorted(cases)]
        assert list(repo.verify_quotes(session)) == []


def test_a_missing_database_driver_is_named(tmp_path: Path) -> None:
    with pytest.raises(AnnotatorError, match=r"its driver is not installed \(No module named"):
        open_store("mysql+mysqldb://someone@127.0.0.1/news")
