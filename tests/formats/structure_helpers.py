"""A scheme and a document with every kind of document field, typed attributes and relations, and a way to
compare layers by what they say (spans by offsets and label, relations by their spans) rather than by
list positions, which each format orders its own way."""

from __future__ import annotations

import json
from typing import Any

from annotator.core.formats._shared import make_document
from annotator.core.model import AnnotatedDocument, LayerRecord, RelationRecord, SpanRecord
from annotator.core.scheme import default_scheme
from annotator.core.scheme_parts import AttributeDef, FieldDef, RelationType


def rich_scheme():
    """The default scheme plus a field of every kind, a yes/no and a text attribute, an undirected type."""
    scheme = default_scheme()
    scheme.fields += [
        FieldDef("flagged", "Flagged", "bool", order=2),
        FieldDef("topics", "Topics", "multi", ["wages", "hours", "safety"], order=3),
        FieldDef("workers", "Workers", "number", order=4),
        FieldDef("reported", "Reported", "date", order=5),
        FieldDef("summary", "Summary", "text", order=6),
    ]
    injury = scheme.get("injury")
    assert injury is not None
    injury.attributes += [AttributeDef("treated", "bool"), AttributeDef("body_part", "text"),
                          AttributeDef("gear", "multi", ["gloves", "mask", "helmet"])]
    scheme.relations.append(RelationType("same_event", "Same event", "#999999", [], [], False, 2))
    return scheme


RICH = rich_scheme()
TEXT = ("Welders worked 22-hour days at the yard. Two were burned when guards watched them. "
        "Wages of 300 USD a month were sent home, evading the UN sanctions.")
FIELDS: dict[str, Any] = {"relevance": "relevant", "source_type": "re-reporting", "flagged": False,
                          "topics": ["hours", "wages"], "workers": 2, "reported": "2026-05-01",
                          "summary": "Welders burned; wages sent home."}
CATEGORY_FIELDS = ("relevance", "source_type", "flagged", "topics")


def _span(phrase: str, label: str, attributes: dict[str, Any] | None = None, nth: int = 0) -> SpanRecord:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(phrase, start + 1)
    return SpanRecord(start, start + len(phrase), label, phrase, dict(attributes or {}))


def rich_layer(annotator: str | None = "analyst-a") -> LayerRecord:
    """Spans listed out of text order on purpose: relations point at list indexes, formats sort spans."""
    spans = [
        _span("were burned", "injury", {"severity": "serious", "treated": True, "body_part": "hands",
                                        "gear": ["gloves", "mask"]}),
        _span("22-hour days", "working_hours", {"hours_per_day": 22}),
        _span("guards watched them", "surveillance"),
        _span("300 USD a month", "remittance", {"amount": 300, "currency": "USD", "period": "month"}),
        _span("UN sanctions", "sanctions"),
        _span("Two were burned", "injury", {"severity": "minor", "treated": False}),
    ]
    relations = [RelationRecord(1, 0, "caused"), RelationRecord(2, 0, "caused"), RelationRecord(3, 4, "evades"),
                 RelationRecord(0, 5, "same_event")]
    return LayerRecord(annotator, "done", spans, doc_fields=dict(FIELDS), relations=sorted(relations))


def rich_doc(annotator: str | None = "analyst-a") -> AnnotatedDocument:
    return AnnotatedDocument(make_document(TEXT, "d-rich", {"title": "Yard"}), [rich_layer(annotator)])


def shape(layer: LayerRecord) -> dict[str, Any]:
    """What a layer says, independent of the order of its spans."""
    def key(span: SpanRecord) -> tuple[int, int, str]:
        return span.start, span.end, span.label

    return {
        "spans": sorted((*key(s), json.dumps(s.attributes, sort_keys=True), s.note) for s in layer.spans),
        "relations": sorted((key(layer.spans[r.source]), key(layer.spans[r.target]), r.label)
                            for r in layer.relations),
        "fields": layer.doc_fields,
    }


def expected(layer: LayerRecord, *, fields: tuple[str, ...] | None = None, attributes: bool = True,
             relations: bool = True, drop_false: bool = False, no_lists: bool = False) -> dict[str, Any]:
    """The shape a format that keeps only part of the layer gives back."""
    spans = []
    for span in layer.spans:
        attrs = {k: v for k, v in span.attributes.items() if attributes and not (drop_false and v is False)
                 and not (no_lists and isinstance(v, list))}
        spans.append(SpanRecord(span.start, span.end, span.label, span.text, attrs, span.note))
    kept = LayerRecord(layer.annotator, layer.status, spans,
                       doc_fields={k: v for k, v in layer.doc_fields.items() if fields is None or k in fields},
                       relations=list(layer.relations) if relations else [])
    return shape(kept)
