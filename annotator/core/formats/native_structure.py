"""Native JSONL's layer structure (docs/architecture.md §4): ``doc_fields`` and ``relations`` on a record.

Why a module of its own: these two optional keys have rules the span reader does not share — relations
point at spans by their index in the record's ``spans`` list, so the writer re-points them when it sorts
the spans, and the reader refuses an index outside the list or a span linked to itself with one line
naming the record. Whether a field key, a value's kind or a relation type fits the scheme is the
importer's question (``store.import_structure``): the reader does not know the scheme.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.formats.base import ReadContext
from annotator.core.model import LayerRecord, RelationRecord, SpanRecord, relation_problem
from annotator.core.scheme import short_repr


def spans_and_relations(layer: LayerRecord, span_order: Callable[[SpanRecord], Any]) -> tuple[list[SpanRecord], list[dict[str, Any]]]:
    """The layer's spans in file order and its relations re-pointed at that order, sorted as §4 wants.

    ``layer.relations`` index ``layer.spans`` as given; the file lists spans by (start, end, label), so
    each index is mapped to the span's place in the written list.
    """
    order = sorted(range(len(layer.spans)), key=lambda i: span_order(layer.spans[i]))
    place = {old: new for new, old in enumerate(order)}
    moved = sorted({(place[r.source], place[r.target], r.label) for r in layer.relations})
    return [layer.spans[i] for i in order], [{"from": i, "to": j, "label": label} for i, j, label in moved]



_FIELD_VALUE_TYPES = (str, int, float, bool)


def parse_doc_fields(raw: Any, ctx: ReadContext, line: int) -> dict[str, Any] | AnnotatorError:
    """The layer's ``doc_fields``: field key → a value (kinds are checked against the scheme on import)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        return ctx.error("'doc_fields' must be an object (field key → value)", line)
    fields: dict[str, Any] = {}
    for key, value in raw.items():
        if not key:
            return ctx.error("'doc_fields' has an empty field key", line)
        if value is None:
            continue  # no judgement: the same as an absent key
        plain = isinstance(value, _FIELD_VALUE_TYPES) or (
            isinstance(value, list) and all(isinstance(item, str) for item in value))
        if not plain:
            return ctx.error(f"document field {short_repr(key)}: a value is a string, number, true/false or a list of "
                             f"strings, not {type(value).__name__ if not isinstance(value, list) else 'that list'}",
                             line)
        fields[key] = value
    return fields


def parse_relations(raw: Any, span_count: int, ctx: ReadContext, line: int) -> list[RelationRecord] | AnnotatorError:
    """The layer's ``relations``: ``{"from": i, "to": j, "label": KEY}`` with indexes into its ``spans``."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        return ctx.error("'relations' must be a list", line)
    relations: list[RelationRecord] = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            return ctx.error(f"relation #{n} is not an object", line)
        label, source, target = item.get("label"), item.get("from"), item.get("to")
        if not isinstance(label, str) or not label:
            return ctx.error(f"relation #{n} has no label", line)
        if type(source) is not int or type(target) is not int:
            return ctx.error(f"relation #{n} ({short_repr(label)}): 'from' and 'to' must be span indexes (0, 1, …)",
                             line)
        relations.append(RelationRecord(source, target, label))
    problem = relation_problem(relations, span_count)
    if problem is not None:
        return ctx.error(problem, line)
    return relations
