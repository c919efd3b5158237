"""The stored scheme beyond labels: attribute definitions, document fields and relation types.

Why a module of its own: ``repository.scheme`` (add and update) and ``store.scheme_admin`` (replace,
with removals) both store these parts, and must agree on how a part is read back and when one may be
removed: a field or relation type that layers use is refused like a label that spans use, so replacing
a scheme never silently deletes analysts' judgements.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from annotator.core.errors import AnnotatorError
from annotator.core.scheme import Scheme
from annotator.core.scheme_parts import AttributeDef, FieldDef, RelationType
from annotator.store.models import FieldDefinition, LayerField, Relation, RelationDefinition


def attribute_defs_from_json(raw: object) -> list[AttributeDef]:
    """A label row's stored definitions (written by :func:`attribute_defs_to_json`; tolerant of old rows)."""
    if not isinstance(raw, list):
        return []
    return [
        AttributeDef(str(item["key"]), str(item.get("kind", "text")), list(item.get("options") or []),
                     bool(item.get("required", False)))
        for item in raw
        if isinstance(item, dict) and isinstance(item.get("key"), str)
    ]


def attribute_defs_to_json(definitions: list[AttributeDef]) -> list[dict[str, Any]]:
    return [definition.to_json() for definition in definitions]


def read_fields(session: Session) -> list[FieldDef]:
    rows = session.scalars(select(FieldDefinition).order_by(FieldDefinition.order, FieldDefinition.id))
    return [FieldDef(r.key, r.name, r.kind, list(r.options or []), r.guideline, r.shortcut, r.order) for r in rows]


def read_relation_types(session: Session) -> list[RelationType]:
    rows = session.scalars(select(RelationDefinition).order_by(RelationDefinition.order, RelationDefinition.id))
    return [
        RelationType(r.key, r.name, r.color, list(r.sources or []), list(r.targets or []), bool(r.directed), r.order)
        for r in rows
    ]


def write_extras(session: Session, scheme: Scheme, *, remove_missing: bool) -> None:
    """Create or update the scheme's fields and relation types; with ``remove_missing``, drop the others.

    A field with stored values or a relation type with stored relations is never dropped: the whole
    write is refused with the counts, before anything changes.
    """
    fields = {row.key: row for row in session.scalars(select(FieldDefinition))}
    types = {row.key: row for row in session.scalars(select(RelationDefinition))}
    if remove_missing:
        _refuse_removing_used(session, scheme, fields, types)
        gone_fields = [key for key in fields if scheme.field_def(key) is None]
        gone_types = [key for key in types if scheme.relation_type(key) is None]
        if gone_fields:
            session.execute(delete(FieldDefinition).where(FieldDefinition.key.in_(gone_fields)))
        if gone_types:
            session.execute(delete(RelationDefinition).where(RelationDefinition.key.in_(gone_types)))
    for definition in scheme.fields:
        row = fields.get(definition.key)
        if row is None:
            row = FieldDefinition(key=definition.key)
            session.add(row)
        row.name, row.kind, row.options = definition.name.strip(), definition.kind, list(definition.options)
        row.guideline, row.shortcut, row.order = definition.guideline, definition.shortcut.strip(), definition.order
    for relation in scheme.relations:
        type_row = types.get(relation.key)
        if type_row is None:
            type_row = RelationDefinition(key=relation.key)
            session.add(type_row)
        type_row.name, type_row.color = relation.name.strip(), relation.color.upper()
        type_row.sources, type_row.targets = list(relation.sources), list(relation.targets)
        type_row.directed, type_row.order = relation.directed, relation.order
    session.flush()


def _refuse_removing_used(session: Session, scheme: Scheme, fields: dict[str, FieldDefinition],
                          types: dict[str, RelationDefinition]) -> None:
    field_use = dict(session.execute(
        select(FieldDefinition.key, func.count(LayerField.id))
        .join(LayerField, LayerField.field_id == FieldDefinition.id).group_by(FieldDefinition.key)).all())
    type_use = dict(session.execute(
        select(RelationDefinition.key, func.count(Relation.id))
        .join(Relation, Relation.type_id == RelationDefinition.id).group_by(RelationDefinition.key)).all())
    used_fields = sorted(key for key in field_use if key in fields and scheme.field_def(key) is None)
    used_types = sorted(key for key in type_use if key in types and scheme.relation_type(key) is None)
    if used_fields:
        names = ", ".join(f"{key} ({field_use[key]} values)" for key in used_fields)
        raise AnnotatorError(f"fields in use cannot be removed or renamed: {names}")
    if used_types:
        names = ", ".join(f"{key} ({type_use[key]} relations)" for key in used_types)
        raise AnnotatorError(f"relation types in use cannot be removed or renamed: {names}")
