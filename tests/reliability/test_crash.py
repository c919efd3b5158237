"""Crash safety: a writer killed with SIGKILL at random moments never loses an acknowledged span.

A child process (tests/reliability/crash_child.py) tags spans one transaction at a time and prints ``ACK <id>``
after each commit returns. The parent kills it at random moments — during start-up, between
transactions, in the middle of one — and after every kill checks that the file passes SQLite's integrity
check, that ``open_store`` opens it normally, and that every acknowledged span is there with its quote.
"""

from __future__ import annotations

import importlib.util
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import func, select

from annotator.core.model import DocumentRecord
from annotator.core.text import text_sha256
from annotator.store import repository as repo
from annotator.store.database import open_store
from annotator.store.migrating import current_revision, head_revision
from annotator.store.models import Layer, Span
from tests.hostile.dbstate import integrity
from tests.reliability import crash_child

ROOT = Path(__file__).resolve().parents[2]
KILLS = 24
"""Kills of a running writer; docs/reliability.md quotes this number."""
MIGRATION_KILLS = 5
"""Kills of a process that is creating and migrating a fresh database file."""
OPS_KILLS = 8
"""Kills of a process tagging through the app's undoable operations."""

ARTICLE = (
    "Workers at the depot said shifts ran to 22-hour days during the peak season, and two of them were "
    "hurt when a forklift overturned. Managers tracked every break with handheld scanners. Most of the "
    "crew send money home each month; the agency that hired them is named on a sanctions list. "
) * 8


@dataclass
class ChildRun:
    """What one child printed before it died."""

    acked: list[int] = field(default_factory=list)
    events: list[tuple[str, int]] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)
    other: list[str] = field(default_factory=list)


def read_protocol(stream: IO[bytes], run: ChildRun) -> None:
    """Collect a writer's protocol lines (READY, ACK/DEL/PENDING id) until its output ends."""
    for raw in stream:
        if not raw.endswith(b"\n"):
            continue  # a line cut by the kill was never a complete acknowledgement
        line = raw.decode().strip()
        kind, _, ident = line.partition(" ")
        if kind in ("ACK", "DEL", "PENDING") and ident.isdigit():
            run.events.append((kind, int(ident)))
            if kind == "ACK":
                run.acked.append(int(ident))
        elif line == "READY":
            run.ready.set()
        else:
            run.other.append(line)


def _spawn(mode: str, db: Path, seed: int, *extra: str) -> tuple[subprocess.Popen[bytes], ChildRun, threading.Thread]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.crash_child", mode, str(db), "--seed", str(seed), *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    run = ChildRun()

    assert proc.stdout is not None
    reader = threading.Thread(target=read_protocol, args=(proc.stdout, run), daemon=True)
    reader.start()
    return proc, run, reader


def _kill(proc: subprocess.Popen[bytes], reader: threading.Thread) -> bytes:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    reader.join(timeout=10)
    assert proc.stderr is not None
    return proc.stderr.read()


class Child:
    """A writer process and the protocol lines it printed before it died."""

    def __init__(self, pid: int, stream: IO[bytes], popen: subprocess.Popen[bytes] | None = None) -> None:
        self.pid = pid
        self.popen = popen
        self.run = ChildRun()
        self.status: int | None = None
        self._reader = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._reader.start()

    def _read(self, stream: IO[bytes]) -> None:
        read_protocol(stream, self.run)
        stream.close()

    def alive(self) -> bool:
        if self.status is not None:
            return False
        pid, status = os.waitpid(self.pid, os.WNOHANG)
        if pid == 0:
            return True
        self.status = status
        return False

    def kill(self) -> bytes:
        """SIGKILL (if still running), reap, and return what it wrote to stderr."""
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            _, self.status = os.waitpid(self.pid, 0)
        self._reader.join(timeout=10)
        if self.popen is not None and self.popen.stderr is not None:
            self.popen.returncode = -9
            return self.popen.stderr.read()
        return b""


def _spawn(mode: str, db: Path, seed: int, *extra: str) -> Child:
    """A fresh interpreter running ``python -m tests.reliability.crash_child`` (the real start-up path)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.crash_child", mode, str(db), "--seed", str(seed), *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    return Child(proc.pid, proc.stdout, proc)


def _fork(mode: str, db: Path, seed: int) -> Child:
    """The same writer in a forked copy of this process.

    Modules are already imported, so it starts in milliseconds and many more kills fit in the time
    budget. It holds no inherited connection (every store in the parent is closed before forking) and
    ends by SIGKILL or ``os._exit``, never by running the parent's clean-up.
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover  (the child)
        code = 3
        try:
            os.close(read_fd)
            crash_child.OUT = os.fdopen(write_fd, "w")
            code = crash_child.main([mode, str(db), "--seed", str(seed)])
        finally:
            os._exit(code)
    os.close(write_fd)
    return Child(pid, os.fdopen(read_fd, "rb"))


def _make_db(path: Path) -> int:
    store = open_store(path)
    try:
        with store.write() as session:
            repo.ensure_default_scheme(session)
            row, _ = repo.add_document(session, DocumentRecord("crash-doc", ARTICLE, text_sha256(ARTICLE), {}))
            return row.id
    finally:
        store.close()


def _check_after_kill(db: Path, acked: set[int], annotator: str = "crash-writer") -> int:
    """Assert the database is sound and holds every acknowledged span; returns how many spans it has."""
    assert integrity(db) == "ok"
    store = open_store(db)  # opens normally: recovery of the WAL, no migration needed, no error
    try:
        with store.session() as session:
            stored = set(session.scalars(select(Span.id)))
            missing = acked - stored
            assert not missing, f"acknowledged spans lost: {sorted(missing)[:10]}"
            assert list(repo.verify_quotes(session)) == []
            # span_count is updated in the same transaction as the insert: a torn write would show here.
            for layer in session.scalars(select(Layer)):
                actual = session.scalar(select(func.count(Span.id)).where(Span.layer_id == layer.id))
                assert layer.span_count == actual
            return len(stored)
    finally:
        store.close()


def test_sigkill_never_loses_an_acknowledged_span(tmp_path: Path) -> None:
    db = tmp_path / "crash.sqlite3"
    _make_db(db)
    rng = random.Random(20261124)
    all_acked: set[int] = set()
    kills = mid_run = 0
    for i in range(KILLS):
        # Every fourth writer is a fresh interpreter (python -m), the others are forked copies.
        child = _spawn("store", db, seed=i) if i % 4 == 0 else _fork("store", db, seed=i)
        run = child.run
        if i % 8 == 0:
            # Anywhere from start-up (opening, checking the schema) to the first writes.
            time.sleep(rng.uniform(0.0, 0.8))
        else:
            assert run.ready.wait(20), "child did not start"
            time.sleep(rng.uniform(0.0, 0.2))
        assert child.alive(), "the writer ended by itself before it was killed"
        stderr = child.kill()
        kills += 1
        mid_run += bool(run.acked)
        assert not run.other, run.other
        assert b"Traceback" not in stderr, stderr.decode(errors="replace")
        all_acked.update(run.acked)
        total = _check_after_kill(db, all_acked)
        assert total >= len(all_acked)
    assert kills == KILLS
    # The kills really hit a busy writer: most runs had acknowledged writes before they died.
    assert mid_run >= KILLS // 2
    assert len(all_acked) >= 100


def test_sigkill_during_first_migration_leaves_a_usable_file(tmp_path: Path) -> None:
    """Killing the app while it creates and migrates a new database never leaves a half-built schema."""
    rng = random.Random(7)
    for i in range(MIGRATION_KILLS):
        db = tmp_path / f"fresh-{i}.sqlite3"
        child = _spawn("store", db, seed=i)
        time.sleep(rng.uniform(0.3, 0.7))
        child.kill()
        if db.exists():
            assert integrity(db) == "ok"
        store = open_store(db)
        try:
            assert current_revision(store) == head_revision()
            with store.write() as session:
                repo.ensure_default_scheme(session)
                assert len(repo.get_scheme(session).labels) == 5
        finally:
            store.close()


def test_child_counts_its_acknowledgements(tmp_path: Path) -> None:
    """The harness itself: a child left to finish acknowledges exactly the spans it stored."""
    db = tmp_path / "count.sqlite3"
    _make_db(db)
    child = _spawn("store", db, 1, "--count", "25")
    assert child.popen is not None and child.popen.wait(timeout=30) == 0
    child.status = 0
    child.kill()
    assert len(child.run.acked) == 25 == len(set(child.run.acked))
    assert _check_after_kill(db, set(child.run.acked)) == 25


@pytest.mark.skipif(importlib.util.find_spec("annotator.ui.ops.operations") is None,
                    reason="annotator.ui.ops.operations (the app's tagging operation) does not exist yet")
def test_sigkill_during_app_tagging_operation(tmp_path: Path) -> None:
    """The app's own path (Operations.add_span, undo, redo) under SIGKILL: every saved state survives."""
    db = tmp_path / "ops.sqlite3"
    _make_db(db)
    rng = random.Random(3)
    last: dict[int, str] = {}  # span id -> last protocol line about it, across all runs
    for i in range(OPS_KILLS):
        child = _spawn("ops", db, seed=100 + i)
        run = child.run
        assert run.ready.wait(30), child.kill()
        time.sleep(rng.uniform(0.0, 0.3))
        assert child.alive(), (run.other, child.kill())
        stderr = child.kill()
        assert b"Traceback" not in stderr, stderr.decode(errors="replace")
        assert not run.other, run.other
        for kind, span_id in run.events:
            last[span_id] = kind
        present = {k for k, v in last.items() if v == "ACK"}
        removed = {k for k, v in last.items() if v == "DEL"}
        _check_after_kill(db, present)
        store = open_store(db)
        try:
            with store.session() as session:
                assert not removed & set(session.scalars(select(Span.id))), "an undone span came back"
        finally:
            store.close()
    assert sum(v == "ACK" for v in last.values()) >= 50
