"""A generated team corpus for the dashboard: assignments with overlap, done / approved / returned layers,
and spans whose creation times fall in work sessions spread over several weeks.

    make_team_corpus(store, n_docs=300, analysts=("amira", "bo", "chen"), weeks=6)

Used by ``bench/bench_dashboard.py`` (100,000 documents), ``bench/make_demo_screenshots.py`` (the
dashboard screenshot) and the dashboard tests. Rows go in with the store's bulk inserts, so 100,000
documents take seconds, not the minutes one repository call per span would. Deterministic for a seed.

What the analysts do, so the charts have something to show: the first analyst tags as the reference;
the second drops a span now and then and stretches some ends; the third starts close to the others but
relabels more spans week after week (falling agreement) and favours ``surveillance`` (label drift).
"""

from __future__ import annotations

import hashlib
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_gen import LABELS, make_text, word_spans  # noqa: E402

START = datetime(2026, 3, 2, 9, 0)  # a Monday


def _clock(n_layers: int, weeks: int) -> list[datetime]:
    """When each of an analyst's layers is started: workdays from 9:00, an even share of layers a day."""
    days = max(1, weeks * 5)
    per_day = max(1, -(-n_layers // days))
    times = []
    for k in range(n_layers):
        day, slot = divmod(k, per_day)
        date = START + timedelta(days=day // 5 * 7 + day % 5)
        minutes = slot * max(4, 420 // per_day)  # spread the day's layers over seven hours
        times.append(date + timedelta(minutes=minutes + (45 if minutes >= 180 else 0)))
    return times


def _variant(rng: random.Random, spans: list[tuple[int, int, str]], who: int, progress: float,
             text: str) -> list[tuple[int, int, str]]:
    """The second or third analyst's version of the reference spans (see the module docstring)."""
    out = []
    for start, end, label in spans:
        if who == 1:
            if rng.random() < 0.12:
                continue
            if rng.random() < 0.15:
                end = min(len(text), end + 4)
        elif who >= 2 and rng.random() < 0.08 + 0.35 * progress:
            label = "surveillance" if rng.random() < 0.6 else rng.choice(LABELS)
        out.append((start, end, label))
    return sorted(set(out))


def make_team_corpus(store: Any, n_docs: int, analysts: tuple[str, ...] = ("amira", "bo", "chen"), *,
                     overlap: float = 0.2, weeks: int = 6, seed: int = 1, words: tuple[int, int] = (60, 120),
                     lead: str = "lead") -> dict[str, int]:
    """Fill an empty store; returns counts of documents, assignments, layers and spans written."""
    from annotator.store import repository as repo
    from annotator.store.bulk import encoder_for, insert_encoded, insert_with_ids
    from annotator.store.marks import DeferredMarks
    from annotator.store.models import Assignment, Document, Label, Layer, LayerReview, Span
    from annotator.store.tallies import PausedTallies

    rng = random.Random(seed)
    with store.write() as session:
        repo.ensure_default_scheme(session)
        repo.get_or_create_annotator(session, lead)  # the first name becomes the admin
        ids = [repo.get_or_create_annotator(session, name).id for name in analysts]
        label_ids = {key: pk for key, pk in session.query(Label.key, Label.id)}
        enc = encoder_for(session)
        created = enc.time(START - timedelta(days=7))
        texts, doc_rows = [], []
        for d in range(n_docs):
            text = f"Report {d}\n" + make_text(rng, rng.randint(*words))
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
            texts.append(text)
            doc_rows.append((f"doc-{d:06d}", sha, text, len(text), f"Report {d}", "bench", None, None, None,
                             enc.empty_json, created))
        doc_pks = insert_with_ids(session, Document, ["doc_id", "text_sha256", "text", "length", "title", "source",
                                                      "url", "published", "filename", "meta", "created"], doc_rows)
        # Who gets what: each document to one analyst in turn, a share of them to a second one as well.
        work: dict[int, list[int]] = {i: [] for i in range(len(analysts))}
        assignment_rows = []
        for d, pk in enumerate(doc_pks):
            group = [d % len(analysts)]
            if len(analysts) > 1 and rng.random() < overlap:
                group.append((group[0] + 1 + rng.randrange(len(analysts) - 1)) % len(analysts))
            for who in group:
                work[who].append(d)
                assignment_rows.append((pk, ids[who], lead, created))
        insert_encoded(session, Assignment, ["document_id", "annotator_id", "assigned_by", "created"], assignment_rows)
        reference = {d: word_spans(random.Random(seed * 1_000_003 + d), texts[d], rng.randint(3, 9))
                     for d in range(n_docs)}
        layer_rows, layer_spans, reviews = [], [], []
        for who, docs in work.items():
            starts = _clock(len(docs), weeks)
            for k, d in enumerate(docs):
                progress = k / max(1, len(docs) - 1)
                share = k / max(1, len(docs))
                if share >= 0.9:
                    continue  # not started yet: assigned, no layer
                spans = reference[d] if who == 0 else _variant(rng, reference[d], who, progress, texts[d])
                if share >= 0.8:
                    spans = spans[: len(spans) // 2]
                moment = starts[k]
                times = []
                for _ in spans:
                    moment += timedelta(seconds=rng.randint(40, 150))
                    times.append(moment)
                status = "done" if share < 0.8 else "in_progress"
                review = None
                if status == "done":
                    roll = rng.random()
                    review = "approved" if roll < 0.4 else "returned" if roll < 0.45 else None
                    if review == "returned":
                        status = "in_progress"
                layer_rows.append((doc_pks[d], ids[who], status, len(spans), enc.time(moment + timedelta(seconds=60))))
                layer_spans.append((d, spans, times))
                reviews.append((review, moment + timedelta(hours=20)))
        layer_pks = insert_with_ids(session, Layer, ["document_id", "annotator_id", "status", "span_count", "updated"],
                                    layer_rows)
        span_rows = []
        tallies = PausedTallies(session)  # as the importer does: counted here, not by a trigger per span
        marks = DeferredMarks(session.connection())  # and the marked-by counts once at the end
        marks.everything = True
        for layer_pk, row, (d, spans, times) in zip(layer_pks, layer_rows, layer_spans, strict=True):
            text = texts[d]
            for (start, end, label), when in zip(spans, times, strict=True):
                stamp = enc.time(when)
                span_rows.append((layer_pk, start, end, label_ids[label], text[start:end], enc.empty_json, None,
                                  stamp, stamp))
                tallies.add(row[1], label_ids[label], when)
        insert_encoded(session, Span, ["layer_id", "start", "end", "label_id", "quote", "attributes", "note",
                                       "created", "updated"], span_rows)
        tallies.restore()
        marks.finish()
        review_rows = [(layer_pk, state, lead, "Please check the labels in paragraph 2." if state == "returned" else "",
                        enc.time(at))
                       for layer_pk, (state, at) in zip(layer_pks, reviews, strict=True) if state]
        insert_encoded(session, LayerReview, ["layer_id", "state", "reviewer", "comment", "at"], review_rows)
    return {"documents": n_docs, "assignments": len(assignment_rows), "layers": len(layer_rows),
            "spans": len(span_rows)}
