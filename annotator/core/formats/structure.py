"""Document fields, typed span attributes and relations as the foreign formats carry them.

Each foreign format has its own place for a document-level judgement (Label Studio's ``choices``,
doccano's ``cats``, Prodigy's ``accept``, spaCy's ``doc.cats``) and for a link between two spans, but
they share three problems, solved here once so every format answers them alike:

* **Categories.** doccano, Prodigy and spaCy hold a judgement as a set of category names. A field value
  becomes ``KEY:VALUE`` (``relevance:relevant``; a ``multi`` field one name per option; a ``bool``
  ``KEY:true``/``KEY:false``). Field keys cannot hold ``:`` (``core.scheme.LABEL_KEY_PATTERN``), so the
  first ``:`` always splits a name back into key and value, whatever the option holds.
* **Kinds.** A file that holds values as text (brat's attribute values, category names) gives ``"8"``
  where the scheme wants the number 8: :func:`typed_from_text` reads such text in the kind the scheme
  defines, and without a scheme keeps the file's shape (the store then refuses a wrong kind clearly).
* **Indexes.** Our relations point at spans by their index in ``LayerRecord.spans``; formats write spans
  sorted by (start, end, label) under their own ids. :func:`written_order` gives both directions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.model import LayerRecord, RelationRecord, SpanRecord
from annotator.core.scheme import LABEL_KEY_PATTERN, Scheme
from annotator.core.scheme_parts import FieldDef
from annotator.core.typed_values import kind_of_value, parse_text

CATEGORY_KINDS = ("choice", "multi", "bool")
"""Field kinds a set of category names can hold: the others (number, date, text) are not categories."""


def written_order(spans: Sequence[SpanRecord]) -> tuple[list[SpanRecord], dict[int, int]]:
    """The spans in the order formats write them (start, end, label; ties keep their order), and for each
    index into ``spans`` its position in that order."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i].start, spans[i].end, spans[i].label))
    return [spans[i] for i in order], {original: position for position, original in enumerate(order)}


def written_relations(layer: LayerRecord, position: dict[int, int]) -> list[tuple[int, int, str]]:
    """The layer's relations as (source position, target position, label) in written order, sorted."""
    return sorted((position[r.source], position[r.target], r.label) for r in layer.relations
                  if r.source in position and r.target in position)


def ordered_fields(layer: LayerRecord, scheme: Scheme) -> list[tuple[str, Any, FieldDef | None]]:
    """The layer's field values in scheme order, then keys the scheme does not define (sorted)."""
    known = [(d.key, layer.doc_fields[d.key], d) for d in sorted(scheme.fields, key=lambda d: d.order)
             if d.key in layer.doc_fields]
    defined = {d.key for d in scheme.fields}
    return known + [(k, layer.doc_fields[k], None) for k in sorted(layer.doc_fields) if k not in defined]


def value_kind(value: Any, definition: FieldDef | None) -> str:
    """The kind of a value: its definition's, else judged from its shape (a store always has one)."""
    return definition.kind if definition is not None else kind_of_value(value)


def category_values(kind: str, value: Any) -> list[str]:
    """A choice, multi or bool value as the values of its category names (``["relevant"]``, ``["true"]``)."""
    if kind == "bool":
        return ["true" if value else "false"]
    if kind == "multi":
        return [str(item) for item in value]
    return [str(value)]


def categories_of(layer: LayerRecord, scheme: Scheme, report_drop: Any = None) -> list[str]:
    """``KEY:VALUE`` names of the layer's choice, multi and bool fields; other kinds go to ``report_drop``
    (``WriteReport.drop``-like: ``(what, why, count)``) when given."""
    names: list[str] = []
    others = 0
    for key, value, definition in ordered_fields(layer, scheme):
        kind = value_kind(value, definition)
        if kind in CATEGORY_KINDS:
            names.extend(f"{key}:{item}" for item in category_values(kind, value))
        else:
            others += 1
    if others and report_drop is not None:
        report_drop("number, date and text field values", "categories hold only choice, multi and yes/no fields",
                    others)
    return names


def split_category(name: object) -> tuple[str, str] | None:
    """``("relevance", "relevant")`` from ``"relevance:relevant"``; None for a name that is not ours."""
    if not isinstance(name, str):
        return None
    key, sep, value = name.partition(":")
    if not sep or not value or not LABEL_KEY_PATTERN.match(key):
        return None
    return key, value


def fields_from_categories(pairs: Iterable[tuple[str, str]], scheme: Scheme | None) -> dict[str, Any]:
    """Field values from (key, value) category pairs, typed by the scheme's field kinds when known.

    Without a definition one value is a choice (``"true"``/``"false"`` a yes/no) and several are a multi;
    a value the definition refuses is kept as read, so the store names the field and the reason.
    """
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, [])
        if value not in grouped[key]:
            grouped[key].append(value)
    fields: dict[str, Any] = {}
    for key, values in grouped.items():
        definition = scheme.field_def(key) if scheme is not None else None
        kind = definition.kind if definition is not None else (
            "multi" if len(values) > 1 else "bool" if values[0] in ("true", "false") else "choice")
        if kind == "multi":
            fields[key] = sorted(values)
        elif kind == "bool" and len(values) == 1 and values[0] in ("true", "false"):
            fields[key] = values[0] == "true"
        else:
            fields[key] = values[0] if len(values) == 1 else values
    return fields


def typed_from_text(scheme: Scheme | None, label: str, key: str, text: str) -> Any:
    """A span attribute value that a file holds as text, in the kind the scheme defines for it.

    A free attribute (no definition) and a text the kind refuses stay text: the store reports the
    latter with the attribute's name, where a reader could only guess.
    """
    definition = None
    if scheme is not None:
        owner = scheme.get(label)
        definition = owner.attribute(key) if owner is not None else None
    if definition is None or definition.kind == "text":
        return text
    try:
        value = parse_text(definition.kind, definition.options, text)
    except AnnotatorError:
        return text
    return text if value is None else value


def drop_fields_and_relations(report: Any, layer: LayerRecord, format_name: str) -> None:
    """Count what a format without document-level annotations or links (W3C, CoNLL, CSV) leaves out."""
    report.drop("document fields", f"{format_name} has no document-level annotations", len(layer.doc_fields))
    report.drop("relations", f"{format_name} has no links between spans", len(layer.relations))


def relation_records(links: Iterable[tuple[int, int, str]]) -> list[RelationRecord]:
    """Relations read from a file, without repeats, in the order native JSONL writes them."""
    return sorted({RelationRecord(source, target, label) for source, target, label in links if source != target})
