"""The fast paths of import and store opening: bulk ids, deferred indexes, span counts, GC pause, no alembic.

Each fast path has a slower, obviously-correct twin (ORM inserts, SQL counts, alembic's own answer); the
tests check that both agree, on SQLite and (marked ``postgres``) on PostgreSQL where the path is portable.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from annotator.core.gc_pause import collecting_between_batches
from annotator.store import repository as repo
from annotator.store.bulk import encoder_for, insert_with_ids, select_in
from annotator.store.database import open_store
from annotator.store.importing import BATCH, import_paths
from annotator.store.migrating import head_revision
from annotator.store.models import Document, Layer, Span, utcnow
from annotator.store.schema_fast_path import head_from_files

WORDS = "crews shifts wages passports minders scaffolding dormitory transfers".split()


def _text(n: int) -> str:
    return f"Report {n}: " + " ".join(WORDS[(n + i) % len(WORDS)] for i in range(12)) + "."


def _record(n: int, annotator: str = "ana", spans: list[tuple[int, int, str]] | None = None) -> dict:
    text_ = _text(n)
    if spans is None:
        spans = [(0, 6, "injury"), (10, 15, "working_hours"), (0, 6, "injury")]  # one exact repeat
    return {"doc_id": f"r-{n:05d}", "text": text_, "annotator": annotator, "status": "done",
            "spans": [{"start": s, "end": e, "label": lab, "text": text_[s:e]} for s, e, lab in spans]}


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _span_counts_agree(store) -> None:  # type: ignore[no-untyped-def]
    with store.session() as session:
        stored = dict(session.execute(select(Layer.id, Layer.span_count)).all())
        counted = dict(session.execute(select(Layer.id, func.count(Span.id)).outerjoin(Span).group_by(Layer.id)).all())
    assert stored == counted


def _index_sql(store) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with store.engine.connect() as conn:
        return conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'spans' ORDER BY name"
        ).all()


def test_insert_with_ids_returns_each_row_s_own_id(any_store) -> None:
    now = utcnow()
    with any_store.write() as session:
        enc = encoder_for(session)
        keys = ("doc_id", "text_sha256", "text", "length", "title", "meta", "created")
        rows = [(f"b-{i}", f"{i:064x}", f"text {i}", 6, f"title {i}", enc.json({"n": i}), enc.time(now)) for i in range(5)]
        ids = insert_with_ids(session, Document, keys, rows[:2])
        ids += insert_with_ids(session, Document, keys, rows[2:])
    with any_store.session() as session:
        stored = {row.id: (row.doc_id, row.meta, row.created) for row in session.scalars(select(Document))}
    assert len(set(ids)) == 5
    assert [stored[i] for i in ids] == [(f"b-{i}", {"n": i}, now) for i in range(5)]


def test_multi_batch_import_dedupes_and_counts_like_the_slow_path(any_store, tmp_path: Path) -> None:
    n = BATCH + 30
    records = [_record(i) for i in range(n)]
    # The same article and annotator again, in a later batch: its layer is reused and gets one new span.
    records.append(_record(3, spans=[(0, 6, "injury"), (16, 22, "sanctions")]))
    summary = import_paths(any_store, [_write(tmp_path / "in.jsonl", records)])
    assert not summary.refused
    assert (summary.documents_added, summary.duplicates, summary.spans) == (n, 1, 2 * n + 1)
    _span_counts_agree(any_store)
    with any_store.session() as session:
        doc = repo.find_document(session, doc_id="r-00003")
        assert doc is not None
        spans = [(s.start, s.end, s.label) for s in repo.list_spans(session, doc.id, "ana")]
    assert spans == [(0, 6, "injury"), (10, 15, "working_hours"), (16, 22, "sanctions")]


def test_span_indexes_are_rebuilt_exactly_after_loading_an_empty_table(store, tmp_path: Path) -> None:
    before = _index_sql(store)
    assert {name for name, _ in before} == {"ix_spans_label", "ix_spans_label_marked", "ix_spans_layer_start"}
    import_paths(store, [_write(tmp_path / "a.jsonl", [_record(i) for i in range(5)])])
    assert _index_sql(store) == before
    # A second file meets a non-empty table: indexes stay in place throughout, and the result is the same.
    import_paths(store, [_write(tmp_path / "b.jsonl", [_record(i, annotator="bo") for i in range(3, 8)])])
    assert _index_sql(store) == before
    with store.engine.connect() as conn:
        plan = " ".join(str(row) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN SELECT * FROM spans WHERE layer_id = 1"))
        assert "ix_spans_layer_start" in plan
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    _span_counts_agree(store)


def test_a_refused_file_leaves_table_and_indexes_as_they_were(store, tmp_path: Path) -> None:
    before = _index_sql(store)
    records = [_record(i) for i in range(BATCH + 5)]
    records.append({"text": "No annotator but spans", "spans": [{"start": 0, "end": 2, "label": "injury"}]})
    summary = import_paths(store, [_write(tmp_path / "bad.jsonl", records)])
    assert summary.refused and "no annotator" in summary.refused[0]
    assert _index_sql(store) == before
    with store.session() as session:
        assert session.scalar(select(func.count(Span.id))) == 0
        assert session.scalar(select(func.count(Document.id))) == 0


def test_import_restores_the_garbage_collector_as_it_found_it(store, tmp_path: Path) -> None:
    source = _write(tmp_path / "in.jsonl", [_record(i) for i in range(3)])
    assert gc.isenabled()
    import_paths(store, [source])
    assert gc.isenabled()
    gc.disable()
    try:
        import_paths(store, [source])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_nested_pauses_re_enable_only_when_the_last_one_ends() -> None:
    assert gc.isenabled()
    with collecting_between_batches():
        with collecting_between_batches() as collect:
            collect()
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_migration_head_read_from_the_files_is_alembic_s() -> None:
    assert head_from_files() == head_revision()


def test_opening_a_current_database_does_not_load_alembic(db_path: Path) -> None:
    open_store(db_path).close()
    probe = (
        "import sys; from annotator.store.database import open_store; "
        f"s = open_store({str(db_path)!r}); s.close(); print('alembic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_select_in_answers_like_the_orm_across_chunks(any_store) -> None:
    now = utcnow()
    with any_store.write() as session:
        enc = encoder_for(session)
        keys = ("doc_id", "text_sha256", "text", "length", "title", "meta", "created")
        rows = [(f"s-{i}", f"{i:064x}", f"t{i}", 2, "", enc.empty_json, enc.time(now)) for i in range(1900)]
        insert_with_ids(session, Document, keys, rows)
    wanted = [f"{i:064x}" for i in range(0, 2000, 3)] + ["not-there"]
    with any_store.session() as session:
        got = sorted(select_in(session, Document, ("text_sha256", "doc_id"), "text_sha256", wanted))
        expected = sorted(tuple(r) for r in session.execute(
            select(Document.text_sha256, Document.doc_id).where(Document.text_sha256.in_(wanted))))
        assert select_in(session, Document, ("doc_id",), "doc_id", []) == []
    assert got == expected and len(got) == len(range(0, 1900, 3))


def _built_by_alembic(path: Path) -> Path:
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    from annotator.store import database, migrating

    engine = create_engine(f"sqlite:///{path}")
    database.configure_sqlite(engine, read_only=False)
    try:
        migrating.upgrade_schema(database.Store(engine, sessionmaker(engine), f"sqlite:///{path}"))
    finally:
        engine.dispose()
    return path


def _everything(path: Path) -> tuple[list, dict]:
    import sqlite3

    con = sqlite3.connect(path)
    try:
        schema = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()
        rows = {name: sorted(con.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
                for kind, name, _table, sql in schema if kind == "table" and not (sql or "").startswith("CREATE VIRTUAL")}
        return schema, rows
    finally:
        con.close()


def test_packaged_sqlite_snapshot_is_what_the_migrations_build(tmp_path: Path) -> None:
    from annotator.store.schema_fast_path import SQLITE_SNAPSHOT, sqlite_schema_script

    reference = _built_by_alembic(tmp_path / "alembic.sqlite3")
    assert sqlite_schema_script(reference, head_revision()) == SQLITE_SNAPSHOT.read_text(encoding="utf-8"), (
        "a migration changed the schema: regenerate the snapshot with "
        "python -c 'from annotator.store.schema_fast_path import write_sqlite_snapshot; write_sqlite_snapshot()'"
    )
    fast = tmp_path / "snapshot.sqlite3"
    open_store(fast).close()
    assert _everything(fast) == _everything(reference)


def test_a_stale_snapshot_or_a_used_file_is_left_to_the_migrations(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from annotator.store import schema_fast_path

    stale = tmp_path / "stale.sql"
    stale.write_text("-- revision 0000_not_the_head\nBEGIN IMMEDIATE;\nCREATE TABLE wrong (x);\nCOMMIT;\n", encoding="utf-8")
    monkeypatch.setattr(schema_fast_path, "SQLITE_SNAPSHOT", stale)
    path = tmp_path / "migrated.sqlite3"
    open_store(path).close()
    assert _everything(path) == _everything(_built_by_alembic(tmp_path / "reference.sqlite3"))
    monkeypatch.undo()
    store = open_store(path)
    try:
        assert schema_fast_path.create_from_snapshot(store) is False  # not empty: never overwritten
    finally:
        store.close()


def test_a_second_file_updates_the_status_of_reused_layers(any_store, tmp_path: Path) -> None:
    first = [dict(_record(i), status="in_progress") for i in range(4)]
    import_paths(any_store, [_write(tmp_path / "a.jsonl", first)])
    second = [_record(i, spans=[(16, 22, "sanctions")]) for i in (1, 2)]
    summary = import_paths(any_store, [_write(tmp_path / "b.jsonl", second)])
    assert (summary.duplicates, summary.layers, summary.spans) == (2, 2, 2)
    with any_store.session() as session:
        statuses = dict(session.execute(select(Document.doc_id, Layer.status).join(Layer)).all())
    assert statuses == {"r-00000": "in_progress", "r-00001": "done", "r-00002": "done", "r-00003": "in_progress"}
    _span_counts_agree(any_store)
