"""A small evidence corpus built through the store's own write path (invented texts, never the corpus's)."""

from __future__ import annotations

from annotator.core.formats.articles import document_from_text
from annotator.core.model import GOLD_ANNOTATOR
from annotator.store import repository as repo
from annotator.store.database import Store

DOCS = [
    # text, title, source, url, published
    ("Guards watched the dormitory every night. Crews worked more than 18 hours a day.",
     "Night watch", "Daily Ledger", "https://ledger.example/a", "2024-03-05"),
    ("A foreman said crews were laboring for over 18 hours a day; wages were taken by the company.",
     "Long days", "Harbour Post", "https://post.example/b", "2024-04-20T08:00:00"),
    ("<script>alert(1)</script> Wages were taken by the company, a witness said. *Bold* [x](y) & more.",
     "<script>alert('t')</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "2024-04-02"),
    ("Nobody dated this one. Guards watched the dormitory at night.", "Undated", "", "", ""),
]

# (document index, phrase, label, annotators, attributes)
MARKS = [
    (0, "Guards watched the dormitory", "surveillance", ["ana", "ben", GOLD_ANNOTATOR], {"certainty": "high"}),
    (0, "worked more than 18 hours a day", "working_hours", ["ana", "ben"], {}),
    (1, "laboring for over 18 hours a day", "working_hours", ["ana"], {"certainty": "low"}),
    (1, "wages were taken by the company", "remittance", ["ben"], {}),
    (2, "Wages were taken by the company", "remittance", ["ana", "cy"], {}),
    (2, "<script>alert(1)</script>", "surveillance", ["cy"], {}),
    (3, "Guards watched the dormitory", "surveillance", ["cy"], {}),
]


def build(store: Store) -> list[int]:
    """Store :data:`DOCS` and :data:`MARKS`; returns the documents' primary keys."""
    pks = []
    with store.write() as session:
        repo.ensure_default_scheme(session)
        for text, title, source, url, published in DOCS:
            meta = {"title": title, "source": source, "url": url, "published": published}
            row, _new = repo.add_document(session, document_from_text(text, meta))
            pks.append(row.id)
        for name in ("ana", "ben", "cy", GOLD_ANNOTATOR):
            repo.get_or_create_annotator(session, name)
    for doc, phrase, label, names, attributes in MARKS:
        text = DOCS[doc][0]
        start = text.index(phrase)
        with store.write() as session:
            for name in names:
                repo.add_span(session, pks[doc], name, start, start + len(phrase), label, actor=name,
                              attributes=attributes or None, note="checked" if name == "ana" else None)
    return pks
