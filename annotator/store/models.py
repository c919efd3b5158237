"""Typed SQLAlchemy 2 models of the annotation store.

The schema is portable SQL (SQLite and PostgreSQL); anything dialect-specific (SQLite's FTS5 index) lives
in migrations guarded by dialect. Spans store their quote so a corrupted offset is detectable
(``annotator verify``), and ``doc_id`` is a public id derived from the text hash so the same article has
the same id in every analyst's database.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from annotator.core.model import ROLE_ANNOTATOR, STATUS_TODO


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON}


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (  # the document list sorted by title or date walks these (migration 0009)
        Index("ix_documents_title", "title"),
        Index("ix_documents_published", "published"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(200), unique=True)
    text_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    length: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500), default="")
    source: Mapped[str | None] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(40))
    filename: Mapped[str | None] = mapped_column(String(500))
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created: Mapped[datetime] = mapped_column(default=utcnow)

    layers: Mapped[list[Layer]] = relationship(back_populates="document", cascade="all, delete-orphan")


class Label(Base):
    __tablename__ = "labels"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    color: Mapped[str] = mapped_column(String(7))
    shortcut: Mapped[str] = mapped_column(String(20), default="")
    guideline: Mapped[str] = mapped_column(Text, default="")
    order: Mapped[int] = mapped_column("sort_order", Integer, default=0)
    # Typed attribute definitions (``AttributeDef.to_json`` each), migration 0010; a list, not a table:
    # they are read and written only with the whole scheme.
    attribute_defs: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class FieldDefinition(Base):
    """A document field of the scheme (relevance, source type), migration 0010."""

    __tablename__ = "field_defs"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    guideline: Mapped[str] = mapped_column(Text, default="")
    shortcut: Mapped[str] = mapped_column(String(40), default="")
    order: Mapped[int] = mapped_column("sort_order", Integer, default=0)


class RelationDefinition(Base):
    """A relation type of the scheme: which labels it may link, and whether it has a direction."""

    __tablename__ = "relation_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    color: Mapped[str] = mapped_column(String(7))
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    targets: Mapped[list[str]] = mapped_column(JSON, default=list)
    directed: Mapped[bool] = mapped_column(Boolean, default=True)
    order: Mapped[int] = mapped_column("sort_order", Integer, default=0)


class Annotator(Base):
    __tablename__ = "annotators"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20), default=ROLE_ANNOTATOR)
    created: Mapped[datetime] = mapped_column(default=utcnow)


class Layer(Base):
    __tablename__ = "layers"
    __table_args__ = (
        UniqueConstraint("document_id", "annotator_id", name="uq_layer_document_annotator"),
        Index("ix_layers_annotator_status", "annotator_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default=STATUS_TODO)
    span_count: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    document: Mapped[Document] = relationship(back_populates="layers")
    annotator: Mapped[Annotator] = relationship()
    spans: Mapped[list[Span]] = relationship(back_populates="layer", cascade="all, delete-orphan")


class Span(Base):
    __tablename__ = "spans"
    __table_args__ = (
        Index("ix_spans_layer_start", "layer_id", "start"),
        Index("ix_spans_label", "label_id"),
        Index("ix_spans_label_marked", "label_id", "marked_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    layer_id: Mapped[int] = mapped_column(ForeignKey("layers.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column("end_", Integer)
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id"))
    quote: Mapped[str] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    marked_by: Mapped[int] = mapped_column(Integer, server_default="0")
    """Annotators other than gold with a span of this extent and label (triggers keep it: store/marks.py)."""

    layer: Mapped[Layer] = relationship(back_populates="spans")
    label: Mapped[Label] = relationship()


class SearchIndex(Base):
    """One row: the highest document id already in the full-text index (SQLite's FTS5)."""

    __tablename__ = "search_index"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_document_id: Mapped[int] = mapped_column(Integer)


class CurationDecision(Base):
    """A curator's decision about a disagreement group that leaves no trace in the gold layer.

    Accepting or editing a group writes gold spans, which are their own record; rejecting one ("nothing
    here belongs in gold") would otherwise be forgotten when the curation window closes. A group is
    identified by its extent (start, end) in the document, as ``core.curation`` computes it.
    """

    __tablename__ = "curation_decisions"
    __table_args__ = (
        UniqueConstraint("document_id", "start", "end_", name="uq_curation_decision_group"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column("end_", Integer)
    decision: Mapped[str] = mapped_column(String(20), default="rejected")
    curator: Mapped[str | None] = mapped_column(String(100))
    created: Mapped[datetime] = mapped_column(default=utcnow)


class SuggestionModel(Base):
    """A trained recommender (``core.model_suggest``): its bytes, what it learnt from, its held-out scores.

    Rows are kept (newest wins) so a bad retraining can be told from the one before; migration 0008.
    """

    __tablename__ = "suggestion_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    created: Mapped[datetime] = mapped_column(default=utcnow)
    trained_by: Mapped[str] = mapped_column(String(100))
    trained_on: Mapped[dict[str, Any]] = mapped_column(default=dict)
    scores: Mapped[dict[str, Any]] = mapped_column(default=dict)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class SuggestionRejection(Base):
    """A suggestion an annotator rejected in a document: not offered to them again, negative evidence."""

    __tablename__ = "suggestion_rejections"
    __table_args__ = (
        UniqueConstraint("document_id", "annotator_id", "start", "end_", "label_key",
                         name="uq_suggestion_rejection"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column("end_", Integer)
    label_key: Mapped[str] = mapped_column(String(64))
    created: Mapped[datetime] = mapped_column(default=utcnow)


class SuggestionPattern(Base):
    """One pattern rule, stored as its ``patterns.jsonl`` line (``core.model_suggest.patterns``)."""

    __tablename__ = "suggestion_patterns"

    id: Mapped[int] = mapped_column(primary_key=True)
    order: Mapped[int] = mapped_column("sort_order", Integer)
    label_key: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)


class Assignment(Base):
    """One analyst assigned one document (migration 0008); unique, so never the same pair twice."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("document_id", "annotator_id", name="uq_assignment_document_annotator"),
        Index("ix_assignments_annotator", "annotator_id", "document_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="CASCADE"))
    assigned_by: Mapped[str | None] = mapped_column(String(100))
    created: Mapped[datetime] = mapped_column(default=utcnow)


class LayerReview(Base):
    """A curator's verdict on a done layer: approved, or returned with a comment (migration 0008)."""

    __tablename__ = "layer_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    layer_id: Mapped[int] = mapped_column(ForeignKey("layers.id", ondelete="CASCADE"), unique=True)
    state: Mapped[str] = mapped_column(String(20))
    reviewer: Mapped[str] = mapped_column(String(100))
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class LayerField(Base):
    """One document field's value in one layer (each analyst judges the document): migration 0010."""

    __tablename__ = "layer_fields"
    __table_args__ = (UniqueConstraint("layer_id", "field_id", name="uq_layer_field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    layer_id: Mapped[int] = mapped_column(ForeignKey("layers.id", ondelete="CASCADE"))
    field_id: Mapped[int] = mapped_column(ForeignKey("field_defs.id", ondelete="CASCADE"))
    value: Mapped[Any] = mapped_column(JSON)
    updated: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Relation(Base):
    """A typed link between two spans of one layer; deleting either span deletes it (migration 0010)."""

    __tablename__ = "relations"
    __table_args__ = (
        UniqueConstraint("source_span_id", "target_span_id", "type_id", name="uq_relation_ends_type"),
        Index("ix_relations_layer", "layer_id"),
        Index("ix_relations_target", "target_span_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    layer_id: Mapped[int] = mapped_column(ForeignKey("layers.id", ondelete="CASCADE"))
    source_span_id: Mapped[int] = mapped_column(ForeignKey("spans.id", ondelete="CASCADE"))
    target_span_id: Mapped[int] = mapped_column(ForeignKey("spans.id", ondelete="CASCADE"))
    type_id: Mapped[int] = mapped_column(ForeignKey("relation_types.id", ondelete="CASCADE"))
    created: Mapped[datetime] = mapped_column(default=utcnow)


class ProjectSetting(Base):
    """A choice a lead made for the whole database (migration 0011); no row means the default."""

    __tablename__ = "project_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    value: Mapped[str] = mapped_column(Text)


class SpanLabelTally(Base):
    """Spans per (analyst, label), kept by triggers on ``spans`` and ``layers`` (migration 0013)."""

    __tablename__ = "span_label_tallies"

    annotator_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    label_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(Integer)


class SpanSlotTally(Base):
    """Spans created per (analyst, five-minute slot since 1970), kept by triggers (migration 0013)."""

    __tablename__ = "span_slot_tallies"

    annotator_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    slot: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(Integer)
