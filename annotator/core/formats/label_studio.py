"""Label Studio JSON tasks, and the labelling config for a scheme.

Checked against a running Label Studio 1.23.2 on 2026-11-24 (``bench/interop_label_studio.py``; spans
selected in its editor in headless Chromium). What it really does, and what follows here:

* Its editor stores ``value.start``/``end`` in *code points* of the task text exactly as imported, so
  after an emoji they are not UTF-16 indices; but each ``\r`` and each ``\n`` counts one (``\r\n`` is
  drawn as two line breaks). Older front-ends stored UTF-16 indices (Label Studio issue #1347), so the
  reader still tries every unit and keeps the one whose offsets reproduce ``value.text``.
* Its ``value.text`` is the browser's selection text with every line break written as the two
  characters backslash and ``n`` (one per ``\r`` and per ``\n``). The reader compares quotes with line
  breaks made equal, so a span across lines is not refused.
* On import it drops the annotation-level keys it does not know (our ``annotator`` and ``status``) and
  sets ``completed_by`` to the importing user, but keeps extra keys inside each result. So the writer
  also names the annotator in every result, and the reader takes the name from there when the
  annotation itself has none. Layer status does not survive Label Studio.
* Its JSON export lists ``predictions`` by id only (``"predictions": [7]``); the reader skips those and
  says so. An export snapshot asked for full predictions has them, with our ``model_version``.

One task per document; each layer is an ``annotations`` entry; optionally one layer is written as
``predictions`` (e.g. the gold layer as pre-annotations). Relations are ``relation`` results between
region ids (``direction`` ``right``, ``bi`` for an undirected type; ``left`` is read reversed); document
fields are task-level ``choices``/``number``/``datetime``/``textarea`` results named by the field key;
span attributes are per-region results sharing the span's region id, named ``LABEL:KEY``
(``label_studio_config`` writes the matching interface).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.core.anchoring import anchor_span
from annotator.core.errors import AnnotatorError
from annotator.core.formats._shared import (
    CODE_POINTS,
    OffsetUnits,
    clean_meta,
    iter_json_array,
    make_document,
    short,
)
from annotator.core.formats.base import Format, ReadContext, WriteReport, register
from annotator.core.formats.label_studio_config import (
    FROM_NAME,
    TO_NAME,
    attribute_name,
    labeling_config,  # noqa: F401  (its public home)
)
from annotator.core.formats.structure import (
    CATEGORY_KINDS,
    category_values,
    ordered_fields,
    relation_records,
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

_RESULT_OF_KIND = {"number": ("number", "number"), "date": ("datetime", "datetime"), "text": ("textarea", "text")}
"""Label Studio's result type and value key for each kind that is not a choice."""


def _value_result(kind: str, value: Any) -> tuple[str, dict[str, Any]] | None:
    """(result type, value object) for a field or attribute value, or None for a value it cannot hold."""
    if kind in CATEGORY_KINDS:
        return "choices", {"choices": category_values(kind, value)}
    result_type, key = _RESULT_OF_KIND[kind]
    if kind == "text":
        return (result_type, {key: [value]}) if isinstance(value, str) else None
    if kind == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
        return None
    return result_type, {key: value}


def _results(doc_text: str, layer: LayerRecord, report: WriteReport, doc_id: str,
             scheme: Scheme | None = None) -> list[dict[str, Any]]:
    scheme = scheme if scheme is not None else Scheme()
    results = []
    ordered, position = written_order(layer.spans)
    for n, span in enumerate(ordered, start=1):
        value: dict[str, Any] = {
            "start": span.start,
            "end": span.end,
            "text": doc_text[span.start : span.end],
            "labels": [span.label],
        }
        result: dict[str, Any] = {
            "id": f"s{n}",
            "from_name": FROM_NAME,
            "to_name": TO_NAME,
            "type": "labels",
            "value": value,
        }
        if layer.annotator:
            # Label Studio drops the annotation's own "annotator" key on import but keeps this one.
            result["annotator"] = layer.annotator
        if span.note:
            result["meta"] = {"text": [span.note]}
        results.append(result)
        owner = scheme.get(span.label)
        for key, attr_value in sorted(span.attributes.items()):
            definition = owner.attribute(key) if owner is not None else None
            kind = definition.kind if definition is not None else value_kind(attr_value, None)
            written = _value_result(kind, attr_value) if not isinstance(attr_value, dict) else None
            if written is None:
                report.problems.append(f"{doc_id} ({layer.annotator}): attribute {key}={attr_value!r} of span "
                                       f"{span.start}-{span.end} cannot be written as a Label Studio result")
                continue
            region = dict(value, **written[1])
            del region["labels"]
            results.append(_tagged({"id": f"s{n}", "from_name": attribute_name(span.label, key), "to_name": TO_NAME,
                                    "type": written[0], "value": region}, layer))
    for source, target, label in written_relations(layer, position):
        relation = scheme.relation_type(label)
        results.append(_tagged({"from_id": f"s{source + 1}", "to_id": f"s{target + 1}", "type": "relation",
                                "direction": "right" if relation is None or relation.directed else "bi",
                                "labels": [label]}, layer))
    for key, field_value, field_definition in ordered_fields(layer, scheme):
        written = _value_result(value_kind(field_value, field_definition), field_value)
        if written is None or key in (FROM_NAME, TO_NAME):
            report.drop("document fields", "no Label Studio control can hold them")
            continue
        results.append(_tagged({"id": f"f-{key}", "from_name": key, "to_name": TO_NAME, "type": written[0],
                                "value": written[1]}, layer))
    return results


def _tagged(result: dict[str, Any], layer: LayerRecord) -> dict[str, Any]:
    if layer.annotator:
        result["annotator"] = layer.annotator
    return result


def task_for(item: AnnotatedDocument, report: WriteReport, predictions_from: str | None,
             scheme: Scheme | None = None) -> dict[str, Any]:
    doc = item.document
    data: dict[str, Any] = {"text": doc.text, "doc_id": doc.doc_id, "text_sha256": doc.text_sha256}
    for key, value in sorted(doc.meta.items()):
        if value not in (None, "") and key not in data:
            data[key] = value
    annotations = []
    predictions = []
    for layer in sorted(item.layers, key=lambda lay: lay.annotator or ""):
        results = _results(doc.text, layer, report, doc.doc_id, scheme)
        report.spans += len(layer.spans)
        if predictions_from is not None and layer.annotator == predictions_from:
            predictions.append({"model_version": layer.annotator, "result": results})
        else:
            annotations.append({"annotator": layer.annotator, "status": layer.status, "result": results})
    task: dict[str, Any] = {"data": data, "annotations": annotations}
    if predictions:
        task["predictions"] = predictions
    return task


def _annotator_of(entry: dict[str, Any], fallback: str | None) -> str | None:
    for key in ("annotator", "model_version"):
        if isinstance(entry.get(key), str) and entry[key]:
            return entry[key]
    result = entry.get("result")
    results = result if isinstance(result, list) else []
    named = {r["annotator"] for r in results if isinstance(r, dict) and isinstance(r.get("annotator"), str) and r["annotator"]}
    if len(named) == 1:
        return named.pop()
    who = entry.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("username") or who.get("id")
    if isinstance(who, str) and who:
        return who
    if isinstance(who, int) and not isinstance(who, bool):
        return f"label-studio-user-{who}"
    return fallback


_LINE_BREAKS = re.compile(r"(?:\\n|\r|\n)+")


def _same_quote(a: str, b: str) -> bool:
    """Equal once every run of line breaks, real or written as backslash-n, is one line break.

    Label Studio's editor writes each ``\r`` and ``\n`` of a selection as a literal ``\\n``; runs are
    made one because ``\r\n`` gives two. Only used to confirm offsets already found, never to search.
    """
    return a == b or _LINE_BREAKS.sub("\n", a) == _LINE_BREAKS.sub("\n", b)


def _place_by_quote(units: OffsetUnits, start: Any, end: Any, quote: str) -> tuple[str, int, int] | None:
    """The first unit whose offsets reproduce the quote: exactly, else with line breaks made equal."""
    exact = units.by_quote(start, end, quote)
    if exact is not None or ("\\n" not in quote and "\n" not in quote):
        return exact
    for unit, s, e in units.candidates(start, end):
        if _same_quote(units.text[s:e], quote):
            return unit, s, e
    return None


def _quote_readings(quote: str, text: str) -> list[str]:
    """The quote to search for when the offsets are wrong: as written, then with Label Studio's
    backslash-n read as line breaks (one per ``\\n``, then runs as one, for text that had ``\r\n``)."""
    readings = [quote]
    if "\\n" in quote and quote not in text:
        readings.append(quote.replace("\\n", "\n"))
        readings.append(re.sub(r"(?:\\n)+", "\n", quote))
    return readings


def _parse_result(raw: Any, n: int, units: OffsetUnits, ctx: ReadContext, line: int,
                  where: str) -> list[SpanRecord] | AnnotatorError | None:
    if not isinstance(raw, dict):
        return ctx.error(f"{where} result #{n} is not an object", line)
    if raw.get("type", "labels") not in ("labels", "hypertextlabels") or not isinstance(raw.get("value"), dict):
        return None
    value = raw["value"]
    labels = value.get("labels")
    if not isinstance(labels, list) or not labels or not all(isinstance(lb, str) and lb for lb in labels):
        return ctx.error(f"{where} result #{n} has no labels", line)
    start, end, quote = value.get("start"), value.get("end"), value.get("text")
    if quote is not None and not isinstance(quote, str):
        return ctx.error(f"{where} result #{n} 'text' must be a string", line)
    text = units.text
    if quote is not None:
        quote = quote.replace("\r\n", "\n").replace("\r", "\n")
        placed = _place_by_quote(units, start, end, quote)
        if placed is not None:
            unit, s, e = placed
            if (s, e) != (start, end):
                ctx.notice(f"{where} result #{n} offsets {start}-{end} were {unit}; converted to {s}-{e}", line)
        else:
            anchor = None
            for candidate in _quote_readings(quote, text):
                anchor = anchor_span(text, start, end, candidate)
                if anchor is not None:
                    break
            if anchor is None:
                return ctx.error(f"{where} result #{n} ({labels[0]}): quote {short(quote)!r} does not occur in the text", line)
            ctx.notice(f"{where} result #{n} re-anchored from {start}-{end} to {anchor.start}-{anchor.end} by its text", line)
            s, e = anchor.start, anchor.end
    else:
        pair = units.convert(CODE_POINTS, start, end)
        if pair is None:
            return ctx.error(f"{where} result #{n} ({labels[0]}): offsets {start!r}-{end!r} are not a span of the text", line)
        s, e = pair
    note = None
    meta = raw.get("meta")
    if isinstance(meta, dict) and isinstance(meta.get("text"), list) and meta["text"]:
        note = "\n".join(str(t) for t in meta["text"])
    return [SpanRecord(start=s, end=e, label=label, text=text[s:e], note=note) for label in labels]


def _result_values(raw: dict[str, Any]) -> list[Any] | None:
    """The values a choices, number, datetime or textarea result holds (a list), or None if malformed."""
    value = raw.get("value")
    if not isinstance(value, dict):
        return None
    rtype = raw.get("type")
    if rtype == "choices":
        choices = value.get("choices")
        return choices if isinstance(choices, list) and all(isinstance(c, str) for c in choices) else None
    if rtype == "textarea":
        texts = value.get("text")
        return ["\n".join(texts)] if isinstance(texts, list) and all(isinstance(t, str) for t in texts) else None
    key = "number" if rtype == "number" else "datetime"
    return [value[key]] if key in value else None


def _read_structure(others: list[tuple[int, dict[str, Any]]], spans: list[SpanRecord], regions: dict[str, list[int]],
                    ctx: ReadContext, line: int, where: str) -> tuple[dict[str, Any], list[RelationRecord]] | AnnotatorError:
    """Document fields, span attributes (set on ``spans``) and relations from the results that are not spans.

    A result whose ``id`` is a span's region is a per-region attribute; a ``relation`` links two regions
    (``direction`` "left" points from ``to_id`` to ``from_id``); any other control is a document field.
    """
    fields: dict[str, Any] = {}
    links: list[tuple[int, int, str]] = []
    for n, raw in others:
        rtype = raw.get("type")
        if rtype == "relation":
            ends = [str(raw.get(key)) for key in ("from_id", "to_id")]
            labels = raw.get("labels") or []
            if not all(end in regions for end in ends):
                ctx.notice(f"{where} result #{n}: relation between regions that are not labelled spans; ignored", line)
                continue
            if not isinstance(labels, list) or not labels or not all(isinstance(lb, str) and lb for lb in labels):
                ctx.notice(f"{where} result #{n}: relation without a label; ignored (relations here are typed)", line)
                continue
            source, target = (regions[end][0] for end in ends)
            if raw.get("direction") == "left":
                source, target = target, source
            links.extend((source, target, label) for label in labels)
            continue
        if rtype not in VALUE_RESULT_TYPES:
            ctx.notice(f"{where} result #{n} of type {rtype!r} ignored (spans, relations, choices, numbers, dates "
                       "and texts are read)", line)
            continue
        values, name = _result_values(raw), raw.get("from_name")
        if values is None or not isinstance(name, str) or not name:
            return ctx.error(f"{where} result #{n} ({rtype}) has no from_name or no value", line)
        region = regions.get(str(raw.get("id")))
        if region is None:
            fields[name] = _typed(values, rtype, ctx.scheme.field_def(name) if ctx.scheme else None)
            continue
        for index in region:
            span = spans[index]
            key = name.removeprefix(f"{span.label}:")
            owner = ctx.scheme.get(span.label) if ctx.scheme else None
            span.attributes[key] = _typed(values, rtype, owner.attribute(key) if owner else None)
    return fields, relation_records(links)


VALUE_RESULT_TYPES = ("choices", "number", "datetime", "textarea")


def _typed(values: list[Any], rtype: object, definition: Any) -> Any:
    """A result's values in the kind of their definition (choices ``["true"]`` of a yes/no is True)."""
    if rtype != "choices":
        return values[0]
    if not values:  # an empty multi choice
        return []
    kind = definition.kind if definition is not None else None
    if kind is None:
        kind = "multi" if len(values) > 1 else "bool" if values[0] in ("true", "false") else "choice"
    if kind == "multi":
        return sorted(set(values))
    if kind == "bool" and values in (["true"], ["false"]):
        return values[0] == "true"
    return values[0] if len(values) == 1 else values


def parse_task(obj: Any, ctx: ReadContext, line: int) -> AnnotatedDocument | AnnotatorError:
    if not isinstance(obj, dict):
        return ctx.error("a task must be a JSON object", line)
    if "data" not in obj and not isinstance(obj.get("text"), str):
        return ctx.error("not a Label Studio task: it has neither a 'data' object nor a 'text'", line)
    data = obj.get("data", obj)
    if not isinstance(data, dict):
        return ctx.error("task 'data' must be an object", line)
    raw_text = data.get("text")
    if not isinstance(raw_text, str) and "data" in obj:
        # The labelling config may name the text field anything ($body, $article): take the first string.
        raw_text = next((v for v in data.values() if isinstance(v, str) and v.strip()), None)
    if not isinstance(raw_text, str) or not raw_text.strip():
        return ctx.error("task has no text in 'data'", line)
    if "\x00" in raw_text:
        return ctx.error("task text contains a NUL character", line)
    meta = clean_meta({k: v for k, v in data.items() if k not in ("text", "doc_id", "text_sha256")})
    doc = make_document(raw_text, data.get("doc_id"), meta)
    units = OffsetUnits(raw_text)
    layers: list[LayerRecord] = []
    for kind in ("annotations", "completions", "predictions"):
        entries = obj.get(kind) or []
        if not isinstance(entries, list):
            return ctx.error(f"'{kind}' must be a list", line)
        for i, entry in enumerate(entries, start=1):
            where = f"{kind[:-1]} #{i}"
            if isinstance(entry, int) and not isinstance(entry, bool):
                # Label Studio's JSON export lists predictions by id only.
                ctx.notice(f"{where} skipped: only its Label Studio id ({entry}) is in the file", line)
                continue
            if not isinstance(entry, dict):
                return ctx.error(f"{where} is not an object", line)
            if entry.get("was_cancelled"):
                ctx.notice(f"{where} skipped: it was cancelled (skipped) in Label Studio", line)
                continue
            results = entry.get("result") or []
            if not isinstance(results, list):
                return ctx.error(f"{where} 'result' must be a list", line)
            spans: list[SpanRecord] = []
            regions: dict[str, list[int]] = {}  # Label Studio region id -> indexes into spans
            others: list[tuple[int, dict[str, Any]]] = []
            for n, raw in enumerate(results, start=1):
                parsed = _parse_result(raw, n, units, ctx, line, where)
                if isinstance(parsed, AnnotatorError):
                    return parsed
                if parsed is None:
                    others.append((n, raw))
                    continue
                if isinstance(raw.get("id"), str | int):
                    regions.setdefault(str(raw["id"]), []).extend(range(len(spans), len(spans) + len(parsed)))
                spans.extend(parsed)
            structure = _read_structure(others, spans, regions, ctx, line, where)
            if isinstance(structure, AnnotatorError):
                return structure
            fallback = "predictions" if kind == "predictions" else None
            given = entry.get("status")
            status = given if isinstance(given, str) and given in LAYER_STATUSES else STATUS_DONE
            layers.append(LayerRecord(annotator=_annotator_of(entry, fallback), status=status, spans=spans,
                                      doc_fields=structure[0], relations=structure[1]))
    return AnnotatedDocument(doc, layers)


class LabelStudio(Format):
    name = "label-studio"
    description = "Label Studio JSON tasks (annotations per annotator; value.text always written)"
    extensions = (".json",)
    offset_unit = "code points (value.text is the ground truth)"
    can_read = True
    can_write = True
    sniff_priority = 30

    def __init__(self, predictions_from: str | None = None) -> None:
        self.predictions_from = predictions_from

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() != ".json":
            return False
        # Label Studio writes "annotations" before "data"; either key (outside any string) marks a task list.
        return re.search(rb'"(annotations|predictions|completions|data)"\s*:', head[:65536]) is not None

    def read(self, path: Path, ctx: ReadContext) -> Iterator[AnnotatedDocument | AnnotatorError]:
        from annotator.core.decoding import read_text_file

        text = read_text_file(path).text
        for item in iter_json_array(text, ctx, "task"):
            if isinstance(item, AnnotatorError):
                yield item
                continue
            line, obj = item
            yield parse_task(obj, ctx, line)

    def write(self, docs: Iterable[AnnotatedDocument], out: Path, scheme: Scheme) -> WriteReport:
        """Stream a JSON array: one task per line, so a 100,000-document export never sits in memory."""
        report = WriteReport()
        with open(out, "w", encoding="utf-8", newline="\n") as stream:
            stream.write("[")
            first = True
            for item in docs:
                stream.write("\n" if first else ",\n")
                first = False
                stream.write(json.dumps(task_for(item, report, self.predictions_from, scheme), ensure_ascii=False))
                report.documents += 1
            stream.write("\n]\n")
        return report


register(LabelStudio())
