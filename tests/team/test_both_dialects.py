"""The store and the command line on both dialects: every test runs on SQLite and on a real PostgreSQL.

What differs between the dialects and could bite: text collation (ids must export in code-point order
whatever the server's locale), JSON columns, explicit ids and sequences, string length limits, and how
schema checks and permission checks surface. Each test here fails if one dialect drifts from the other.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from annotator.cli import main
from annotator.core.errors import AnnotatorError, PermissionDenied, SchemaTooNew
from annotator.core.model import GOLD_ANNOTATOR, DocumentRecord
from annotator.core.text import text_sha256
from annotator.store import repository as repo
from annotator.store.database import open_store
from annotator.store.migrating import head_revision

# Ids chosen so that byte order and a locale's order disagree ("Zeta" < "alpha" only in byte order,
# "a_b" < "ab" in both but "a_b" sorts after "aB" only bytewise).
TEXTS = {
    "alpha": "Workers said shifts ran 22 hours, with 😊 emoji and e\u0301 combining marks.",
    "Zeta": "An inspector reported an injury on the night shift.",
    "a_b": "Cameras watched every corridor of the dormitory.",
    "aB": "Families depended on remittances sent home each month.",
}


def _records() -> list[dict]:
    records = []
    for doc_id, body in TEXTS.items():
        records.append({"doc_id": doc_id, "text": body, "meta": {"title": f"Title {doc_id}", "source": "test"}})
    return records


def write_input(path: Path) -> Path:
    """A native JSONL file with documents, two annotators' layers, attributes and notes."""
    lines = []
    for record in _records():
        lines.append(json.dumps(record, ensure_ascii=False))
    body = TEXTS["alpha"]
    start = body.index("22 hours")
    lines.append(json.dumps({"doc_id": "alpha", "text": body, "annotator": "ana", "status": "done",
                             "spans": [{"start": start, "end": start + 8, "label": "working_hours",
                                        "attributes": {"confidence": "high"}, "note": "clear"},
                                       {"start": body.index("😊"), "end": body.index("😊") + 1,
                                        "label": "injury"}]}, ensure_ascii=False))
    lines.append(json.dumps({"doc_id": "alpha", "text": body, "annotator": "ben", "status": "in_progress",
                             "spans": [{"start": start, "end": start + 2, "label": "working_hours"}]},
                            ensure_ascii=False))
    zeta = TEXTS["Zeta"]
    lines.append(json.dumps({"doc_id": "Zeta", "text": zeta, "annotator": "ben", "status": "done",
                             "spans": [{"start": zeta.index("injury"), "end": zeta.index("injury") + 6,
                                        "label": "injury"}]}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_export_verify_round_trip_is_identical_on_both_dialects(any_store_url: str, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    source = write_input(tmp_path / "in.jsonl")
    assert main(["import", str(source), "--db", any_store_url]) == 0
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert main(["export", "-o", str(first), "--db", any_store_url]) == 0
    # Import the export again: nothing is duplicated, and the second export is byte-identical.
    assert main(["import", str(first), "--db", any_store_url]) == 0
    assert main(["export", "-o", str(second), "--db", any_store_url]) == 0
    assert first.read_bytes() == second.read_bytes()
    lines = [json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()]
    assert [(r["doc_id"], r["annotator"]) for r in lines] == [
        ("Zeta", "ben"), ("aB", None), ("a_b", None), ("alpha", "ana"), ("alpha", "ben")]
    ana = lines[3]
    assert [s["text"] for s in ana["spans"]] == ["22 hours", "😊"]
    assert ana["spans"][0]["attributes"] == {"confidence": "high"} and ana["spans"][0]["note"] == "clear"
    assert ana["meta"] == {"title": "Title alpha", "source": "test"}
    capsys.readouterr()
    assert main(["verify", "--db", any_store_url]) == 0
    assert "verified 4 spans" in capsys.readouterr().out


def test_export_is_the_same_bytes_from_sqlite_and_postgres(pg_url: str, tmp_path: Path) -> None:
    source = write_input(tmp_path / "in.jsonl")
    sqlite_url = "sqlite:///" + str(tmp_path / "s.sqlite3")
    for url, out in ((sqlite_url, tmp_path / "s.jsonl"), (pg_url, tmp_path / "p.jsonl")):
        assert main(["import", str(source), "--db", url]) == 0
        assert main(["export", "-o", str(out), "--db", url]) == 0
    assert (tmp_path / "s.jsonl").read_bytes() == (tmp_path / "p.jsonl").read_bytes()


def test_env_var_selects_the_server(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATOR_DB", pg_url.replace("postgresql+psycopg://", "postgresql://"))
    assert main(["import", str(write_input(tmp_path / "in.jsonl"))]) == 0
    store = open_store(pg_url)
    try:
        with store.session() as session:
            assert session.execute(text("SELECT count(*) FROM documents")).scalar() == 4
    finally:
        store.close()


def _doc(body: str) -> DocumentRecord:
    sha = text_sha256(body)
    return DocumentRecord("d-" + sha[:16], body, sha, {"title": "t"})


def test_span_lifecycle_keeps_counts_and_ids(any_store) -> None:
    with any_store.write() as session:
        repo.ensure_default_scheme(session)
        doc, _ = repo.add_document(session, _doc("Night shifts of fourteen hours were common."))
        first = repo.add_span(session, doc.id, "ana", 0, 12, "working_hours", actor="ana")
        second = repo.add_span(session, doc.id, "ana", 16, 24, "working_hours", actor="ana", note="n")
    with any_store.write() as session:
        repo.update_span(session, second.id, actor="ana", label="injury", attributes={"k": [1, 2]})
        gone = repo.delete_span(session, first.id, actor="ana")
    with any_store.write() as session:
        # Undo of the delete restores the span under its old id; later inserts must not collide with it.
        repo.add_span(session, doc.id, "ana", gone.start, gone.end, gone.label, actor="ana", span_id=gone.id)
        third = repo.add_span(session, doc.id, "ana", 0, 5, "injury", actor="ana")
    with any_store.session() as session:
        spans = repo.list_spans(session, doc.id, "ana")
        layer = repo.get_layer(session, doc.id, "ana")
        assert layer is not None and layer.span_count == 3 and layer.status == "in_progress"
    assert [(s.id, s.start, s.end, s.label) for s in spans] == [
        (third.id, 0, 5, "injury"), (first.id, 0, 12, "working_hours"), (second.id, 16, 24, "injury")]
    assert spans[2].attributes == {"k": [1, 2]} and spans[2].note == "n"
    assert len({first.id, second.id, third.id}) == 3


def test_roles_are_enforced_on_both_dialects(any_store) -> None:
    with any_store.write() as session:
        repo.ensure_default_scheme(session)
        doc, _ = repo.add_document(session, _doc("Guards kept the passports of all workers."))
        repo.get_or_create_annotator(session, "boss")  # first annotator: admin
        repo.add_span(session, doc.id, "ana", 0, 6, "surveillance", actor="ana")
        repo.get_or_create_annotator(session, "ben")
    with pytest.raises(PermissionDenied, match="may not change ana's layer"), any_store.write() as session:
        repo.add_span(session, doc.id, "ana", 7, 11, "surveillance", actor="ben")
    with pytest.raises(PermissionDenied, match="curator role"), any_store.write() as session:
        repo.add_span(session, doc.id, GOLD_ANNOTATOR, 0, 6, "surveillance", actor="ben")
    with pytest.raises(PermissionDenied), any_store.write() as session:
        span_id = repo.list_spans(session, doc.id, "ana")[0].id
        repo.delete_span(session, span_id, actor="ben")
    with any_store.write() as session:
        repo.set_role(session, "ben", "curator")
        repo.add_span(session, doc.id, GOLD_ANNOTATOR, 0, 6, "surveillance", actor="ben")
        repo.add_span(session, doc.id, "ana", 7, 11, "surveillance", actor="boss")  # admin may
    with any_store.session() as session:
        assert len(repo.list_spans(session, doc.id, "ana")) == 2
        assert len(repo.list_spans(session, doc.id, GOLD_ANNOTATOR)) == 1


def test_newer_schema_is_refused_on_both_dialects(any_store_url: str) -> None:
    store = open_store(any_store_url)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    store.close()
    with pytest.raises(SchemaTooNew, match=r"newer version of annotator \(schema 9999_from_the_future\)"):
        open_store(any_store_url)
    assert main(["verify", "--db", any_store_url]) == 1


def test_migrations_run_on_an_empty_server_database(pg_empty_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from annotator.store.models import Base

    store = open_store(pg_empty_url)
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        # The full-text search index is a migration-only expression index (0002) with no model.
        assert [d for d in diff if not (d[0] == "remove_index" and d[1].name == "ix_documents_search")] == []
    finally:
        store.close()


def test_a_bad_server_url_is_one_clear_line(pg_server, capsys: pytest.CaptureFixture[str]) -> None:
    url = pg_server.url("no_such_database", user="teamuser", password="wrong-password")
    with pytest.raises(AnnotatorError) as info:
        open_store(url)
    assert "wrong-password" not in str(info.value) and "***" in str(info.value)
    assert main(["verify", "--db", url]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "password authentication failed" in err and "wrong-password" not in err


def test_the_app_s_document_list_queries_agree_on_both_dialects(any_store) -> None:
    from annotator.store import queries

    texts = ["Crane operators at the dock worked through the night.",
             "Miners were paid in vouchers; the remittances went elsewhere.",
             "Guards read every letter the workers sent."]
    with any_store.write() as session:
        repo.ensure_default_scheme(session)
        pks = [repo.add_document(session, _doc(body))[0].id for body in texts]
        repo.add_span(session, pks[1], "ana", 0, 6, "remittance", actor="ana", attributes={"k": "v"})
        repo.set_status(session, pks[0], "ana", "done", actor="ana")
    with any_store.write() as session:
        ids = queries.document_ids
        assert ids(session, "ana") == pks
        assert ids(session, "ana", queries.DocumentFilter(search="crane")) == [pks[0]]
        assert ids(session, "ana", queries.DocumentFilter(search="night DOCK")) == [pks[0]]
        assert ids(session, "ana", queries.DocumentFilter(search="remit")) == [pks[1]]  # prefix
        assert ids(session, "ana", queries.DocumentFilter(search='"((')) == []
        assert ids(session, "ana", queries.DocumentFilter(status="todo")) == [pks[2]]
        assert ids(session, "ana", queries.DocumentFilter(status="in_progress")) == [pks[1]]
        assert ids(session, "ana", queries.DocumentFilter(label="remittance")) == [pks[1]]
        rows = queries.document_rows(session, pks, "ana")
        assert [(rows[pk].status, rows[pk].span_count) for pk in pks] == [("done", 0), ("in_progress", 1), ("todo", 0)]
        assert queries.next_undone(session, "ana", pks[2]) == pks[1]
        spans = queries.layer_spans(session, pks[1], "ana")
        assert [(s.quote, s.attributes) for s in spans] == [("Miners", {"k": "v"})]


def test_db_check_works_on_both_dialects(any_store_url: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(write_input(tmp_path / "in.jsonl")), "--db", any_store_url]) == 0
    capsys.readouterr()
    assert main(["db", "check", "--db", any_store_url]) == 0
    out = capsys.readouterr().out
    assert f"schema {head_revision()} (current); 4 documents, 3 layers, 4 spans" in out and "integrity: ok" in out


def test_two_apps_opening_an_empty_server_database_at_once_migrate_it_once(pg_empty_url: str) -> None:
    """The advisory lock in upgrade_schema: the second opener waits, then finds the schema current."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        stores = list(pool.map(lambda _: open_store(pg_empty_url), range(4)))
    try:
        with stores[0].engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all() == [head_revision()]
    finally:
        for opened in stores:
            opened.close()
