"""Evidence benchmarks on a generated 20,000-document / ~190,000-span corpus, each beside a baseline
measured in the same run.

    QT_QPA_PLATFORM=offscreen python bench/bench_evidence.py [--docs 20000] [--keep DIR]

1. open the evidence window (count + first screen of rows)   baseline: plain sqlite3 count + first page
2. filter it (label + quote text; label + marked by ≥ 2; source + date range), each to its first screen
3. sort by source (first screen)
4. deep scrolling: the page at row 150,000 by keyset (scrolling on) and by position (a jump), in span
   order and sorted by source              baseline: plain sqlite3 LIMIT/OFFSET of the same rows
5. the cited report (HTML) of the whole corpus                baseline: plain sqlite3 SELECT of the same rows

Targets: open < 300 ms, filter < 200 ms, report < 10 s. The corpus is invented text (our own words, a
Zipf-distributed vocabulary of 6,000 made-up words so quotes repeat the way real ones do), 40 outlets and
24 months of dates; three analysts each keep ~90 % of ~4 passages per document, so many extents are
marked by several of them. Quotes re-used across documents give claims to group.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SYLLABLES = "ka ro mi tan lo se vu ner pa di sho gu rem bal ti on ex ra mu del".split()
LABELS = ["working_hours", "injury", "surveillance", "remittance", "sanctions"]


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))))
    return sorted(words)


def write_corpus(path: Path, n_docs: int) -> int:
    rng = random.Random(11)
    vocab = vocabulary(rng)
    weights = [1 / (i + 1) for i in range(len(vocab))]
    claims = [" ".join(rng.choices(vocab, weights, k=rng.randint(4, 9))) for _ in range(3000)]
    spans_total = 0
    with open(path, "w", encoding="utf-8") as out:
        for d in range(n_docs):
            sentences = []
            for _ in range(rng.randint(8, 14)):
                if rng.random() < 0.15:
                    sentences.append(rng.choice(claims).capitalize() + ".")
                else:
                    sentences.append(" ".join(rng.choices(vocab, weights, k=rng.randint(6, 16))).capitalize() + ".")
            text = f"Report {d}\n" + " ".join(sentences)
            meta = {"title": f"Report {d}", "source": f"Outlet {d % 40:02d}",
                    "published": f"{2023 + d % 24 // 12}-{d % 12 + 1:02d}-{d % 28 + 1:02d}"}
            starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == " "]
            base = []
            for _ in range(max(1, int(rng.gauss(4.2, 1.2)))):
                i = rng.randrange(len(starts) - 6)
                j = i + rng.randint(2, 6)
                base.append((starts[i], starts[j] - 1, rng.choice(LABELS)))
            out.write(json.dumps({"doc_id": f"doc-{d:06d}", "text": text, "meta": meta}) + "\n")
            for name in ("ana", "ben", "cy"):
                kept = [s for s in base if rng.random() < 0.9]
                spans_total += len(kept)
                out.write(json.dumps({"doc_id": f"doc-{d:06d}", "text": text, "meta": meta, "annotator": name,
                                      "status": "done", "spans": [{"start": s, "end": e, "label": lab}
                                                                  for s, e, lab in kept]}) + "\n")
    return spans_total


def timed(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    """Median wall time of ``fn()`` in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


BASE_SQL = """SELECT s.id, d.id, d.doc_id, d.title, d.source, d.published, a.name, l.key, s.start, s.end_, s.quote,
  substr(d.text, max(s.start - 60, 0) + 1, s.start - max(s.start - 60, 0)), substr(d.text, s.end_ + 1, 60),
  s.note, s.attributes
FROM spans s JOIN layers y ON s.layer_id = y.id JOIN documents d ON y.document_id = d.id
JOIN annotators a ON y.annotator_id = a.id JOIN labels l ON s.label_id = l.id"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--keep", metavar="DIR", help="keep the corpus and database here (reused when present)")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / f"evidence-{args.docs}.sqlite3"
    if not db.exists():
        src = folder / "evidence.jsonl"
        write_corpus(src, args.docs)
        from annotator.cli import main as cli

        assert cli(["import", str(src), "--db", str(db), "--quiet"]) == 0

    from PySide6.QtWidgets import QApplication

    from annotator.core.evidence.model import EvidenceFilter
    from annotator.core.evidence.report import render
    from annotator.store.database import open_store
    from annotator.store.evidence import build_report
    from annotator.ui.evidence.evidence_view import EvidenceView
    from annotator.ui.ops.operations import Operations
    from annotator.ui.ops.session import AnnotationSession

    app = QApplication.instance() or QApplication([])
    app.processEvents()
    store = open_store(db)
    conn = sqlite3.connect(db)
    spans = conn.execute("SELECT count(*) FROM spans").fetchone()[0]

    def baseline_page(where: str = "", params: tuple = ()) -> None:  # type: ignore[type-arg]
        conn.execute(f"SELECT count(*) FROM spans s JOIN layers y ON s.layer_id = y.id JOIN documents d ON "
                     f"y.document_id = d.id JOIN labels l ON s.label_id = l.id {where}", params).fetchone()
        conn.execute(f"{BASE_SQL} {where} ORDER BY s.id LIMIT 40", params).fetchall()

    session = AnnotationSession(store, "bench")
    ops = Operations(session)
    holder: list[EvidenceView] = []

    opened = []
    for _ in range(5):
        started = time.perf_counter()
        view = EvidenceView(session, ops, lambda pk, who: True)
        for row in range(40):  # a screen of rows
            view.model.row_at(row)
        opened.append((time.perf_counter() - started) * 1000)
        holder.append(view)
        started = time.perf_counter()
        app.processEvents()  # the source list, filled once the window shows
        deferred = (time.perf_counter() - started) * 1000
    t_open = statistics.median(opened)
    t_open_base = timed(baseline_page)
    view = holder[-1]

    def through_view(**boxes: object):  # type: ignore[no-untyped-def]
        def run() -> None:
            view.label_box.setCurrentIndex(view.label_box.findData(boxes.get("label")))
            view.marked_box.setValue(int(boxes.get("marked", 1)))
            view.source_box.setCurrentIndex(max(0, view.source_box.findData(boxes.get("source"))))
            view.since_edit.setText(str(boxes.get("since", "")))
            view.until_edit.setText(str(boxes.get("until", "")))
            view.quote_edit.setText(str(boxes.get("quote", "")))
            view.apply_filter()
            for row in range(40):
                view.model.row_at(row)
        return run

    word = "kaon"
    filters = [
        ("label + quote text", through_view(label="surveillance", quote=word),
         "WHERE l.key = ? AND s.quote LIKE ?", ("surveillance", f"%{word}%")),
        ("label + marked by ≥ 2 analysts", through_view(label="injury", marked=2), "WHERE l.key = ?", ("injury",)),
        ("source + date range", through_view(source="Outlet 07", since="2023-03", until="2023-09"),
         "WHERE d.source = ? AND substr(d.published, 1, 10) BETWEEN ? AND ?", ("Outlet 07", "2023-03", "2023-09~")),
    ]
    rows = []
    for name, ours, where, params in filters:
        rows.append((f"filter: {name}", timed(ours), timed(lambda w=where, p=params: baseline_page(w, p)), "< 200 ms"))
    through_view()()

    def sort_source() -> None:
        view.model.sort(5)
        for row in range(40):
            view.model.row_at(row)

    rows.append(("sort by source (first screen)", timed(sort_source, 3),
                 timed(lambda: conn.execute(f"{BASE_SQL} ORDER BY lower(d.source), s.id LIMIT 40").fetchall(), 3), "—"))

    # Deep scrolling: the page at row 150,000 read by keyset after the page before it (scrolling on), and
    # by position (a jump with the scroll bar), beside plain OFFSET queries of the same rows.
    from annotator.store import evidence as sql

    deep_row = min(150_000, spans - 2 * sql.PAGE)
    for sort_column, name, base_order in ((None, "span order", "s.id"), (5, "by source", "lower(d.source), s.id")):
        view.model.reload(EvidenceFilter())
        if sort_column is not None:
            view.model.sort(sort_column)
        else:  # the order the window opens in (the header's sort above changed it)
            view.model.sort_key, view.model.descending = "span", False
        number = deep_row // sql.PAGE

        def jump(n: int = number) -> None:
            view.model._pages.clear()
            view.model.row_at(n * sql.PAGE)

        def scroll_on(n: int = number) -> None:
            view.model._pages.pop(n + 1, None)
            view.model.row_at((n + 1) * sql.PAGE)  # the page before it is kept: keyset

        def first(n: int = number) -> None:
            view.model._pages.clear()
            view.model.row_at(0)

        jump()
        t_scroll = timed(scroll_on)
        rows.append((f"{name}: scroll on to row {deep_row:,} (next page, keyset)", t_scroll,
                     timed(lambda o=base_order: conn.execute(
                         f"{BASE_SQL} ORDER BY {o} LIMIT 200 OFFSET {deep_row}").fetchall(), 3), "as row 1"))
        rows.append((f"{name}: jump to row {deep_row:,} (by position)", timed(jump, 3), None, "—"))
        rows.append((f"{name}: first page (row 1)", timed(first, 3), None, "—"))

    started = time.perf_counter()
    with store.session() as db_session:
        report = build_report(db_session, EvidenceFilter())
    page = render(report, "html")
    t_report = time.perf_counter() - started
    started = time.perf_counter()
    conn.execute(f"SELECT d.id, d.doc_id, d.title, d.source, d.url, d.published, d.text_sha256, l.key, s.start, s.end_, "
                 f"substr(d.text, s.start + 1, s.end_ - s.start), a.name, s.id, s.note {BASE_SQL[BASE_SQL.index('FROM'):]} "
                 "ORDER BY d.id, s.start, s.end_, l.key, s.id").fetchall()
    t_report_base = time.perf_counter() - started
    print(f"# annotator evidence benchmark — {time.strftime('%Y-%m-%d')} — {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"corpus: {args.docs:,} documents, {spans:,} spans (SQLite)")
    print()
    print("| figure | annotator | baseline (plain sqlite3, same rows) | target |")
    print("|---|---|---|---|")
    print(f"| open the evidence window (count + first screen) | {t_open:.0f} ms | {t_open_base:.0f} ms | < 300 ms |")
    print(f"| … then its source list, once shown | {deferred:.0f} ms | — | — |")
    for name, ours, base, target in rows:
        print(f"| {name} | {ours:.0f} ms | {'—' if base is None else f'{base:.0f} ms'} | {target} |")
    print(f"| cited report, HTML ({len(report.claims):,} claims, {len(page) / 1e6:.0f} MB) | {t_report:.1f} s | "
          f"{t_report_base:.1f} s (SELECT only) | < 10 s |")
    app.quit()


if __name__ == "__main__":
    main()
