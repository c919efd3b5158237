"""Read-only databases and full disks: reading still works, a failed write says why and loses nothing.

Tests run as root here, where ``chmod 0444`` does not stop a write, so read-only is tested with
``open_store(read_only=True)`` (SQLite ``mode=ro``) and, where mounting is allowed, with a real read-only
bind mount. A full disk is simulated twice: with SQLite's ``max_page_count`` (always available) and with
a tiny tmpfs (when the test may mount one).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, insert, select

from annotator.cli import main
from annotator.core.errors import AnnotatorError
from annotator.core.model import DocumentRecord
from annotator.core.text import text_sha256
from annotator.store import repository as repo
from annotator.store.database import Store, open_store
from annotator.store.models import Span
from tests.hostile.dbstate import integrity, snapshot

TEXT = ("The contractor kept drivers on the road for 14 hours a day and tracked them with cameras. " * 20)
NOTE = "A long analyst note that fills pages quickly. " * 200  # ~9 KB per span


def _seeded(path: Path) -> int:
    store = open_store(path)
    try:
        with store.write() as session:
            repo.ensure_default_scheme(session)
            row, _ = repo.add_document(session, DocumentRecord("disk-doc", TEXT, text_sha256(TEXT), {"title": "t"}))
            repo.add_span(session, row.id, "analyst", 0, 14, "working_hours")
            return row.id
    finally:
        store.close()


def _fill_until_full(store: Store, document_id: int, limit: int = 2000) -> tuple[list[int], AnnotatorError]:
    """Add spans with long notes, one transaction each, until a write fails; returns the saved ids."""
    saved: list[int] = []
    for i in range(limit):
        try:
            with store.write() as session:
                view = repo.add_span(session, document_id, "analyst", i % 100, i % 100 + 5, "injury",
                                     note=f"{i} {NOTE}")
        except AnnotatorError as exc:
            return saved, exc
        saved.append(view.id)
    raise AssertionError("the disk never filled up")


def _assert_saved(path: Path, saved: list[int]) -> None:
    assert integrity(path) == "ok"
    store = open_store(path)
    try:
        with store.session() as session:
            stored = set(session.scalars(select(Span.id)))
    finally:
        store.close()
    assert set(saved) <= stored
    assert len(stored) == len(saved) + 1  # plus the seed span: the failed write left nothing behind


# ---------------------------------------------------------------------------------------------- read-only
def test_read_only_store_reads_and_refuses_writes_clearly(tmp_path: Path) -> None:
    db = tmp_path / "ro.sqlite3"
    document_id = _seeded(db)
    before = snapshot(db)
    store = open_store(db, read_only=True)
    try:
        with store.session() as session:
            assert [s.quote for s in repo.list_spans(session, document_id, "analyst")] == [TEXT[:14]]
        with pytest.raises(AnnotatorError, match="read-only"), store.write() as session:
            repo.add_span(session, document_id, "analyst", 0, 5, "injury")
        # A write slipped into a reading session is stopped by SQLite and reported the same way.
        with pytest.raises(AnnotatorError, match="read-only") as caught, store.session() as session:
            session.execute(insert(Span).values(layer_id=1, start=0, end=3, label_id=1, quote="The",
                                                attributes={}, note=None))
        assert "sqlalchemy" not in str(caught.value).lower()
        # The store is still usable for reading after the refused write.
        with store.session() as session:
            assert len(repo.list_spans(session, document_id, "analyst")) == 1
    finally:
        store.close()
    assert snapshot(db) == before


def test_read_only_cli_exports_but_does_not_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "ro.sqlite3"
    _seeded(db)
    before = snapshot(db)
    out = tmp_path / "out.jsonl"
    assert main(["--db", str(db), "--read-only", "export", "-o", str(out)]) == 0
    assert '"working_hours"' in out.read_text(encoding="utf-8")
    source = tmp_path / "new.txt"
    source.write_text("A new article about sanctions on the shipping agent.", encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", str(db), "--read-only", "import", str(source)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "read-only" in err[0] and "Traceback" not in err[0]
    assert snapshot(db) == before


def _mount(*args: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


@pytest.fixture
def read_only_mount(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A folder and a read-only bind mount of it (skipped where mounting is not allowed)."""
    source, view = tmp_path / "rw", tmp_path / "ro-view"
    source.mkdir()
    view.mkdir()
    if not _mount("--bind", str(source), str(view)):
        pytest.skip("cannot bind-mount here (needs root); mode=ro is tested above")
    try:
        if not _mount("-o", "remount,bind,ro", str(view)):
            pytest.skip("cannot remount read-only")
        yield source, view
    finally:
        _umount(view)


def test_database_on_read_only_media(read_only_mount: tuple[Path, Path], tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    source, view = read_only_mount
    _seeded(source / "db.sqlite3")
    db = view / "db.sqlite3"
    before = snapshot(db)
    with pytest.raises(AnnotatorError, match="not writable"):
        open_store(db)
    store = open_store(db, read_only=True)
    try:
        with store.session() as session:
            assert len(list(repo.iter_annotated_documents(session))) == 1
        with pytest.raises(AnnotatorError, match="read-only"), store.write() as session:
            repo.ensure_default_scheme(session)
    finally:
        store.close()
    capsys.readouterr()
    assert main(["--db", str(db), "verify"]) == 0
    assert main(["--db", str(db), "db", "check"]) == 0
    assert main(["--db", str(db), "--read-only", "export", "-o", str(tmp_path / "x.jsonl")]) == 0
    assert main(["--db", str(db), "import", str(tmp_path / "x.jsonl")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not writable" in err[0]
    assert snapshot(db) == before
    assert sorted(p.name for p in view.iterdir()) == ["db.sqlite3"]


# ---------------------------------------------------------------------------------------------- full disk
def test_size_limited_database_keeps_last_committed_state(tmp_path: Path) -> None:
    db = tmp_path / "limited.sqlite3"
    document_id = _seeded(db)
    store = open_store(db)
    try:
        store.engine.dispose()  # new connections only, each with the limit below
        pages = int(os.path.getsize(db) / 4096) + 40

        @event.listens_for(store.engine, "connect")
        def _limit(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        saved, error = _fill_until_full(store, document_id)
        message = str(error)
        assert "disk is full" in message and "not saved" in message
        assert "sqlalchemy" not in message.lower() and "sqlite3." not in message
        assert len(saved) >= 5
        # After the failure the store still answers reads with the committed state.
        with store.session() as session:
            assert len(repo.list_spans(session, document_id, "analyst")) == len(saved) + 1
    finally:
        store.close()
    _assert_saved(db, saved)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs (skipped where mounting is not allowed)."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)):
        pytest.skip("cannot mount a tmpfs here (needs root); max_page_count is tested above")
    try:
        yield mount_point
    finally:
        _umount(mount_point)


def test_full_disk_keeps_last_committed_state(tiny_disk: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    db = tiny_disk / "full.sqlite3"
    document_id = _seeded(db)
    store = open_store(db)
    try:
        saved, error = _fill_until_full(store, document_id)
    finally:
        store.close()
    assert "disk is full" in str(error), str(error)
    assert len(saved) >= 5
    _assert_saved(db, saved)
    before = snapshot(db)
    # An import into the full disk is refused with one line and changes nothing.
    batch = tmp_path / "batch.jsonl"
    import json

    batch.write_text("\n".join(json.dumps({"text": f"Article {i}. {NOTE}"}) for i in range(60)) + "\n",
                     encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", str(db), "import", str(batch)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "disk is full" in err[0] and "batch.jsonl" in err[0], err
    assert snapshot(db) == before
    assert integrity(db) == "ok"
