"""Plain records that travel between formats, the store and the app.

They are deliberately free of any database or widget type so importers and exporters can be tested and
reused without either. Offsets are code points into the document's canonical text (docs/architecture.md §2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# Layer statuses and roles are spelled here once: formats, the store and the command line all check
# against these, so a new status or role cannot be accepted in one place and refused in another.
LayerStatus = Literal["todo", "in_progress", "done"]
STATUS_TODO: LayerStatus = "todo"
STATUS_IN_PROGRESS: LayerStatus = "in_progress"
STATUS_DONE: LayerStatus = "done"
LAYER_STATUSES: tuple[LayerStatus, ...] = (STATUS_TODO, STATUS_IN_PROGRESS, STATUS_DONE)

Role = Literal["annotator", "curator", "admin"]
ROLE_ANNOTATOR: Role = "annotator"
ROLE_CURATOR: Role = "curator"
ROLE_ADMIN: Role = "admin"
ROLES: tuple[Role, ...] = (ROLE_ANNOTATOR, ROLE_CURATOR, ROLE_ADMIN)
CURATING_ROLES: tuple[Role, ...] = (ROLE_CURATOR, ROLE_ADMIN)
"""Roles that may write the gold layer."""

ReviewState = Literal["approved", "returned"]
REVIEW_APPROVED: ReviewState = "approved"
REVIEW_RETURNED: ReviewState = "returned"
REVIEW_STATES: tuple[ReviewState, ...] = (REVIEW_APPROVED, REVIEW_RETURNED)
"""A curator's verdict on a done layer; a returned layer goes back to in progress."""

GOLD_ANNOTATOR = "gold"
"""The reserved annotator name that owns each document's curated layer."""
MODEL_ANNOTATOR = "model"
"""The annotator name ``annotator suggest`` writes, so its output imports as a layer to compare."""


@dataclass(slots=True)
class SpanRecord:
    """One tagged span: offsets, label and the quote it grounds."""

    start: int
    end: int
    label: str
    text: str
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    prefix: str = ""
    suffix: str = ""


@dataclass(slots=True)
class DocumentRecord:
    """A document: its canonical text, fingerprint and metadata.

    ``meta`` holds ``title``, ``source``, ``url``, ``published`` (ISO date) and ``filename`` where known;
    ``doc_id`` is the store's stable public id (``d-`` plus the first 16 hex digits of the hash unless the
    source supplied one).
    """

    doc_id: str
    text: str
    text_sha256: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or "")


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """A curator's verdict on a done layer, as native JSONL's ``review`` object carries it.

    ``at`` is ISO-8601 in UTC to the second (``2026-05-01T09:30:00Z``), so exports stay byte-stable.
    """

    state: str
    by: str
    comment: str
    at: str


@dataclass(frozen=True, slots=True, order=True)
class RelationRecord:
    """A typed link between two spans of one layer, by their 0-based indexes in ``LayerRecord.spans``.

    Indexes rather than offsets because two spans may share offsets with different labels; native JSONL
    writes them as ``{"from": i, "to": j, "label": KEY}`` sorted by (from, to, label) — the field order
    here, so ``sorted()`` gives the file's order.
    """

    source: int
    target: int
    label: str


@dataclass(slots=True)
class LayerRecord:
    """One annotator's spans on one document, with status, review, document fields and relations.

    ``doc_fields`` maps a field key to its value in the canonical shape of its kind
    (``core.typed_values``); ``relations`` point into ``spans`` by index. Both are empty for layers
    of a scheme without fields or relation types, and formats then write nothing for them.
    """

    annotator: str | None
    status: str = STATUS_TODO
    spans: list[SpanRecord] = field(default_factory=list)
    review: ReviewRecord | None = None
    doc_fields: dict[str, Any] = field(default_factory=dict)
    relations: list[RelationRecord] = field(default_factory=list)

    def relation_problem(self) -> str | None:
        """Why the relations cannot stand (an index outside ``spans``, a self-link), or None."""
        return relation_problem(self.relations, len(self.spans))


def relation_problem(relations: list[RelationRecord], span_count: int) -> str | None:
    """Why relations cannot point into a list of ``span_count`` spans (out of range, a self-link), or None."""
    for relation in relations:
        label = relation.label if len(relation.label) <= 40 else relation.label[:39] + "…"
        for end, index in (("from", relation.source), ("to", relation.target)):
            if not 0 <= index < span_count:
                return (f"relation {label!r}: '{end}' is span index {index}, but the layer has "
                        f"{span_count} span{'' if span_count == 1 else 's'} (indexes start at 0)")
        if relation.source == relation.target:
            return f"relation {label!r} links span #{relation.source} to itself"
    return None


@dataclass(slots=True)
class AnnotatedDocument:
    """A document with zero or more layers: the unit every format reads and writes."""

    document: DocumentRecord
    layers: list[LayerRecord] = field(default_factory=list)
    # The record's line in a line-based source file, so errors found later (while storing) name it.
    line: int | None = None


def doc_id_for(sha256_hex: str) -> str:
    """The default public id of a document: stable across databases because it derives from the text."""
    return "d-" + sha256_hex[:16]
