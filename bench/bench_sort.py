"""The document list sorted by each column: the first page, a page near the end, and finding a document's row.

    python bench/bench_sort.py [--docs 100000]

Why: a sort must not undo what lazy paging bought (start-up and filters independent of the corpus size).
The corpus is bench_ui.py's start-up corpus, copied, with varied dates and one annotator's layers on a third
of the documents (statuses and span counts), so each sort has real keys and ties. Each figure is the best of
5 of what the list does: count the matches and read one page of 200 rows (``queries.sorted_page``).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ANA = "ana"


def prepare(n_docs: int) -> Path:
    from sqlalchemy import insert, select, text

    from annotator.store import repository as repo
    from annotator.store.database import open_store
    from annotator.store.models import Document, Layer
    from bench.bench_ui import cached_corpus

    db = Path(tempfile.gettempdir()) / f"annotator-bench-sort-{n_docs}.sqlite3"
    if db.exists():
        return db
    partial = db.with_suffix(".partial")
    shutil.copy(cached_corpus(n_docs, False), partial)
    store = open_store(partial)
    rnd = random.Random(7)
    with store.write() as session:
        aid = repo.get_or_create_annotator(session, ANA).id
        pks = list(session.scalars(select(Document.id)))
        session.execute(text("UPDATE documents SET published = printf('20%02d-%02d-%02d', id % 25, 1 + id % 12, "
                             "1 + (id * 7) % 28), title = printf('Article %d', (id * 7919) % 100003)"))
        layers = [{"document_id": pk, "annotator_id": aid, "status": rnd.choice(("todo", "in_progress", "done")),
                   "span_count": rnd.randrange(0, 40)} for pk in pks[::3]]
        session.execute(insert(Layer), layers)
    store.close()
    partial.replace(db)
    return db


def best(fn, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    args = parser.parse_args()
    from annotator.store import queries
    from annotator.store.database import open_store
    from annotator.store.queries import DocumentFilter, DocumentSort

    store = open_store(prepare(args.docs))
    flt = DocumentFilter()
    with store.session() as session:
        total = queries.document_count(session, ANA, flt)
        last = total - 200
        print(f"{total:,} documents; ms, best of 5")
        print(f"{'order':<22}{'first page':>12}{'last page':>12}{'row of a doc':>14}")
        pk = total // 2
        print(f"{'import order (id)':<22}"
              f"{best(lambda: (queries.document_count(session, ANA, flt), queries.document_page(session, ANA, flt))):>12.1f}"
              f"{best(lambda: queries.document_page(session, ANA, flt, offset=last)):>12.1f}"
              f"{best(lambda: queries.document_position(session, ANA, flt, pk)):>14.1f}")
        for key in queries.SORT_KEYS:
            for desc in (False, True):
                sort = DocumentSort(key, desc)
                first = best(lambda sort=sort: (queries.document_count(session, ANA, flt),
                                      queries.sorted_page(session, ANA, flt, sort)))
                deep = best(lambda sort=sort: queries.sorted_page(session, ANA, flt, sort, offset=last))
                where = best(lambda sort=sort: queries.sorted_position(session, ANA, flt, sort, pk))
                print(f"{key + (' desc' if desc else ''):<22}{first:>12.1f}{deep:>12.1f}{where:>14.1f}")
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
