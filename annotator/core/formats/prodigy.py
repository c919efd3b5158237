"""Prodigy JSONL: tasks with ``tokens`` and ``spans`` (``token_end`` inclusive), offsets in code points.

Export writes one task per (document, layer) with tokens from :mod:`annotator.core.tokenize`, so it can
be loaded by ``ner.manual``-style recipes or used for training. A span whose ends are not token
boundaries keeps its character offsets but gets no token indices, and is reported. Import reads Prodigy
annotations (``answer`` accept only; reject/ignore tasks are skipped with a notice) and checks each span
against its ``text`` quote when present and against its tokens when present.

Relations are written as Prodigy's ``rel.manual`` writes them: ``head``/``child`` token indexes (a span's
``token_end``) with ``head_span``/``child_span`` and ``label``; reading matches those spans to the task's.
Document fields of kind choice, multi and yes/no are the choice interface's ``options`` and ``accept``
(option ids ``KEY:VALUE``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.core.anchoring import anchor_span
from annotator.core.errors import AnnotatorError
from annotator.core.formats._shared import OffsetUnits, clean_meta, first_json_object, make_document, short
from annotator.core.formats.base import Format, ReadContext, WriteReport, register
from annotator.core.formats.structure import (
    CATEGORY_KINDS,
    categories_of,
    category_values,
    fields_from_categories,
    ordered_fields,
    relation_records,
    split_category,
    value_kind,
    written_order,
    written_relations,
)
from annotator.core.model import (
    LAYER_STATUSES,
    STATUS_DONE,
    AnnotatedDocument,
    LayerRecord,
    RelationRecord,
    SpanRecord,
)
from annotator.core.scheme import Scheme
from annotator.core.tokenize import tokenize

PRODIGY_KEYS = ("tokens", "_input_hash", "_task_hash", "answer", "_view_id", "_session_id")


def task_for(item: AnnotatedDocument, layer: LayerRecord | None, report: WriteReport,
             scheme: Scheme | None = None) -> dict[str, Any]:
    """One Prodigy task for a document and one of its layers (or none)."""
    doc = item.document
    text = doc.text
    tokens = tokenize(text)
    by_start = {tok.start: i for i, tok in enumerate(tokens)}
    by_end = {tok.end: i for i, tok in enumerate(tokens)}
    spans = []
    if layer is not None:
        for span in written_order(layer.spans)[0]:
            entry: dict[str, Any] = {"start": span.start, "end": span.end, "label": span.label,
                                     "text": text[span.start : span.end]}
            ts, te = by_start.get(span.start), by_end.get(span.end)
            if ts is not None and te is not None:
                entry["token_start"] = ts
                entry["token_end"] = te
            else:
                report.problems.append(
                    f"{doc.doc_id} ({layer.annotator}): span {span.start}-{span.end} {span.label} "
                    f"{short(text[span.start:span.end])!r} is not on token boundaries; written without token indices"
                )
            if span.note:
                entry["note"] = span.note
            if span.attributes:
                entry["attributes"] = span.attributes
            spans.append(entry)
    meta = {"doc_id": doc.doc_id}
    meta.update({k: v for k, v in sorted(doc.meta.items()) if v not in (None, "")})
    task: dict[str, Any] = {
        "text": text,
        "meta": meta,
        "tokens": [{"text": t.text, "start": t.start, "end": t.end, "id": i, "ws": t.ws} for i, t in enumerate(tokens)],
        "spans": spans,
    }
    if layer is not None:
        _add_structure(task, layer, scheme if scheme is not None else Scheme(), report)
    if layer is not None:  # no answer: a task nobody has annotated yet, as Prodigy's own input files are
        task["answer"] = "accept"
    if layer is not None and layer.annotator:
        task["_annotator_id"] = layer.annotator
    if layer is not None:
        task["_status"] = layer.status
    return task


def _add_structure(task: dict[str, Any], layer: LayerRecord, scheme: Scheme, report: WriteReport) -> None:
    """``relations`` as Prodigy's ``rel.manual`` writes them, and ``options``/``accept`` for the fields.

    A relation's ``head``/``child`` are the token indexes Prodigy uses for a span (its ``token_end``), with
    the spans themselves as ``head_span``/``child_span``; the options are every option of each choice,
    multi and yes/no field the layer answered, named ``KEY:VALUE`` (``structure``), ``accept`` the chosen.
    """
    spans = task["spans"]
    _, position = written_order(layer.spans)
    relations = []
    for source, target, label in written_relations(layer, position):
        head, child = spans[source], spans[target]
        entry: dict[str, Any] = {}
        if "token_end" in head and "token_end" in child:
            entry.update(head=head["token_end"], child=child["token_end"])
        entry.update(head_span=_span_ref(head), child_span=_span_ref(child), label=label)
        relations.append(entry)
    if relations:
        task["relations"] = relations
    accept = categories_of(layer, scheme, report.drop)
    if not accept:
        return
    options: list[dict[str, str]] = []
    for key, value, definition in ordered_fields(layer, scheme):
        kind = value_kind(value, definition)
        if kind not in CATEGORY_KINDS:
            continue
        choices = ["true", "false"] if kind == "bool" else list(definition.options) if definition else \
            category_values(kind, value)
        name = definition.name if definition is not None else key
        options += [{"id": f"{key}:{choice}", "text": f"{name}: {choice}"} for choice in choices]
    task["options"] = options
    task["accept"] = accept


def _span_ref(span: dict[str, Any]) -> dict[str, Any]:
    return {key: span[key] for key in ("start", "end", "token_start", "token_end", "label") if key in span}


def _read_structure(obj: dict[str, Any], raw_spans: list[Any], spans: list[SpanRecord], ctx: ReadContext,
                    line: int) -> tuple[dict[str, Any], list[RelationRecord]] | AnnotatorError:
    """Fields from ``accept`` (option ids ``KEY:VALUE``) and relations matched to the task's spans."""
    accept = obj.get("accept") or []
    if not isinstance(accept, list):
        return ctx.error("'accept' must be a list of option ids", line)
    pairs = [split_category(choice) for choice in accept]
    if any(pair is None for pair in pairs):
        ctx.notice("accepted options that are not 'FIELD:VALUE' ids of a document field are ignored", line)
    fields = fields_from_categories([pair for pair in pairs if pair is not None], ctx.scheme)
    raw_relations = obj.get("relations") or []
    if not isinstance(raw_relations, list):
        return ctx.error("'relations' must be a list", line)
    # a span is found by its offsets as the file gives them, or as read (converted from another unit)
    by_offsets = {key: i for i, raw in enumerate(raw_spans) if (key := _span_key(raw)) is not None}
    by_offsets.update({(s.start, s.end, s.label): i for i, s in enumerate(spans)})
    links: list[tuple[int, int, str]] = []
    for n, rel in enumerate(raw_relations, start=1):
        if not isinstance(rel, dict) or not isinstance(rel.get("label"), str) or not rel["label"]:
            return ctx.error(f"relation #{n} needs a 'label'", line)
        head, child = (by_offsets.get(key) if (key := _span_key(rel.get(end))) is not None else None
                       for end in ("head_span", "child_span"))
        if head is None or child is None:
            ctx.notice(f"relation #{n} ({rel['label']}) links tokens that are not among the task's spans; ignored", line)
            continue
        links.append((head, child, rel["label"]))
    return fields, relation_records(links)


def _span_key(raw: Any) -> tuple[int, int, str] | None:
    """(start, end, label) of a span object from a file, or None when it has no such three."""
    if not isinstance(raw, dict):
        return None
    start, end, label = raw.get("start"), raw.get("end"), raw.get("label")
    if type(start) is not int or type(end) is not int or not isinstance(label, str):
        return None
    return start, end, label


def _parse_span(raw: Any, n: int, units: OffsetUnits, tokens: list[Any] | None, ctx: ReadContext,
                line: int) -> SpanRecord | AnnotatorError:
    text = units.text
    if not isinstance(raw, dict):
        return ctx.error(f"span #{n} is not an object", line)
    label = raw.get("label")
    if not isinstance(label, str) or not label:
        return ctx.error(f"span #{n} has no label", line)
    start, end = raw.get("start"), raw.get("end")
    ts, te = raw.get("token_start"), raw.get("token_end")
    if tokens is not None and isinstance(ts, int) and isinstance(te, int):
        if not (0 <= ts <= te < len(tokens)):
            return ctx.error(f"span #{n} ({label}): token_start/token_end {ts}-{te} outside the {len(tokens)} tokens", line)
        tok_start, tok_end = tokens[ts].get("start"), tokens[te].get("end")
        if start is None and end is None:
            start, end = tok_start, tok_end
        elif (start, end) != (tok_start, tok_end):
            return ctx.error(
                f"span #{n} ({label}): offsets {start}-{end} disagree with tokens {ts}-{te} "
                f"({tok_start}-{tok_end}; token_end is inclusive)", line)
    quote = raw.get("text")
    if quote is not None and not isinstance(quote, str):
        return ctx.error(f"span #{n} 'text' must be a string", line)
    quote = None if quote is None else quote.replace("\r\n", "\n").replace("\r", "\n")
    placed = units.by_quote(start, end, quote) if quote is not None else None
    if placed is not None:
        unit, s, e = placed
        if (s, e) != (start, end):
            ctx.notice(f"span #{n} ({label}) offsets {start}-{end} were in {unit}; now {s}-{e}", line)
    else:
        anchor = anchor_span(text, start, end, quote)
        if anchor is None:
            if quote is None:
                return ctx.error(f"span #{n} ({label}): offsets {start!r}-{end!r} are not a span of the text", line)
            return ctx.error(f"span #{n} ({label}): quote {short(quote)!r} does not occur in the text", line)
        if anchor.moved:
            ctx.notice(f"span #{n} ({label}) re-anchored from {start}-{end} to {anchor.start}-{anchor.end} by its quote", line)
        s, e = anchor.start, anchor.end
    attributes = raw.get("attributes") or {}
    note = raw.get("note")
    if not isinstance(attributes, dict):
        return ctx.error(f"span #{n} 'attributes' must be an object", line)
    if note is not None and not isinstance(note, str):
        return ctx.error(f"span #{n} 'note' must be a string", line)
    return SpanRecord(start=s, end=e, label=label, text=text[s:e], attributes=attributes, note=note)


def parse_task(obj: Any, ctx: ReadContext, line: int) -> AnnotatedDocument | AnnotatorError | None:
    """One Prodigy task as a document with one layer; ``None`` for tasks skipped on purpose."""
    if not isinstance(obj, dict):
        return ctx.error("a task must be a JSON object", line)
    raw_text = obj.get("text")
    if not isinstance(raw_text, str) or not raw_text.strip():
        return ctx.error("task has no 'text' string", line)
    if "\x00" in raw_text:
        return ctx.error("task text contains a NUL character", line)
    answer = obj.get("answer", "accept")
    if answer != "accept":
        ctx.notice(f"task skipped: its answer is {answer!r}, not 'accept'", line)
        return None
    meta = clean_meta(obj.get("meta"))
    doc_id = meta.pop("doc_id", None) or obj.get("doc_id")
    doc = make_document(raw_text, doc_id, meta)
    tokens = obj.get("tokens")
    if tokens is not None and (not isinstance(tokens, list) or not all(isinstance(t, dict) for t in tokens)):
        return ctx.error("'tokens' must be a list of objects", line)
    raw_spans = obj.get("spans") or []
    if not isinstance(raw_spans, list):
        return ctx.error("'spans' must be a list", line)
    units = OffsetUnits(raw_text)
    spans: list[SpanRecord] = []
    for n, raw in enumerate(raw_spans, start=1):
        span = _parse_span(raw, n, units, tokens, ctx, line)
        if isinstance(span, AnnotatorError):
            return span
        spans.append(span)
    annotator = obj.get("_annotator_id", obj.get("annotator"))
    if annotator is not None and not isinstance(annotator, str):
        return ctx.error("'_annotator_id' must be a string", line)
    if not spans and annotator is None and "answer" not in obj:
        return AnnotatedDocument(doc, [], line=line)  # an unannotated task: the document only
    status = obj.get("_status", STATUS_DONE)
    if status not in LAYER_STATUSES:
        status = STATUS_DONE
    structure = _read_structure(obj, raw_spans, spans, ctx, line)
    if isinstance(structure, AnnotatorError):
        return structure
    layer = LayerRecord(annotator=annotator or None, status=status, spans=spans, doc_fields=structure[0],
                        relations=structure[1])
    return AnnotatedDocument(doc, [layer], line=line)


class Prodigy(Format):
    name = "prodigy"
    description = "Prodigy JSONL tasks with tokens and spans (token_end inclusive)"
    extensions = (".jsonl",)
    can_read = True
    can_write = True
    sniff_priority = 20

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() not in (".jsonl", ".ndjson"):
            return False
        obj = first_json_object(head, path)
        if obj is not None:
            return any(key in obj for key in PRODIGY_KEYS) and "text_sha256" not in obj
        sample = head[:65536]
        return b'"_input_hash"' in sample or b'"_task_hash"' in sample or b'"token_start"' in sample

    def read(self, path: Path, ctx: ReadContext) -> Iterator[AnnotatedDocument | AnnotatorError]:
        from annotator.core.formats.native_jsonl import iter_json_lines, iter_text_lines

        # Streamed line by line with the line size limit, like native JSONL: a 300 MB line is refused
        # without being held in memory.
        for item in iter_json_lines(iter_text_lines(path), ctx):
            if isinstance(item, AnnotatorError):
                yield item
                continue
            number, obj = item
            try:
                result = parse_task(obj, ctx, number)
            except AnnotatorError as exc:
                result = exc.at(path=ctx.path, line=number)
            if result is not None:
                yield result

    def write(self, docs: Iterable[AnnotatedDocument], out: Path, scheme: Scheme) -> WriteReport:
        report = WriteReport()
        with open(out, "w", encoding="utf-8", newline="\n") as stream:
            for item in docs:
                layers: list[LayerRecord | None] = list(item.layers) or [None]
                for layer in layers:
                    stream.write(json.dumps(task_for(item, layer, report, scheme), ensure_ascii=False) + "\n")
                    report.spans += len(layer.spans) if layer is not None else 0
                report.documents += 1
        return report


register(Prodigy())
