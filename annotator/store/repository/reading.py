"""Reading the store out whole: every document with its layers (exports, agreement), and quote checks.

Why a module of its own: these reads cross all documents, so they stream in chunks with a fixed number
of queries per chunk and decode JSON only when it is not empty — memory stays flat on 100,000 documents.
``verify_quotes`` is the ``annotator verify`` check that each stored quote still matches its text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, String, select, type_coerce
from sqlalchemy.orm import Session

from annotator.core.model import (
    AnnotatedDocument,
    DocumentRecord,
    LayerRecord,
    RelationRecord,
    ReviewRecord,
    SpanRecord,
)
from annotator.core.text import check_offsets
from annotator.store.models import (
    Annotator,
    Document,
    FieldDefinition,
    Layer,
    LayerField,
    LayerReview,
    Relation,
    RelationDefinition,
    Span,
)
from annotator.store.repository.scheme import label_ids
from annotator.store.repository.spans import json_value


def iter_annotated_documents(
    session: Session,
    annotators: Sequence[str] | None = None,
    *,
    statuses: Iterable[str] | None = None,
    chunk: int = 500,
) -> Iterator[AnnotatedDocument]:
    """Every document in ``doc_id`` order with its layers (all, or those of ``annotators``), streamed.

    Reads in chunks of documents with one query for their layers, one for their spans and one each for
    their document fields and relations, so memory stays flat on 100,000 documents and the number of
    queries grows with chunks, not rows. Relations come out as indexes into each layer's ``spans``.
    """
    names = list(annotators) if annotators else None
    status_set = set(statuses) if statuses else None
    labels = {lid: key for key, lid in label_ids(session).items()}
    # Core execution on the session's connection: no ORM row processing on 100,000s of rows, and JSON
    # columns read as text and decoded only when not empty (most spans have no attributes).
    conn = session.connection()
    attrs_text = type_coerce(Span.attributes, String)
    meta_text = type_coerce(Document.meta, String)
    # Code-point order on every dialect: a PostgreSQL database's locale collation would sort ids differently.
    order_key = Document.doc_id.collate("C") if conn.dialect.name == "postgresql" else Document.doc_id
    last = ""
    while True:
        docs = conn.execute(
            select(Document.id, Document.doc_id, Document.text, Document.text_sha256, Document.title,
                   Document.source, Document.url, Document.published, Document.filename, meta_text)
            .where(order_key > last)
            .order_by(order_key)
            .limit(chunk)
        ).all()
        if not docs:
            return
        last = docs[-1][1]
        ids = [d[0] for d in docs]
        layer_query = (
            select(Layer.id, Layer.document_id, Annotator.name, Layer.status, LayerReview.state,
                   LayerReview.reviewer, LayerReview.comment, LayerReview.at)
            .join(Annotator, Layer.annotator_id == Annotator.id)
            .outerjoin(LayerReview, LayerReview.layer_id == Layer.id)
            .where(Layer.document_id.in_(ids))
        )
        if names is not None:
            layer_query = layer_query.where(Annotator.name.in_(names))
        if status_set is not None:
            layer_query = layer_query.where(Layer.status.in_(status_set))
        layer_rows = conn.execute(layer_query).all()
        spans_by_layer: dict[int, list[SpanRecord]] = {row[0]: [] for row in layer_rows}
        fields_by_layer, relations_by_layer = _structure(conn, list(spans_by_layer)) if layer_rows else ({}, {})
        # Span id → index in its layer's list, only for layers with relations (most have none).
        index_of: dict[int, int] = {}
        if layer_rows:
            span_rows = conn.execute(
                select(Span.layer_id, Span.start, Span.end, Span.label_id, Span.quote, attrs_text, Span.note,
                       Span.id)
                .where(Span.layer_id.in_(list(spans_by_layer)))
                .order_by(Span.layer_id, Span.start, Span.end, Span.id)
            ).all()
            for layer_id, start, end, label_id, quote, attrs, note, span_id in span_rows:
                layer_spans = spans_by_layer[layer_id]
                if layer_id in relations_by_layer:
                    index_of[span_id] = len(layer_spans)
                layer_spans.append(
                    SpanRecord(start, end, labels[label_id], quote, {} if attrs == "{}" else json_value(attrs), note)
                )
        layers_by_doc: dict[int, list[LayerRecord]] = {}
        for layer_id, document_id, name, status, state, by, comment, at in layer_rows:
            review = None if state is None else ReviewRecord(state, by, comment, at.strftime("%Y-%m-%dT%H:%M:%SZ"))
            relations = [RelationRecord(index_of[source], index_of[target], key)
                         for source, target, key in relations_by_layer.get(layer_id, ())]
            layers_by_doc.setdefault(document_id, []).append(
                LayerRecord(name, status, spans_by_layer[layer_id], review, fields_by_layer.get(layer_id, {}),
                            sorted(relations)))
        for did, doc_id, text, sha, title, source, url, published, filename, meta in docs:
            merged: dict[str, Any] = {"title": title, "source": source, "url": url, "published": published,
                                      "filename": filename}
            merged.update(json_value(meta))
            record = DocumentRecord(doc_id, text, sha, {k: v for k, v in merged.items() if v not in (None, "")})
            layers = sorted(layers_by_doc.get(did, []), key=lambda lay: lay.annotator or "")
            yield AnnotatedDocument(record, layers)


def _structure(conn: Connection, layer_ids: list[int]) -> tuple[dict[int, dict[str, Any]],
                                                                   dict[int, list[tuple[int, int, str]]]]:
    """Field values and relations (span ids and type key) of a chunk's layers: two queries, one per kind."""
    fields: dict[int, dict[str, Any]] = {}
    for layer_id, key, value in conn.execute(
        select(LayerField.layer_id, FieldDefinition.key, LayerField.value)
        .join(FieldDefinition, LayerField.field_id == FieldDefinition.id)
        .where(LayerField.layer_id.in_(layer_ids))
    ):
        fields.setdefault(layer_id, {})[key] = value
    relations: dict[int, list[tuple[int, int, str]]] = {}
    for layer_id, source, target, key in conn.execute(
        select(Relation.layer_id, Relation.source_span_id, Relation.target_span_id, RelationDefinition.key)
        .join(RelationDefinition, Relation.type_id == RelationDefinition.id)
        .where(Relation.layer_id.in_(layer_ids))
    ):
        relations.setdefault(layer_id, []).append((source, target, key))
    return fields, relations


@dataclass(frozen=True, slots=True)
class QuoteMismatch:
    doc_id: str
    annotator: str
    span_id: int
    start: int
    end: int
    stored_quote: str
    actual: str


def verify_quotes(session: Session) -> Iterator[QuoteMismatch]:
    """Every span whose stored quote differs from its document's text at its offsets."""
    rows = session.execute(
        select(Document.doc_id, Annotator.name, Span.id, Span.start, Span.end, Span.quote, Document.id)
        .join(Layer, Span.layer_id == Layer.id)
        .join(Document, Layer.document_id == Document.id)
        .join(Annotator, Layer.annotator_id == Annotator.id)
        .order_by(Document.id, Span.id)
    )
    cache: tuple[int, str] | None = None
    for doc_id, name, span_id, start, end, quote, did in rows:
        if cache is None or cache[0] != did:
            cache = (did, session.scalar(select(Document.text).where(Document.id == did)) or "")
        actual = cache[1][start:end]
        if actual != quote or check_offsets(cache[1], start, end):
            yield QuoteMismatch(doc_id, name, span_id, start, end, quote, actual)
