"""Document fields, typed attributes and relations of imported layers: checked against the scheme, then stored.

Why a module of its own: spans are checked label by label, but fields, typed attributes and relations
are checked against definitions (a field's kind, a label's attribute kinds, which labels a relation type
may link), and relations point at spans by their index in the record, which only become span ids once
the spans are stored — including a span the import skipped because the layer already held it. The
importer (``store.importing``) calls :meth:`ImportStructure.check` on each record before anything of it is
stored, and :meth:`ImportStructure.store` after each batch's spans; a refusal is one line naming the
field, attribute or relation, and the file's transaction keeps nothing.

With ``--add-labels`` an unknown field is added with a kind inferred from its first value (true/false →
``bool``, a number → ``number``, a list → ``multi`` with the options seen, a string → ``text``, which the
summary points out since a choice cannot be told from free text), and an unknown relation type is added
allowing any labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from annotator.core.errors import AnnotatorError
from annotator.core.model import LayerRecord
from annotator.core.scheme import OKABE_ITO, check_label_key, short_repr
from annotator.core.scheme_parts import FieldDef, RelationType
from annotator.core.text import surrogate_problem
from annotator.core.typed_values import kind_of_value
from annotator.store import repository as repo
from annotator.store.models import FieldDefinition, LayerField, Relation, RelationDefinition, utcnow

KEY_RULE = "a key is a letter, then up to 63 letters, digits, '_', '.' or '-'"


@dataclass
class StructureAdded:
    """Scheme parts an import added (``--add-labels``), for the summary line."""

    fields: list[str] = field(default_factory=list)
    text_fields: list[str] = field(default_factory=list)
    """Fields added as ``text`` because their values were strings (perhaps a choice: say so)."""
    relation_types: list[str] = field(default_factory=list)


class ImportStructure:
    """The stored scheme's fields, attribute definitions and relation types, as one import checks them."""

    def __init__(self, session: Session, *, add_labels: bool, added: StructureAdded) -> None:
        self.session = session
        self.add_labels = add_labels
        self.added = added
        scheme = repo.get_scheme(session)
        self.fields: dict[str, FieldDef] = {definition.key: definition for definition in scheme.fields}
        self.relation_types: dict[str, RelationType] = {r.key: r for r in scheme.relations}
        self.attributes = {label.key: label for label in scheme.labels if label.attributes}
        self.field_ids: dict[str, int] = dict(session.execute(select(FieldDefinition.key, FieldDefinition.id)).all())
        self.type_ids: dict[str, int] = dict(
            session.execute(select(RelationDefinition.key, RelationDefinition.id)).all())
        self.grown_multi: set[str] = set()
        """``multi`` fields this import added: later values may bring options not seen yet."""

    # ---- checking --------------------------------------------------------------------------------

    def check(self, layer: LayerRecord) -> str | None:
        """Why the layer's typed attributes, fields or relations do not fit the scheme, or None.

        Values are put in their canonical shape (a ``multi`` list sorted) in place, so what is stored
        is what an export writes back.
        """
        problem = (surrogate_problem(layer.doc_fields, "a document field")
                   or surrogate_problem([relation.label for relation in layer.relations], "a relation type"))
        if problem is not None:
            return problem
        for n, span in enumerate(layer.spans, start=1):
            label = self.attributes.get(span.label) if span.attributes else None
            if label is None:
                continue
            for key, value in span.attributes.items():
                attribute = label.attribute(key)
                if attribute is None or value is None:
                    continue  # a free attribute, or an attribute without a value
                try:
                    span.attributes[key] = attribute.check(value)
                except AnnotatorError as exc:
                    return f"span #{n} ({span.label}): {exc.reason}"
        for key, value in layer.doc_fields.items():
            definition = self.fields.get(key)
            if definition is None:
                if not self.add_labels:
                    return f"unknown document field {short_repr(key)} (not in the scheme; use --add-labels to add it)"
                problem = self._add_field(key, value)
                if problem is not None:
                    return problem
                definition = self.fields[key]
            elif key in self.grown_multi and isinstance(value, list):
                self._grow_options(definition, value)
            try:
                layer.doc_fields[key] = definition.check(value)
            except AnnotatorError as exc:
                return f"document {exc.reason}"
        for relation in layer.relations:
            relation_type = self.relation_types.get(relation.label)
            if relation_type is None:
                if not self.add_labels:
                    return (f"unknown relation type {short_repr(relation.label)} (not in the scheme; "
                            "use --add-labels to add it)")
                problem = self._add_relation_type(relation.label)
                if problem is not None:
                    return problem
                relation_type = self.relation_types[relation.label]
            refusal = relation_type.refusal(layer.spans[relation.source].label, layer.spans[relation.target].label)
            if refusal is not None:
                return f"{refusal}: span #{relation.source} to span #{relation.target}"
        return None

    def _add_field(self, key: str, value: Any) -> str | None:
        try:
            check_label_key(key)
        except AnnotatorError:
            return f"document field {short_repr(key)} cannot be added: {KEY_RULE}"
        kind = kind_of_value(value)
        options = sorted(set(value)) if kind == "multi" else []
        definition = FieldDef(key, key, kind, options, order=len(self.fields))
        row = FieldDefinition(key=key, name=key, kind=kind, options=list(options), guideline="", shortcut="",
                              order=definition.order)
        self.session.add(row)
        self.session.flush()
        self.fields[key], self.field_ids[key] = definition, row.id
        self.added.fields.append(key)
        if kind == "text":
            self.added.text_fields.append(key)
        if kind == "multi":
            self.grown_multi.add(key)
        return None

    def _grow_options(self, definition: FieldDef, value: list[Any]) -> None:
        new = [item for item in value if isinstance(item, str) and item not in definition.options]
        if not new:
            return
        definition.options = sorted({*definition.options, *new})
        self.session.execute(update(FieldDefinition).where(FieldDefinition.key == definition.key)
                             .values(options=list(definition.options)))

    def _add_relation_type(self, key: str) -> str | None:
        try:
            check_label_key(key)
        except AnnotatorError:
            return f"relation type {short_repr(key)} cannot be added: {KEY_RULE}"
        order = len(self.relation_types)
        colour = OKABE_ITO[(order + 5) % len(OKABE_ITO)]
        row = RelationDefinition(key=key, name=key, color=colour, sources=[], targets=[], directed=True, order=order)
        self.session.add(row)
        self.session.flush()
        self.relation_types[key] = RelationType(key, key, colour, [], [], True, order)
        self.type_ids[key] = row.id
        self.added.relation_types.append(key)
        return None

    # ---- storing ---------------------------------------------------------------------------------

    def store(self, placed: list[tuple[int, LayerRecord, list[int]]], reused: set[int]) -> None:
        """Store fields and relations of a batch's layers: (layer id, record, span id of each index).

        ``reused`` are layers that existed before this batch: only those can already hold the same
        field values or relations (a re-import), which are then left as they are.
        """
        now = utcnow()
        looked_up = sorted({layer_id for layer_id, _, _ in placed if layer_id in reused})
        stored_fields: dict[tuple[int, int], tuple[int, Any]] = {}
        stored_relations: set[tuple[int, int, int]] = set()
        if looked_up:
            stored_fields = {
                (layer_id, field_id): (row_id, value)
                for row_id, layer_id, field_id, value in self.session.execute(
                    select(LayerField.id, LayerField.layer_id, LayerField.field_id, LayerField.value)
                    .where(LayerField.layer_id.in_(looked_up)))
            }
            if any(record.relations for _, record, _ in placed):
                stored_relations = {(source, target, type_id) for source, target, type_id in self.session.execute(
                    select(Relation.source_span_id, Relation.target_span_id, Relation.type_id)
                    .where(Relation.layer_id.in_(looked_up)))}
        field_rows: dict[tuple[int, int], dict[str, Any]] = {}
        relation_rows: list[dict[str, Any]] = []
        for layer_id, record, span_ids in placed:
            for key, value in record.doc_fields.items():
                field_id = self.field_ids[key]
                known = stored_fields.get((layer_id, field_id))
                if known is None:
                    field_rows[(layer_id, field_id)] = {"layer_id": layer_id, "field_id": field_id, "value": value,
                                                        "updated": now}
                elif known[1] != value:  # the file's judgement replaces the stored one
                    self.session.execute(update(LayerField).where(LayerField.id == known[0])
                                         .values(value=value, updated=now))
                    stored_fields[(layer_id, field_id)] = (known[0], value)
            for relation in record.relations:
                ends = (span_ids[relation.source], span_ids[relation.target], self.type_ids[relation.label])
                if ends in stored_relations:
                    continue
                stored_relations.add(ends)
                relation_rows.append({"layer_id": layer_id, "source_span_id": ends[0], "target_span_id": ends[1],
                                      "type_id": ends[2], "created": now})
        if field_rows:
            self.session.execute(insert(LayerField), list(field_rows.values()))
        if relation_rows:
            self.session.execute(insert(Relation), relation_rows)
