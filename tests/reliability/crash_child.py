"""A child process that writes annotations as fast as it can, for crash and contention tests.

Run as ``python -m tests.reliability.crash_child MODE DB [options]``. It opens the store the way the app does and
repeats one user action per transaction; after each commit returns it prints ``ACK <span_id>`` and
flushes, so a parent that reads the line knows the write was acknowledged to the user. The parent then
kills it with SIGKILL at any moment and checks that every acknowledged span survived.

Modes:
- ``store``: ``repository.add_span`` inside ``store.write()`` (the repository-level contract);
- ``ops``: the app's tagging operation from ``annotator.ui.ops.operations`` (when that module exists).

The document to tag must already exist (the parent creates it, so the child starts writing at once).
"""

from __future__ import annotations

import argparse
import random
import sys

from sqlalchemy import select

from annotator.core.errors import RepeatedSpan
from annotator.store import repository as repo
from annotator.store.database import open_store
from annotator.store.models import Document

LABELS = ("working_hours", "injury", "surveillance", "remittance", "sanctions")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("store", "ops"))
    parser.add_argument("db")
    parser.add_argument("--annotator", default="crash-writer")
    parser.add_argument("--count", type=int, default=0, help="stop after this many spans (0: until killed)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    store = open_store(args.db)
    with store.session() as session:
        doc = session.scalars(select(Document).order_by(Document.id)).first()
        if doc is None:
            _say("ERROR no document")
            return 2
        document_id, length = doc.id, doc.length
    make = _store_writer if args.mode == "store" else _ops_writer
    step = make(store, document_id, args.annotator)
    _say("READY")
    n = 0
    while args.count == 0 or n < args.count:
        start = rng.randrange(0, length - 1)
        end = rng.randrange(start + 1, min(length, start + 40) + 1)
        if step(start, end, LABELS[n % len(LABELS)], n):
            n += 1
    store.close()
    return 0


OUT = None
"""Where protocol lines go: stdout, or a pipe when the parent forked us (tests/reliability/test_crash.py)."""


def _say(line: str) -> None:
    """One protocol line, flushed at once: the parent may kill us right after it."""
    out = OUT or sys.stdout
    out.write(line + "\n")
    out.flush()


def _store_writer(store, document_id: int, annotator: str):  # type: ignore[no-untyped-def]
    def step(start: int, end: int, label: str, n: int) -> bool:
        try:
            with store.write() as session:
                view = repo.add_span(session, document_id, annotator, start, end, label,
                                     attributes={"n": n}, note=f"note {n}")
        except RepeatedSpan:  # an earlier writer already drew this span: draw another
            return False
        # The commit has returned: from here on the user has been told the span is saved.
        _say(f"ACK {view.id}")
        return True

    return step


def _ops_writer(store, document_id: int, annotator: str):  # type: ignore[no-untyped-def]
    """The app's own tagging path: Operations.add_span, plus undo and redo of the last tag.

    ``ACK id``: the span is saved; ``DEL id``: its removal (undo) is saved; ``PENDING id``: an undo or
    redo is under way, so after a kill either state is correct.
    """
    from PySide6.QtGui import QGuiApplication

    from annotator.ui.ops.operations import Operations
    from annotator.ui.ops.session import AnnotationSession

    app = QGuiApplication.instance() or QGuiApplication([])
    session = AnnotationSession(store, annotator)
    session.open(document_id)
    ops = Operations(session)
    failures: list[str] = []
    session.failure.connect(failures.append)

    def step(start: int, end: int, label: str, n: int) -> bool:
        if (start, end, label) in {(s.start, s.end, s.label) for s in session.spans.values()}:
            return False  # an earlier writer already drew this span (the app refuses a repeat): draw another
        view = ops.tag(start, end, label)
        if view is None:
            raise SystemExit(f"tagging failed: {failures}")
        _say(f"ACK {view.id}")
        if n % 5 == 4:
            _say(f"PENDING {view.id}")
            ops.undo_stack.undo()
            _say(f"DEL {view.id}")
            _say(f"PENDING {view.id}")
            ops.undo_stack.redo()
            _say(f"ACK {view.id}")
        if failures:
            raise SystemExit(f"operation failed: {failures}")
        return True

    step.app = app  # type: ignore[attr-defined]  (keep the application alive)
    return step


if __name__ == "__main__":
    sys.exit(main())
