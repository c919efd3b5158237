"""What an operation changed, described once so every view refreshes only what it shows.

Every data-changing action in the app (see ``docs/architecture.md``, "Operations") ends by publishing one
:class:`Changes` through :attr:`AnnotationSession.changed`; so do a refused write (the open document must be
re-read to match the database again) and a colleague's edit noticed by the live watcher. A view looks only
at the parts it shows: the span list at span deltas of the open layer, the document list at the documents
whose rows may differ, the label bar at ``scheme``. Plain data, no Qt: it can be built and checked anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from annotator.store.repository import SpanView


@dataclass(frozen=True, slots=True)
class SpanDelta:
    """One span of one layer added, changed or removed; ``span`` is its new state, None once removed."""

    doc_pk: int
    owner: str
    span_id: int
    span: SpanView | None
    before: SpanView | None = None
    """The span before the change (None for an added span): views that place spans by offsets need it."""

    @property
    def removed(self) -> bool:
        return self.span is None

    @property
    def added(self) -> bool:
        return self.before is None and self.span is not None


@dataclass(frozen=True, slots=True)
class StatusDelta:
    """A layer's status after a change."""

    doc_pk: int
    owner: str
    status: str


@dataclass(frozen=True, slots=True)
class Changes:
    """Everything one step changed. Empty parts mean "unchanged"; ``corpus`` means "anything may have"."""

    spans: tuple[SpanDelta, ...] = ()
    statuses: tuple[StatusDelta, ...] = ()
    reload: frozenset[int] = frozenset()
    """Documents to re-read whole: a write was refused, or someone else changed them."""
    decisions: frozenset[int] = frozenset()
    """Documents whose curation decisions (rejected groups) changed."""
    scheme: bool = False
    corpus: bool = False
    """Documents were added, or a colleague changed something not known in detail: lists re-query."""
    documents: frozenset[int] = field(default=frozenset())
    """Extra documents whose list rows may differ (the deltas' documents are counted automatically)."""
    suggestions: bool = False
    """Rejected suggestions, pattern rules or the stored model changed: suggestion lists recompute."""
    reviews: frozenset[int] = field(default=frozenset())
    """Documents where a curator's review of a layer changed (approved, returned, or undone)."""
    structure: frozenset[tuple[int, str]] = frozenset()
    """Layers (document, owner) whose document fields or relations changed."""

    def touched_documents(self) -> frozenset[int]:
        """Every document this step changed in any way (list rows to refresh)."""
        found = set(self.documents) | self.reload | self.decisions | self.reviews
        found.update(doc_pk for doc_pk, _owner in self.structure)
        found.update(delta.doc_pk for delta in self.spans)
        found.update(delta.doc_pk for delta in self.statuses)
        return frozenset(found)

    def span_deltas(self, doc_pk: int, owner: str) -> list[SpanDelta]:
        return [d for d in self.spans if d.doc_pk == doc_pk and d.owner == owner]

    def status_of(self, doc_pk: int, owner: str) -> str | None:
        """The layer's new status if this step set one (the last one wins)."""
        found = None
        for delta in self.statuses:
            if delta.doc_pk == doc_pk and delta.owner == owner:
                found = delta.status
        return found

    @property
    def tags_changed(self) -> bool:
        """Some layer's spans changed (suggestion phrase lists depend on every layer's spans)."""
        return bool(self.spans) or self.corpus



def merge(parts: Iterable[Changes]) -> Changes:
    """One :class:`Changes` for several steps (an operation made of several store writes)."""
    spans: list[SpanDelta] = []
    statuses: list[StatusDelta] = []
    reload: set[int] = set()
    decisions: set[int] = set()
    documents: set[int] = set()
    reviews: set[int] = set()
    structure: set[tuple[int, str]] = set()
    scheme = corpus = suggestions = False
    for part in parts:
        spans.extend(part.spans)
        statuses.extend(part.statuses)
        reload |= part.reload
        decisions |= part.decisions
        documents |= part.documents
        scheme |= part.scheme
        corpus |= part.corpus
        suggestions |= part.suggestions
        reviews |= part.reviews
        structure |= part.structure
    return Changes(tuple(spans), tuple(statuses), frozenset(reload), frozenset(decisions), scheme, corpus,
                   frozenset(documents), suggestions, reviews=frozenset(reviews), structure=frozenset(structure))
