"""Document fields and relations of a layer: read, set, link and unlink.

Why a module of its own: fields and relations hang off a layer like spans do and follow the same write
rule (an analyst writes only their own layer, gold needs a curator), but they are checked against the
scheme's definitions — a value of the right kind, a relation type that allows these two labels, both
spans in the same layer — here, in the store, so the app, import and scripts refuse the same things.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, aliased

from annotator.core.errors import AnnotatorError
from annotator.store.models import (
    Annotator,
    FieldDefinition,
    Label,
    Layer,
    LayerField,
    Relation,
    RelationDefinition,
    Span,
    utcnow,
)
from annotator.store.repository.annotators import check_can_write
from annotator.store.repository.layers import get_or_create_layer
from annotator.store.repository.scheme_extras import read_fields, read_relation_types


@dataclass(frozen=True, slots=True)
class RelationView:
    """A stored relation as the app sees it: its id, the two span ids and the relation type's key."""

    id: int
    source_span_id: int
    target_span_id: int
    label: str


def layer_fields(session: Session, layer_id: int) -> dict[str, Any]:
    """Field key → value for one layer (fields without a value are absent)."""
    rows = session.execute(
        select(FieldDefinition.key, LayerField.value)
        .join(LayerField, LayerField.field_id == FieldDefinition.id)
        .where(LayerField.layer_id == layer_id)
        .order_by(FieldDefinition.key)
    )
    return {key: value for key, value in rows}


def document_fields(session: Session, document_id: int, annotator: str) -> dict[str, Any]:
    """Field values of ``annotator``'s layer on a document ({} when the layer does not exist)."""
    layer_id = session.scalar(
        select(Layer.id).join(Annotator).where(Layer.document_id == document_id, Annotator.name == annotator))
    return {} if layer_id is None else layer_fields(session, layer_id)


def set_document_field(session: Session, document_id: int, annotator: str, key: str, value: Any,
                       *, actor: str | None = None) -> Any:
    """Set (or with ``None`` clear) one field of ``annotator``'s layer; returns the previous value (for undo).

    The value is checked against the field's kind first, so a refused value changes nothing.
    """
    definition = next((f for f in read_fields(session) if f.key == key), None)
    if definition is None:
        raise AnnotatorError(f"the scheme has no document field {key!r}")
    checked = None if value is None else definition.check(value)
    check_can_write(session, annotator, actor)
    layer = get_or_create_layer(session, document_id, annotator, actor)
    field_id = session.scalar(select(FieldDefinition.id).where(FieldDefinition.key == key))
    row = session.scalar(select(LayerField).where(LayerField.layer_id == layer.id, LayerField.field_id == field_id))
    previous = None if row is None else row.value
    if checked is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(LayerField(layer_id=layer.id, field_id=field_id, value=checked))
    else:
        row.value = checked
    layer.updated = utcnow()
    session.flush()
    return previous


def layer_relations(session: Session, layer_id: int) -> list[RelationView]:
    """A layer's relations in a stable order (by source span, target span, type)."""
    rows = session.execute(
        select(Relation.id, Relation.source_span_id, Relation.target_span_id, RelationDefinition.key)
        .join(RelationDefinition, Relation.type_id == RelationDefinition.id)
        .where(Relation.layer_id == layer_id)
        .order_by(Relation.source_span_id, Relation.target_span_id, RelationDefinition.key)
    )
    return [RelationView(*row) for row in rows]


def document_relations(session: Session, document_id: int, annotator: str) -> list[RelationView]:
    layer_id = session.scalar(
        select(Layer.id).join(Annotator).where(Layer.document_id == document_id, Annotator.name == annotator))
    return [] if layer_id is None else layer_relations(session, layer_id)


def document_structure(session: Session, document_id: int,
                       annotator: str) -> tuple[dict[str, Any], list[RelationView]]:
    """Field values and relations of ``annotator``'s layer on a document, finding the layer once (open a document)."""
    layer_id = session.scalar(
        select(Layer.id).join(Annotator).where(Layer.document_id == document_id, Annotator.name == annotator))
    if layer_id is None:
        return {}, []
    return layer_fields(session, layer_id), layer_relations(session, layer_id)


def relations_touching(session: Session, span_ids: list[int]) -> list[RelationView]:
    """Relations with either end among ``span_ids``: what deleting those spans takes with it (for undo)."""
    if not span_ids:
        return []
    rows = session.execute(
        select(Relation.id, Relation.source_span_id, Relation.target_span_id, RelationDefinition.key)
        .join(RelationDefinition, Relation.type_id == RelationDefinition.id)
        .where(Relation.source_span_id.in_(span_ids) | Relation.target_span_id.in_(span_ids))
        .order_by(Relation.id)
    )
    return [RelationView(*row) for row in rows]


def add_relation(session: Session, source_span_id: int, target_span_id: int, key: str,
                 *, actor: str | None = None) -> RelationView:
    """Link two spans of one layer with a relation of type ``key``; refused with the reason otherwise."""
    if source_span_id == target_span_id:
        raise AnnotatorError("a relation links two different spans")
    source, target = aliased(Span), aliased(Span)
    source_label, target_label = aliased(Label), aliased(Label)
    row = session.execute(
        select(source.layer_id, target.layer_id, source_label.key, target_label.key, Annotator.name)
        .select_from(source)
        .join(target, target.id == target_span_id)
        .join(source_label, source_label.id == source.label_id)
        .join(target_label, target_label.id == target.label_id)
        .join(Layer, Layer.id == source.layer_id)
        .join(Annotator, Annotator.id == Layer.annotator_id)
        .where(source.id == source_span_id)
    ).first()
    if row is None:
        raise AnnotatorError("one of the two spans no longer exists")
    source_layer, target_layer, from_label, to_label, owner = row
    if source_layer != target_layer:
        raise AnnotatorError("a relation links two spans of the same layer")
    relation_type = next((r for r in read_relation_types(session) if r.key == key), None)
    if relation_type is None:
        raise AnnotatorError(f"the scheme has no relation type {key!r}")
    refusal = relation_type.refusal(from_label, to_label)
    if refusal:
        raise AnnotatorError(refusal)
    check_can_write(session, owner, actor)
    type_id = session.scalar(select(RelationDefinition.id).where(RelationDefinition.key == key))
    exists = session.scalar(select(Relation.id).where(
        Relation.source_span_id == source_span_id, Relation.target_span_id == target_span_id,
        Relation.type_id == type_id))
    if exists is not None:
        raise AnnotatorError(f"these two spans are already linked by {key!r}")
    relation = Relation(layer_id=source_layer, source_span_id=source_span_id, target_span_id=target_span_id,
                        type_id=type_id)
    session.add(relation)
    layer = session.get(Layer, source_layer)
    if layer is not None:
        layer.updated = utcnow()
    session.flush()
    return RelationView(relation.id, source_span_id, target_span_id, key)


def delete_relation(session: Session, relation_id: int, *, actor: str | None = None) -> RelationView:
    """Remove one relation; returns what it was (for undo)."""
    row = session.execute(
        select(Relation.source_span_id, Relation.target_span_id, RelationDefinition.key, Annotator.name,
               Relation.layer_id)
        .join(RelationDefinition, Relation.type_id == RelationDefinition.id)
        .join(Layer, Layer.id == Relation.layer_id)
        .join(Annotator, Annotator.id == Layer.annotator_id)
        .where(Relation.id == relation_id)
    ).first()
    if row is None:
        raise AnnotatorError(f"relation {relation_id} no longer exists")
    source_span_id, target_span_id, key, owner, layer_id = row
    check_can_write(session, owner, actor)
    session.execute(delete(Relation).where(Relation.id == relation_id))
    layer = session.get(Layer, layer_id)
    if layer is not None:
        layer.updated = utcnow()
    session.flush()
    return RelationView(relation_id, source_span_id, target_span_id, key)
