"""Concurrent writers on one SQLite file: no lost writes and no "database is locked" reaching a user.

``store.write()`` starts with ``BEGIN IMMEDIATE`` and every connection has a 30 s busy timeout, so a
second writer queues instead of failing. These tests run real processes against one file: two tagging
processes, and a tagging process racing a CLI import; and they prove the waiting really happens by
holding the write lock from outside for longer than any default timeout.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from annotator.store import repository as repo
from annotator.store.database import open_store
from annotator.store.models import Annotator, Document, Layer, Span
from tests.hostile.dbstate import integrity
from tests.reliability.test_crash import ROOT, _check_after_kill, _make_db

WRITES_PER_PROCESS = 80


def _writer(db: Path, annotator: str, count: int, seed: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.crash_child", "store", str(db), "--annotator", annotator,
         "--count", str(count), "--seed", str(seed)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _acks(stdout: str) -> set[int]:
    return {int(line[4:]) for line in stdout.splitlines() if line.startswith("ACK ")}


def _spans_of(db: Path, annotator: str) -> set[int]:
    store = open_store(db)
    try:
        with store.session() as session:
            return set(session.scalars(
                select(Span.id).join(Layer, Span.layer_id == Layer.id)
                .join(Annotator, Layer.annotator_id == Annotator.id).where(Annotator.name == annotator)
            ))
    finally:
        store.close()


def test_two_store_writers_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "two.sqlite3"
    _make_db(db)
    procs = [_writer(db, f"writer-{i}", WRITES_PER_PROCESS, i) for i in range(2)]
    results = [p.communicate(timeout=120) for p in procs]
    for proc, (_out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err and "Traceback" not in err, err
    acks = [_acks(out) for out, _ in results]
    assert [len(a) for a in acks] == [WRITES_PER_PROCESS, WRITES_PER_PROCESS]
    assert not acks[0] & acks[1], "two writers were given the same span id"
    for i, acked in enumerate(acks):
        assert _spans_of(db, f"writer-{i}") == acked
    assert _check_after_kill(db, acks[0] | acks[1], annotator="") == 2 * WRITES_PER_PROCESS


def _jsonl_file(path: Path, records: int, tag: str) -> None:
    lines = []
    for i in range(records):
        text = f"Article {tag}-{i}: the crew worked 22-hour days and was watched by cameras at every gate."
        lines.append(json.dumps({
            "doc_id": f"{tag}-{i}", "text": text, "annotator": "importer", "status": "done",
            "spans": [{"start": text.index("22-hour"), "end": text.index("22-hour") + 12, "label": "working_hours"},
                      {"start": text.index("cameras"), "end": text.index("cameras") + 7, "label": "surveillance"}],
        }))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_store_writer_races_cli_import(tmp_path: Path) -> None:
    db = tmp_path / "race.sqlite3"
    _make_db(db)
    files = []
    for n in range(4):
        path = tmp_path / f"batch-{n}.jsonl"
        _jsonl_file(path, 1500, f"b{n}")
        files.append(str(path))
    importer = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--db", str(db), "import", *files],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    writer = _writer(db, "tagger", WRITES_PER_PROCESS, 5)
    out_w, err_w = writer.communicate(timeout=120)
    out_i, err_i = importer.communicate(timeout=120)
    assert importer.returncode == 0, err_i
    assert writer.returncode == 0, err_w
    for err in (err_w, err_i):
        assert "locked" not in err and "Traceback" not in err, err
    assert "6000 documents added" in out_i and "12000 spans" in out_i, out_i
    acked = _acks(out_w)
    assert len(acked) == WRITES_PER_PROCESS
    assert _spans_of(db, "tagger") == acked
    assert len(_spans_of(db, "importer")) == 12_000
    store = open_store(db)
    try:
        with store.session() as session:
            assert session.scalar(select(func.count(Document.id))) == 6001
    finally:
        store.close()
    assert integrity(db) == "ok"


def _hold_write_lock(db: Path, seconds: float, locked: threading.Event) -> None:
    conn = sqlite3.connect(str(db), isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE labels SET name = name")
    locked.set()
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()


def test_a_writer_waits_for_the_lock_instead_of_failing(tmp_path: Path) -> None:
    """Another program holds the write lock for 2 s: ``store.write()`` waits, then commits."""
    db = tmp_path / "held.sqlite3"
    document_id = _make_db(db)
    store = open_store(db)
    try:
        locked = threading.Event()
        holder = threading.Thread(target=_hold_write_lock, args=(db, 2.0, locked))
        holder.start()
        assert locked.wait(10)
        began = time.monotonic()
        with store.write() as session:
            view = repo.add_span(session, document_id, "patient", 0, 7, "injury")
        waited = time.monotonic() - began
        holder.join()
        assert waited >= 1.5, "the write did not wait for the lock: the test did not test anything"
        with store.session() as session:
            assert [s.id for s in repo.list_spans(session, document_id, "patient")] == [view.id]
    finally:
        store.close()


def test_without_busy_timeout_the_same_race_fails(tmp_path: Path) -> None:
    """Control: a plain connection with no timeout meets "database is locked" in the same situation."""
    db = tmp_path / "control.sqlite3"
    _make_db(db)
    locked = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(db, 1.0, locked))
    holder.start()
    assert locked.wait(10)
    conn = sqlite3.connect(str(db), timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        conn.execute("BEGIN IMMEDIATE")
    conn.close()
    holder.join()
