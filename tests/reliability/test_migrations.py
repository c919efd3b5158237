"""Migrations, backups and health checks of a database file.

``tests/data/schema_0001.sqlite3`` is a small database written by the first schema (alembic revision
0001) with a few rows. Opening it must migrate it to the newest schema, keep every row, and leave a
backup of the old file beside it. Regenerate it (only if 0001 itself ever had to change, which it must
not) with ``python -m tests.reliability.test_migrations``.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from annotator.cli import main
from annotator.core.errors import SchemaTooNew
from annotator.store import repository as repo
from annotator.store.database import open_store
from annotator.store.migrating import _alembic_config, current_revision, head_revision
from tests.hostile.dbstate import counts, integrity, snapshot

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "schema_0001.sqlite3"
FIXTURE_TEXTS = (
    "The night shift at the packing plant ran from six in the evening to ten the next morning.",
    "Inspectors found cameras above every workstation and a fine for each minute away from the line.",
)


def _where(i: int, quote: str) -> tuple[int, int]:
    start = FIXTURE_TEXTS[i].index(quote)
    return start, start + len(quote)


def build_schema_0001(path: Path) -> None:
    """Create ``path`` with alembic at revision 0001 and insert rows with plain SQL of that schema."""
    from alembic import command

    from annotator.core.text import text_sha256

    engine = create_engine(f"sqlite:///{path}")
    config = _alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        when = "2025-01-02 03:04:05.000000"
        for i, text in enumerate(FIXTURE_TEXTS, start=1):
            sha = text_sha256(text)
            conn.exec_driver_sql(
                "INSERT INTO documents (id, doc_id, text_sha256, text, length, title, source, url, published,"
                " filename, meta, created) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)",
                (i, f"d-{sha[:16]}", sha, text, len(text), f"Article {i}", "fixture", "2025-01-0" + str(i),
                 f"article-{i}.txt", "{}", when),
            )
        for i, key in enumerate(("working_hours", "injury", "surveillance", "remittance", "sanctions")):
            conn.exec_driver_sql(
                "INSERT INTO labels (id, key, name, color, shortcut, guideline, sort_order) VALUES (?, ?, ?, ?, ?, '', ?)",
                (i + 1, key, key.replace("_", " ").capitalize(), "#0072B2", str(i + 1), i),
            )
        for i, name in enumerate(("analyst-a", "analyst-b"), start=1):
            conn.exec_driver_sql("INSERT INTO annotators (id, name, created) VALUES (?, ?, ?)", (i, name, when))
        conn.exec_driver_sql(
            "INSERT INTO layers (id, document_id, annotator_id, status, span_count, updated) VALUES"
            " (1, 1, 1, 'done', 2, ?), (2, 2, 2, 'in_progress', 1, ?)", (when, when))
        spans = ((1, 1, *_where(0, "night shift"), 1), (2, 1, *_where(0, "six in the evening"), 1),
                 (3, 2, *_where(1, "cameras"), 3))
        for span_id, layer, start, end, label in spans:
            text = FIXTURE_TEXTS[0 if layer == 1 else 1]
            conn.exec_driver_sql(
                "INSERT INTO spans (id, layer_id, start, end_, label_id, quote, attributes, note, created, updated)"
                " VALUES (?, ?, ?, ?, ?, ?, '{}', NULL, ?, ?)",
                (span_id, layer, start, end, label, text[start:end], when, when),
            )
    engine.dispose()


def _copy_fixture(tmp_path: Path) -> Path:
    target = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURE, target)
    return target


def test_fixture_is_schema_0001_with_rows() -> None:
    conn = sqlite3.connect(f"file:{FIXTURE}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        columns = {row[1] for row in conn.execute("PRAGMA table_info(annotators)")}
        assert "role" not in columns
    finally:
        conn.close()
    assert counts(FIXTURE) == {"documents": 2, "labels": 5, "annotators": 2, "layers": 2, "spans": 3}


def test_opening_an_old_database_migrates_keeps_rows_and_backs_up(tmp_path: Path) -> None:
    db = _copy_fixture(tmp_path)
    before = snapshot(db)
    store = open_store(db)
    try:
        assert current_revision(store) == head_revision() != "0001"
        with store.session() as session:
            docs = list(repo.iter_annotated_documents(session))
            assert sorted(d.document.text for d in docs) == sorted(FIXTURE_TEXTS)
            by_text = {d.document.text: d for d in docs}
            first = by_text[FIXTURE_TEXTS[0]].layers
            assert [(lay.annotator, lay.status) for lay in first] == [("analyst-a", "done")]
            assert [(s.start, s.end, s.label, s.text) for s in first[0].spans] == [
                (*_where(0, "night shift"), "working_hours", "night shift"),
                (*_where(0, "six in the evening"), "working_hours", "six in the evening"),
            ]
            second = by_text[FIXTURE_TEXTS[1]].layers
            assert [(s.label, s.text) for s in second[0].spans] == [("surveillance", "cameras")]
            assert list(repo.verify_quotes(session)) == []
            assert repo.role_of(session, "analyst-a") == "admin"
            assert repo.role_of(session, "analyst-b") == "annotator"
        # The migrated database takes new writes.
        with store.write() as session:
            repo.add_span(session, 1, "analyst-b", 0, 9, "working_hours")
    finally:
        store.close()
    assert counts(db)["spans"] == 4
    assert integrity(db) == "ok"
    backups = sorted(tmp_path.glob("old.sqlite3.before-*.bak"))
    assert len(backups) == 1, list(tmp_path.iterdir())
    assert snapshot(backups[0]) == before  # the backup is the old file, rows and schema version included


def test_a_database_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    db = _copy_fixture(tmp_path)
    conn = sqlite3.connect(str(db))
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    before = snapshot(db)
    with pytest.raises(SchemaTooNew, match="newer version"):
        open_store(db)
    assert snapshot(db) == before
    assert not list(tmp_path.glob("*.bak"))


def _filled_db(tmp_path: Path) -> Path:
    db = tmp_path / "live.sqlite3"
    store = open_store(db)
    try:
        from annotator.core.model import DocumentRecord
        from annotator.core.text import text_sha256

        with store.write() as session:
            repo.ensure_default_scheme(session)
            for i in range(40):
                text = f"Report {i}: the crew logged eighteen-hour shifts for weeks without a day off. " * 3
                row, _ = repo.add_document(session, DocumentRecord(f"r{i}", text, text_sha256(text), {}))
                repo.add_span(session, row.id, "analyst-a", 13, 40, "working_hours")
    finally:
        store.close()
    return db


def test_db_backup_makes_an_equal_copy_that_opens(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _filled_db(tmp_path)
    out = tmp_path / "backups" / "copy.sqlite3"
    assert main(["--db", str(db), "db", "backup", str(out)]) == 0
    assert "backed up" in capsys.readouterr().out
    assert snapshot(out) == snapshot(db)
    assert integrity(out) == "ok"
    copy = open_store(out, read_only=True)
    try:
        with copy.session() as session:
            assert len(list(repo.iter_annotated_documents(session))) == 40
    finally:
        copy.close()
    # A second backup to the same name is refused rather than overwriting the first.
    assert main(["--db", str(db), "db", "backup", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(out) in err[0] and "already exists" in err[0]


def test_db_check_reports_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _filled_db(tmp_path)
    assert main(["--db", str(db), "db", "check"]) == 0
    out = capsys.readouterr().out
    assert "integrity: ok" in out and "40 documents" in out and "40 spans" in out


def test_db_check_on_a_file_that_is_not_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "notes.sqlite3"
    db.write_bytes(b"these are my notes, not a database\n" * 200)
    before = db.read_bytes()
    assert main(["--db", str(db), "db", "check"]) == 1
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "not a database" in lines[0] and str(db) in lines[0], captured.err
    assert "Traceback" not in captured.err
    assert db.read_bytes() == before


def test_db_check_finds_a_damaged_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _filled_db(tmp_path)
    conn = sqlite3.connect(str(db))
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_spans_layer_start'").fetchone()[0]
    conn.close()
    with open(db, "r+b") as stream:  # scribble over the cell pointers of an index page
        stream.seek((root - 1) * page_size + 12)
        stream.write(b"\xff" * 64)
    assert main(["--db", str(db), "db", "check"]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and "integrity" in err[0], captured.err
    assert "problem:" in captured.out
    # Reading may or may not touch the damaged page (SQLite's query plan decides); when it does, the
    # user gets one readable line, never a traceback, and no half-written export.
    code = main(["--db", str(db), "export", "-o", str(tmp_path / "out.jsonl")])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    if code != 0:
        assert len(captured.err.strip().splitlines()) == 1 and "damaged" in captured.err
        assert not (tmp_path / "out.jsonl").exists()


def test_reading_a_damaged_table_gives_one_readable_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _filled_db(tmp_path)
    conn = sqlite3.connect(str(db))
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'documents'").fetchone()[0]
    conn.close()
    with open(db, "r+b") as stream:  # the documents table's root page becomes noise
        stream.seek((root - 1) * page_size)
        stream.write(b"\xa5" * page_size)
    out = tmp_path / "out.jsonl"
    assert main(["--db", str(db), "export", "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "damaged" in lines[0] and "db check" in lines[0], captured.err
    assert not out.exists() and not list(tmp_path.glob(".out.jsonl.*"))


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURE
    target.unlink(missing_ok=True)
    build_schema_0001(target)
    print(f"wrote {target}")
