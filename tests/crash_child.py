"""A child process that writes annotations as fast as it can, for crash and contention tests.

Run as ``python -m tests.crash_child MODE DB [options]``. It opens the store the way the app does and
repeats one user action per transaction; after each commit returns it prints ``ACK <span_id>`` and
flushes, so a parent that reads the line knows the write was acknowledged to the user. The parent then
kills it with SIGKILL at any moment and checks that every acknowledged span survived.

Modes:
- ``store``: ``repository.add_span`` inside ``store.write()`` (the repository-level contract);
- ``ops``: the app's tagging operation from ``annotator.ui.operations`` (when that module exists).

The document to tag must already exist (the parent creates it, so the child starts writing at once).
"""

from __future__ import annotations

import argparse
import random
import sys

from sqlalchemy import select

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
            print("ERROR no document", flush=True)
            return 2
        document_id, length = doc.id, doc.length
    print("READY", flush=True)
    write = _store_writer(store, document_id, args.annotator) if args.mode == "store" else _ops_writer(
        store, document_id, args.annotator
    )
    n = 0
    while args.count == 0 or n < args.count:
        start = rng.randrange(0, length - 1)
        end = rng.randrange(start + 1, min(length, start + 40) + 1)
        span_id = write(start, end, LABELS[n % len(LABELS)], n)
        # The commit has returned: from here on the user has been told the span is saved.
        sys.stdout.write(f"ACK {span_id}\n")
        sys.stdout.flush()
        n += 1
    store.close()
    return 0


def _store_writer(store, document_id: int, annotator: str):  # type: ignore[no-untyped-def]
    def write(start: int, end: int, label: str, n: int) -> int:
        with store.write() as session:
            view = repo.add_span(session, document_id, annotator, start, end, label,
                                 attributes={"n": n}, note=f"note {n}")
        return view.id

    return write


def _ops_writer(store, document_id: int, annotator: str):  # type: ignore[no-untyped-def]
    from annotator.ui import operations  # noqa: F401  (only when the UI layer provides it)

    raise SystemExit("ops mode is not wired: annotator.ui.operations has no tagging operation yet")


if __name__ == "__main__":
    sys.exit(main())
