"""Generated corpora for benchmarks: deterministic, invented text, realistic sizes.

The words are our own; nothing is copied from the real corpus. Span positions fall on word boundaries
and overlap now and then, like real annotation.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

WORDS = (
    "workers shift hours overtime site foreman dormitory wages quota transfer company permit minder "
    "passport safety helmet injury clinic sanctions export labour contract brigade timber construction "
    "remittance loyalty payment state agency border visa student trainee harbour crane scaffold night "
    "rest day month week report witness official ministry decree enforcement ship cargo account bank"
).split()
LABELS = ["working_hours", "injury", "surveillance", "remittance", "sanctions"]


def make_text(rng: random.Random, n_words: int) -> str:
    out = []
    for i in range(n_words):
        word = rng.choice(WORDS)
        if i % 14 == 0:
            word = word.capitalize()
        out.append(word)
        if i % 14 == 13:
            out[-1] += "."
            if rng.random() < 0.25:
                out[-1] += "\n"
    return " ".join(out).replace("\n ", "\n")


def word_spans(rng: random.Random, text: str, count: int) -> list[tuple[int, int, str]]:
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch in " \n"]
    spans = []
    for _ in range(count):
        i = rng.randrange(len(starts) - 3)
        j = min(len(starts) - 1, i + rng.randint(1, 4))
        start, end = starts[i], starts[j] - 1
        if end > start:
            spans.append((start, end, rng.choice(LABELS)))
    return spans


def write_corpus(path: Path, n_docs: int, spans_per_doc: float, annotators: list[str], seed: int = 7,
                 words: tuple[int, int] = (90, 170)) -> tuple[int, int]:
    """Write native-ish JSONL (text + annotator + spans with quotes); returns (records, spans)."""
    rng = random.Random(seed)
    total_spans = 0
    records = 0
    with open(path, "w", encoding="utf-8") as out:
        for d in range(n_docs):
            text = f"Report {d}\n" + make_text(rng, rng.randint(*words))
            for name in annotators:
                spans = word_spans(rng, text, max(0, int(rng.gauss(spans_per_doc, 2))))
                total_spans += len(spans)
                records += 1
                out.write(json.dumps({
                    "doc_id": f"doc-{d:06d}", "text": text, "meta": {"title": f"Report {d}", "source": "bench"},
                    "annotator": name, "status": "done",
                    "spans": [{"start": s, "end": e, "label": lab, "text": text[s:e]} for s, e, lab in spans],
                }, ensure_ascii=False) + "\n")
    return records, total_spans
