"""Where Ctrl+Enter goes next: the next undone document of the document list *as it is filtered*.

An analyst who searched for "sanctions" and works through the hits expects "mark done and next" to stay
among them; opening a document the list does not show (no row selected, the search box still saying
"sanctions") is a silent surprise. So the filter goes into the query (``queries.next_undone``), and when no
undone document matches it the status bar says so rather than leaving the filter behind. A list sorted by a
column is followed in that order too: "next" is the undone document below the open one as the list shows it.
"""

from __future__ import annotations

from annotator.store import queries
from annotator.store.queries import DocumentFilter, DocumentSort
from annotator.ui.annotate.document_list import STATUS_TEXT
from annotator.ui.ops.session import AnnotationSession


def describe_filter(session: AnnotationSession, flt: DocumentFilter) -> str:
    """The filter as the analyst set it: search words, status, label (by name), joined by "·"."""
    parts = ["My queue"] if flt.queue else []
    if flt.search.strip():
        parts.append(flt.search.strip())
    if flt.status:
        parts.append(STATUS_TEXT.get(flt.status, flt.status))
    if flt.label:
        parts.append(session.label_name(flt.label))
    return " · ".join(parts)


def next_undone(session: AnnotationSession, flt: DocumentFilter,
                sort: DocumentSort | None = None) -> tuple[int | None, str]:
    """The next undone document after the open one among those ``flt`` lets through, in the list's ``sort``
    order (None: import order), or None and why not."""
    with session.store.session() as db:
        target = queries.next_undone(db, session.annotator, session.doc_pk, flt, sort)
    if target is not None:
        return target, ""
    shown = describe_filter(session, flt)
    if shown:
        return None, f"No undone document matches the filter “{shown}”; clear it to go on"
    return None, "Every document is done. 🎉"
